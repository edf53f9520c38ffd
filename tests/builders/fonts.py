"""The CJK face the generated scans, certificates and seals are drawn in."""

from __future__ import annotations

import functools

from PIL import ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@functools.lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)
