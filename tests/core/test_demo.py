import re

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from maillon.catalogue.models import Item, Record
from maillon.circulation.models import Hold, HoldStatus
from maillon.network.models import Closure, Library, LibraryKind, OpeningHours, Partner, StaffRole
from maillon.patrons.models import Patron, PatronBlock, PatronCategory

COUNTED = (
    Library,
    OpeningHours,
    Closure,
    Partner,
    StaffRole,
    get_user_model(),
    Record,
    Item,
    Patron,
    PatronBlock,
    PatronCategory,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_builds_a_believable_network_and_is_idempotent(db, capsys, settings, client):
    """One build (the demo takes long): what it made, the accounts it prints, then a second
    run that adds nothing."""
    settings.MAILLON_DEMO_RECORDS = 150
    call_command("demo", no_serve=True)
    first = counts()
    output = capsys.readouterr().out
    assert "coordination" in output and "maillon-demo" in output
    oai = output[output.index("/oai?") :].split()[0]  # the harvesting address it prints
    assert b"<Identify>" in b"".join(Client().get(oai).streaming_content)
    kinds = set(Library.objects.values_list("kind", flat=True))
    assert kinds == {k.value for k in LibraryKind}
    assert 6 <= Library.objects.filter(kind__in=["member", "reading_point"]).count() <= 10
    assert set(StaffRole.objects.values_list("role", flat=True)) == {
        "coordinator",
        "md_staff",
        "librarian",
        "volunteer",
    }
    # Every library has hours and shuttle days; someone works at two libraries.
    for library in Library.objects.all():
        assert library.opening_hours.exists() and library.shuttle_days
    assert StaffRole.objects.filter(user__username="benevole").count() == 2
    # A catalogue with items in every library.
    assert Record.objects.count() > 100
    assert set(Item.objects.values_list("home__code", flat=True)) == set(
        Library.objects.values_list("code", flat=True)
    )

    # Each printed card does what its line says.
    cards = dict(re.findall(r"^  (\d{8,14})  (.+)$", output, flags=re.M))
    assert len(cards) == 3
    for card, claim in cards.items():
        patron = Patron.objects.get(card_number=card)
        if "prêts en cours" in claim:
            assert patron.loans.filter(returned_at=None).exists(), claim
        if "réservation disponible" in claim:
            assert patron.holds.filter(status=HoldStatus.READY).exists(), claim
        if "en route" in claim:
            assert patron.holds.filter(status=HoldStatus.IN_TRANSIT).exists(), claim
        if "collectivité" in claim:
            assert patron.category.kind == "collective", claim

    # The staff accounts open the staff pages; the first card printed opens the public account
    # and shows the hold ready for pickup its line promises.
    assert client.login(username="benevole", password="maillon-demo")
    assert client.get("/pro/").status_code == 200
    client.logout()
    first_card = next(iter(cards))
    ready = Hold.objects.get(patron__card_number=first_card, status=HoldStatus.READY)
    response = client.post("/compte/connexion/", {"card": first_card, "password": "maillon-demo"})
    assert response.status_code == 302
    page = client.get("/compte/").content.decode()
    assert escape(ready.record.title) in page and escape(ready.pickup_library.name) in page

    call_command("demo", no_serve=True)
    assert counts() == first


def test_the_demo_s_mail_stays_in_memory(settings, capsys):
    """The demo's services write e-mails to made-up people (315 of them): on a newcomer's machine
    the console backend printed them all over the progress lines."""
    from django.core.mail import EmailMessage

    from maillon.operations.management.commands.demo import _mail_kept_in_memory

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with _mail_kept_in_memory():
        EmailMessage("Inscription", "Bonjour", to=["girard@example.org"]).send()
    assert "Subject:" not in capsys.readouterr().out
    EmailMessage("Inscription", "Bonjour", to=["girard@example.org"]).send()
    assert "Subject: Inscription" in capsys.readouterr().out  # and back to the console after
