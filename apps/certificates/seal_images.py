"""Drawing a seal image (a red round seal: the body's name round the rim, a star, the seal's kind
below), for the demo hall and the tests. A real hall scans its seals and uploads the images."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from apps.cases.notices.rendering import FONT_FILES

SIZE = 400
RED = (200, 16, 16, 235)


def _font(size: int):
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def draw_seal(name: str, kind_text: str = "行政审批专用章") -> bytes:
    """A PNG of a round seal reading ``name`` round the rim, with transparency around the ink."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), outline=RED, width=12)
    _star(draw, c, c, 58)
    font = _font(44)
    # The name round the upper rim, from about eight o'clock to four o'clock, each character upright
    # to the rim (rotated with its own small image).
    span = math.radians(250)
    count = max(len(name), 1)
    radius = c - 58
    for i, char in enumerate(name):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / count
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        glyph = Image.new("RGBA", (60, 60), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        image.alpha_composite(glyph, (int(x - 30), int(y - 30)))
    draw.text((c, c + 100), kind_text, font=_font(30), fill=RED, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
