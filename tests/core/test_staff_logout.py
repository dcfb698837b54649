"""Staff and patron logins share one browser session; each logout ends only its own login.

A librarian logged in under /pro/ and a patron logged in on the public catalogue in the same
browser: the staff logout leaves the patron logged in, rotates the session key and forgets the
desk's work (the next staff member at a shared computer must not see it); the patron's login and
logout leave the staff login and the desk's work alone.
"""

import datetime as dt

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.signals import user_logged_out
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from maillon.circulation import services
from maillon.circulation.views import CHECKINS, PENDING_OVERRIDE
from maillon.core.sessions import is_patron_key
from maillon.network import current
from maillon.network.models import Role
from maillon.opac import patron_session
from maillon.opac.login_views import RESET_SESSION_KEY
from tests.conftest import PASSWORD
from tests.opac.conftest import PATRON_PASSWORD, log_in

pytestmark = pytest.mark.django_db

STAFF_LOGIN = reverse("login")
DESK_KEYS = (PENDING_OVERRIDE, CHECKINS, current.SESSION_KEY)
PATRON_KEYS = (patron_session.PATRON_KEY, patron_session.HASH_KEY, patron_session.SEEN_KEY)


@pytest.fixture
def reader(make_patron):
    """A patron with an online account and a card valid today."""
    today = timezone.localdate()
    return make_patron(
        password=make_password(PATRON_PASSWORD),
        registered_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=300),
    )


def staff_log_in(client, username="libr"):
    response = client.post(STAFF_LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def work_at_the_desk(client, network, reader, book, make_item, librarian):
    """What a librarian leaves in the session: the library chosen, a check-in, a refusal."""
    assert client.post(reverse("switch_library"), {"library": network["a"].pk}).status_code == 302
    item = make_item(book)
    services.checkout(librarian, network["a"], reader, item)
    assert (
        client.post(
            reverse("circulation:checkin_scan"),
            {"library": network["a"].pk, "barcode": item.barcode},
        ).status_code
        == 302
    )
    session = client.session
    session[PENDING_OVERRIDE] = {
        "card": reader.card_number,
        "library": network["a"].pk,
        "barcode": item.barcode,
        "refusals": [],
    }
    session.save()
    assert all(key in client.session for key in DESK_KEYS)


def patron_is_in(client, reader) -> bool:
    page = client.get("/compte/")
    return page.status_code == 200 and escape(reader.full_name) in page.content.decode()


def staff_is_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_staff_logout_keeps_the_patron_and_forgets_the_desk(
    client, staff, network, reader, book, make_item
):
    log_in(client, reader.card_number)
    staff_log_in(client)  # Django's login keeps the patron's keys (it only rotates the key)
    work_at_the_desk(client, network, reader, book, make_item, staff[Role.LIBRARIAN])
    assert patron_is_in(client, reader) and staff_is_in(client)
    before = client.session.session_key
    stolen = Client()
    stolen.cookies["sessionid"] = before

    left = []

    def note(sender, request, user, **kwargs):
        left.append(user)

    user_logged_out.connect(note)
    try:
        assert client.get(reverse("logout")).status_code == 405  # still POST only
        response = client.post(reverse("logout"))
    finally:
        user_logged_out.disconnect(note)

    assert response.status_code == 302 and response["Location"] == STAFF_LOGIN
    assert left == [staff[Role.LIBRARIAN]]
    # The patron is still logged in; staff pages want a staff login again.
    assert patron_is_in(client, reader)
    for page in (reverse("home"), reverse("circulation:checkin")):
        answer = client.get(page)
        assert answer.status_code == 302 and answer["Location"].startswith(STAFF_LOGIN)
    session = client.session
    assert session.session_key != before
    assert SESSION_KEY not in session and HASH_SESSION_KEY not in session
    assert [key for key in DESK_KEYS if key in session] == []
    assert all(key in session for key in PATRON_KEYS)
    # The old cookie opens nothing any more, neither side.
    assert stolen.get(reverse("home")).status_code == 302
    assert stolen.get("/compte/").status_code == 302


def test_next_staff_member_sees_nothing_of_the_previous_one(
    client, staff, network, reader, book, make_item
):
    log_in(client, reader.card_number)
    staff_log_in(client)
    work_at_the_desk(client, network, reader, book, make_item, staff[Role.LIBRARIAN])
    client.post(reverse("logout"))
    staff_log_in(client, "volunt")  # the volunteer of the same library, same computer
    page = client.get(reverse("circulation:checkin")).content.decode()
    assert reader.card_number not in page and book.title not in page
    assert [key for key in (PENDING_OVERRIDE, CHECKINS) if key in client.session] == []
    assert patron_is_in(client, reader)


def test_admin_logout_keeps_the_patron_too(client, network, reader):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    log_in(client, reader.card_number)
    assert (
        client.post(
            "/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"}
        ).status_code
        == 302
    )
    assert client.get("/admin/").status_code == 200
    before = client.session.session_key
    client.post(reverse("admin:logout"))
    assert client.get("/admin/").status_code == 302
    assert client.session.session_key != before
    assert patron_is_in(client, reader)


def test_patron_login_and_logout_leave_the_staff_alone(
    client, staff, network, reader, book, make_item
):
    staff_log_in(client)
    work_at_the_desk(client, network, reader, book, make_item, staff[Role.LIBRARIAN])
    desk = {key: client.session[key] for key in DESK_KEYS}
    for step in (
        lambda: log_in(client, reader.card_number),
        lambda: client.post("/compte/deconnexion/"),
    ):
        before = client.session.session_key
        step()
        session = client.session
        assert session.session_key != before  # both ends of the patron's login rotate it
        assert session[SESSION_KEY] == str(staff[Role.LIBRARIAN].pk)
        assert {key: session[key] for key in DESK_KEYS} == desk
        assert staff_is_in(client)
    assert not patron_is_in(client, reader)


def test_the_patron_side_is_what_a_staff_logout_keeps():
    for key in (*PATRON_KEYS, RESET_SESSION_KEY):
        assert is_patron_key(key), key
    for key in (*DESK_KEYS, SESSION_KEY, HASH_SESSION_KEY, "_auth_user_backend", "_messages"):
        assert not is_patron_key(key), key
