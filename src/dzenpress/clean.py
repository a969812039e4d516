"""`dzenpress clean`: repair posts imported earlier by naive tools, in place and atomically."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from dzenpress import routes
from dzenpress.config import Config, load_config
from dzenpress.content.post import decode_post
from dzenpress.errors import ConfigError, DzenpressError, PostError, flatten
from dzenpress.fsio import atomic_write, regular_file, scan_files
from dzenpress.normalize import RULE_NAMES
from dzenpress.normalize.notes import Note
from dzenpress.normalize.post import CleanedPost, clean_text, file_notes, local_refs
from dzenpress.parallel import map_in_chunks

ALL_RULES = (*RULE_NAMES, "frontmatter", "description")


@dataclass
class FileResult:
    path: Path
    fired: list[str]
    diff: str = ""


@dataclass(frozen=True)
class FileNote:
    path: Path
    note: Note

    def __str__(self) -> str:
        return f"{self.path}:{self.note.line}: {self.note.kind}: {self.note.message}"


@dataclass
class CleanReport:
    changed: list[FileResult] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[DzenpressError] = field(default_factory=list)
    deleted_images: list[Path] = field(default_factory=list)
    notes: list[FileNote] = field(default_factory=list)  # look-alikes kept, images lost, front matter unsettled

    def summary(self, write: bool) -> str:
        verb = "cleaned" if write else "would clean"
        text = f"{len(self.changed)} {verb}, {len(self.unchanged)} already clean"
        if self.deleted_images:
            text += f", {len(self.deleted_images)} chrome image(s) {'deleted' if write else 'to delete'}"
        if self.errors:
            text += f", {len(self.errors)} failed"
        if self.notes:
            text += f", {len(self.notes)} note(s) to check"
        return text


def disabled_rules(config: Config, root: Path) -> set[str]:
    unknown = [r for r in config.clean.disable if r not in ALL_RULES]
    if unknown:
        raise ConfigError(f"unknown rule {unknown[0]!r} (rules: {', '.join(ALL_RULES)})",
                          path=root / "dzenpress.toml", field="clean.disable")
    return set(config.clean.disable)


def clean(root: Path | str, paths: Sequence[Path] = (), *, write: bool = True, diff: bool = False) -> CleanReport:
    """Clean the given post files or folders (default: every post of the site at `root`)."""
    root = Path(root)
    config = load_config(root)
    content = root / config.paths.content
    off = disabled_rules(config, root)
    report = CleanReport()
    dropped: dict[str, Path] = {}
    new_texts: dict[Path, str] = {}
    # --check only asks whether a file would change: one pass of the rules answers that
    work = partial(_clean_chunk, off=off, settle=write or diff)
    for path, cleaned in map_in_chunks(work, _post_files(paths or [content]), min_items=_PARALLEL_MIN):
        if isinstance(cleaned, list):
            report.errors.extend(cleaned)
            continue
        if not write and cleaned.changed:  # the file stays as it is: its own lines are the ones to name
            notes = sorted([*cleaned.front_notes, *file_notes(_read(path), path, "chrome" in off)],
                           key=lambda n: n.line)
        else:
            notes = cleaned.notes
        report.notes += [FileNote(path, n) for n in notes]
        if not cleaned.changed:
            report.unchanged.append(path)
            continue
        result = FileResult(path, cleaned.fired)
        if diff:
            original = _read(path)
            result.diff = "".join(difflib.unified_diff(original.splitlines(True), cleaned.text.splitlines(True),
                                                       f"a/{path.name}", f"b/{path.name}"))
        if write:
            atomic_write(path, cleaned.text)
        new_texts[path.resolve()] = cleaned.text
        report.changed.append(result)
        dropped.update(dict.fromkeys(cleaned.dropped_images, path))
    public = root / config.paths.public
    report.deleted_images = _orphans(dropped, content, public, write, new_texts)
    return report


_PARALLEL_MIN = 200  # fewer files than this are cleaned faster without worker processes
Outcome = CleanedPost | list[DzenpressError]


def _clean_one(path: Path, off: set[str], settle: bool) -> Outcome:
    try:
        original = _read(path)
        cleaned = clean_text(original, path, off, settle)
    except DzenpressError as exc:
        return flatten(exc)
    except OSError as exc:
        return [PostError(f"cannot be read: {exc.strerror}", path=path)]
    except Exception as exc:  # a bug on one file must not stop the others
        return [PostError(f"not cleaned, left untouched: unexpected {type(exc).__name__}: {exc} "
                          "(a dzenpress bug: please report it with this file)", path=path)]
    if cleaned.text == original:
        cleaned.fired = []
    return cleaned


def _clean_chunk(paths: list[Path], off: set[str], settle: bool) -> list[Outcome]:
    return [_clean_one(p, off, settle) for p in paths]


def _read(path: Path) -> str:
    return decode_post(path.read_bytes(), path)


def _post_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():  # scan_files: hidden entries, FIFOs and links out of the folder are left out
            files += sorted(path / rel.lstrip("/") for rel, _ in scan_files(path, suffix=".md"))
        elif regular_file(path):
            files.append(path)
    return files


def _orphans(dropped: dict[str, Path], content: Path, public: Path, write: bool,
             new_texts: dict[Path, str]) -> list[Path]:
    """Images only removed chrome referenced, that no post (as it is, or as cleaned) references any more."""
    if not dropped:
        return []
    referenced: set[str] = set()
    for post in (content / rel.lstrip("/") for rel, _ in scan_files(content, suffix=".md")):
        text = new_texts.get(post.resolve())
        try:
            referenced |= local_refs(text if text is not None else post.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return []  # a post that cannot be read may use any image: delete none
    orphans = []
    for ref in sorted(set(dropped) - referenced):
        file = public / ref.lstrip("/")
        inside_blog = (public / routes.BLOG_FOLDER).resolve() in file.resolve().parents
        if inside_blog and file.is_file():
            if write:
                file.unlink()
            orphans.append(file)
    return orphans
