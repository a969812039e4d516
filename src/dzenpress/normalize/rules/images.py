"""Images: no meaningless alt text (`-2`, `img-0.jpg`). Alt text that says something is kept, even when a
caption below repeats it (it is the image's accessible name and often the only copy of the caption), and
so are Dzen's lazy-load placeholders: `clean` reports them with the way to fetch the real picture.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(([^()]*)\)")
_MEANINGLESS = re.compile(r"^\s*(?:[-–—]?\d+|img[-_ ]?\d*(?:\.\w+)?|image|изображение|картинка|фото|photo|"
                          r"[\w\-]+\.(?:jpe?g|png|webp|gif))\s*$", re.I)


def fix_images(text: str, ctx: object) -> str:
    return _IMAGE.sub(lambda m: f"![]({m.group(2)})" if _MEANINGLESS.match(m.group(1)) else m.group(0), text)
