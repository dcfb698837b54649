"""The patron page's history: holds placed and cancelled, by the desk or by the patron, read
from the audit log with the document's title."""

from django.urls import reverse

from maillon.audit.models import ActorKind, AuditEntry
from maillon.circulation.services import cancel_own_hold, place_hold, place_own_hold
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import fr


def test_holds_in_the_patron_history(client_fr, desk, network, make_patron, make_item, make_record):
    patron = make_patron()
    novel, comic = make_record("Les Misérables"), make_record("Astérix en Corse")
    make_item(novel, home=network["b"])
    make_item(comic, home=network["b"])
    place_hold(desk["a"], network["a"], patron, novel, network["a"], today=TODAY)
    own = place_own_hold(patron, comic, network["a"], today=TODAY)
    cancel_own_hold(patron, own, today=TODAY)

    placed = AuditEntry.objects.filter(action="hold_placed").order_by("pk")
    assert [(e.actor_kind, e.user_id, e.patron_id) for e in placed] == [
        (ActorKind.STAFF, desk["a"].pk, patron.pk),
        (ActorKind.PATRON, None, patron.pk),
    ]
    cancelled = AuditEntry.objects.get(action="hold_cancelled")
    assert (cancelled.actor_kind, cancelled.actor_id) == (ActorKind.PATRON, patron.pk)

    client_fr.force_login(desk["a"])
    body = client_fr.get(reverse("patrons:detail", args=[patron.pk])).content.decode()
    assert body.count(f"<td>{fr('Hold placed')}</td>") == 2
    assert f"<td>{fr('Hold cancelled')}</td>" in body
    assert "Les Misérables" in body and "Astérix en Corse" in body
