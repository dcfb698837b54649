"""The demo's patrons: believable, spread over the network, and the same on every run."""

import datetime as dt
from collections import Counter

from maillon.network.demo import PARTNERS, build_network
from maillon.patrons.demo import SHARES, build_patrons
from maillon.patrons.models import Patron, PatronBlock, PatronCategory

TODAY = dt.date(2026, 11, 25)


def snapshot() -> dict:
    return {
        "patrons": Patron.objects.count(),
        "blocks": PatronBlock.objects.count(),
        "categories": PatronCategory.objects.count(),
        "names": list(
            Patron.objects.order_by("card_number").values_list(
                "card_number", "surname", "first_name", "birth_date"
            )
        ),
    }


def test_demo_patrons_are_believable_and_idempotent(db):
    build_network("maillon-demo", TODAY)
    build_patrons(TODAY)
    first = snapshot()
    assert 280 <= first["patrons"] <= 330
    per_library = Counter(Patron.objects.values_list("home_library__code", flat=True))
    assert set(SHARES) <= set(per_library)
    assert per_library["PAR"] == max(per_library.values())

    bands = {p.age_band(TODAY) for p in Patron.objects.exclude(birth_date=None)}
    assert bands == {"0-5", "6-11", "12-17", "18-24", "25-39", "40-59", "60-74", "75+"}
    # Category agrees with age: the demo never shows a 40-year-old "Enfant".
    for patron in Patron.objects.exclude(birth_date=None).select_related("category"):
        assert patron.category.accepts_age(patron.age(TODAY)), patron

    expired = Patron.objects.filter(expires_on__lt=TODAY).count()
    assert 5 <= expired <= 60
    blocked = PatronBlock.objects.filter(lifted_at__isnull=True).values("patron").distinct()
    assert blocked.count() >= 4
    assert PatronBlock.objects.filter(lifted_at__isnull=False).exists()
    collectives = Patron.objects.filter(category__kind="collective")
    assert collectives.count() >= 8 and not collectives.filter(partner=None).exists()
    assert {p.partner.name for p in collectives} == {name for _c, name, _k, _p in PARTNERS}
    assert Patron.objects.filter(surname__regex=r"[éèêëïœ]").exists()
    # Some want their loan ticket by e-mail; never one without an address.
    by_email = Patron.objects.filter(receipt="email")
    assert by_email.count() >= 10 and not by_email.filter(email="").exists()

    build_patrons(TODAY)
    assert snapshot() == first
    # Another day: the same people under the same cards, no extra rows.
    build_patrons(TODAY + dt.timedelta(days=40))
    later = snapshot()
    assert later["patrons"] == first["patrons"] and later["blocks"] == first["blocks"]
    assert [row[:3] for row in later["names"]] == [row[:3] for row in first["names"]]
