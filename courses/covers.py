"""Course cover images: an uploaded picture resized server-side to a few widths (WebP), and a
generated pattern for courses without one. Pure functions apart from Pillow; the service in
`courses.services` stores the result. Decision 0056: covers are not secret, so they are served
to anyone who has the URL, under random storage names, with a long cache."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# (width, height): 16:9, the large one for cards at up to 640 CSS px, the small one for phones.
SIZES = {"large": (640, 360), "small": (320, 180)}
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def cover_token(name: str) -> str:
    """The random part of a stored cover name (`courses/covers/<token>.webp`)."""
    return name.rsplit("/", 1)[-1].removesuffix(".webp")


def cover_url(name: str) -> str | None:
    """Where a stored cover is served (the `course-cover` route); None without a cover."""
    from django.urls import reverse

    return reverse("course-cover", args=[cover_token(name)]) if name else None


def _refuse(message: str) -> ValidationError:
    return ValidationError({"cover": message})


def resize_cover(upload) -> dict[str, bytes]:
    """WebP bytes per size name for an uploaded image; ValidationError naming `cover` for
    anything that is not a JPEG, PNG, WebP or GIF picture within the limits."""
    max_bytes = getattr(settings, "COURSES_COVER_MAX_BYTES", 5 * 1024 * 1024)
    if upload.size > max_bytes:
        raise _refuse(_("The cover image is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise _refuse(_("The cover must be a JPEG, PNG, WebP or GIF image."))
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(_("The cover image has too many pixels."))
            probe.verify()  # a truncated or corrupt file fails here
            image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as exc:
        raise _refuse(_("The cover must be a JPEG, PNG, WebP or GIF image.")) from exc
    image = ImageOps.exif_transpose(image).convert("RGB")
    out = {}
    for name, size in SIZES.items():
        buffer = io.BytesIO()
        ImageOps.fit(image, size, method=Image.Resampling.LANCZOS).save(buffer, "WEBP", quality=80)
        out[name] = buffer.getvalue()
    return out


@dataclass(frozen=True)
class Pattern:
    """A deterministic pattern for a course without a cover: a background, a few circles and the
    course's initial, in SVG user units of a 320x180 canvas."""
    background: str
    ink: str
    circles: tuple[tuple[int, int, int, str], ...]  # (cx, cy, r, fill)
    initial: str


def _hsl(hue: int, saturation: int, lightness: int) -> str:
    return f"hsl({hue % 360}, {saturation}%, {lightness}%)"


def cover_pattern(course_id: int, title: str) -> Pattern:
    digest = hashlib.sha256(f"{course_id}:{title}".encode()).digest()
    hue = digest[0] * 360 // 256
    circles = tuple(
        (digest[1 + 3 * i] * 320 // 256, digest[2 + 3 * i] * 180 // 256, 30 + digest[3 + 3 * i] % 70,
         _hsl(hue + 25 * (i + 1), 55, 38 + 6 * i))
        for i in range(4))
    initial = next((ch for ch in title.strip() if ch.isalnum()), "·").upper()
    # Dark background, white initial: contrast stays above 4.5:1 whatever the hue.
    return Pattern(background=_hsl(hue, 50, 28), ink="#ffffff", circles=circles, initial=initial)
