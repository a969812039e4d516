"""The real Dzen pages in ../shared/real-dzen/ (skipped when absent) and the variants the tests derive from
them: contentState unusable (cut short, or gone), or every script removed (a scraper's articleBody only)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-dzen"
ARTICLE = REAL / "domeoremont-katya-lel" / "article.html"
CHANNEL = REAL / "domeoremont-channel" / "channel.html"
NOT_FOUND = REAL / "dzen-404" / "page.html"
SSO = REAL / "sso-bounce" / "page.html"
ARTICLE_URL = "https://dzen.ru/a/ZcEUUvOk_wryYL9F"

_STATE = re.compile(r'"contentState":"')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def real(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"{path} is not here (../shared/real-dzen is only on the project's machines)")
    return path.read_text(encoding="utf-8")


def with_content_state(html: str, value: str | None) -> str:
    """The page with its contentState string replaced by `value` (a JSON string's contents) or null."""
    m = _STATE.search(html)
    assert m is not None
    _, end = json.JSONDecoder().raw_decode(html, m.end() - 1)
    replacement = "null" if value is None else json.dumps(value, ensure_ascii=False)
    return html[: m.end() - 1] + replacement + html[end:]


def cut_content_state(html: str) -> str:
    """contentState cut in the middle (not valid JSON any more), as a truncated save leaves it."""
    m = _STATE.search(html)
    assert m is not None
    state, _ = json.JSONDecoder().raw_decode(html, m.end() - 1)
    return with_content_state(html, state[: len(state) * 9 // 10])


def without_scripts(html: str) -> str:
    return _SCRIPT.sub("", html)
