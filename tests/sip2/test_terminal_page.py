"""The SIP2 terminals page: the coordinator creates and edits accounts (password shown once),
a librarian reads their library's, a volunteer nothing; each change is in the audit log, and a
connected terminal follows it."""

import pytest
from django.test import Client

from maillon.audit.models import AuditEntry
from maillon.network.models import Role, StaffRole
from maillon.sip2 import accounts
from maillon.sip2.models import Terminal
from maillon.sip2.services import Session, answer
from maillon.throttling import services as throttling
from tests.circulation.helpers import fr

from .test_server import date

PAGE = "/pro/automates-sip2/"


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(staff) -> Client:
    return client_for(staff[Role.COORDINATOR])


def test_the_coordinator_creates_a_terminal_and_sees_its_password_once(coordinator, network):
    form = coordinator.get(PAGE + "nouvel-automate/")
    assert form.status_code == 200 and 'name="login"' in form.content.decode()
    shown = coordinator.post(
        PAGE + "nouvel-automate/",
        {
            "login": "borne-jeunesse",
            "library": network["b"].pk,
            "can_checkout": "on",
            "can_checkin": "on",
            "fallback_encoding": "cp850",
        },
    )
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    terminal = Terminal.objects.get(login="borne-jeunesse")
    html = shown.content.decode()
    password = html.split('id="terminal-password">')[1].split("<")[0]
    assert terminal.check_password(password) and len(password) >= 12
    assert fr("Keep this password now: it will not be shown again.") in html
    assert (terminal.library, terminal.can_renew, terminal.fallback_encoding) == (
        network["b"],
        False,
        "cp850",
    )
    # It acts as a volunteer at its library, and nowhere else.
    assert list(StaffRole.objects.filter(user=terminal.user).values_list("library", "role")) == [
        (network["b"].pk, Role.VOLUNTEER)
    ]
    # The password is never shown again.
    assert password not in coordinator.get(PAGE).content.decode()
    assert password not in coordinator.get(f"{PAGE}{terminal.pk}/").content.decode()
    entry = AuditEntry.objects.get(action="sip2_terminal_created")
    assert entry.object_id == terminal.pk and entry.library_id == network["b"].pk
    assert password not in str(entry.details)


def test_bad_logins_are_refused_in_french_and_nothing_is_lost(coordinator, network, terminal):
    for login, message in (
        (
            "borne a",
            "A terminal login has 1 to 60 letters, digits or the signs . _ @ + - (no spaces).",
        ),
        ("x|y", "A terminal login has 1 to 60 letters, digits or the signs . _ @ + - (no spaces)."),
        ("BORNE-A", "A terminal already logs in as %(login)s."),
    ):
        page = coordinator.post(
            PAGE + "nouvel-automate/",
            {"login": login, "library": network["a"].pk, "fallback_encoding": "cp1252"},
        )
        assert page.status_code == 200
        html = page.content.decode()
        assert fr(message, login=login) in html
        assert f'value="{login}"' in html  # what was typed is kept
    assert Terminal.objects.count() == 1


def test_the_coordinator_changes_disables_resets_and_unlocks(
    coordinator, network, terminal, reader, settings
):
    account, password = terminal
    kiosk = Session(peer="10.0.0.7")
    assert answer(kiosk, f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
    account.refresh_from_db()
    assert account.last_login_from == "10.0.0.7" and account.last_login_at is not None
    assert "10.0.0.7" in coordinator.get(f"{PAGE}{account.pk}/").content.decode()

    moved = coordinator.post(
        f"{PAGE}{account.pk}/",
        {"library": network["b"].pk, "can_checkin": "on", "fallback_encoding": "cp1252"},
    )
    assert moved.status_code == 302
    account.refresh_from_db()
    assert (account.library, account.can_checkout, account.can_renew) == (
        network["b"],
        False,
        False,
    )
    assert StaffRole.objects.get(user=account.user).library == network["b"]
    changed = AuditEntry.objects.get(action="sip2_terminal_changed")
    assert changed.details["changes"] == {
        "sip2_library": ["AAA", "BBB"],
        "sip2_can_checkout": [True, False],
        "sip2_can_renew": [True, False],
    }
    # The connected kiosk now speaks for library b, and may not lend.
    status = answer(kiosk, "9900302.00")
    assert status.startswith("98YYNN") and "AOBBB|" in status

    coordinator.post(f"{PAGE}{account.pk}/activer/", {"active": "0"})
    account.refresh_from_db()
    assert not account.is_active
    assert answer(kiosk, f"23001{date()}AOBBB|AA{reader.card_number}|") == "96"
    assert kiosk.close  # the server ends the connection
    assert answer(Session(), f"9300CN{account.login}|CO{password}|CPAAA|").startswith("940")
    coordinator.post(f"{PAGE}{account.pk}/activer/", {"active": "1"})

    page = coordinator.post(f"{PAGE}{account.pk}/mot-de-passe/")
    new_password = page.content.decode().split('id="terminal-password">')[1].split("<")[0]
    assert new_password != password
    assert answer(Session(), f"9300CN{account.login}|CO{password}|").startswith("940")
    assert answer(Session(), f"9300CN{account.login}|CO{new_password}|").startswith("941")

    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        answer(Session(peer="10.0.0.7"), f"9300CN{account.login}|COfaux|")
    assert accounts.locked_until(account) is not None
    listed = coordinator.get(PAGE).content.decode()
    assert fr("Unlock") in coordinator.get(f"{PAGE}{account.pk}/").content.decode()
    assert "verrouill" in listed
    coordinator.post(f"{PAGE}{account.pk}/deverrouiller/")
    assert accounts.locked_until(account) is None
    assert throttling.locked(accounts.login_keys(account.login, "10.0.0.7")) is None
    assert answer(Session(peer="10.0.0.7"), f"9300CN{account.login}|CO{new_password}|")[:3] == "941"
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "sip2_terminal_changed",
        "sip2_terminal_disabled",
        "sip2_terminal_enabled",
        "sip2_password_reset",
        "sip2_terminal_unlocked",
    }


