"""Photos of the resources: added by the owner's staff, checked to be a real image (JPEG, PNG
or WebP, read by Pillow, which WeasyPrint already brings), light enough, and audited.

The pages show thumbnails, not the originals (a camera's photo weighs megabytes): a JPEG of
each size in THUMB_SIZES, made when the photo is added and stored beside the media
(``bookings/thumbs/``), or on first request for a photo that has none yet (added before, or
whose thumbnail was lost). The original stays as it was sent, for "view full size"."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from maillon.audit.services import record as audit
from maillon.bookings.models import Resource, ResourcePhoto
from maillon.bookings.services import BookingError
from maillon.core.errors import Kind
from maillon.network.permissions import Action, require

FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_BYTES = 5 * 1024 * 1024
# A photo larger than this is a camera's raw output or a trap (a "decompression bomb").
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 12
# The longest side, in pixels, of the thumbnails the pages show: the catalogue's list (4rem)
# and the resource's page (20rem), each for screens of two pixels per CSS pixel.
LIST_THUMB, PAGE_THUMB = 128, 640
THUMB_SIZES = (LIST_THUMB, PAGE_THUMB)
THUMB_DIR = "bookings/thumbs"

log = logging.getLogger(__name__)


def _invalid(code: str, message: str) -> BookingError:
    return BookingError(code, message, field="image", kind=Kind.INVALID)


def check_image(file) -> str:
    """The image's format, or a French refusal: not an image, too heavy, too large."""
    if file.size > MAX_BYTES:
        raise _invalid("photo_too_big", _("The photo is larger than 5 MB: send a lighter one."))
    try:
        file.seek(0)
        with Image.open(file) as image:
            found, (width, height) = image.format, image.size
            image.verify()  # reads the whole file: a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _invalid(
            "photo_not_image", _("This file is not a photo: send a JPEG, PNG or WebP image.")
        ) from None
    finally:
        file.seek(0)
    if found not in FORMATS:
        raise _invalid(
            "photo_format",
            _("Send the photo as JPEG, PNG or WebP (this one is %(format)s).") % {"format": found},
        )
    if width * height > MAX_PIXELS:
        raise _invalid(
            "photo_too_large",
            _("The photo is %(width)d × %(height)d pixels: reduce it below 40 megapixels.")
            % {"width": width, "height": height},
        )
    return found


def add_photo(actor, resource: Resource, file, caption: str = "") -> ResourcePhoto:
    require(actor, Action.MANAGE, resource.owner_id)
    found = check_image(file)
    # The stored name says the real format, whatever the sender's file was called.
    stem = (getattr(file, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    file.name = f"{stem[:60] or 'photo'}{FORMATS[found]}"
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        count = resource.photos.count()
        if count >= MAX_PHOTOS:
            raise _invalid(
                "too_many_photos",
                _("A resource has %(max)d photos at most: delete one first.") % {"max": MAX_PHOTOS},
            )
        photo = ResourcePhoto.objects.create(
            resource=resource, image=file, caption=caption.strip()[:200], position=count
        )
        audit(
            "resource_photo_added",
            resource,
            actor=actor,
            library=resource.owner,
            details={"resource": resource.title},
        )
        # Once the photo is there for good; a failure here is mended on first request.
        transaction.on_commit(lambda: make_thumbnails(photo))
    return photo


def delete_photo(actor, photo: ResourcePhoto) -> None:
    require(actor, Action.MANAGE, photo.resource.owner_id)
    with transaction.atomic():
        photo = (
            ResourcePhoto.objects.select_for_update().select_related("resource").get(pk=photo.pk)
        )
        audit(
            "resource_photo_deleted",
            photo.resource,
            actor=actor,
            library=photo.resource.owner_id,
            details={"resource": photo.resource.title},
        )
        name, storage = photo.image.name, photo.image.storage
        names = [name, *(thumb_name(photo, size) for size in THUMB_SIZES)]
        photo.delete()
        # The files go once the row is gone for good.
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


# Thumbnails ----------------------------------------------------------------------------------


def thumb_name(photo: ResourcePhoto, size: int) -> str:
    """Where the thumbnail of `photo` at `size` is stored. The original's stored name is in
    it, so a new photo never finds an old one's thumbnail, whatever its number."""
    digest = hashlib.sha256(photo.image.name.encode()).hexdigest()[:12]
    return f"{THUMB_DIR}/{photo.pk}-{digest}-{size}.jpg"


def render_thumbnail(photo: ResourcePhoto, size: int) -> bytes:
    """A JPEG of the photo whose longest side is at most `size` pixels (never enlarged),
    upright as the camera meant it (EXIF orientation), transparency on white."""
    with photo.image.open("rb") as file, Image.open(file) as original:
        original.draft("RGB", (size, size))  # a JPEG decodes straight at a smaller scale
        image = ImageOps.exif_transpose(original)
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def _store(storage, name: str, data: bytes) -> None:
    """Write `name` whole or not at all: two first requests at once both write, the last
    rename wins, and a reader never sees half a file."""
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # a storage without local files
        if not storage.exists(name):
            storage.save(name, ContentFile(data))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def thumbnail(photo: ResourcePhoto, size: int) -> str:
    """The stored name of the photo's thumbnail at `size`, made now if it is missing. Raises
    ValueError for a size the pages do not use, OSError when the original cannot be read."""
    if size not in THUMB_SIZES:
        raise ValueError(size)
    storage = photo.image.storage
    name = thumb_name(photo, size)
    if not storage.exists(name):
        try:
            data = render_thumbnail(photo, size)
        except (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError) as error:
            raise OSError(str(error)) from error
        _store(storage, name, data)
    return name


def make_thumbnails(photo: ResourcePhoto) -> None:
    """Every thumbnail of a new photo; a failure is logged, and mended on first request."""
    for size in THUMB_SIZES:
        try:
            thumbnail(photo, size)
        except OSError:
            log.warning("thumbnail %s of photo %s not made", size, photo.pk, exc_info=True)
