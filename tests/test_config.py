from pathlib import Path

import pytest

from dzenpress.config import load_config
from dzenpress.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "dzenpress.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[site]\nurl = "https://a.ru/"\nname = "A"\n'))
    assert cfg.url == "https://a.ru"
    assert cfg.language == "ru" and cfg.locale == "ru_RU"
    assert cfg.paths.output == "dist" and cfg.posts_per_page == 10 and cfg.trailing_slash


def test_full_example_config_loads() -> None:
    cfg = load_config(Path(__file__).parent.parent / "examples" / "clinic")
    assert cfg.organization.type == "MedicalClinic"
    assert cfg.organization.messengers["Telegram"].startswith("https://t.me/")
    assert [n.title for n in cfg.nav] == ["Главная", "Блог", "Контакты"]


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('[site]\nurl = "https://a.ru"\nname = "A"\ncolour = "red"\n', "site.colour", "unknown key"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nposts_per_page = "ten"\n', "site.posts_per_page", "whole number"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\ntrailing_slash = 1\n', "site.trailing_slash", "true or false"),
        ('[site]\nname = "A"\n', "site.url", "required"),
        ('[site]\nurl = "a.ru"\nname = "A"\n', "site.url", "absolute"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\n[organisation]\nname = "x"\n', "organisation", "unknown section"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\n[paths]\noutput = 5\n', "paths.output", "string"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\n[[nav]]\ntitel = "x"\n', "nav[0].titel", "unknown key"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, field: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert err.value.field == field
    assert words in str(err.value)
    assert "dzenpress.toml" in str(err.value)


def test_invalid_toml_reports_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[site]\nurl = "https://a.ru"\nname = \n'))
    assert err.value.line == 3


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dzenpress init"):
        load_config(tmp_path)
