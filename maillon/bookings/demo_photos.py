"""The demo's pictures of resources: the three exhibitions' posters, drawn here (a flat
poster is what an MD puts online for an exhibition; a drawn "photo" of panels or of a kit's
contents would not look real, so the other resources have none)."""

from __future__ import annotations

import io
import random
import textwrap

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from maillon.bookings import photos
from maillon.bookings.models import Resource

# Background, shapes and text colours of each poster, in the exhibitions' order.
PALETTES = [
    ((238, 244, 214), (122, 168, 70), (40, 70, 30)),
    ((250, 236, 214), (214, 96, 60), (70, 35, 25)),
    ((226, 234, 248), (70, 100, 180), (25, 35, 80)),
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu (installed with the fonts WeasyPrint uses) has the accents; Pillow's own font,
    the fallback, has not."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def poster(title: str, lender: str, palette: int) -> bytes:
    """A 600 × 850 JPEG poster: coloured shapes, the title, the lender."""
    background, shape, ink = PALETTES[palette % len(PALETTES)]
    image = Image.new("RGB", (600, 850), background)
    draw = ImageDraw.Draw(image)
    chance = random.Random(title)  # the same poster every time
    for _n in range(14):
        x, y, r = chance.randint(0, 600), chance.randint(380, 760), chance.randint(18, 70)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=shape, width=6)
    draw.rectangle((0, 0, 600, 70), fill=shape)
    draw.text((30, 20), "EXPOSITION", fill=background, font=_font(30))
    name = title.removeprefix("Exposition ").strip()
    for n, line in enumerate(textwrap.wrap(name, 18)[:4]):
        draw.text((30, 110 + 62 * n), line, fill=ink, font=_font(52))
    draw.rectangle((0, 770, 600, 850), fill=ink)
    for n, line in enumerate(textwrap.wrap(lender, 40)[:2]):
        draw.text((30, 782 + 28 * n), line, fill=background, font=_font(20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def add_posters(actor, exhibitions: list[Resource]) -> int:
    made = 0
    for n, resource in enumerate(exhibitions):
        if resource.photos.exists():
            continue
        data = poster(resource.title, resource.owner.name, n)
        photos.add_photo(
            actor, resource, ContentFile(data, name=f"affiche-{resource.pk}.jpg"), "Affiche"
        )
        made += 1
    return made
