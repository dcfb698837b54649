"""Patron suggestions: from the public account and at the desk; accepted onto a list or an
order, or refused with a reason the patron reads; "put me on hold when it arrives"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from maillon.circulation.models import Hold
from maillon.purchasing import orders, selection, suggestions
from maillon.purchasing.models import SelectionTitle, Suggestion, TitleSource
from maillon.purchasing.services import PurchasingError
from tests.conftest import PASSWORD
from tests.opac.conftest import PATRON_PASSWORD, log_in, make_reader, reader  # noqa: F401


def test_the_patron_suggests_and_reads_the_answer(client_fr, reader, network, desk):  # noqa: F811
    log_in(client_fr, reader.card_number)
    url = reverse("opac:account_suggestions")
    response = client_fr.post(
        url,
        {
            "title": "  ",
            "isbn": "978-2-07-054127-1",
            "why": "Pour le club",
            "library": network["b"].pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Donnez le titre que vous suggérez" in page
    assert "Pour le club" in page  # nothing lost
    response = client_fr.post(
        url,
        {"title": "L'Anomalie", "author": "Le Tellier", "isbn": "978-2-07-054127-1"},
    )
    assert "clé de contrôle" in response.content.decode()
    response = client_fr.post(
        url,
        {
            "title": "L'Anomalie",
            "author": "Le Tellier",
            "wants_hold": "1",
            "library": network["b"].pk,
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.patron == reader and suggestion.library == network["b"]
    assert suggestion.wants_hold and suggestion.state == Suggestion.State.NEW
    suggestions.refuse(desk["head"], suggestion, "Déjà trois exemplaires dans le réseau")
    page = client_fr.get(url).content.decode()
    assert "Pas d’achat : Déjà trois exemplaires dans le réseau" in page


def test_a_refusal_needs_a_reason_and_happens_once(network, desk, make_patron):
    suggestion = suggestions.suggest(make_patron(), network["a"], title="Titre")
    with pytest.raises(PurchasingError) as error:
        suggestions.refuse(desk["a"], suggestion, " ")
    assert error.value.code == "reason_missing"
    suggestions.refuse(desk["a"], suggestion, "Épuisé")
    with pytest.raises(PurchasingError) as error:
        suggestions.refuse(desk["a"], suggestion, "Encore")
    assert error.value.code == "already_decided"


def test_accepted_to_a_list_then_ordered_places_the_hold(
    network, desk, make_patron, open_today, bookseller, funds, types, default_rule, policy
):
    season = open_today
    patron = make_patron(expires_on=dt.date.today() + dt.timedelta(days=300))
    suggestion = suggestions.suggest(
        patron, network["a"], title="Le Consentement", author="Springora", wants_hold=True
    )
    title = suggestions.accept_to_list(desk["a"], suggestion, season, public_price=Decimal("18"))
    assert title.source == TitleSource.SUGGESTION and title.record.title == "Le Consentement"
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ACCEPTED and not suggestion.hold_placed
    selection.commit(desk["a"], title, network["a"], funds["a"], 1)
    built = orders.build_from_list(desk["a"], season, bookseller)
    orders.send(desk["a"], built.orders[0])
    suggestion.refresh_from_db()
    assert suggestion.hold_placed
    hold = Hold.objects.get(patron=patron)
    assert hold.record == title.record and hold.pickup_library == network["a"]


def test_accepted_onto_a_draft_order(network, desk, make_patron, bookseller, funds):
    suggestion = suggestions.suggest(
        None, network["a"], title="Un livre demandé au guichet", actor=desk["volunteer"]
    )
    order = orders.new_order(desk["a"], bookseller, network["a"])
    line = suggestions.accept_to_order(desk["a"], suggestion, order, funds["a"], Decimal("15"))
    assert line.quantity == 1 and line.record.title == "Un livre demandé au guichet"
    suggestion.refresh_from_db()
    assert suggestion.line == line and suggestion.created_by == desk["volunteer"]
    assert not SelectionTitle.objects.exists()


def test_the_desk_page_takes_and_decides_suggestions(client_fr, desk, make_patron, network):
    patron = make_patron()
    client_fr.login(username="volunt", password=PASSWORD)
    response = client_fr.post(
        reverse("purchasing:desk_suggestion"),
        {"card": "99999999", "title": "Un titre", "why": "Demandé souvent"},
    )
    page = response.content.decode()
    assert "Aucun usager n’a la carte 99999999" in page and "Demandé souvent" in page
    client_fr.post(
        reverse("purchasing:desk_suggestion"),
        {"card": patron.card_number, "title": "Un titre", "wants_hold": "1"},
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.patron == patron and suggestion.wants_hold
    page = client_fr.get(reverse("purchasing:suggestions")).content.decode()
    assert "Un titre" in page and "Refuser" not in page  # a volunteer does not decide
    client_fr.login(username="libr", password=PASSWORD)
    client_fr.post(
        reverse("purchasing:decide", args=[suggestion.pk]),
        {"decision": "refuse", "reason": "Hors politique documentaire"},
    )
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REFUSED
