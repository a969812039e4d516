from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from placeholders import make_placeholders

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "clinic"
CORPUS = REPO.parent / "shared" / "corpus"

MINIMAL_CONFIG = '[site]\nurl = "https://blog.example"\nname = "Тестовый блог"\n'


@pytest.fixture(autouse=True, scope="session")
def shared_image_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test site shares one image cache: the example's images are encoded once per session."""
    import os

    os.environ.setdefault("DZENPRESS_IMAGE_CACHE", str(tmp_path_factory.mktemp("image-cache")))


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    return target


@pytest.fixture
def corpus_site(tmp_path: Path) -> Path:
    if not (CORPUS / "clean").is_dir():
        pytest.skip("shared corpus not present")
    site = tmp_path / "corpus"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(
        '[site]\nurl = "https://articlinic.ru"\nname = "Арти Клиник"\n', encoding="utf-8")
    for post in (CORPUS / "clean").glob("*.md"):
        shutil.copy(post, site / "content" / "posts" / post.name)
    make_placeholders(site)
    return site


PostWriter = Callable[..., Path]


@pytest.fixture
def blank_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "public").mkdir()
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return site


def post_text(slug: str, title: str = "Заголовок", body: str = "Текст статьи.", **front: str) -> str:
    lines = ["---", f"title: '{title}'", f"slug: {slug}", "date: '2025-01-15'"]
    lines += [f"{k}: {v}" for k, v in front.items()]
    lines += ["---", "", body, ""]
    return "\n".join(lines)


@pytest.fixture
def write_post(blank_site: Path) -> PostWriter:
    def write(slug: str, text: str | None = None, **kwargs: str) -> Path:
        path = blank_site / "content" / "posts" / f"{slug}.md"
        path.write_text(text if text is not None else post_text(slug, **kwargs), encoding="utf-8")
        return path

    return write


# ---- headless Chromium (Debian's package) for the browser tests ----------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per browser test module; each test opens its own context. Not per session: Playwright's
    sync API keeps an event loop running while it is open, and other tests call asyncio.run()."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Hypothesis' default 200 ms deadline is a wall-clock assertion: on a loaded 2-core machine it fails tests
# whose inputs are fine. Costs are checked by CPU-time budgets where they matter (test_hostile_cost.py).
from hypothesis import settings as _hypothesis_settings

_hypothesis_settings.register_profile("dzenpress", deadline=None)
_hypothesis_settings.load_profile("dzenpress")
