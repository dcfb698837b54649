"""Notices go out by e-mail through a real SMTP server (aiosmtpd on 127.0.0.1), once each."""

import datetime as dt
import email
import email.policy
import socket
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from maillon.circulation.models import Loan, NoticeKind, NoticeLog
from maillon.circulation.notices import send_notices
from maillon.circulation.services import checkin, checkout, place_hold

from .conftest import TODAY


class Capture:
    """An SMTP handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    handler = Capture()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    use_smtp(settings, controller.port)
    try:
        yield handler
    finally:
        controller.stop()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def french_date(day: dt.date) -> str:
    with translation.override("fr"):
        return date_format(day)


@pytest.fixture
def scene(desk, network, make_patron, make_item, make_record, policy):
    """Run day TODAY + 30: one loan due soon, one overdue, one hold ready; patrons who must
    not be written to (no consent, no address)."""
    run = TODAY + dt.timedelta(days=30)
    network["a"].phone, network["a"].email = "04 00 00 00 00", "aaa@example.org"
    network["a"].save()
    lea = make_patron(
        email="lea@example.org", email_notices=True, expires_on=TODAY + dt.timedelta(days=365)
    )
    paul = make_patron(
        "Durand",
        "Paul",
        email="paul@example.org",
        email_notices=True,
        expires_on=TODAY + dt.timedelta(days=365),
    )
    silent = make_patron("Silence", "Zoé", email="zoe@example.org", email_notices=False)
    no_address = make_patron("Sansmail", "Jean", email="", email_notices=True)
    soon_book, late_book = make_record("Le Petit Prince"), make_record("Vendredi")
    ready_book = make_record("L'Étranger")
    soon = checkout(desk["a"], network["a"], lea, make_item(soon_book), today=TODAY)
    late = checkout(desk["a"], network["a"], lea, make_item(late_book), today=TODAY)
    quiet = [
        checkout(desk["a"], network["a"], who, make_item(make_record(f"Livre {n}")), today=TODAY)
        for n, who in enumerate((silent, no_address))
    ]
    Loan.objects.filter(pk=soon.pk).update(due_on=run + dt.timedelta(days=2))
    Loan.objects.filter(pk=late.pk).update(due_on=run - dt.timedelta(days=4))
    Loan.objects.filter(pk__in=[q.pk for q in quiet]).update(due_on=run - dt.timedelta(days=1))
    copy = make_item(ready_book)
    hold = place_hold(desk["a"], network["a"], paul, ready_book, network["a"], today=run)
    checkin(desk["a"], network["a"], copy, today=run)
    hold.refresh_from_db()
    soon.refresh_from_db()
    late.refresh_from_db()
    return {"run": run, "soon": soon, "late": late, "hold": hold, "library": network["a"]}


def test_notices_are_sent_once_to_consenting_patrons(scene, smtp):
    report = send_notices(scene["run"])
    assert report.sent == {"hold_ready": 1, "due_soon": 1, "overdue": 1} and not report.failed
    by_subject = {m["Subject"].strip(): m for m in smtp.messages}
    assert len(smtp.messages) == 3
    assert sorted(r for e in smtp.envelopes for r in e.rcpt_tos) == [
        "lea@example.org",
        "lea@example.org",
        "paul@example.org",
    ]
    library = scene["library"].name

    soon = next(m for s, m in by_subject.items() if "bientôt" in s or "soon" in s)
    assert soon["To"] == "lea@example.org"
    assert "Le Petit Prince" in body_of(soon)
    assert french_date(scene["soon"].due_on) in body_of(soon)
    assert library in body_of(soon) and "04 00 00 00 00" in body_of(soon)
    assert soon["Reply-To"] == "aaa@example.org"

    late = next(m for m in smtp.messages if "Vendredi" in body_of(m))
    assert late["To"] == "lea@example.org"
    assert french_date(scene["late"].due_on) in body_of(late)

    ready = next(m for m in smtp.messages if m["To"] == "paul@example.org")
    assert "L'Étranger" in body_of(ready) and library in ready["Subject"]
    assert french_date(scene["hold"].ready_until) in body_of(ready)

    logs = NoticeLog.objects.all()
    assert {(n.kind, n.loan_id, n.hold_id) for n in logs} == {
        (NoticeKind.DUE_SOON, scene["soon"].pk, None),
        (NoticeKind.OVERDUE, scene["late"].pk, None),
        (NoticeKind.HOLD_READY, None, scene["hold"].pk),
    }
    assert all(n.subject and n.to for n in logs)

    # The next run, the same day or the next, sends nothing new.
    out = StringIO()
    call_command("send_notices", "--date", scene["run"].isoformat(), stdout=out)
    assert send_notices(scene["run"] + dt.timedelta(days=1)).total == 0
    assert len(smtp.messages) == 3 and NoticeLog.objects.count() == 3
    assert "0" in out.getvalue()


def test_nothing_is_logged_when_the_server_is_down(scene, settings, smtp):
    use_smtp(settings, free_port())  # nobody listens there
    report = send_notices(scene["run"])
    assert report.total == 0 and report.failed == 3
    assert not NoticeLog.objects.exists()
    use_smtp(settings, smtp.port)
    assert send_notices(scene["run"]).total == 3 and len(smtp.messages) == 3
