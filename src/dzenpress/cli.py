"""The `dzenpress` command: parses arguments, calls the Python API, prints with Rich. No logic here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dzenpress._version import __version__
from dzenpress.errors import DzenpressError
from dzenpress.terminal import Output, build_command

if TYPE_CHECKING:
    from dzenpress.check import CheckReport


# Plain (Click's) help: switches show as `--drafts / --no-drafts` with no type label, and help reads the same on a
# terminal, in CI logs and piped (Typer's public option; no patch of its internals)
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Dzen articles → a fast, SEO-complete blog.")
# Lines are wrapped only on a terminal: logs and CI get each message on one line.
console = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())
out = Output(console)

SiteArg = Annotated[Path, typer.Argument(help="The site folder (holds dzenpress.toml).")]


def _fail(error: DzenpressError, outcome: str = "nothing was written") -> None:
    raise typer.Exit(out.fail(error, outcome))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dzenpress {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Dzen articles → a fast, SEO-complete blog."""


@app.command()
def init(
    path: SiteArg,
    ci: Annotated[str | None, typer.Option("--ci", help="Also a CI recipe that runs `sync` on a schedule: github "
                                                        "or gitlab (into an existing site: only the recipe).")] = None,
) -> None:
    """Create a working site with example posts (and a CI recipe with --ci)."""
    from dzenpress.scaffold import init_site
    from dzenpress.scaffold_ci import add_ci

    try:
        if ci and (path / "dzenpress.toml").is_file():
            recipe = add_ci(path, ci)
            console.print(f"created {recipe}; next: set [sync] and [deploy] in dzenpress.toml, then commit it")
            return
        if ci:
            from dzenpress.scaffold_ci import recipe as check_kind

            check_kind(ci)  # a wrong --ci stops before the site is made
        created = init_site(path)
        if ci:
            created.append(add_ci(path, ci))
    except DzenpressError as exc:
        _fail(exc)
    console.print(f"created {len(created)} files in {path}; next: [bold]dzenpress build {path}[/bold]")


@app.command()
def build(
    path: SiteArg = Path("."),
    drafts: Annotated[bool, typer.Option("--drafts/--no-drafts", help="Include draft posts.")] = False,
    clean: Annotated[bool, typer.Option("--clean/--no-clean", help="Rebuild every output from scratch.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).",
                                           show_default=False)] = 0,
) -> None:
    """Build the static site into the output folder (default dist/)."""
    status = build_command(path, drafts, clean, jobs, out)
    if status:
        raise typer.Exit(status)


@app.command()
def clean(
    paths: Annotated[list[Path] | None, typer.Argument(help="Post files or folders (default: all posts).")] = None,
    site: Annotated[Path, typer.Option("--site", "-s", help="The site folder.")] = Path("."),
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if any file would change.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print unified diffs of the changes.")] = False,
    rules: Annotated[bool, typer.Option("--rules", help="List the rules and exit.")] = False,
) -> None:
    """Repair posts imported by naive tools: chrome, junk descriptions, pseudo-headings and lists, links."""
    from rich.markup import escape as markup_escape

    from dzenpress.clean import clean as run_clean
    from dzenpress.content.description import RULE_SUMMARY
    from dzenpress.normalize import RULES
    from dzenpress.normalize.meta import RULE_SUMMARY as FRONT_SUMMARY

    if rules:
        for rule in RULES:
            typer.echo(f"{rule.name:12} {rule.summary}")
        typer.echo(f"{'frontmatter':12} {FRONT_SUMMARY}")
        typer.echo(f"{'description':12} {RULE_SUMMARY}")
        return
    try:
        report = run_clean(site, paths or [], write=not check, diff=diff)
    except DzenpressError as exc:
        _fail(exc)
    for result in report.changed:
        if result.diff:
            typer.echo(result.diff, nl=False)
        console.print(f"{'would clean' if check else 'cleaned'} {markup_escape(str(result.path))}: "
                      f"{', '.join(result.fired)}", soft_wrap=True, highlight=False)
    for image in report.deleted_images:
        console.print(f"{'would delete' if check else 'deleted'} chrome image {markup_escape(str(image))}",
                      soft_wrap=True)
    for note in report.notes:
        console.print("[yellow]note[/yellow]", markup_escape(str(note)), soft_wrap=True, highlight=False)
    for error in report.errors:
        console.print("[red]error[/red]", markup_escape(str(error)), soft_wrap=True)
    console.print(report.summary(write=not check), soft_wrap=True)
    if report.errors or (check and report.changed):
        raise typer.Exit(1)


