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
        ('[site]\nurl = "https://a.ru"\nname = "A"\nclean = 5\n', "site.clean", "unknown key"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nnav = []\n', "site.nav", "[[nav]] is a section"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\ncta = {title = "x"}\n', "site.cta", "unknown key"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\npaths = {output = "x"}\n', "site.paths", "unknown key"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\norganization = {name = "x"}\n', "site.organization", "unknown key"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nhome_posts = -5\n', "site.home_posts", "at least 0"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nposts_per_page = 0\n', "site.posts_per_page", "at least 1"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nfeed_items = -1\n', "site.feed_items", "at least 1"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\nhidden_tags = "dzen"\n', "site.hidden_tags", "must be a list"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\n[organization]\nopening_hours = "Пн–Сб 9–21"\n',
         "organization.opening_hours[0]", "schema.org"),
        ('[site]\nurl = "https://a.ru"\nname = "A"\n[cta]\nhours = "x"\n', "cta.hours", "unknown key"),
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


@pytest.mark.parametrize(("section", "body", "own", "foreign"), [
    ("site", "url = 'https://a.ru'\nname = 'A'\nnav = 1", {"posts_per_page", "hidden_tags"}, {"title", "content"}),
    ("cta", "colour = 1", {"title", "button"}, {"posts_per_page", "phone"}),
    ("organization", "colour = 1", {"phone", "opening_hours"}, {"posts_per_page", "button"}),
    ("paths", "colour = 1", {"content", "pages"}, {"posts_per_page", "title"}),
])
def test_unknown_key_hint_lists_only_that_sections_keys(tmp_path: Path, section: str, body: str, own: set[str],
                                                       foreign: set[str]) -> None:
    site = "" if section == "site" else "[site]\nurl = 'https://a.ru'\nname = 'A'\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, f"{site}[{section}]\n{body}\n"))
    known = set(str(err.value).split("known: ")[1].split(")")[0].split(", "))
    assert own <= known and not (foreign & known)


def test_opening_hours_one_or_many(tmp_path: Path) -> None:
    base = '[site]\nurl = "https://a.ru"\nname = "A"\n[organization]\nhours = "Пн–Сб 9:00–21:00"\n'
    one = load_config(write(tmp_path, base + 'opening_hours = "Mo-Sa 09:00-21:00"\n'))
    assert one.organization.opening_hours == ["Mo-Sa 09:00-21:00"]
    many = load_config(write(tmp_path, base + 'opening_hours = ["Mo-Fr 09:00-21:00", "Sa,Su 10:00-16:00"]\n'))
    assert many.organization.opening_hours == ["Mo-Fr 09:00-21:00", "Sa,Su 10:00-16:00"]
    assert many.organization.hours == "Пн–Сб 9:00–21:00"
