"""The tool tells the owner what to do next: a placeholder site address (build, check, ping — which refuses
to send it), posts still raw from Dzen (build, once, with the count), drafts marked in the preview; and the
three sites the issue names pass `check` with no warnings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzenpress.check import check_site
from dzenpress.cli import app
from dzenpress.hints import placeholder_url
from dzenpress.scaffold import init_site

from conftest import CORPUS
from helpers import build_site, page
from placeholders import make_placeholders

SRC = Path(__file__).resolve().parent.parent / "src"
labels = st.from_regex(r"[a-z][a-z0-9-]{2,12}", fullmatch=True).filter(lambda s: not s.endswith("-"))


@given(st.sampled_from(["example.ru", "example.com", "www.example.org", "blog.example", "localhost",
                        "127.0.0.1", "clinic.test", "site.ru"]), st.sampled_from(["http", "https"]))
def test_placeholder_addresses_are_named(host: str, scheme: str) -> None:
    assert placeholder_url(f"{scheme}://{host}") is not None


@given(labels, st.sampled_from(["ru", "com", "org", "рф", "clinic"]))
def test_real_looking_addresses_are_not(name: str, zone: str) -> None:
    if name.startswith("example") or name in {"localhost", "site", "mysite", "yoursite", "domain"}:
        return
    assert placeholder_url(f"https://{name}.{zone}") is None


def _cli_build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dzenpress", "build", str(site), *args], capture_output=True,
                          text=True, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "CI": "1"}, check=False)


def test_init_site_is_told_about_its_placeholder_address_and_passes_check(tmp_path: Path) -> None:
    site = tmp_path / "new"
    init_site(site)
    built = _cli_build(site)
    assert built.returncode == 0, built.stderr
    warned = [line for line in built.stderr.splitlines() if "placeholder" in line]
    assert len(warned) == 1 and "https://example.ru" in warned[0] and warned[0].startswith("warning ")
    assert "raw Dzen" not in built.stderr
    report = check_site(site)
    assert report.findings == [] and len(report.notes) == 1
    checked = CliRunner().invoke(app, ["check", str(site)])
    assert checked.exit_code == 0 and "placeholder" in checked.output


def test_ping_refuses_a_placeholder_address(tmp_path: Path) -> None:
    site = tmp_path / "new"
    init_site(site)
    build_site(site)
    dry = CliRunner().invoke(app, ["ping", str(site), "--dry-run"])
    assert dry.exit_code == 0 and "placeholder" in dry.output
    sent = CliRunner().invoke(app, ["ping", str(site), "--endpoint", "http://127.0.0.1:9/indexnow"])
    assert sent.exit_code == 1, sent.output
    assert "placeholder" in sent.output and sent.output.rstrip().endswith("1 error; nothing was sent")


def test_raw_imports_are_counted_once(tmp_path: Path) -> None:
    if not (CORPUS / "raw").is_dir():
        pytest.skip("shared corpus not present")
    site = tmp_path / "raw"
    init_site(site)
    raw = sorted((CORPUS / "raw").glob("*.md"))
    for post in raw:
        shutil.copy(post, site / "content" / "posts" / post.name)
    make_placeholders(site)
    built = _cli_build(site)
    assert built.returncode == 0, built.stderr
    hints = [line for line in built.stderr.splitlines() if "raw Dzen imports" in line]
    assert len(hints) == 1 and hints[0].startswith(f"warning {len(raw)} of {len(raw) + 3} posts")
    assert "dzenpress clean" in hints[0]
    cleaned = CliRunner().invoke(app, ["clean", "--site", str(site)])
    assert cleaned.exit_code == 0, cleaned.output
    assert "raw Dzen imports" not in _cli_build(site).stderr


def test_cleaned_real_corpus_passes_check_and_the_build_agrees(corpus_site: Path) -> None:
    cleaned = CliRunner().invoke(app, ["clean", "--site", str(corpus_site)])
    assert cleaned.exit_code == 0, cleaned.output
    built = _cli_build(corpus_site)
    assert built.returncode == 0, built.stderr
    assert [line for line in built.stderr.splitlines() if line.startswith("warning")] == []
    report = check_site(corpus_site)
    assert report.findings == [] and report.notes == []


def test_drafts_are_marked_wherever_the_preview_shows_them(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    site = tmp_path / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    draft = "chernovik-novye-metody-reabilitacii"
    build_site(site, drafts=True)
    own = page(site, f"blog/{draft}/index.html").css_first(".post-header .status-badge")
    assert own is not None and own.text() == "Черновик"
    for rel in ("index.html", "blog/index.html"):
        cards = page(site, rel).css(".card")
        marked = [c for c in cards if c.css_first(".status-badge") is not None]
        assert len(marked) == 1 and draft in (marked[0].css_first("a").attributes.get("href") or ""), rel
    later = site / "content/posts/zavtra.md"
    later.write_text("---\ntitle: 'Статья на завтра'\nslug: zavtra\ndate: '2100-01-01'\n---\n\nСкоро.\n",
                     encoding="utf-8")
    build_site(site, drafts=True)
    own = page(site, "blog/zavtra/index.html").css_first(".post-header .status-badge")
    assert own is not None and own.text() == "Запланировано"
    build_site(site, drafts=False)
    assert not (site / "dist/blog/zavtra").exists()
    assert not list((site / "dist").rglob("*.html")) or all(
        "status-badge" not in p.read_text(encoding="utf-8") for p in (site / "dist").rglob("*.html"))


def test_the_raw_import_hint_reads_only_posts_it_has_not_judged(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdicts are kept by post content: a build judges the posts that are new or edited, not all of them
    (the normaliser over 10,000 posts took a minute on every build); an edit that makes a post raw counts."""
    from dzenpress import hints
    from dzenpress.project import Project
    from dzenpress.terminal import owner_hints

    site = tmp_path / "site"
    init_site(site)
    posts = site / "content" / "posts"
    for n in range(6):
        (posts / f"p{n}.md").write_text(f"---\ntitle: Статья {n}\ndate: 2024-01-0{n + 1}\n---\n\n"
                                        f"# Статья {n}\n\nТекст статьи номер {n} о спине.\n", encoding="utf-8")
    judged: list[str] = []
    real = hints.looks_raw
    monkeypatch.setattr(hints, "looks_raw", lambda post: judged.append(post.slug) or real(post))

    def hint() -> str:
        with Project(site) as project:
            project.build()
            return " ".join(owner_hints(project))

    first = hint()
    assert "raw Dzen imports" in first and len(judged) >= 6  # the repeated `# Title`
    judged.clear()
    edited = posts / "p2.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n[Читать далее](https://dzen.ru/a/x)\n",
                      encoding="utf-8")
    second = hint()
    assert judged == ["p2"] and second.split(" posts look")[0] == first.split(" posts look")[0]
    judged.clear()
    for n in range(6):
        path = posts / f"p{n}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(f"# Статья {n}\n\n", ""), encoding="utf-8")
    edited.write_text(edited.read_text(encoding="utf-8").replace("[Читать далее](https://dzen.ru/a/x)", ""),
                      encoding="utf-8")
    assert "raw Dzen imports" not in hint() and sorted(judged) == [f"p{n}" for n in range(6)]


def test_the_raw_import_verdicts_go_with_the_parsed_posts(tmp_path: Path) -> None:
    """Another dzenpress (or time zone) parses posts again, and its normaliser judges them again."""
    from dzenpress.render.state import RAW_HINTS, State

    state = State(tmp_path)
    state.use_post_env("1.0\tEurope/Moscow")
    state.put_blob(RAW_HINTS, {"digest": True})
    state.use_post_env("1.0\tEurope/Moscow")
    assert state.get_blob(RAW_HINTS) == {"digest": True}
    state.use_post_env("1.1\tEurope/Moscow")
    assert state.get_blob(RAW_HINTS) is None
    state.close()
