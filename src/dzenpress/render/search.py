"""Site search: Pagefind indexes of the built pages, in shards that follow edits, committed like every output.

Pagefind (the `pagefind[extended]` package) ships a native binary that reads the built HTML, stems words by
each page's `lang` (Russian included) and writes a static index. Only pages with an element marked
`data-pagefind-body` (post bodies, site pages, public pages that opt in) are indexed. The search page loads
everything from the site itself: no external requests.

Layout of `pagefind/` (a reserved address: nothing else is ever written there):
- `s<N>-<i>/`: shard i of N, a Pagefind index of the pages whose output path hashes to bucket i. A shard's
  bytes depend only on its pages; a build re-indexes only shards whose pages changed. Shards hold index data
  only (no JavaScript, no WebAssembly). N is a power of two chosen from the number of indexed pages (about
  _PER_SHARD a shard, 1 for a site of up to _PER_SHARD pages), so a page stays in its shard until the site
  doubles or halves. Pagefind indexes ~200 pages a second per core, so an edit costs ~0.4 s for its shard
  instead of ~5 s per 1,000 pages for the whole site.
- `runtime/`: Pagefind's JavaScript and WebAssembly with an index of one record ("‿") in the site language:
  the search page's primary instance, into which it merges every shard (Pagefind's `mergeIndex`; merged
  indexes are searched with the primary's WebAssembly, so the stemmer is the site language's).
- `shards.json`: the list of shard folders, written last.

What merged shards find, against one index over the site (tests/test_search_browser.py measures both):
- The same pages for every finished word. Pagefind looks a word up in each merged index on its own, and an
  index holding no word that starts with the word's stem falls back to its longest word that is a prefix of
  the stem ("к" for "ксилофонище"): one index does that only when no page has the word, a shard whenever its
  pages lack it. The search page keeps only pages that Pagefind's exact search finds for every finished
  word, which removes those pages again (and prefix look-alikes: "боль" does not find «больше»).
- The word being typed is matched as a prefix, and a shard with no word starting with it adds its fallback
  pages until the word is finished. With ~100 pages of real prose a shard, prefixes of three letters or
  more were found the same (22 of 22 on 1,000 posts made of the real corpus' paragraphs).
- The ranking: each shard scores with its own word statistics (BM25's page counts and average length), so
  pages of near scores can trade places: on that corpus NDCG@10 against one index's scores averaged 0.96.
Pagefind 1.5 has no option to turn the fallback off or to give a merged index the site's statistics; a
guard against the fallback needs the site's whole vocabulary in every shard (then a shard's bytes depend
on every page).

A refresh is committed like the pages: every new folder is written beside the live ones, a journal names
them, then each is swapped in; a build killed at any moment is finished by the next (roll forward), and
anything else in `pagefind/` (temp folders, shards of another N) is swept. The builder refreshes the index
before it records the build as done, so a kill during indexing makes the next build run again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from dzenpress import routes
from dzenpress.errors import BuildError
from dzenpress.fsio import atomic_write
from dzenpress.hashing import digest
from dzenpress.render.pagefind import Job, Record, write_indexes

if TYPE_CHECKING:
    from dzenpress.render.state import State

SEARCH_ROUTE = routes.SEARCH
INDEX_DIR = routes.PAGEFIND.strip("/")
MANIFEST = "shards.json"
RUNTIME = "runtime"
MARKER = b"data-pagefind-body"
_ENTRY = "pagefind-entry.json"
_JOURNAL = ".journal"
SHARDED = True  # off: one index whatever the size (every edit re-indexes the whole site)
_PER_SHARD = 128  # pages a shard holds on average: Pagefind reads ~200-300 pages a second per core
_MAX_SHARDS = 256  # the browser merges every shard: keep their number (and its requests) bounded
_BLOB = "search"
_META = "search"  # "ok" once the index matches the pages the state records


@dataclass
class SearchState:
    """What the last committed index was made of (kept in the build state)."""

    pages: dict[str, tuple[str, bool]] = field(default_factory=dict)  # page → (digest, indexed)
    shards: dict[str, str] = field(default_factory=dict)  # shard folder → fingerprint of its pages
    runtime: str = ""


def pagefind_binary() -> Path | None:
    """The Pagefind executable shipped by the pagefind-bin(-extended) wheel, if one is installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.exists() else None


def shard_count(pages: int) -> int:
    """A power of two, about one shard per _PER_SHARD pages (a pure function of the page count); 1 unless
    SHARDED (see the module's docstring for what merged shards find)."""
    count = 1
    while SHARDED and count * _PER_SHARD < pages and count < _MAX_SHARDS:
        count *= 2
    return count


def bucket(rel: str, count: int) -> int:
    """The shard of the page at output path `rel`: stable for a given shard count."""
    return int(digest(rel.encode())[:8], 16) % count


def is_current(state: State, out_dir: Path) -> bool:
    """Whether the committed index matches the pages the state records and every shard is still there (one
    stat a shard: for no-op builds)."""
    folder = out_dir / INDEX_DIR
    shards = _manifest(folder)
    return (state.get_meta(_META) == "ok" and shards is not None and (folder / RUNTIME / "pagefind.js").is_file()
            and all((folder / name / _ENTRY).is_file() for name in shards))


def mark_stale(state: State) -> None:
    """The pages changed and the index is not refreshed yet (serve refreshes it after the reload)."""
    state.set_meta(_META, "")


