"""The demo shows the MD's 25 animation resources booked over a year by the Gâtine's libraries
in every state, with one late return, one library waiting and one missing its documents, and
builds them once."""

import datetime as dt

from PIL import Image

from maillon.bookings import availability
from maillon.bookings.demo import build_bookings
from maillon.bookings.models import Booking, BookingStatus, Resource, ResourcePhoto, Waiting
from maillon.network.demo import build_network
from maillon.rotation import runsheet

TODAY = dt.date(2026, 11, 25)


def test_demo_bookings(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_network("maillon-demo", TODAY)
    built = build_bookings(TODAY)
    assert built["resources"] == 25 and built["bookings"] > 60
    assert built["lent_on"] == 2  # the current bookings lent on to a school and an EHPAD
    # Each exhibition has its poster, a real JPEG; the other resources have no picture.
    posters = ResourcePhoto.objects.select_related("resource__kind")
    assert {p.resource.kind.code for p in posters} == {"exposition"} and len(posters) == 3
    with posters[0].image.open("rb") as poster, Image.open(poster) as image:
        assert image.format == "JPEG" and image.size == (600, 850)
    assert Resource.objects.filter(owner__code="MD79").count() == 24
    assert Resource.objects.filter(kind__code="exposition").count() == 3
    assert Resource.objects.get(owner__code="PAR").title.startswith("Jeux de société")
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == set(BookingStatus.values)
    out = Booking.objects.get(status=BookingStatus.DELIVERED, library__code="SEC", end__gt=TODAY)
    assert out.start < TODAY < out.end
    late = [
        b for b in Booking.objects.filter(status=BookingStatus.DELIVERED) if b.is_overdue(TODAY)
    ]
    assert [b.library.code for b in late] == ["VAS"]
    assert Waiting.objects.get().library.code == "MAZ"
    assert Booking.objects.filter(start__lt=TODAY - dt.timedelta(days=200)).exists()
    assert Booking.objects.filter(start__gt=TODAY + dt.timedelta(days=100)).exists()
    months, year = availability.occupancy(list(Resource.objects.all()), TODAY.year)[
        Resource.objects.get(title="Valise Sciences en jeux").pk
    ]
    assert year > 30
    # The shuttle carries resources out and back in the next two weeks' runs.
    tools = [t for r in runsheet.runs(TODAY) for s in r.stops for t in s.on.tools + s.off.tools]
    assert {t.barcode for t in tools} and all(t.barcode.startswith("OA") for t in tools)
    assert build_bookings(TODAY) == {}  # once
