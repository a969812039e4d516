"""Clipped pages as `clean` input: front matter brought to the post format, what cannot be settled reported.

The front matter below is what the clippers' default templates write (Obsidian Web Clipper: title, source,
`author` as `[[wiki links]]`, `published`, `created`, description, `tags: [clippings]`; MarkDownload:
`created: … (UTC …)`, `tags`, `source`, `author`, the title as the body's `# heading` and an excerpt quote).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dzenpress.cli import app
from dzenpress.content.frontmatter import split
from dzenpress.normalize.meta import loose_date
from dzenpress.normalize.post import clean_text

from conftest import MINIMAL_CONFIG

runner = CliRunner()
BODY = ("Первый абзац статьи о боли в спине. Он рассказывает о причинах.\n\n"
        "![схема подключения датчика](https://avatars.dzeninfra.ru/get-zen_doc/1/pub_x/scale_1200)\n\n"
        "Второй абзац статьи. Он рассказывает о лечении.\n")
OBSIDIAN = ('---\ntitle: "Боль в спине: что делать"\nsource: "https://dzen.ru/a/Zzr6LsflXCeGJ1wk"\nauthor:\n'
            '  - "[[Арти Клиник]]"\npublished: 2024-11-18\ncreated: 2025-08-26\n'
            'description: "Что делать, если болит спина."\ntags:\n  - "clippings"\n---\n' + BODY)
MARKDOWNLOAD = ("---\ncreated: 2024-11-18T10:11:12 (UTC +03:00)\ntags: []\nsource: https://dzen.ru/a/Zzr6LsflXCeGJ1wk\n"
                "author: \n---\n\n# Боль в спине: что делать\n\n> ## Excerpt\n> Что делать, если болит спина.\n\n---\n"
                + BODY)


def meta_of(text: str) -> dict[str, object]:
    return yaml.safe_load(split(text, Path("x.md")).front)


def test_obsidian_clip_gets_a_date_and_an_author_name_other_keys_stay() -> None:
    cleaned = clean_text(OBSIDIAN, Path("bol-v-spine.md"))
    meta = meta_of(cleaned.text)
    assert str(meta["date"]) == "2024-11-18" and meta["author"] == "Арти Клиник"
    assert meta["published"] is not None and str(meta["created"]) == "2025-08-26"  # kept as they were
    front = split(cleaned.text, Path("x.md")).front
    assert 'source: "https://dzen.ru/a/Zzr6LsflXCeGJ1wk"\n' in front and 'tags:\n  - "clippings"\n' in front
    assert "![схема подключения датчика](" in cleaned.text  # alt text is the caption: kept
    assert "frontmatter" in cleaned.fired and not [n for n in cleaned.notes if n.kind == "front matter"]


def test_markdownload_clip_gets_title_from_heading_and_a_real_date() -> None:
    cleaned = clean_text(MARKDOWNLOAD, Path("bol-v-spine.md"))
    meta = meta_of(cleaned.text)
    assert meta["title"] == "Боль в спине: что делать"
    assert meta["date"] == "2024-11-18T10:11:12+03:00"
    body = split(cleaned.text, Path("x.md")).body
    assert "# Боль" not in body and "Excerpt" not in body and "\n---\n" not in body
    assert [n.kind for n in cleaned.notes] == ["front matter"]  # the date is the day it was saved: said so
    assert "created" in cleaned.notes[0].message


@pytest.mark.parametrize(("value", "want"), [
    ("2024-11-18", "2024-11-18"), ("2024-11-18T10:11:12 (UTC +03:00)", "2024-11-18T10:11:12+03:00"),
    ("2024-11-18 10:11", "2024-11-18T10:11:00"), ("2024-11-18T10:11:12Z", "2024-11-18T10:11:12+00:00"),
    ("2024-02-30", None), ("вчера", None), (None, None), ("2024-11-18T10:11:12.123 (UTC -05:00)",
                                                          "2024-11-18T10:11:12-05:00"),
])
def test_dates_as_clippers_write_them(value: str | None, want: str | None) -> None:
    assert loose_date(value) == want


def test_what_cannot_be_settled_is_a_note_with_its_line() -> None:
    text = "---\nauthor: [1, 2]\ndate: когда-то\ntags: {a: 1}\n---\nПросто текст без заголовка.\n"
    cleaned = clean_text(text, Path("Моя статья.md"))
    messages = [(n.line, n.message) for n in cleaned.notes]
    assert any("no title" in m for _, m in messages)
    assert any("not a date" in m for line, m in messages if line == 3)
    assert any("mapping" in m for line, m in messages if line == 4)
    assert any("not a slug" in m and "moya-statya.md" in m for _, m in messages)
    assert any("not a name" in m for line, m in messages if line == 2)


def test_wiki_link_authors_and_hash_tags() -> None:
    text = ('---\ntitle: T\ndate: 2024-01-01\nauthor:\n  - "[[Иван Петров]]"\n  - "[[people/Анна|Анна С.]]"\n'
            'tags: "#спина #шея"\nurl:\n  - https://dzen.ru/a/abc\n---\nТекст статьи.\n')
    meta = meta_of(clean_text(text, Path("t.md")).text)
    assert meta["author"] == "Иван Петров, Анна С." and meta["tags"] == ["спина", "шея"]
    assert meta["source"] == "https://dzen.ru/a/abc"


def test_clean_check_lists_look_alikes_and_lost_images_with_lines(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    post = site / "content/posts/lost.md"
    post.write_text("---\ntitle: T\ndate: 2024-01-01\nsource: https://dzen.ru/a/abc\n---\n\nПервый абзац статьи.\n\n"
                    "![Датчик](https://static.dzeninfra.ru/s3/zen-lib/1.2/dzen-desktop/abcdef)\n\nРеклама\n\n"
                    "Последний абзац статьи.\n", encoding="utf-8")
    before = post.read_bytes()
    for args in (["--check"], []):
        result = runner.invoke(app, ["clean", "--site", str(site), *args])
        out = result.output.replace("\n", "")
        assert f"{post}:9: lost image" in out and "dzenpress import --repair-images" in out
        assert "source: https://dzen.ru/a/abc" in out
        assert f"{post}:11: look-alike: kept ad label" in out
        assert post.read_bytes() == before  # nothing to clean: the notes are all there is


JINA = ("Title: Боль в спине: что делать\n\nURL Source: https://dzen.ru/a/Zzr6LsflXCeGJ1wk\n\n"
        "Published Time: 2024-11-18T07:11:12.000Z\n\nMarkdown Content:\n" + BODY)


def test_reader_header_lines_become_front_matter_and_leave_the_body() -> None:
    """Jina Reader (and tools that copy its header) write no YAML: `Title:`, `URL Source:`, `Published Time:`."""
    cleaned = clean_text(JINA, Path("bol-v-spine.md"))
    meta = meta_of(cleaned.text)
    assert meta["title"] == "Боль в спине: что делать" and meta["source"] == "https://dzen.ru/a/Zzr6LsflXCeGJ1wk"
    assert str(meta["date"]).startswith("2024-11-18")
    body = split(cleaned.text, Path("x.md")).body
    assert body.lstrip().startswith("Первый абзац") and "Markdown Content" not in body and "URL Source" not in body
    assert "![схема подключения датчика](" in body and "frontmatter" in cleaned.fired
    assert clean_text(cleaned.text, Path("bol-v-spine.md")).text == cleaned.text


def test_a_bare_page_gets_its_title_from_the_heading_and_a_note_for_the_date() -> None:
    """A SingleFile or scraper page converted without front matter: a post, not a build error."""
    cleaned = clean_text("# Боль в спине: что делать\n\n" + BODY, Path("bol-v-spine.md"))
    assert meta_of(cleaned.text)["title"] == "Боль в спине: что делать"
    assert "Первый абзац" in split(cleaned.text, Path("x.md")).body
    assert [n.kind for n in cleaned.notes] == ["front matter"] and "date" in cleaned.notes[0].message
