"""`dzenpress import --repair-images`: the real pictures of posts whose images are Dzen's lazy-load
placeholder (`static.dzeninfra.ru/s3/zen-lib/…`, what another tool scraped before the page loaded them).

The post's `source:` is fetched again; the post's image references are paired with the article's images in
order, anchored on the references that are real already (a segment between two anchors is paired only when
both sides hold as many images: otherwise its placeholders are reported, not guessed). Each paired
placeholder's address, and nothing else, is replaced by the picture downloaded to public/blog/<slug>/: the
front matter keeps its bytes, and the text the user edited is not touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from dzenpress import routes
from dzenpress.config import load_config
from dzenpress.content import frontmatter
from dzenpress.dzen.client import DzenClient, HostDown
from dzenpress.dzen.images import fetch_largest, largest
from dzenpress.dzen.importer import ImportOptions, ImportReport, Outcome
from dzenpress.dzen.page import parse_page
from dzenpress.dzen.urls import parse_article
from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write

PLACEHOLDER = "/s3/zen-lib/"
# ![alt](url "title") and <img … src="url">: group "url" is the address that may be replaced.
_IMAGE = re.compile(r"!\[(?:[^\[\]\\]|\\.)*\]\(\s*<?(?P<md>[^\s()<>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
                    r"|<img\b[^>]*?\bsrc=[\"'](?P<html>[^\"']+)[\"']", re.S)


@dataclass
class _Ref:
    start: int  # the address's span in the body
    end: int
    url: str

    @property
    def placeholder(self) -> bool:
        return PLACEHOLDER in self.url


def has_placeholders(text: str) -> bool:
    """Whether a post's text references an image by Dzen's lazy-load placeholder address."""
    return any(PLACEHOLDER in (m.group("md") or m.group("html") or "") for m in _IMAGE.finditer(text))


def repair_images(root: Path | str, files: list[str], options: ImportOptions | None = None) -> ImportReport:
    """Repair `files` (post files; none given: every post of the site with a placeholder image)."""
    root = Path(root)
    options = options or ImportOptions()
    config = load_config(root)
    content, public = root / config.paths.content, root / config.paths.public
    paths = [Path(f) for f in files] if files else _with_placeholders(content)
    report = ImportReport(dry_run=options.dry_run)
    with DzenClient(options.client) as client:
        for path in paths:
            outcome = Outcome(str(path), "failed", path=str(path))
            try:
                _repair(client, path, public, options.dry_run, outcome)
            except DzenpressError as exc:
                outcome.reason = exc.message
            except OSError as exc:
                outcome.reason = f"{exc.filename or path}: {exc.strerror}"
            except UnicodeDecodeError as exc:
                outcome.reason = f"{path}: not UTF-8 text (byte {exc.start})"
            except ValueError as exc:  # YAML's own checks (a date like 2025-02-30)
                outcome.reason = f"{path}: front matter: {exc}"
            report.outcomes.append(outcome)
    return report


def _with_placeholders(content: Path) -> list[Path]:
    found = []
    for path in sorted(content.rglob("*.md")):
        try:
            raw = path.read_bytes()
        except OSError:
            found.append(path)  # repairing it will say what is wrong with it
            continue
        if PLACEHOLDER.encode() in raw and has_placeholders(raw.decode("utf-8", errors="replace")):
            found.append(path)
    return found


def _repair(client: DzenClient, path: Path, public: Path, dry_run: bool, outcome: Outcome) -> None:
    raw = path.read_bytes()
    offset = frontmatter.body_offset(raw)
    if offset is None:
        raise DzenpressError("no front matter: the file must start with a '---' line", path=path)
    text = raw.decode("utf-8")
    meta = frontmatter.parse(frontmatter.split(text, path).front, path)
    body = raw[offset:].decode("utf-8")
    refs = [_Ref(m.start("md") if m.group("md") else m.start("html"), m.end("md") if m.group("md") else m.end("html"),
                 m.group("md") or m.group("html")) for m in _IMAGE.finditer(body)]
    if not any(r.placeholder for r in refs):
        outcome.status, outcome.reason = "unchanged", "no placeholder images"
        return
    source = meta.get("source")
    ref = parse_article(source) if isinstance(source, str) else None
    if ref is None:
        raise DzenpressError(f"{sum(r.placeholder for r in refs)} placeholder images, and no Dzen article in "
                             "`source:` to fetch them from: add the article's URL as `source:`", path=path)
    outcome.source = ref.url
    _final, html = client.page(ref.url)
    pairs, unpaired = pair(refs, parse_page(html, ref.url).images)
    slug = str(meta.get("slug") or path.stem)
    folder = public / routes.post_folder(slug)
    replaced: list[tuple[_Ref, str]] = []
    for n, (item, url) in enumerate(pairs):
        site_path = _download(client, url, folder, slug, n, dry_run, outcome)
        if site_path is not None:
            replaced.append((item, site_path))
    if unpaired:
        outcome.warnings.append(f"{unpaired} placeholder images could not be matched to the article's images "
                                "(the post and the article differ in pictures there): left as they are")
    outcome.images = len(replaced)
    if not replaced:
        outcome.status = "unchanged" if not unpaired and not outcome.warnings else "failed"
        outcome.reason = outcome.reason or "no image was repaired"
        return
    new_body = body
    for item, site_path in sorted(replaced, key=lambda r: -r[0].start):
        new_body = new_body[: item.start] + site_path + new_body[item.end :]
    outcome.status = "updated"
    if not dry_run:
        atomic_write(path, raw[:offset] + new_body.encode("utf-8"))


def pair(refs: list[_Ref], images: list[str]) -> tuple[list[tuple[_Ref, str]], int]:
    """(placeholder, real image URL) pairs, and how many placeholders stay unpaired."""
    index = {largest(url): n for n, url in enumerate(images)}
    anchors = [(-1, -1)]
    for r, item in enumerate(refs):
        n = index.get(largest(item.url)) if not item.placeholder else None
        if n is not None and n > anchors[-1][1]:
            anchors.append((r, n))
    anchors.append((len(refs), len(images)))
    pairs: list[tuple[_Ref, str]] = []
    unpaired = 0
    for (r0, a0), (r1, a1) in pairwise(anchors):
        between = refs[r0 + 1 : r1]
        if len(between) == a1 - a0 - 1:
            pairs += [(item, images[a0 + 1 + k]) for k, item in enumerate(between) if item.placeholder]
        else:
            unpaired += sum(1 for item in between if item.placeholder)
    return pairs, unpaired


def _download(client: DzenClient, url: str, folder: Path, slug: str, n: int, dry_run: bool,
              outcome: Outcome) -> str | None:
    try:
        data, ext = fetch_largest(client, url)
    except HostDown as exc:
        outcome.warnings.append(f"image {url}: {exc.host} could not be reached (left as a placeholder)")
        return None
    except DzenpressError as exc:
        outcome.warnings.append(f"image {url}: {exc.message} (left as a placeholder)")
        return None
    name = _free_name(folder, f"repaired-{n}", ext, data)
    if not dry_run:
        atomic_write(folder / name, data)
    return routes.post_file(slug, name)


def _free_name(folder: Path, stem: str, ext: str, data: bytes) -> str:
    """`stem.ext`, or `stem-2.ext`, … : never a file that holds other bytes (a picture the user put there)."""
    k = 1
    while True:
        name = f"{stem}.{ext}" if k == 1 else f"{stem}-{k}.{ext}"
        target = folder / name
        if not target.exists() or target.read_bytes() == data:
            return name
        k += 1
