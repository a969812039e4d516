"""Links: real targets instead of dzen.ru/away?to= wrappers; no Dzen tracking parameters."""

from __future__ import annotations

import re

from dzenpress.dzen_urls import clean_url
from dzenpress.normalize.context import Context

_INLINE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\[\]\s<>]+)>?((?:\s+\"[^\"]*\")?)\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_BARE = re.compile(r"(?<![(<\[\"'=])\bhttps?://[^\s)<>\]]+")


def unwrap_links(text: str, ctx: Context) -> str:
    def inline(m: re.Match[str]) -> str:
        bang, label, url, title = m.groups()
        target = clean_url(url)
        label = _BARE.sub(lambda b: clean_url(b.group(0)), label) if not bang else label
        if not bang and not title and label == target and target.startswith(("http://", "https://")):
            return f"<{target}>"
        return f"{bang}[{label}]({target}{title})"

    text = _INLINE.sub(inline, text)
    text = _AUTOLINK.sub(lambda m: f"<{clean_url(m.group(1))}>", text)
    return _BARE.sub(lambda m: clean_url(m.group(0)), text)