@app.command("import")
def import_(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Article or channel URLs, files of URLs, saved .html pages; with --repair-images, post files.")] = None,
    site: Annotated[Path, typer.Option("--site", "-s", help="The site folder.")] = Path("."),
    since: Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
    include_posts: Annotated[bool, typer.Option("--include-posts", help="Also short posts (briefs).")] = False,
    draft: Annotated[bool, typer.Option("--draft", help="Import as drafts.")] = False,
    tags: Annotated[str | None, typer.Option(help="Comma-separated tags (default: [import] tags).")] = None,
    cookies: Annotated[Path | None, typer.Option(help="Netscape cookies.txt or a browser JSON export.")] = None,
    concurrency: Annotated[int, typer.Option(help="Requests in flight at most.")] = 2,
    delay: Annotated[float, typer.Option(help="Seconds between two requests to one host.")] = 1.0,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite locally edited posts (keeping a .bak).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    repair: Annotated[bool, typer.Option("--repair-images", help="Fetch the `source:` of posts whose images are "
                                         "Dzen's lazy-load placeholders and put the real images back (the post "
                                         "files given, or every such post).")] = False,
    host_map: Annotated[str, typer.Option(hidden=True, envvar="DZENPRESS_HOST_MAP")] = "",
) -> None:
    """Import Dzen articles, a whole channel, or saved pages as posts with their images."""
    import datetime as dt

    from dzenpress.dzen.client import ClientOptions
    from dzenpress.dzen.importer import ImportOptions, import_sources

    try:
        since_date = dt.date.fromisoformat(since) if since else None
    except ValueError:
        console.print(f"[red]error[/red] --since: {since!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None
    mapping = dict(pair.split("=", 1) for pair in host_map.split(",") if "=" in pair)
    options = ImportOptions(
        since=since_date, limit=limit, include_posts=include_posts, draft=draft, force=force, dry_run=dry_run,
        tags=[t.strip() for t in tags.split(",") if t.strip()] if tags is not None else None,
        client=ClientOptions(concurrency=concurrency, delay=delay, cookies=cookies, host_map=mapping),
    )
    if not sources and not repair:
        console.print("[red]error[/red] give article or channel URLs, files of URLs or saved pages to import")
        raise typer.Exit(2)
    try:
        if repair:
            from dzenpress.dzen.repair import repair_images

            report = repair_images(site, sources or [], options)
        else:
            report = out.with_progress(lambda progress: import_sources(site, sources or [], options, progress),
                                       "articles", quiet=as_json)
    except DzenpressError as exc:
        _fail(exc)
    from dzenpress.report import print_import_report

    print_import_report(report, as_json=as_json)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def serve(
    path: SiteArg = Path("."),
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    drafts: Annotated[bool, typer.Option("--drafts/--no-drafts", help="Include draft posts in the preview.")] = True,
) -> None:
    """Preview on localhost (built in .dzenpress/preview/, never dist/); rebuild + reload on every change."""
    from dzenpress.serve import serve as run_serve

    try:
        run_serve(path, port=port, drafts=drafts, log=lambda m: console.print(m, markup=False, soft_wrap=True))
    except DzenpressError as exc:
        _fail(exc, "the preview is not running")


@app.command()
def check(
    path: SiteArg = Path("."),
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    external: Annotated[bool, typer.Option("--external", help="Also check outbound links (network).")] = False,
    url: Annotated[str | None, typer.Option(help="Site URL when DIR is an output folder without config.")] = None,
    warnings: Annotated[bool, typer.Option("--warnings/--no-warnings", help="List warnings too.")] = True,
) -> None:
    """Audit the built site: head tags, links, images, sitemap, feeds, robots.txt. Exit 1 on errors."""
    import json

    from dzenpress.check import check_site

    if output_format not in ("text", "json"):
        console.print("[red]error[/red] --format must be text or json")
        raise typer.Exit(2)
    try:
        report = check_site(path, url=url, external=external,
                            log=lambda m: console.print(m, markup=False, soft_wrap=True))
    except DzenpressError as exc:
        _fail(exc, "")
    if output_format == "json":
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        _print_check(report, warnings)
    if not report.ok:
        raise typer.Exit(1)


def _print_check(report: CheckReport, warnings: bool) -> None:
    from rich.markup import escape

    out = Console(highlight=False)
    for page, findings in report.by_page().items():
        shown = [f for f in findings if warnings or f.level == "error"]
        if shown:
            out.print(f"[bold]{escape(page or '(site)')}[/bold]", soft_wrap=True)
        for f in shown:
            colour = "red" if f.level == "error" else "yellow"
            out.print(f"  [{colour}]{f.level}[/{colour}] {f.code}: {escape(f.message)}", soft_wrap=True)
    for note in report.notes:
        out.print(f"[yellow]warning[/yellow] {escape(note)}", soft_wrap=True)
    colour = "red" if report.errors else "green"
    out.print(f"[{colour}]{report.summary()}[/{colour}]")


@app.command()
def ping(
    path: SiteArg = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the URLs that would be submitted.")] = False,
    everything: Annotated[bool, typer.Option("--all", help="Resubmit every URL of the sitemap.")] = False,
    endpoint: Annotated[str | None, typer.Option(
        help=r"IndexNow endpoint (default: `endpoint` in the \[indexnow] table of dzenpress.toml).")] = None,
) -> None:
    """Tell search engines (IndexNow) which URLs were added, changed or removed since the last ping."""
    from dzenpress.ping import ping as run_ping

    try:
        report = run_ping(path, dry_run=dry_run, everything=everything, endpoint=endpoint,
                          log=lambda m: console.print(m, markup=False, soft_wrap=True))
    except DzenpressError as exc:
        _fail(exc, "nothing was sent")
    plan = report.plan
    if dry_run:
        for label, urls in (("added", plan.added), ("changed", plan.changed), ("removed", plan.removed)):
            for u in urls:
                typer.echo(f"{label}\t{u}")
    counts = f"{len(plan.added)} added, {len(plan.changed)} changed, {len(plan.removed)} removed"
    if not plan.urls:
        console.print("nothing to submit: no URL changed since the last successful ping")
    elif dry_run:
        console.print(f"would submit {len(plan.urls)} URLs ({counts})")
    else:
        console.print(f"submitted {report.submitted} URLs ({counts})")


@app.command()
def deploy(
    target: Annotated[str | None, typer.Argument(help="A [deploy.<name>] target (default: the only or default one).",
                                                 show_default=False)] = None,
    site: Annotated[Path, typer.Option("--site", "-s", help="The site folder.")] = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be uploaded and deleted.")] = False,
) -> None:
    """Publish the built site: changed files only, pages after what they link to, deletions last."""
    from dzenpress.deploy import deploy as run_deploy

    try:
        report = run_deploy(site, target, dry_run=dry_run)
    except DzenpressError as exc:
        _fail(exc)
    if dry_run:
        for rel in report.plan.uploads:
            typer.echo(f"upload\t{rel}")
        for rel in report.plan.deletions:
            typer.echo(f"delete\t{rel}")
    for warning in report.warnings:
        out.line(warning, label="warning", colour="yellow")
    out.line(report.summary())


@app.command()
def sync(
    site: Annotated[Path, typer.Option("--site", "-s", help="The site folder.")] = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be imported and uploaded.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Fetch every article of the channel again, not only "
                                                     "recent ones.")] = False,
    host_map: Annotated[str, typer.Option(hidden=True, envvar="DZENPRESS_HOST_MAP")] = "",
) -> None:
    """Import new articles from the [sync] channels, build, check, deploy, ping: one command for cron and CI."""
    from dzenpress.dzen.client import ClientOptions
    from dzenpress.sync import sync as run_sync

    mapping = dict(pair.split("=", 1) for pair in host_map.split(",") if "=" in pair)
    try:
        report = run_sync(site, dry_run=dry_run, full=full, client=ClientOptions(host_map=mapping), log=out.line)
    except DzenpressError as exc:
        out.line(str(exc), label="error", colour="red")
        raise typer.Exit(1) from None
    for warning in report.warnings:
        out.line(warning, label="warning", colour="yellow")
    out.line(report.summary())
    if report.failed:
        out.line(f"sync finished, but {report.failed} did not fully succeed (see the warnings above)",
                 label="error", colour="red")
        raise typer.Exit(1)


@app.command()
def new(
    title: Annotated[str, typer.Argument(help="The post's title.")],
    site: Annotated[Path, typer.Option("--site", "-s", help="The site folder.")] = Path("."),
    tags: Annotated[str | None, typer.Option(help="Comma-separated tags.")] = None,
    slug: Annotated[str | None, typer.Option(help="The slug (default: transliterated from the title).")] = None,
) -> None:
    """Create a draft post named after its title, dated today; never overwrites. Prints the path."""
    from dzenpress.newpost import new_post

    try:
        created = new_post(site, title, slug=slug,
                           tags=[t.strip() for t in tags.split(",") if t.strip()] if tags else None)
    except DzenpressError as exc:
        _fail(exc)
    typer.echo(str(created))


if __name__ == "__main__":
    app()
