"""Signatures for tests: what a phone's canvas sends (a PNG data URL), drawn or empty."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw


def png_data_url(*, drawn: bool = True, size: tuple[int, int] = (320, 120)) -> str:
    """A transparent canvas with (or without) a scribbled signature, as the browser exports it."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if drawn:
        draw = ImageDraw.Draw(image)
        draw.line([(20, 80), (60, 30), (100, 90), (150, 25), (200, 85), (280, 40)], fill=(17, 17, 17, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


SIGNED = png_data_url()
EMPTY = png_data_url(drawn=False)
JPEG_DATA_URL = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwg"
NOT_AN_IMAGE = "data:image/png;base64," + base64.b64encode(b"this is not a picture").decode()
