"""Differential: `check` and `ping` model the static host exactly as `serve` behaves, for any request path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dzenpress.check.site import SiteFiles, static_file
from dzenpress.serve import resolve

from helpers import build_site

SEGMENTS = ["blog", "page", "2", "tag", "spina", "gryzha-diska-kogda-nuzhna-operaciya", "contacts", "index.html",
            "404.html", "rss.xml", "logo.png", "assets", "dzenpress.css", "cover.jpg", "..", ".", "%2e%2e", "%2F",
            "x", "%00", "a%20b", "\\", "mrt-ili-rentgen", "opora", "index", ""]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("host") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(site)
    return (site / "dist").resolve()


@pytest.fixture(scope="module")
def files(output: Path) -> SiteFiles:
    return SiteFiles.scan(output, "https://opora-clinic.example")


@settings(max_examples=400, deadline=None)
@example(parts=["index", "%2F"], slash=False)  # once redirected to itself
@given(parts=st.lists(st.sampled_from(SEGMENTS), max_size=5), slash=st.booleans())
def test_check_and_ping_resolve_like_serve(output: Path, files: SiteFiles, parts: list[str], slash: bool) -> None:
    path = "/" + "/".join(parts) + ("/" if slash and parts else "")
    served = resolve(output, path)
    if isinstance(served, str):  # a redirect: check follows it for links, never for exact lookups
        final = resolve(output, served)
        assert isinstance(final, Path)
        assert files.resolve(path, redirects=True) == final.relative_to(output).as_posix()
        assert files.resolve(path) is None and static_file(output, path) is None
    elif served is None:
        assert files.resolve(path, redirects=True) is None and static_file(output, path) is None
    else:
        rel = served.relative_to(output).as_posix()
        assert files.resolve(path) == rel and files.resolve(path, redirects=True) == rel
        found = static_file(output, path)
        assert found is not None and found.resolve() == served
