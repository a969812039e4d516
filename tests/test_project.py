"""One owner of a build: the site lock, any spelling of the site's path, workers that die with the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dzenpress import Project, build
from dzenpress.errors import BuildError

from helpers import snapshot


def test_another_spelling_of_the_site_path_rewrites_nothing(example_site: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example_site.parent)
    first = build("clinic")
    assert first.written
    before = snapshot(example_site)
    post = next((example_site / "content/posts").glob("*.md"))
    for n, spelling in enumerate(("./clinic/", str(example_site), f"{example_site}/../clinic")):
        os.utime(post, ns=(n * 10**9, n * 10**9))  # a new stat: no short cut past the plan
        report = build(spelling)
        assert report.written == [] and report.rendered == [] and report.removed == [], spelling
    assert snapshot(example_site) == before


def test_a_second_build_of_the_same_site_refuses_with_one_line(example_site: Path) -> None:
    with Project(example_site) as project:
        project.build()
        with pytest.raises(BuildError, match="another build of this site is running") as caught:
            build(example_site)
        assert "\n" not in str(caught.value)
    assert build(example_site).written == []  # the lock went with the project
    assert not [p for p in (example_site / "dist").rglob("*") if ".dzp-tmp-" in p.name]


def test_build_takes_a_loaded_site_without_any_state_argument(example_site: Path) -> None:
    from dzenpress import load_site

    report = build(load_site(example_site))
    assert "index.html" in report.written and "index.html" in report.rendered


WORKERS = textwrap.dedent("""
    import os, sys, time
    from dzenpress.parallel import map_in_chunks

    def work(chunk):
        with open(os.path.join(sys.argv[1], str(os.getpid())), "w"):
            pass
        time.sleep(60)
        return chunk

    list(map_in_chunks(work, list(range(8)), min_items=1, jobs=2, chunk=1))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_the_build_process(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", WORKERS, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in tmp_path.iterdir()]
        assert len(workers) == 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"  # a zombie has died: only its exit status is left
    except FileNotFoundError:
        return False


def test_jobs_limit_is_honoured_by_the_pool() -> None:
    from dzenpress import parallel

    with parallel.limit(1):
        assert parallel.job_count() == 1
        assert {pid for _, pid in parallel.map_in_chunks(pids, list(range(64)), min_items=1)} == {os.getpid()}
    with parallel.limit(2):
        workers = {pid for _, pid in parallel.map_in_chunks(pids, list(range(64)), min_items=1, chunk=1)}
        assert os.getpid() not in workers and 1 <= len(workers) <= 2


def pids(chunk: list[int]) -> list[int]:
    return [os.getpid() for _ in chunk]
