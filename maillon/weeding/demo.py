"""Weeding in the demo: a campaign in review at Secondigny (with last copies to decide) and a
confirmed one at Parthenay with its procès-verbal."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from maillon.catalogue.models import Item
from maillon.network.models import Library
from maillon.weeding import offers, services
from maillon.weeding.models import Campaign, Decision, Deliberation, Offer

DELIBERATIONS = {
    "PAR": ("2019-DCM-042", dt.date(2019, 3, 28), "Le maire de Parthenay"),
    "SEC": ("2021-17", dt.date(2021, 6, 10), "La maire de Secondigny"),
}


def _age_collections(today: dt.date) -> None:
    """The demo's catalogue is imported without acquisition dates: give the items of the two
    libraries believable ones, from last month to fifteen years ago (seeded, stable)."""
    rng = random.Random("maillon-demo-weeding")
    for code in DELIBERATIONS:
        for pk in Item.objects.filter(home__code=code, acquired_on__isnull=True).values_list(
            "pk", flat=True
        ):
            days = int(rng.triangular(30, 15 * 365, 3 * 365))
            Item.objects.filter(pk=pk).update(acquired_on=today - dt.timedelta(days=days))


def build_weeding(today: dt.date) -> dict[str, int]:
    """Once: campaigns already there are left as they are (a re-run keeps the user's work)."""
    if Campaign.objects.exists():
        return {}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=DELIBERATIONS)}
    users = get_user_model().objects.in_bulk(["parthenay", "secondigny"], field_name="username")
    if len(libraries) < 2 or len(users) < 2:
        return {}
    _age_collections(today)
    for code, (reference, voted_on, authority) in DELIBERATIONS.items():
        Deliberation.objects.update_or_create(
            library=libraries[code],
            defaults={"reference": reference, "voted_on": voted_on, "authority": authority},
        )

    # Parthenay: last autumn's novels, confirmed, with its procès-verbal.
    done = services.create_campaign(
        users["parthenay"], libraries["PAR"], "Romans adultes — automne", today=today
    )
    destinations = ["discarded", "donated", "donated", "sold"]
    for n, candidate in enumerate(done.candidates.select_related("item__record")[:18]):
        if n % 6 == 5:
            services.decide(users["parthenay"], candidate, Decision.KEEP)
            continue
        services.decide(
            users["parthenay"],
            candidate,
            Decision.WITHDRAW,
            ioupi="U" if n % 3 == 0 else "",
            destination=destinations[n % 4]
            if candidate.item.record.doc_type != "video"
            else "discarded",
            override="Titre épuisé, exemplaire très abîmé" if candidate.last_copy else "",
        )
    confirmed = services.confirm(users["parthenay"], done)

    # Secondigny: the spring review, half done; the last copies wait for a decision.
    review = services.create_campaign(
        users["secondigny"], libraries["SEC"], "Désherbage de printemps", today=today
    )
    decided = 0
    for candidate in review.candidates.select_related("item__record")[:30]:
        if candidate.last_copy:
            continue  # to decide at the shelf: offer to the network, or a reason
        if decided % 4 == 3:
            services.decide(users["secondigny"], candidate, Decision.REPAIR)
        else:
            services.decide(
                users["secondigny"],
                candidate,
                Decision.WITHDRAW,
                ioupi="P",
                destination="donated" if candidate.item.record.doc_type != "video" else "discarded",
            )
        decided += 1
    return {
        "confirmed_withdrawn": confirmed.withdrawn,
        "review_candidates": review.candidates.count(),
    }


def build_offers(today: dt.date) -> dict[str, int]:
    """Parthenay's summer campaign offers four items to the network; Secondigny claimed one
    (on Parthenay's list to send). Once."""
    if Offer.objects.exists():
        return {}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=DELIBERATIONS)}
    users = get_user_model().objects.in_bulk(["parthenay", "secondigny"], field_name="username")
    if len(libraries) < 2 or len(users) < 2:
        return {}
    campaign = services.create_campaign(
        users["parthenay"],
        libraries["PAR"],
        "Été — documents offerts au réseau",
        offer_destination="donated",
        today=today,
    )
    chosen = [
        c for c in campaign.candidates.select_related("item") if c.item.status == "available"
    ][:4]
    if not chosen:
        return {}
    for candidate in chosen:
        services.decide(users["parthenay"], candidate, Decision.OFFER)
    services.confirm(users["parthenay"], campaign)
    first = Offer.objects.filter(candidate=chosen[0]).first()
    if first is not None:
        offers.claim(users["secondigny"], first, libraries["SEC"], today=today)
    return {"offered": len(chosen)}
