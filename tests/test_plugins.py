"""Extension points: a plugin named in [site] plugins (an entry point or a module) connects to the signals;
it can add a page and change a page's context, and the build stays incremental and exact."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from dzenpress import plugins, signals
from dzenpress.errors import DzenpressError

import plugin_demo
from conftest import MINIMAL_CONFIG, PostWriter
from helpers import build_site

SIGNALS = (signals.site_loaded, signals.post_parsed, signals.page_context, signals.build_finished)


def unload() -> None:
    """What a new process starts with: no plugin loaded, nothing connected."""
    for signal in SIGNALS:
        for ref in list(signal.receivers.values()):
            receiver = ref() if isinstance(ref, weakref.ref) else ref
            if receiver is not None:
                signal.disconnect(receiver)
    plugins._loaded.clear()


@pytest.fixture(autouse=True)
def no_plugins_after() -> Iterator[None]:
    yield
    unload()


@pytest.fixture
def site(blank_site: Path, write_post: PostWriter) -> Path:
    for slug in ("a", "b"):
        write_post(slug)
    return blank_site


def use(site: Path, *names: str) -> None:
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG + f"plugins = {list(names)!r}\n".replace("'", '"'),
                                         encoding="utf-8")


def test_a_plugin_adds_a_page_and_changes_a_context(site: Path) -> None:
    use(site, "plugin_demo")
    build_site(site)
    page = (site / "dist/from-plugin/index.html").read_text(encoding="utf-8")
    assert "От плагина" in page and "<strong>плагином</strong>" in page
    assert "Блог (плагин)" in (site / "dist/blog/index.html").read_text(encoding="utf-8")
    assert "/from-plugin/" in (site / "dist/sitemap.xml").read_text(encoding="utf-8")
    assert build_site(site).written == []  # incremental as ever


def test_removing_a_plugin_renders_what_it_changed_again(site: Path) -> None:
    build_site(site)
    clean = (site / "dist/blog/index.html").read_bytes()
    use(site, "plugin_demo")
    build_site(site)
    use(site)
    unload()
    report = build_site(site)
    assert (site / "dist/blog/index.html").read_bytes() == clean
    assert not (site / "dist/from-plugin").exists() and "from-plugin/index.html" in report.removed


def test_a_plugin_from_an_entry_point(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = metadata.EntryPoint(name="demo", value="plugin_demo:register", group=plugins.ENTRY_POINTS)
    monkeypatch.setattr(metadata, "entry_points", lambda group: [entry] if group == plugins.ENTRY_POINTS else [])
    use(site, "demo")
    seen: list[str] = []
    signals.build_finished.connect(lambda sender, report: seen.append(sender.config.name), weak=False)
    build_site(site)
    assert (site / "dist/from-plugin/index.html").is_file() and seen == ["Тестовый блог"]
    assert plugins.loaded() == (("demo", ""),)


def test_an_unknown_plugin_names_the_config_key(site: Path) -> None:
    use(site, "no_such_plugin_anywhere")
    with pytest.raises(DzenpressError) as caught:
        build_site(site)
    assert caught.value.field == "site.plugins[0]" and "no_such_plugin_anywhere" in str(caught.value)


def test_the_example_plugin_is_the_one_the_docs_show() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "api.md"
    assert Path(plugin_demo.__file__).read_text(encoding="utf-8").strip() in docs.read_text(encoding="utf-8")


def test_the_public_api_is_importable_and_typed() -> None:
    import dzenpress

    for name in dzenpress.__all__:
        assert getattr(dzenpress, name) is not None, name
    assert (Path(dzenpress.__file__).parent / "py.typed").is_file()
    assert dzenpress.signals.page_context is signals.page_context
