"""Photos of the resources: added by the owner's staff, checked to be a real image (JPEG, PNG
or WebP, read by Pillow, which WeasyPrint already brings), light enough, and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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
        photo.delete()
        # The file goes once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
