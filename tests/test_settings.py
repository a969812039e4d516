"""One owner of config and paths: dzenpress.toml is parsed once per build, and everything a build is given
(load_site, the renderer, serve's open project) is that one Settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from dzenpress import config as config_module
from dzenpress.content.site import load_site
from dzenpress.project import Project, build
from dzenpress.settings import STATE_DIR, Settings


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every parse of a dzenpress.toml, by site folder."""
    seen: list[Path] = []
    real = config_module.read_config

    def counting(site_dir: Path) -> tuple[config_module.Config, bytes]:
        seen.append(site_dir)
        return real(site_dir)

    monkeypatch.setattr(config_module, "read_config", counting)
    monkeypatch.setattr("dzenpress.settings.read_config", counting)
    return seen


@pytest.fixture
def site(example_site: Path) -> Path:
    return example_site


def test_one_config_parse_per_build(site: Path, parses: list[Path]) -> None:
    build(site)  # a full build
    assert len(parses) == 1
    build(site)  # a no-op build
    assert len(parses) == 2
    post = next((site / "content/posts").glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nЕщё абзац.\n", encoding="utf-8")
    build(site)  # an edit
    assert len(parses) == 3


def test_an_open_project_reads_the_config_once_per_build(site: Path, parses: list[Path]) -> None:
    """serve keeps its project open: every rebuild reads the config again (an edit shows), once."""
    with Project(site, output=site / STATE_DIR / "preview/site", state_dir=site / STATE_DIR / "preview") as project:
        project.build()
        assert len(parses) == 1
        toml = site / "dzenpress.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('posts_per_page = ', 'posts_per_page = 1 #'),
                        encoding="utf-8")
        project.build()
        assert len(parses) == 2 and project.config.posts_per_page == 1
        assert project.site is not None and project.site.settings is project.settings
        assert project.output_dir == site / STATE_DIR / "preview/site"
    assert not (site / "dist").exists()  # the preview never touches the output folder


def test_load_site_takes_the_settings_it_is_given(site: Path, parses: list[Path]) -> None:
    settings = Settings.read(site)
    loaded = load_site(settings)
    assert len(parses) == 1 and loaded.settings is settings and loaded.config is settings.config
    assert settings.state_dir == site / STATE_DIR and settings.output_dir == site / "dist"


def test_state_dir_is_spelled_once() -> None:
    src = Path(__file__).resolve().parent.parent / "src" / "dzenpress"
    spelled = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                     if f'"{STATE_DIR}"' in p.read_text(encoding="utf-8") or f"'{STATE_DIR}'" in p.read_text(encoding="utf-8"))
    assert spelled == ["settings.py"]
