"""The catalogue of resources libraries browse: filters by kind, audience, owner and free
dates; each resource's page with its facts, contents, photos and calendar. Photos are checked
to be real images of a reasonable size, with French errors."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from maillon.audit.models import AuditEntry
from maillon.bookings import photos, services
from maillon.bookings.models import ResourcePhoto
from maillon.bookings.services import BookingError


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="panneau.png", size=(40, 30), fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_catalogue_filters_by_audience_and_free_dates(client_fr, people, network, expo, kit):
    services.update_resource(people["md"], expo, audience="Enfants 3-6 ans")
    services.update_resource(people["md"], kit, audience="Tout public")
    client_fr.force_login(people["a"])
    page = text(client_fr.get(reverse("bookings:list"), {"audience": "Enfants 3-6 ans"}))
    assert expo.title in page and kit.title not in page
    assert '<option value="Tout public">' in page
    # The expo is booked in a month's time: on those dates, only the kit is free.
    start = timezone.localdate() + dt.timedelta(days=30)
    end = start + dt.timedelta(days=13)
    services.request_booking(people["b"], network["b"], expo, start, end)
    page = text(client_fr.get(reverse("bookings:list"), {"start": start, "end": end}))
    assert kit.title in page and expo.title not in page
    assert "1 outil libre du" in page
    assert f"?start={start:%Y-%m-%d}&amp;end={end:%Y-%m-%d}" in page
    page = text(client_fr.get(reverse("bookings:list"), {"start": end, "end": start}))
    assert "Le dernier jour vient avant le premier." in page
    page = text(client_fr.get(reverse("bookings:list"), {"start": start}))
    assert "Indiquez les deux jours, ou aucun." in page


def test_the_resource_page_shows_its_facts_contents_photos_and_calendar(client_fr, people, expo):
    services.update_resource(people["md"], expo, space_needed="20 m² de mur", insurance_value=3500)
    photos.add_photo(people["md"], expo, png(), "Les panneaux installés")
    client_fr.force_login(people["a"])
    page = text(client_fr.get(reverse("bookings:detail", args=[expo.pk])))
    for shown in ("20 m² de mur", "3500", "12 panneaux", "Les panneaux installés", "Disponibilité"):
        assert shown in page
    photo = ResourcePhoto.objects.get()
    assert reverse("bookings:photo", args=[photo.pk]) in page
    served = client_fr.get(reverse("bookings:photo", args=[photo.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content)[:4] == b"\x89PNG"
    # A librarian of another library sees it, but has no form to add or delete.
    assert "Ajouter la photo" not in page
    client_fr.force_login(people["md"])
    assert "Ajouter la photo" in text(client_fr.get(reverse("bookings:detail", args=[expo.pk])))


def test_a_photo_sent_from_the_page_is_kept_and_audited(client_fr, people, expo):
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:photo_add", args=[expo.pk]),
        {"image": png("IMG_2031.JPG", fmt="JPEG"), "caption": "Vue d’ensemble"},
    )
    assert response.status_code == 302
    photo = ResourcePhoto.objects.get(resource=expo)
    assert photo.image.name.endswith(".jpg") and photo.caption == "Vue d’ensemble"
    assert AuditEntry.objects.filter(action="resource_photo_added", object_id=expo.pk).exists()
    client_fr.post(reverse("bookings:photo_delete", args=[photo.pk]))
    assert not ResourcePhoto.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code", "words"),
    [
        (
            SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo"),
            "photo_not_image",
            "Ce fichier n’est pas une photo",
        ),
        (png("anim.gif", fmt="GIF"), "photo_format", "GIF"),
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)),
            "photo_too_big",
            "5 Mo",
        ),
    ],
)
def test_what_is_not_a_reasonable_photo_is_refused_in_french(
    client_fr, people, expo, upload, code, words
):
    with pytest.raises(BookingError) as error:
        photos.add_photo(people["md"], expo, upload)
    assert error.value.code == code
    upload.seek(0)
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:photo_add", args=[expo.pk]), {"image": upload}, follow=True
    )
    assert words in response.content.decode()
    assert not ResourcePhoto.objects.exists()


def test_a_truncated_image_is_refused(people, expo):
    whole = png(size=(400, 300)).read()
    with pytest.raises(BookingError) as error:
        photos.add_photo(people["md"], expo, SimpleUploadedFile("cut.png", whole[:200]))
    assert error.value.code == "photo_not_image"


def test_only_the_owner_staff_add_photos(client_fr, people, expo):
    client_fr.force_login(people["a"])
    response = client_fr.post(reverse("bookings:photo_add", args=[expo.pk]), {"image": png()})
    assert response.status_code == 403
    assert not ResourcePhoto.objects.exists()
