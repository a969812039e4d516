"""`dzenpress import --repair-images`: posts scraped by another tool with Dzen's lazy-load placeholders get
their real pictures back from the fake Dzen; only the placeholder addresses change, the front matter and
the text the user edited keep their bytes; what cannot be paired is reported and left alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzenpress.cli import app
from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.images import sniff
from dzenpress.dzen.importer import ImportOptions, ImportReport
from dzenpress.dzen.repair import pair, repair_images

from fake_dzen.articles import gallery
from fake_dzen.pages import FakeArticle
from fake_dzen.server import FakeDzen

HEX = "65c11452f3a4ff0af260bf45"
LAZY = "https://static.dzeninfra.ru/s3/zen-lib/1.0/dzen-desktop/placeholder.png"


@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


@pytest.fixture
def site(blank_site: Path) -> Path:
    return blank_site


def run(site: Path, fake: FakeDzen, *files: str, dry_run: bool = False) -> ImportReport:
    options = ImportOptions(dry_run=dry_run, client=ClientOptions(host_map=fake.host_map, delay=0, backoff=0.01))
    return repair_images(site, list(files), options)


FRONT = ("---\ntitle: 'Квартира: мой заголовок'\nsource: {source}\ntags: [ремонт]\n"
         "# my own comment in the front matter\n---\n")


def scraped(article: FakeArticle, body: str) -> str:
    return FRONT.format(source=article.url + "?utm_source=telegram") + body


def test_placeholders_get_the_real_images_and_nothing_else_changes(site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery(HEX, 4))
    first = article.image_url("g0", "scale_1200")
    body = (f"Мой текст, который я *поправил* сам.\n\n![]({first})\n\n![Комната 2, схема]({LAZY})\n\n"
            f"Ещё абзац с [ссылкой](https://example.org/a(b)).\n\n![]({LAZY} \"title\")\n\n"
            f'<img alt="x" src="{LAZY}">\n')
    post = site / "content/posts/kvartira.md"
    post.write_text(scraped(article, body), encoding="utf-8")
    (outcome,) = run(site, fake).outcomes
    assert outcome.status == "updated" and outcome.images == 3 and not outcome.warnings, outcome
    text = post.read_text(encoding="utf-8")
    names = sorted(p.name for p in (site / "public/blog/kvartira").iterdir())
    assert names == ["repaired-0.png", "repaired-1.webp", "repaired-2.jpg"]  # g1, g2, g3 in their formats
    expected = body
    for name in names:
        expected = expected.replace(LAZY, f"/blog/kvartira/{name}", 1)
    assert text == scraped(article, expected)
    for file in (site / "public/blog/kvartira").iterdir():
        assert sniff(file.read_bytes()) == file.suffix.lstrip(".")
    assert not run(site, fake).outcomes  # no post holds a placeholder any more
    (again,) = run(site, fake, str(post)).outcomes
    assert again.status == "unchanged" and post.read_text(encoding="utf-8") == text


def test_dry_run_writes_nothing_and_unpairable_placeholders_are_reported(site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery(HEX, 4))
    anchors = [article.image_url(f"g{n}", "scale_540") for n in (0, 3)]
    body = f"![]({anchors[0]})\n\n![]({LAZY})\n\n![]({anchors[1]})\n"  # g1 and g2 between, one reference
    post = site / "content/posts/p.md"
    post.write_text(scraped(article, body), encoding="utf-8")
    before = post.read_bytes()
    (outcome,) = run(site, fake, str(post)).outcomes
    assert outcome.status == "failed" and "1 placeholder images could not be matched" in outcome.warnings[0]
    assert post.read_bytes() == before
    post.write_text(scraped(article, f"![]({LAZY})\n\n![]({LAZY})\n\n![]({LAZY})\n\n![]({LAZY})\n"), encoding="utf-8")
    before = post.read_bytes()
    (outcome,) = run(site, fake, str(post), dry_run=True).outcomes
    assert outcome.status == "updated" and outcome.images == 4
    assert post.read_bytes() == before and not (site / "public/blog").exists()


def test_a_post_without_source_or_with_a_dead_article_fails_with_the_reason(site: Path, fake: FakeDzen) -> None:
    post = site / "content/posts/no-source.md"
    post.write_text(f"---\ntitle: Без источника\n---\n![]({LAZY})\n", encoding="utf-8")
    gone = site / "content/posts/gone.md"
    gone.write_text(f"---\ntitle: Пропала\nsource: https://dzen.ru/a/AAAAAAAAAAAAAAAA\n---\n![]({LAZY})\n",
                    encoding="utf-8")
    broken = site / "content/posts/broken.md"
    broken.write_bytes(b"---\ntitle: \xff\n---\n![](" + LAZY.encode() + b")\n")
    clean = site / "content/posts/fine.md"
    clean.write_text("---\ntitle: Без картинок-заглушек\n---\nТекст.\n", encoding="utf-8")
    report = run(site, fake)
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert set(by_name) == {"no-source.md", "gone.md", "broken.md"}  # only posts with placeholders are looked at
    assert by_name["broken.md"].status == "failed" and "not UTF-8" in by_name["broken.md"].reason
    assert by_name["no-source.md"].status == "failed" and "source:" in by_name["no-source.md"].reason
    assert by_name["gone.md"].status == "failed" and by_name["gone.md"].reason
    (fine,) = run(site, fake, str(clean)).outcomes
    assert fine.status == "unchanged"


def test_repair_from_the_command_line(site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery(HEX, 2))
    post = site / "content/posts/cli.md"
    post.write_text(scraped(article, f"![]({LAZY})\n\nТекст.\n\n![]({LAZY})\n"), encoding="utf-8")
    env = {"DZENPRESS_HOST_MAP": ",".join(f"{h}={u}" for h, u in fake.host_map.items())}
    result = CliRunner().invoke(app, ["import", "--repair-images", "--site", str(site), "--delay", "0", "--json"],
                                env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["updated"] == 1 and data["articles"][0]["images"] == 2
    assert "zen-lib" not in post.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "--site", str(site)], env=env)
    assert result.exit_code == 2


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 8), st.data())
def test_pairing_never_guesses(count: int, data: st.DataObject) -> None:
    """Drop some article images from the post, turn some of the rest into placeholders: every pair made is
    the right picture, and a placeholder is unpaired only where the post lost pictures around it."""
    from dzenpress.dzen.repair import _Ref

    images = [f"https://avatars.dzeninfra.ru/get-zen_doc/1/pub_{HEX}_{n:024x}/orig" for n in range(count)]
    kept = sorted(data.draw(st.sets(st.integers(0, count - 1), min_size=1)))
    lazy = data.draw(st.sets(st.sampled_from(kept)))
    refs = [_Ref(0, 0, LAZY if n in lazy else images[n].replace("/orig", "/scale_1200")) for n in kept]
    pairs, unpaired = pair(refs, images)
    truth = {id(r): images[n] for r, n in zip(refs, kept, strict=True)}
    assert all(truth[id(r)] == url for r, url in pairs)
    assert len(pairs) + unpaired == len(lazy)
    if len(kept) == count:
        assert unpaired == 0
