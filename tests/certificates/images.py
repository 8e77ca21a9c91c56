"""Small generated PNGs standing in for a scanned signature and a red seal."""

import functools
import io

from PIL import Image, ImageDraw


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def seal_png() -> bytes:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 290, 290), outline=(200, 0, 0, 200), width=12)
    draw.ellipse((45, 45, 255, 255), outline=(200, 0, 0, 200), width=5)
    draw.regular_polygon((150, 150, 50), 5, fill=(200, 0, 0, 200))
    return _png(image)


@functools.cache
def signature_png() -> bytes:
    image = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(20, 120), (80, 40), (120, 110), (170, 30), (220, 120), (300, 60), (380, 90)]
    draw.line(points, fill=(10, 20, 120, 255), width=6)
    return _png(image)
