from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from dzenpress import BuildReport, build


def build_site(root: Path, **options: Any) -> BuildReport:
    """Build the way the CLI does: through the project, with the state's post cache."""
    return build(root, **options)


def page(root: Path, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((root / "dist" / rel).read_text(encoding="utf-8"))


def meta(tree: LexborHTMLParser, key: str) -> str | None:
    node = tree.css_first(f'meta[property="{key}"], meta[name="{key}"]')
    return node.attributes.get("content") if node else None


def jsonld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    node = tree.css_first('script[type="application/ld+json"]')
    assert node is not None
    data = json.loads(node.text())
    return data["@graph"] if "@graph" in data else [data]


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    out = root / "dist"
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
