"""Hostile and careless input to `build` (post loading) and `clean`: a clear error per file, never a traceback.

Table-driven: each case is one post file; the others in the same site must still be cleaned / loaded.
"""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from dzenpress import load_site
from dzenpress.cli import app
from dzenpress.errors import DzenpressError, flatten
from dzenpress.normalize import normalize

from conftest import post_text

runner = CliRunner()

# (file text after `date:`, what the error must say)
BAD_DATES = [
    ("2025-02-30", "'2025-02-30' is not a date"),
    ("2024-13-45", "'2024-13-45' is not a date"),
    ("2025-01-01T25:00:00", "'2025-01-01T25:00:00' is not a date"),
    ("2025-01-01 25:00", "'2025-01-01 25:00' is not a date"),
    ("2025-01-01 10:00:00+25:00", "is not a date"),
    ("'2025-02-30'", "'2025-02-30' is not a date"),  # the quoted form: the same message
]
GOOD = post_text("good", title="Хороший пост", body="Обычный текст статьи.  \nВторая строка.")


def exited(result: Result, code: int) -> bool:
    """The command ended with `code` by itself: no exception escaped it."""
    return result.exit_code == code and (result.exception is None or isinstance(result.exception, SystemExit))


def bad_date_post(value: str) -> str:
    return f"---\ntitle: 'Плохая дата'\ndate: {value}\n---\n\nТекст статьи.\n"


@pytest.mark.parametrize(("value", "message"), BAD_DATES)
def test_impossible_date_is_a_clean_error_on_load(blank_site: Path, value: str, message: str) -> None:
    posts = blank_site / "content/posts"
    (posts / "bad.md").write_text(bad_date_post(value), encoding="utf-8")
    (posts / "good.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DzenpressError) as err:
        load_site(blank_site)
    errors = flatten(err.value)
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{posts / 'bad.md'}:3: date: ")
    assert message in str(errors[0])


@pytest.mark.parametrize(("value", "message"), BAD_DATES[:3])
def test_impossible_date_build_and_clean_commands(blank_site: Path, value: str, message: str) -> None:
    posts = blank_site / "content/posts"
    (posts / "bad.md").write_text(bad_date_post(value), encoding="utf-8")
    result = runner.invoke(app, ["build", str(blank_site)])
    assert exited(result, 1)
    assert f"bad.md:3: date: {message}" in result.output.replace("\n", "")
    # clean does not validate dates: the file is cleaned like any other (its date bytes are kept)
    (posts / "good.md").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["clean", "--site", str(blank_site)])
    assert exited(result, 0), result.output
    assert f"date: {value}\n" in (posts / "bad.md").read_text(encoding="utf-8")
    assert "  \n" not in (posts / "good.md").read_text(encoding="utf-8")


NUMBERED_LISTS = [
    # a first `1.` item with a trailing-space break, later items escaped (two real imported posts)
    ("Текст.\n\n1. Первый  \n2\\. Второй\n3\\. Третий\n", "1. Первый\n2. Второй\n3. Третий\n"),
    ("Текст.\n\n1. Первый\n\n2\\. Второй\n\n3\\. Третий\n", "1. Первый\n2. Второй\n3. Третий\n"),
    ("1. a\n   ещё\n\n2\\. b\n\n3\\. c\n", "2. b\n3. c\n"),
    ("1) a  \n2\\. b\n\n7\\. c\n", "7\\. c"),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERED_LISTS)
def test_escaped_numbered_items_after_a_real_item(text: str, expected: str) -> None:
    once = normalize(text).text
    assert expected in once
    assert normalize(once).text == once