def remove(out_dir: Path, state: State) -> None:
    """Search switched off: the index folder goes (it is ours), and so does what the state knew of it."""
    shutil.rmtree(out_dir / INDEX_DIR, ignore_errors=True)
    state.put_blob(_BLOB, None)
    state.set_meta(_META, "")


def refresh(out_dir: Path, language: str, pages: dict[str, str], state: State, jobs: int) -> str | None:
    """Bring the index in line with `pages` (every HTML output → its digest). Returns a warning when search
    cannot be built here (the pages stay; the next build tries again)."""
    folder = out_dir / INDEX_DIR
    state.set_meta(_META, "")
    finish_commit(folder)
    known = state.get_blob(_BLOB)
    old = known if isinstance(known, SearchState) else SearchState()
    version = _pagefind_version()  # another Pagefind writes other bytes
    new = SearchState(pages=_indexed(out_dir, pages, old.pages),
                      runtime=digest(f"runtime {language} {version}".encode()))
    members = _shards(new.pages)
    new.shards = {name: _fingerprint(rels, new.pages, version) for name, rels in members.items()}
    todo = [name for name in members if old.shards.get(name) != new.shards[name]
            or not (folder / name / _ENTRY).is_file()]
    runtime = old.runtime != new.runtime or not (folder / RUNTIME / "pagefind.js").is_file()
    if todo or runtime or _manifest(folder) != sorted(members):
        binary = pagefind_binary()
        if binary is None:
            return "search index not built: install the pagefind binary (pip install 'pagefind[extended]')"
        try:
            _write(binary, out_dir, language, {name: members[name] for name in todo}, runtime, sorted(members), jobs)
        except (BuildError, OSError) as exc:
            shutil.rmtree(folder / f".new-{os.getpid()}", ignore_errors=True)
            return f"search index not updated: {exc}"
    state.put_blob(_BLOB, new)
    state.set_meta(_META, "ok")
    return None


def _indexed(out_dir: Path, pages: dict[str, str], known: dict[str, tuple[str, bool]]) -> dict[str, tuple[str, bool]]:
    """Each HTML page with whether it is indexed: remembered by digest, read only when it changed."""
    found: dict[str, tuple[str, bool]] = {}
    for rel, page_digest in pages.items():
        if rel.startswith(f"{INDEX_DIR}/"):  # a file of public/ there would be swept by every build
            raise BuildError(f"{rel} is inside {INDEX_DIR}/, the search index's reserved folder; move it",
                             path=out_dir / rel)
        if not rel.endswith(".html"):
            continue
        seen = known.get(rel)
        if seen is None or seen[0] != page_digest:
            try:
                seen = (page_digest, MARKER in (out_dir / rel).read_bytes())
            except OSError:
                seen = (page_digest, False)
        found[rel] = seen
    return found


def _shards(pages: dict[str, tuple[str, bool]]) -> dict[str, list[str]]:
    indexed = sorted(rel for rel, (_d, marked) in pages.items() if marked)
    count = shard_count(len(indexed))
    members: dict[str, list[str]] = {}
    for rel in indexed:
        members.setdefault(f"s{count}-{bucket(rel, count)}", []).append(rel)
    return members


def _fingerprint(rels: list[str], pages: dict[str, tuple[str, bool]], version: str) -> str:
    return digest("\n".join([version, *(f"{rel}\x1f{pages[rel][0]}" for rel in rels)]).encode())


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return ""


def _manifest(folder: Path) -> list[str] | None:
    try:
        found = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, list) and all(isinstance(x, str) for x in found) else None


def _write(binary: Path, out_dir: Path, language: str, todo: dict[str, list[str]], runtime: bool,
           shards: list[str], jobs: int) -> None:
    """Index into a fresh folder beside the live ones, then commit (swap in, manifest last, sweep)."""
    folder = out_dir / INDEX_DIR
    fresh = folder / f".new-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    work = [Job(fresh / name, files=tuple(rels), code=False) for name, rels in todo.items()]
    if runtime:
        work.append(Job(fresh / RUNTIME, records=(Record("/", language),)))
    write_indexes(binary, out_dir, work, jobs)
    atomic_write(fresh / MANIFEST, json.dumps(shards))
    moves = [*todo, *([RUNTIME] if runtime else []), MANIFEST]
    atomic_write(folder / _JOURNAL, json.dumps({"from": fresh.name, "moves": moves}))
    finish_commit(folder)


def finish_commit(folder: Path) -> None:
    """Roll a journalled commit forward (a build killed while swapping), then sweep everything in `folder`
    that the manifest does not name: temp folders, shards of another layout, strays."""
    try:
        journal = json.loads((folder / _JOURNAL).read_bytes())
        fresh = folder / str(journal["from"])
        moves = [str(name) for name in journal["moves"]]
    except FileNotFoundError:
        moves = []
    except (OSError, ValueError, KeyError, TypeError):
        moves = []  # a torn journal: its commit had not begun (the journal is written in one rename)
    for name in moves:
        if "/" in name or name.startswith(".") or not name:
            continue
        source = fresh / name
        if source.exists():
            _swap(source, folder / name)
    keep = {*(_manifest(folder) or []), RUNTIME, MANIFEST}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name not in keep:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        entry.unlink()


def _swap(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".old-{target.name}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        source.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(source, target)