def test_a_librarian_reads_their_librarys_terminals_only(staff, network, terminal):
    account, _password = terminal
    elsewhere, _ = accounts.create_terminal(None, "borne-b", network["b"])
    librarian = client_for(staff[Role.LIBRARIAN])  # at library a
    listed = librarian.get(PAGE)
    assert listed.status_code == 200
    html = listed.content.decode()
    assert "borne-a" in html and "borne-b" not in html
    assert fr("Add a terminal") not in html
    detail = librarian.get(f"{PAGE}{account.pk}/").content.decode()
    assert 'name="library"' not in detail and fr("Give a new password") not in detail
    assert librarian.get(f"{PAGE}{elsewhere.pk}/").status_code == 404
    before = account.password_hash
    for url, data in (
        (f"{PAGE}{account.pk}/", {"library": network["a"].pk, "fallback_encoding": "cp1252"}),
        (f"{PAGE}{account.pk}/mot-de-passe/", {}),
        (f"{PAGE}{account.pk}/activer/", {"active": "0"}),
        (f"{PAGE}{account.pk}/deverrouiller/", {}),
        (PAGE + "nouvel-automate/", {"login": "x", "library": network["a"].pk}),
    ):
        assert librarian.post(url, data).status_code == 403, url
    account.refresh_from_db()
    assert account.password_hash == before and account.is_active and account.can_checkout
    assert not AuditEntry.objects.filter(
        action__startswith="sip2_", user_id=staff[Role.LIBRARIAN].pk
    )


def test_a_volunteer_sees_nothing(staff, terminal):
    account, _password = terminal
    volunteer = client_for(staff[Role.VOLUNTEER])
    assert volunteer.get(PAGE).status_code == 403
    assert volunteer.get(f"{PAGE}{account.pk}/").status_code == 403
    assert volunteer.post(f"{PAGE}{account.pk}/mot-de-passe/").status_code == 403
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert PAGE not in volunteer.get("/pro/").content.decode()  # nor shown in the menu
    assert PAGE in client_for(staff[Role.LIBRARIAN]).get("/pro/").content.decode()


def test_the_services_check_the_role_themselves(staff, network, terminal):
    from django.core.exceptions import PermissionDenied

    account, _password = terminal
    for role in (Role.LIBRARIAN, Role.VOLUNTEER, Role.MD_STAFF):
        with pytest.raises(PermissionDenied):
            accounts.reset_password(staff[role], account)
        with pytest.raises(PermissionDenied):
            accounts.set_active(staff[role], account, False)
        with pytest.raises(PermissionDenied):
            accounts.create_terminal(staff[role], f"x-{role}", network["a"])


def test_the_page_works_from_the_keyboard(coordinator, terminal):
    """Every action is a link or a form button (reachable by Tab, run by Enter), labelled."""
    account, _password = terminal
    html = coordinator.get(f"{PAGE}{account.pk}/").content.decode()
    for label in ("Save", "Give a new password", "Disable the terminal"):
        assert f'<button type="submit">{fr(label)}</button>' in html or (
            f'<button type="submit" class="primary">{fr(label)}</button>' in html
        ), label
    assert 'for="id_library"' in html and 'for="id_can_checkout"' in html
    form = coordinator.get(PAGE + "nouvel-automate/").content.decode()
    assert "autofocus" in form
