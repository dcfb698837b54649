"""The pages show a resource's photos as thumbnails (made when the photo is added, or on first
request for one that has none), stored under the media directory; the original stays whole
for "view full size"; deleting the photo deletes its thumbnails."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from maillon.bookings import photos
from maillon.bookings.models import ResourcePhoto


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def camera_jpeg(size=(3000, 2000), orientation: int | None = None) -> SimpleUploadedFile:
    """A noisy photo (noise does not compress: a camera's weight), optionally with an EXIF
    orientation as phones write it."""
    image = Image.effect_noise(size, 30).convert("RGB")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return SimpleUploadedFile("IMG_0042.JPG", buffer.getvalue(), content_type="image/jpeg")


def served(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def thumbs_on_disk(root: Path) -> list[Path]:
    return sorted((root / photos.THUMB_DIR).glob("*.jpg"))


def test_adding_a_photo_makes_its_thumbnails_and_keeps_the_original(
    people, expo, tmp_path, django_capture_on_commit_callbacks
):
    upload = camera_jpeg()
    sent = upload.read()
    upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        photo = photos.add_photo(people["md"], expo, upload, "Les panneaux")
    made = thumbs_on_disk(tmp_path)
    assert len(made) == 2
    sizes = sorted(Image.open(path).size for path in made)
    assert sizes == [(128, 85), (640, 427)]
    assert all(path.stat().st_size < len(sent) / 10 for path in made)
    # The original is the file sent, untouched.
    assert Path(photo.image.path).read_bytes() == sent


def test_the_pages_show_thumbnails_and_link_the_full_size(client_fr, people, expo):
    photo = photos.add_photo(people["md"], expo, camera_jpeg(), "Les panneaux")
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:detail", args=[expo.pk])).content.decode()
    small = reverse("bookings:photo_thumb", args=[photo.pk, photos.PAGE_THUMB])
    full = reverse("bookings:photo", args=[photo.pk])
    assert f'<img src="{small}"' in page
    assert f'<img src="{full}"' not in page
    assert f'<a href="{full}">Voir en taille réelle' in page
    listing = client_fr.get(reverse("bookings:list")).content.decode()
    assert reverse("bookings:photo_thumb", args=[photo.pk, photos.LIST_THUMB]) in listing
    assert f'src="{full}"' not in listing
    # What the browser gets: a small JPEG for the page, the whole photo on demand.
    response = client_fr.get(small)
    assert response["Content-Type"] == "image/jpeg"
    thumbnail = Image.open(io.BytesIO(served(response)))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == photos.PAGE_THUMB
    original = Image.open(io.BytesIO(served(client_fr.get(full))))
    assert original.size == (3000, 2000)


def test_a_photo_without_thumbnails_gets_them_on_first_request_then_reuses_them(
    client_fr, people, expo, tmp_path
):
    """Photos added before thumbnails existed (their upload made none)."""
    photo = ResourcePhoto.objects.create(resource=expo, image=camera_jpeg(size=(800, 1200)))
    assert thumbs_on_disk(tmp_path) == []
    client_fr.force_login(people["a"])
    url = reverse("bookings:photo_thumb", args=[photo.pk, photos.LIST_THUMB])
    first = served(client_fr.get(url))
    assert Image.open(io.BytesIO(first)).size == (85, 128)
    [stored] = thumbs_on_disk(tmp_path)
    assert stored.read_bytes() == first
    # The next request reads the stored file rather than reducing the photo again.
    stored.write_bytes(b"stored thumbnail")
    assert served(client_fr.get(url)) == b"stored thumbnail"


def test_a_phone_photo_is_shown_upright(client_fr, people, expo):
    """Orientation 6: the camera was turned; the pixels are landscape, the photo portrait."""
    photo = ResourcePhoto.objects.create(
        resource=expo, image=camera_jpeg(size=(1200, 800), orientation=6)
    )
    client_fr.force_login(people["a"])
    url = reverse("bookings:photo_thumb", args=[photo.pk, photos.PAGE_THUMB])
    assert Image.open(io.BytesIO(served(client_fr.get(url)))).size == (427, 640)


def test_a_transparent_png_is_shown_on_white(people, expo):
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, "PNG")
    photo = ResourcePhoto.objects.create(
        resource=expo, image=SimpleUploadedFile("logo.png", buffer.getvalue())
    )
    name = photos.thumbnail(photo, photos.LIST_THUMB)
    with photo.image.storage.open(name) as file, Image.open(file) as image:
        assert image.mode == "RGB" and image.getpixel((10, 10)) == (255, 255, 255)


def test_only_the_sizes_the_pages_use(client_fr, people, expo):
    photo = ResourcePhoto.objects.create(resource=expo, image=camera_jpeg(size=(400, 300)))
    client_fr.force_login(people["a"])
    assert client_fr.get(f"/pro/outils-animation/photos/{photo.pk}/vignette/4000/").status_code == (
        404
    )
    client_fr.logout()
    url = reverse("bookings:photo_thumb", args=[photo.pk, photos.LIST_THUMB])
    assert client_fr.get(url).status_code == 302  # to the login page


def test_deleting_a_photo_deletes_its_thumbnails(
    people, expo, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = photos.add_photo(people["md"], expo, camera_jpeg(size=(900, 600)))
    original = Path(photo.image.path)
    assert len(thumbs_on_disk(tmp_path)) == 2 and original.exists()
    with django_capture_on_commit_callbacks(execute=True):
        photos.delete_photo(people["md"], photo)
    assert thumbs_on_disk(tmp_path) == [] and not original.exists()
