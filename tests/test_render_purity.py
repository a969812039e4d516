"""Render functions read nothing but their context: no Jinja globals, no module state, no images but the
ones their page's context holds (what their recipe key covers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dzenpress.errors import DzenpressError

from conftest import PostWriter, post_text
from helpers import build_site
from image_helpers import write_jpeg

RENDER = Path(__file__).resolve().parent.parent / "src" / "dzenpress" / "render"


def _module_state(tree: ast.Module) -> set[str]:
    """Names a module binds to a mutable value (a dict, list or set display or call)."""
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        value = getattr(node, "value", None)
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"dict", "list", "set"})
        if mutable:
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def render_functions() -> list[tuple[str, ast.FunctionDef, set[str]]]:
    found = []
    for path in sorted(RENDER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        state = _module_state(tree)
        found += [(f"{path.name}:{node.name}", node, state) for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("render_")]
    return found


def impurities(function: ast.FunctionDef, state: set[str]) -> list[str]:
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr == "globals":
            found.append(f"line {node.lineno}: reads env.globals")
        elif isinstance(node, ast.Global | ast.Nonlocal):
            found.append(f"line {node.lineno}: {type(node).__name__.lower()} {', '.join(node.names)}")
        elif isinstance(node, ast.Name) and node.id in state:
            found.append(f"line {node.lineno}: reads the module's {node.id}")
    return found


def test_render_functions_read_only_their_context() -> None:
    functions = render_functions()
    assert len(functions) >= 12  # posts, lists, home, 404, pages, search, redirects, feeds, sitemap, …
    assert {name: impurities(fn, state) for name, fn, state in functions if impurities(fn, state)} == {}


def test_the_purity_check_sees_a_global_read() -> None:
    tree = ast.parse("CACHE = {}\ndef render_x(env, c):\n    return env.globals['plan'] + CACHE['a']\n")
    fn = tree.body[1]
    assert isinstance(fn, ast.FunctionDef)
    assert impurities(fn, _module_state(tree)) == ["line 3: reads env.globals", "line 3: reads the module's CACHE"]


def test_a_template_cannot_show_an_image_its_context_does_not_hold(blank_site: Path, write_post: PostWriter) -> None:
    """The post page of `a` shows b's cover: b is not among its cards, so its key would not change with it."""
    for slug in ("a", "b", "c"):
        write_jpeg(blank_site / f"public/blog/{slug}/cover.jpg", 320, 200, seed=len(slug))
    write_post("a", post_text("a", cover="/blog/a/cover.jpg").replace("2025-01-15", "2025-01-17"))
    write_post("b", post_text("b", cover="/blog/b/cover.jpg").replace("2025-01-15", "2025-01-10"))
    write_post("c", post_text("c", cover="/blog/c/cover.jpg"))
    build_site(blank_site)
    (blank_site / "templates").mkdir()
    (blank_site / "templates/post.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ picture("/blog/b/cover.jpg", "", "card") }}{% endblock %}',
        encoding="utf-8")
    with pytest.raises(DzenpressError, match="its page's context does not hold"):
        build_site(blank_site)


def test_listing_pages_writes_nothing_and_the_first_build_makes_the_key(blank_site: Path, write_post: PostWriter
                                                                         ) -> None:
    from dzenpress.content.site import load_site
    from dzenpress.render.keyfile import key_file_pages
    from dzenpress.render.pages import Pages
    from dzenpress.render.templating import make_env

    write_post("a")
    site = load_site(blank_site)
    pages = Pages(site, make_env(site.templates_dir, "ru"), "css")
    assert key_file_pages(pages) == [] and not (blank_site / ".dzenpress").exists()
    build_site(blank_site)
    key = site.settings.indexnow_key()
    assert key is not None and (blank_site / "dist" / f"{key}.txt").read_text(encoding="utf-8") == key
