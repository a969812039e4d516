"""What serve watches (dzenpress/watcher.py): edits of the inputs and of the site folder's own files, a config
saved by rename included; never the output or state folders, which at 10,000 posts hold ~26,000 folders."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dzenpress.watcher import site_changes


@contextmanager
def watching(root: Path) -> Iterator[queue.Queue[set[str]]]:
    (root / "content" / "posts").mkdir(parents=True)
    for folder in ("public", "dist/blog/x", ".dzenpress/preview/site/blog/x"):
        (root / folder).mkdir(parents=True)
    (root / "dzenpress.toml").write_text("[site]\n", encoding="utf-8")
    found: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        for changes in site_changes(root, [root / "content", root / "public", root / "templates"],
                                    ((root / "dist").resolve(), (root / ".dzenpress").resolve()), stop):
            found.put({os.path.relpath(path, root) for _change, path in changes})

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.5)  # both watchers registered
    try:
        yield found
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()


def seen(found: queue.Queue[set[str]], seconds: float = 3) -> set[str]:
    paths: set[str] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            paths |= found.get(timeout=0.1)
        except queue.Empty:
            continue
    return paths


def test_inputs_and_the_site_folders_own_files_are_watched(tmp_path: Path) -> None:
    with watching(tmp_path) as found:
        (tmp_path / "content" / "posts" / "a.md").write_text("x", encoding="utf-8")
        (tmp_path / "public" / "logo.svg").write_text("<svg/>", encoding="utf-8")
        (tmp_path / "plugin_x.py").write_text("x = 1\n", encoding="utf-8")
        assert {"content/posts/a.md", "public/logo.svg", "plugin_x.py"} <= seen(found)


def test_a_config_saved_by_rename_is_seen_each_time(tmp_path: Path) -> None:
    with watching(tmp_path) as found:
        for n in range(2):
            temp = tmp_path / f".dzenpress.toml.{n}.swp"
            temp.write_text(f"[site]\nname = 'v{n}'\n", encoding="utf-8")
            os.replace(temp, tmp_path / "dzenpress.toml")
            assert "dzenpress.toml" in seen(found, 2)


def test_the_output_and_state_folders_are_not_watched(tmp_path: Path) -> None:
    with watching(tmp_path) as found:
        (tmp_path / "dist" / "blog" / "x" / "index.html").write_text("x", encoding="utf-8")
        (tmp_path / ".dzenpress" / "preview" / "site" / "blog" / "x" / "index.html").write_text("x", encoding="utf-8")
        assert seen(found, 1.5) == set()