def test_clean_isolates_an_unexpected_failure(blank_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dzenpress.clean as clean_module

    posts = blank_site / "content/posts"
    (posts / "a-bad.md").write_text(GOOD.replace("Хороший", "Сломанный"), encoding="utf-8")
    (posts / "good.md").write_text(GOOD, encoding="utf-8")
    original_bad = (posts / "a-bad.md").read_bytes()
    real = clean_module.clean_text

    def flaky(text: str, path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "a-bad.md":
            raise ValueError("invalid literal for int() with base 10: '[bold]2\\\\'")
        return real(text, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(clean_module, "clean_text", flaky)
    result = runner.invoke(app, ["clean", "--site", str(blank_site)])
    out = result.output.replace("\n", "")
    assert exited(result, 1)
    assert f"{posts / 'a-bad.md'}: not cleaned, left untouched: unexpected ValueError" in out
    assert "'[bold]2\\\\'" in out  # the message is printed as text, not read as markup
    assert "1 cleaned, 0 already clean, 1 failed" in out
    assert (posts / "a-bad.md").read_bytes() == original_bad
    assert "  \n" not in (posts / "good.md").read_text(encoding="utf-8")


def test_load_isolates_an_unexpected_failure(blank_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dzenpress.content.site as site_module

    posts = blank_site / "content/posts"
    for name in ("a", "b", "c"):
        (posts / f"{name}.md").write_text(post_text(name), encoding="utf-8")
    real = site_module.load_post

    def flaky(path: Path, *args: object) -> object:
        if path.stem != "a":
            raise RecursionError(f"maximum recursion depth exceeded in {path.stem}")
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(site_module, "load_post", flaky)
    with pytest.raises(DzenpressError) as err:
        load_site(blank_site)
    errors = flatten(err.value)
    assert [e.path.name for e in errors if isinstance(e.path, Path)] == ["b.md", "c.md"]
    assert "cannot be loaded: unexpected RecursionError" in str(errors[0])
    result = runner.invoke(app, ["build", str(blank_site)])
    assert exited(result, 1) and "2 errors" in result.output
    assert not (blank_site / "dist").exists()


ARTICLE = "Начало статьи о спине.\n\n## Причины\n\nТекст о причинах боли.\n"
TAIL = ("Подпишитесь на канал,\n\nчтобы не пропустить новые публикации\n\nПодписаться\n\n### \n\nКомментарии\n\n"
        "0 / 2500\n\nВойти, чтобы комментировать\n\nВзгляните на эти темы\n\n[\n\n![](/blog/x/img-1.jpg)\n\n"
        "Здоровье спины\n\n](https://dzen.ru/topic/spina)[\n\nНайти тему\n\n](/explore)\n\n"
        "Рекомендуем почитать\n\n[](https://dzen.ru/a/aAUAHYaG5S0HybJ5?from=feed&place=article_related)\n\n"
        "10 минут\n\n[\n\nДругая статья. О другом.\n\n](https://dzen.ru/a/aAUAHYaG5S0HybJ5?from=feed)\n\n"
        "Всем доброго дня! Сегодня о том, что...\n\n195,3 тыс интересуются\n\nСледить за темой\n\nРеклама\n")
# prose that begins like an end-of-article marker, and what follows it: all of it is the article's
KEPT = [
    "Рекомендуем почитать книгу Иванова «Спина без боли»: она написана просто.\n\n## Упражнения\n\nПервое.\n",
    "Комментарии врача к этой истории такие: лечиться надо вовремя.\n\nИ ещё один абзац.\n",
    "Подпишитесь на канал клиники, там выходят разборы. А теперь к делу.\n\n## Итог\n\nВсё.\n",
    "Взгляните на эти темы: осанка, сон, движение.\n\nОни связаны.\n",
    "```\nРекомендуем почитать\nКомментарии\n0 / 2500\n```\n\nПосле кода статья продолжается.\n",
    "~~~\nПодпишитесь на канал,\n~~~\n",
    "Комментарии\n\nРекомендуем почитать\n\nТекст, который идёт после, это тоже статья.\n",
]


@pytest.mark.parametrize("text", KEPT)
def test_prose_that_looks_like_chrome_is_kept_with_all_that_follows(text: str) -> None:
    assert normalize(ARTICLE + "\n" + text).text == ARTICLE + "\n" + text


def test_real_chrome_after_the_article_is_still_cut() -> None:
    assert normalize(ARTICLE + "\n" + TAIL).text == ARTICLE


@pytest.mark.parametrize("fence", ["```", "~~~", "```python", "    ```"])
def test_unclosed_fence_settles(blank_site: Path, fence: str) -> None:
    body = f"Текст.  \nЕщё строка.\n\n{fence}\nкод  \n\n\n- не список\nРекомендуем почитать\n\n\n"
    post = blank_site / "content/posts/fence.md"
    post.write_text(post_text("fence", body=body), encoding="utf-8")
    assert exited(runner.invoke(app, ["clean", "--site", str(blank_site)]), 0)
    once = post.read_text(encoding="utf-8")
    assert "Рекомендуем почитать" in once and "- не список" in once
    result = runner.invoke(app, ["clean", "--site", str(blank_site), "--check"])
    assert exited(result, 0), result.output
    assert post.read_text(encoding="utf-8") == once


def test_import_beside_a_post_with_an_impossible_date(blank_site: Path) -> None:
    from dzenpress.dzen.client import ClientOptions
    from dzenpress.dzen.importer import ImportOptions, import_sources

    from fake_dzen.articles import simple
    from fake_dzen.server import FakeDzen

    (blank_site / "content/posts/bad.md").write_text(bad_date_post("2025-02-30"), encoding="utf-8")
    for fake in FakeDzen().serve():
        article = fake.add(simple("5" * 24, "Новая статья", 3))
        client = ClientOptions(host_map=fake.host_map, delay=0.0, backoff=0.01, timeout=5.0)
        report = import_sources(blank_site, [article.url], ImportOptions(client=client))
        assert [o.status for o in report.outcomes] == ["imported"]


def test_file_names_are_printed_as_text(blank_site: Path) -> None:
    posts = blank_site / "content/posts"
    (posts / "[red]post.md").write_text(GOOD, encoding="utf-8")
    (posts / "[b]bad.md").write_bytes(b"\x00binary")
    result = runner.invoke(app, ["clean", "--site", str(blank_site)])
    assert exited(result, 1)
    out = result.output.replace("\n", "")
    assert "cleaned " + str(posts / "[red]post.md") in out and str(posts / "[b]bad.md") in out


FRONT_LINES = st.one_of(
    st.sampled_from(["title: 'Т'", "title: [1, 2]", "title:", "slug: x", "date: 2025-02-30", "date: 2024-13-45",
                     "date: 2025-01-01T25:00:00", "date: 2025-01-15", "date: 0000-00-00", "date: 9999-12-31 23:59:59",
                     "updated: 2025-02-29", "date: 2025-01-15 10:00:00+25:00", "tags: [2025-02-30, a]", "draft: yes",
                     "description: 2025-02-30", "aliases: {a: 1}", "cover: /x.jpg", "x: &a [1]", "y: *a", "date: !!str",
                     "source: !!python/object:os.system x", "date: 1e400", "date: 0x1F", "? [a]\n: b"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).map(lambda t: f"k: {t}"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FRONT_LINES, max_size=8), st.text(max_size=60))
def test_any_front_matter_is_a_post_or_a_clean_error(tmp_path_factory: pytest.TempPathFactory, lines: list[str],
                                                     body: str) -> None:
    from zoneinfo import ZoneInfo

    from dzenpress.content.post import load_post
    from dzenpress.normalize.post import clean_text

    folder = tmp_path_factory.mktemp("post")
    path = folder / "x.md"
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + body
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for run in (lambda: load_post(path, ZoneInfo("UTC")), lambda: clean_text(text, path)):
        try:
            run()
        except DzenpressError as exc:
            assert all(e.path == path for e in flatten(exc))
