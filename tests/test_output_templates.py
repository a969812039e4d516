"""Every file a build generates comes from a template in templates/ that a site can override, keyed like the
HTML ones: overriding it changes the file, editing the override renders it again, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dzenpress.render.templating import PACKAGE_TEMPLATES

from conftest import PostWriter, post_text
from helpers import build_site

# template → the output it makes in the test site (an alias /old/ of the post `a`)
OUTPUTS = {"rss.xml": "rss.xml", "atom.xml": "atom.xml", "rss-dzen.xml": "rss-dzen.xml",
           "sitemap.xml": "sitemap.xml", "robots.txt": "robots.txt", "posts.json": "posts.json",
           "redirect.html": "old/index.html", "search.html": "search/index.html"}


@pytest.fixture
def site(blank_site: Path, write_post: PostWriter) -> Path:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:00+00:00")  # fresh: Dzen's feed carries it
    write_post("a", post_text("a", aliases="['/old/']").replace("date: '2025-01-15'", f"date: '{now}'"))
    write_post("b")
    return blank_site


@pytest.mark.parametrize("template", sorted(OUTPUTS))
def test_a_site_template_overrides_the_generated_file(site: Path, template: str) -> None:
    assert (PACKAGE_TEMPLATES / template).is_file()
    build_site(site)
    output = site / "dist" / OUTPUTS[template]
    before = {p: p.read_bytes() for p in (site / "dist").rglob("*") if p.is_file() and "pagefind" not in p.parts}
    (site / "templates").mkdir()
    override = site / "templates" / template
    override.write_text("OVERRIDE {{ site.name }} {{ posts|length if posts is defined else '' }}\n", encoding="utf-8")
    report = build_site(site)
    assert output.read_text(encoding="utf-8").startswith("OVERRIDE Тестовый блог")
    assert report.written == [OUTPUTS[template]]  # keyed by its template: only its own file changes
    override.write_text("EDITED {{ site.url }}\n", encoding="utf-8")
    assert build_site(site).written == [OUTPUTS[template]]
    assert output.read_text(encoding="utf-8").startswith("EDITED https://blog.example")
    override.unlink()
    build_site(site)
    assert output.read_bytes() == before[output]  # the package's template again, byte for byte


def test_every_generated_file_has_a_template(site: Path) -> None:
    """What a build writes at the root besides pages, images, the stylesheet and the IndexNow key is one of the
    overridable outputs."""
    build_site(site)
    made = {p.name for p in (site / "dist").iterdir() if p.is_file()} - {"index.html", "404.html"}
    made = {name for name in made if not name.endswith(".txt") or name == "robots.txt"}
    assert made <= set(OUTPUTS), made - set(OUTPUTS)
