"""The one owner of a site's config and paths (Zola's `Site::new`): `dzenpress.toml` is parsed once per build,
here, and every folder a build reads or writes is named here. The build, `load_site`, the renderer and `serve`
receive a `Settings` instead of parsing the config or joining paths themselves."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from dzenpress import indexnow
from dzenpress.config import CONFIG_NAME, Config, read_config
from dzenpress.routes import Urls

__all__ = ["STATE_DIR", "Settings"]

STATE_DIR = ".dzenpress"  # beside dzenpress.toml: build state, caches, the IndexNow store


@dataclass(frozen=True)
class Settings:
    root: Path  # absolute: `site`, `./site/` and `/abs/site` are one site
    config: Config  # with paths.output redirected when the build writes elsewhere (serve's preview)
    config_bytes: bytes  # the file the config was parsed from
    build_state_dir: Path  # the build's state and lock: .dzenpress/, or serve's preview folder
    output: Path | None = None  # an output folder other than the config's (serve's preview)

    @classmethod
    def read(cls, root: Path | str, *, output: Path | None = None, build_state_dir: Path | None = None) -> Settings:
        """Parse the site's config (once) and name its folders. `output` and `build_state_dir` send a build
        elsewhere (serve's preview builds into `.dzenpress/preview/` with its own state)."""
        root = Path(os.path.abspath(root))
        config, data = read_config(root)
        output = Path(os.path.abspath(output)) if output is not None else None
        if output is not None:
            config = dataclasses.replace(config, paths=dataclasses.replace(config.paths, output=str(output)))
        state = Path(os.path.abspath(build_state_dir)) if build_state_dir is not None else root / STATE_DIR
        return cls(root, config, data, state, output)

    def reread(self) -> Settings:
        """The same site with its config parsed again (a project kept open between builds: serve's)."""
        return Settings.read(self.root, output=self.output, build_state_dir=self.build_state_dir)

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def urls(self) -> Urls:
        return self.config.urls

    @property
    def content_dir(self) -> Path:
        return self.root / self.config.paths.content

    @property
    def public_dir(self) -> Path:
        return self.root / self.config.paths.public

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.paths.output

    @property
    def templates_dir(self) -> Path:
        return self.root / self.config.paths.templates

    @property
    def pages_dir(self) -> Path:
        return self.root / self.config.paths.pages

    @property
    def state_dir(self) -> Path:
        """The site's own state folder (caches shared by every build of it: images, templates, IndexNow)."""
        return self.root / STATE_DIR

    @property
    def indexnow_store(self) -> Path:
        return self.state_dir / indexnow.STORE

    def indexnow_key(self) -> str | None:
        """The site's IndexNow key, if it has one yet (its first build makes one: Project.open)."""
        return indexnow.known_key(self.indexnow_store, self.config)
