"""Images: no meaningless alt text (`-2`, `img-0.jpg`), a caption said once, no lazy-load placeholders."""

from __future__ import annotations

import re

from dzenpress.content.excerpt import to_plain
from dzenpress.normalize.blocks import join_blocks, split_blocks
from dzenpress.normalize.context import squash

_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(([^()]*)\)")
_IMAGE_BLOCK = re.compile(r"^\s*!\[([^\[\]]*)\]\(([^()]*)\)\s*$")
_MEANINGLESS = re.compile(r"^\s*(?:[-–—]?\d+|img[-_ ]?\d*(?:\.\w+)?|image|изображение|картинка|фото|photo|"
                          r"[\w\-]+\.(?:jpe?g|png|webp|gif))\s*$", re.I)
_PLACEHOLDER = "static.dzeninfra.ru/s3/zen-lib"


def fix_images(text: str, ctx: object) -> str:
    text = _IMAGE.sub(lambda m: f"![]({m.group(2)})" if _MEANINGLESS.match(m.group(1)) else m.group(0), text)
    blocks = [b for b in split_blocks(text) if not (_IMAGE_BLOCK.match(b) and _PLACEHOLDER in b)]
    for i, block in enumerate(blocks[:-1]):
        m = _IMAGE_BLOCK.match(block)
        if m and m.group(1) and squash(to_plain(blocks[i + 1])) == squash(m.group(1)):
            blocks[i] = f"![]({m.group(2)})"  # the caption paragraph below says it for everyone
    return join_blocks(blocks)
