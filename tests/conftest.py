from __future__ import annotations

import contextlib
import os
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


# ---- markers: slow, browser, network (registered in pyproject.toml; `pytest -m "not slow"` is the quick subset) --

# Modules are marked by name so that new ones are too: *browser* drive chromium; test_net_*, test_deploy*,
# test_import* talk to servers the tests start on 127.0.0.1.
NETWORK_MODULES = {"test_serve"}
NETWORK_PREFIXES = ("test_import", "test_net", "test_deploy")
NETWORK_FIXTURES = {"fake", "endpoint", "outbound", "preview", "running"}
# more than a few seconds of CPU each: image encoding, random edit or kill sequences, corpora, real pages, cost
# budgets, whole sites built many times (the quick subset `-m "not slow"` keeps the rest, under a minute)
SLOW_MODULES = {"test_differential", "test_clean_corpus", "test_clean_properties", "test_normalize_properties",
                "test_import_real", "test_example_site", "test_hostile_cost", "test_images", "test_import_saved",
                "test_serve", "test_build_output", "test_ping", "test_import", "test_import_cli", "test_static_host",
                "test_net_memory", "test_reader_hints", "test_incremental", "test_net_hostile", "test_hostile_files",
                "test_clean_chrome_shapes", "test_sync", "test_schedule"}
SLOW_PREFIXES = ("test_deploy",)
SLOW_TESTS = {"test_parallel_build_matches_serial"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        browser = "browser" in module
        if browser:
            item.add_marker(pytest.mark.browser)
        if (module in NETWORK_MODULES or module.startswith(NETWORK_PREFIXES)
                or NETWORK_FIXTURES & set(getattr(item, "fixturenames", ()))):
            item.add_marker(pytest.mark.network)
        if browser or module in SLOW_MODULES or module.startswith(SLOW_PREFIXES) or item.name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


# ---- the image cache -------------------------------------------------------------------------------------


def _image_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache kept between sessions (variants are named by content and every encoding parameter, so a kept
    one is as good as a new one); DZENPRESS_TEST_COLD=1 starts from an empty one."""
    import os

    if os.environ.get("DZENPRESS_TEST_COLD"):
        return tmp_path_factory.mktemp("image-cache")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "dzenpress-tests" / "image-cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return tmp_path_factory.mktemp("image-cache")
    return folder


@pytest.fixture(autouse=True, scope="session")
def scaffold_photos(shared_image_cache: Path) -> Iterator[None]:
    """`init`'s stand-in photographs are the same for the same arguments and cost seconds of CPU each: made
    once per machine (kept beside the image cache, keyed by the function's source) and reused by every init."""
    import hashlib
    import inspect

    from dzenpress import scaffold

    original = scaffold.photo_image
    version = hashlib.sha256(inspect.getsource(original).encode()).hexdigest()[:12]
    folder = shared_image_cache.parent / "scaffold-photos"
    made: dict[tuple[int, ...], bytes] = {}

    def photo_image(width: int, height: int, seed: int, quality: int = 72) -> bytes:
        args = (width, height, seed, quality)
        if args not in made:
            kept = folder / f"{version}-{width}x{height}-{seed}-q{quality}.jpg"
            try:
                made[args] = kept.read_bytes()
            except OSError:
                made[args] = original(width, height, seed, quality)
                with contextlib.suppress(OSError):
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
                    tmp.write_bytes(made[args])
                    os.replace(tmp, kept)
        return made[args]

    photo_image.__wrapped__ = original  # type: ignore[attr-defined]
    scaffold.photo_image = photo_image  # type: ignore[assignment]
    try:
        yield
    finally:
        scaffold.photo_image = original  # type: ignore[assignment]


@pytest.fixture(autouse=True, scope="session")
def shared_image_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test site shares one image cache, pre-filled: kept between sessions, so the example's images are
    encoded once per machine, not once per run (the first image test paid a minute for them)."""
    import os

    folder = os.environ.get("DZENPRESS_IMAGE_CACHE")
    if folder:
        return Path(folder)
    path = _image_cache_folder(tmp_path_factory)
    os.environ["DZENPRESS_IMAGE_CACHE"] = str(path)
    return path


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
