"""Answering SIP2 requests: each action goes through the circulation services, as the terminal.

``Session`` holds one connection's state; ``answer(session, text)`` returns the response text
(with its trailer). Everything here is synchronous: the TCP server calls it in a thread.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation import services as circulation
from maillon.circulation.errors import CirculationError
from maillon.circulation.loans import find_open_loan, patron_refusals
from maillon.circulation.models import Hold, HoldStatus, Loan, NetworkPolicy
from maillon.core import prepared
from maillon.core.prepared import Prepared
from maillon.network.models import Library, StaffRole
from maillon.network.permissions import remember_roles
from maillon.patrons.models import CategoryKind, Patron, PatronBlock
from maillon.sip2 import accounts, protocol
from maillon.sip2.models import Terminal
from maillon.throttling import services as throttling

VERSION = "2.00"
SUPPORTED = "YYYYYYYYYYNNNNNN"  # 93 99 23 63 11 09 17 29 65 35 ... (BX, "supported messages")


@dataclass
class Session:
    terminal: Terminal | None = None
    last_response: str = "96"
    log: list[str] = field(default_factory=list)
    peer: str = ""  # the terminal's address, for counting failed logins
    account: list | None = None  # the account as read at the last message (see _still_valid)
    close: bool = False  # end the connection after answering (lockout, account disabled)


def now() -> dt.datetime:
    return timezone.localtime()


def answer(session: Session, text: str) -> str:
    """The response to one request (text without its CR)."""
    translation.activate(settings.LANGUAGE_CODE)
    try:
        message = protocol.parse(text)
    except protocol.ParseError:
        return "96"  # "please resend"
    if message.code == "97":
        return session.last_response
    if message.code == "93":
        body = _login(session, message)
    elif message.code in _ACCOUNT_AHEAD and _account_may_ride(session):
        found = _handled_with_account_ahead(session, message)
        if found is None:
            return "96"
        body = found
    elif not _still_valid(session):
        return "96" if message.code != "99" else _status(session, message)
    else:
        handler = HANDLERS.get(message.code)
        if handler is None:
            return "96"
        body = handler(session, message)
    response = protocol.with_trailer(body, message.sequence)
    session.last_response = response
    return response


def _still_valid(session: Session) -> bool:
    """Whether the session's terminal may still act, read afresh: a terminal the coordinator
    disabled or gave a new password is logged out (and its connection closed), one moved to
    another library or given other rights acts with them from this message on.

    One plain statement reads the account as it stands: the terminal's row, its user's
    standing, its library's row and its user's roles (what ``can`` decides on). When it reads
    as at the last message, the session keeps its objects (and the roles known from that
    statement); else they are read again."""
    if session.terminal is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_account_sql(), [session.terminal.pk])
        account = cursor.fetchall()
    if not account or account[0][0] != session.terminal.password_hash:
        session.terminal, session.account, session.close = None, None, True
        return False
    if account != session.account:
        terminal = (
            Terminal.objects.select_related("library", "user")
            .filter(pk=session.terminal.pk, is_active=True)
            .first()
        )
        if terminal is None or terminal.password_hash != account[0][0]:
            session.terminal, session.account, session.close = None, None, True
            return False
        remember_roles(terminal.user, {row[-2]: row[-1] for row in account if row[-2] is not None})
        session.terminal, session.account = terminal, account
    return True


# The requests whose service begins with one round trip that locks its rows (a checkout, a
# check-in: see prepared.together): on PostgreSQL the terminal's account is read in it too.
_ACCOUNT_AHEAD = frozenset({"11", "09"})


class _AccountChanged(Exception):
    """The account read with the service's locks is not the one the session acted with."""


def _account_may_ride(session: Session) -> bool:
    return (
        session.terminal is not None
        and session.account is not None  # read whole once since the login
        and connection.vendor == "postgresql"
    )


def _handled_with_account_ahead(session: Session, message: protocol.Message) -> str | None:
    """The request answered with the account read in the service's first round trip, with
    its locks (see ``prepared.ahead``), rather than in a round trip of its own before: what
    ``_still_valid`` decides, decided on that read. Unchanged since the last message (nearly
    always), the answer stands. Changed, the service's transaction ends there, before it
    wrote anything (the error raised by the check rolls it back), and the request is
    answered as any other: the account read again, then the handler with what it now allows.
    A request refused before the service sent anything (a terminal that may not lend, an
    empty barcode) wrote nothing either: its account is read then, and the answer given
    again if it changed. None: the session is no longer valid."""
    assert session.terminal is not None
    known = session.account

    def check(rows: list[tuple]) -> None:
        if rows != known:
            raise _AccountChanged

    handler = HANDLERS[message.code]
    try:
        with prepared.ahead(_account_sql(), [session.terminal.pk], check) as read:
            body = handler(session, message)
    except _AccountChanged:
        pass
    else:
        if read.rows is not None:
            return body
        if not _still_valid(session):
            return None
        if session.account is known:
            return body
    if not _still_valid(session):
        return None
    return handler(session, message)


@cache
def _account_sql() -> str:
    """The password hash first, then every column that may change what a terminal does:
    its own, its user's standing, its library's; one row per role of its user (none: one
    row ending with two NULLs). Written once per process: the ORM would build two queries."""
    quote = connection.ops.quote_name
    user_model = get_user_model()

    def columns(model, alias: str) -> list[str]:
        return [f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields]

    selected = [
        f"t.{quote('password_hash')}",
        *columns(Terminal, "t"),
        f"u.{quote('is_active')}",
        f"u.{quote('is_superuser')}",
        *columns(Library, "l"),
        f"r.{quote('library_id')}",
        f"r.{quote('role')}",
    ]
    return (
        f"SELECT {', '.join(selected)} FROM {quote(Terminal._meta.db_table)} t "
        f"JOIN {quote(user_model._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
        f"JOIN {quote(Library._meta.db_table)} l ON l.{quote('id')} = t.{quote('library_id')} "
        f"LEFT JOIN {quote(StaffRole._meta.db_table)} r "
        f"ON r.{quote('user_id')} = t.{quote('user_id')} "
        f"WHERE t.{quote('id')} = %s AND t.{quote('is_active')} "
        f"ORDER BY r.{quote('library_id')}"
    )


def _login(session: Session, message: protocol.Message) -> str:
    """94 with 1 or 0; after too many failures, 0 and the connection is closed, and further
    attempts are refused without checking the password until the lock ends."""
    keys = accounts.login_keys(message.get("CN"), session.peer)
    if throttling.attempt(keys) is not None:
        session.terminal, session.close = None, True
        return "940"
    terminal = (
        Terminal.objects.select_related("library", "user")
        .filter(login=message.get("CN"), is_active=True)
        .first()
    )
    ok = terminal is not None and terminal.check_password(message.get("CO"))
    session.terminal, session.account = (terminal if ok else None), None
    if ok:
        assert terminal is not None
        throttling.succeeded(keys)
        accounts.logged_in(terminal, session.peer)
    return "941" if ok else "940"


def _status(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    fixed = "".join(
        [
            "Y",  # online
            protocol.flag(bool(terminal and terminal.can_checkin)),
            protocol.flag(bool(terminal and terminal.can_checkout)),
            protocol.flag(bool(terminal and terminal.can_renew)),
            "N",  # status update
            "N",  # offline
            "030",  # timeout
            "003",  # retries
            protocol.sip_date(now()),
            VERSION,
        ]
    )
    library = terminal.library if terminal else None
    return protocol.build(
        "98",
        fixed,
        [
            ("AO", library.code if library else ""),
            ("AM", library.name if library else None),
            ("BX", SUPPORTED),
        ],
    )


def _patron(card: str) -> Patron | None:
    """The card's patron with its category, and whether it has an active block (read by
    patron_refusals: the blocks themselves only for a blocked card)."""
    card = card.strip()
    if not card:
        return None
    return _PATRON_BY_CARD.first(card)


# What a kiosk's requests read, compiled once per process (see maillon.core.prepared): the
# ORM took longer to write these statements than the database to answer them.
_PATRON_BY_CARD = Prepared(
    lambda card: (
        Patron.objects.select_related("category")
        .annotate(
            has_active_block=Exists(
                PatronBlock.objects.filter(patron=OuterRef("pk"), lifted_at__isnull=True)
            )
        )
        .filter(card_number=card)
        .order_by("pk")[:1]
    ),
    str,
)
# What the kiosk lists of each loan, soonest due first (as circulation.loans_of orders them):
# not the records, which a school's 300 loans would read whole.
_LOANS_LISTED = Prepared(
    lambda patron_id: (
        Loan.objects.filter(patron_id=patron_id, returned_at__isnull=True)
        .order_by("due_on", "pk")
        .values_list("due_on", "item__barcode", "library_id")
    ),
    int,
)
_OPEN_HOLDS = Prepared(
    lambda patron_id: Hold.objects.filter(
        patron_id=patron_id, closed_at__isnull=True
    ).select_related("target"),
    int,
)


def too_many_items(
    patron: Patron, library_id: int | None, loan_libraries: list[int] | None = None
) -> bool:
    """Whether the patron holds as many loans as the network allows, in all or from the
    terminal's library (the limits a checkout checks first; a rule's own limit depends on
    the item, so it is only known at checkout). `loan_libraries`: the library of each of
    the patron's open loans, when the caller read them already."""
    policy = NetworkPolicy.current()
    if policy.collective_exempt and patron.category.kind == CategoryKind.COLLECTIVE:
        return False
    network = policy.max_loans_network
    here = policy.max_loans_per_library if library_id is not None else None
    if network is None and here is None:
        return False
    if loan_libraries is None:  # counted by library in one statement: a few rows
        per_library = dict(
            Loan.objects.filter(patron=patron, returned_at__isnull=True)
            .order_by()
            .values_list("library_id")
            .annotate(n=Count("pk"))
        )
    else:
        per_library = Counter(loan_libraries)
    if network is not None and sum(per_library.values()) >= network:
        return True
    return here is not None and per_library.get(library_id, 0) >= here


def patron_status(
    patron: Patron | None,
    today: dt.date,
    library_id: int | None = None,
    loan_libraries: list[int] | None = None,
) -> str:
    """The 14 characters: Y where the privilege is denied, from the card's real blocks and
    the network's loan limits (`loan_libraries`: see too_many_items)."""
    if patron is None:
        return "Y" * 4 + " " * 10
    refusals = {r.code for r in patron_refusals(patron, today)}
    blocked = bool(refusals)
    flags = [
        blocked,  # charge privileges denied
        blocked,  # renewal privileges denied
        False,  # recall privileges denied
        blocked,  # hold privileges denied
        "patron_blocked" in refusals,  # card reported lost (we say: blocked)
        too_many_items(patron, library_id, loan_libraries),  # too many items charged
        False,  # too many items overdue
        False,  # too many renewals
        False,  # too many claims of items returned
        False,  # too many items lost
        False,  # excessive outstanding fines
        False,  # excessive outstanding fees
        False,  # recall overdue
        False,  # too many items billed
    ]
    return "".join("Y" if f else " " for f in flags)


def _library_id(session: Session) -> int | None:
    return session.terminal.library_id if session.terminal else None


def _pin_ok(patron: Patron, message: protocol.Message) -> str | None:
    """None when no PIN was given; else Y/N, checked against the patron's account password."""
    if "AD" not in message.fields:
        return None
    return protocol.flag(patron.has_account and patron.check_password(message.get("AD")))


def _patron_fields(session: Session, patron: Patron | None, card: str, message) -> list:
    terminal = session.terminal
    assert terminal is not None
    return [
        ("AO", terminal.library.code),
        ("AA", card),
        ("AE", f"{patron.first_name} {patron.surname}".strip() if patron else ""),
        ("BL", protocol.flag(patron is not None)),
        ("CQ", _pin_ok(patron, message) if patron else None),
    ]


def _patron_status(session: Session, message: protocol.Message) -> str:
    card = message.get("AA")
    patron = _patron(card)
    fixed = (
        patron_status(patron, now().date(), _library_id(session))
        + message.fixed["language"]
        + protocol.sip_date(now())
    )
    return protocol.build("24", fixed, _patron_fields(session, patron, card, message))


def _patron_info(session: Session, message: protocol.Message) -> str:
    card = message.get("AA")
    patron = _patron(card)
    loans: list[tuple[dt.date, str, int]] = _LOANS_LISTED.rows(patron.pk) if patron else []
    today = now().date()
    overdue = [barcode for due_on, barcode, _library in loans if due_on < today]
    holds = _OPEN_HOLDS.all(patron.pk) if patron else []
    ready = [h for h in holds if h.status == HoldStatus.READY]
    waiting = [h for h in holds if h.status != HoldStatus.READY]
    counts = "".join(f"{n:04d}" for n in (len(ready), len(overdue), len(loans), 0, 0, len(waiting)))
    fixed = (
        patron_status(patron, today, _library_id(session), [lib for _d, _b, lib in loans])
        + message.fixed["language"]
        + protocol.sip_date(now())
        + counts
    )
    fields = _patron_fields(session, patron, card, message)
    fields += [("AS", h.target.barcode if h.target else str(h.pk)) for h in ready]
    fields += [("AT", barcode) for barcode in overdue]
    fields += [("AU", barcode) for _due_on, barcode, _library in loans]
    fields += [("CD", str(h.pk)) for h in waiting]
    if patron is not None and patron.email:
        fields.append(("BE", patron.email))
    return protocol.build("64", fixed, fields)


def _item(barcode: str) -> Item | None:
    return Item.objects.select_related("record").filter(barcode=barcode).first()


def _item_title(item: Item | None) -> str:
    if item is None:
        return ""
    return str(getattr(item.record, "title", "") or "")


def _checkout(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    card, barcode = message.get("AA"), message.get("AB")
    ok, due, screen = False, None, ""
    item: Item | None = None
    if not terminal.can_checkout:
        screen = _("This terminal may not lend.")
    else:
        try:
            loan = circulation.checkout(terminal.actor(), terminal.library, card, barcode)
            ok, due = True, protocol.sip_date(loan.due_on)
            item = loan.item  # read with its record by the checkout
        except (CirculationError, PermissionDenied) as exc:
            screen = str(getattr(exc, "message", exc))
    if item is None:
        item = _item(barcode)
    fixed = ("1" if ok else "0") + "N" + ("Y" if ok else "N") + "N" + protocol.sip_date(now())
    return protocol.build(
        "12",
        fixed,
        [
            ("AO", terminal.library.code),
            ("AA", card),
            ("AB", barcode),
            ("AJ", _item_title(item)),
            ("AH", due),
            ("AF", screen or None),
        ],
    )


def _checkin(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    barcode = message.get("AB")
    ok, screen, destination, alert = False, "", "", False
    patron_card, home = "", ""
    item: Item | None = None
    if not terminal.can_checkin:
        screen = _("This terminal may not take returns.")
    else:
        try:
            result = circulation.checkin(terminal.actor(), terminal.library, barcode)
            ok, screen = True, result.message
            destination = result.destination.code
            alert = result.action != "shelve"
            if result.loan is not None and result.loan.patron is not None:
                patron_card = result.loan.patron.card_number
            item = result.item  # read with its record by the check-in, its home as it is now
            # Most copies come home, or go where the answer sends them: no need to ask.
            known = (terminal.library, result.destination)
            home = next((lib.code for lib in known if lib.pk == item.home_id), "")
        except (CirculationError, PermissionDenied) as exc:
            screen = str(getattr(exc, "message", exc))
    if item is None:
        item = _item(barcode)
    if item is not None and not home:
        home = item.home.code
    fixed = (
        ("1" if ok else "0")
        + ("N" if ok else "N")  # resensitize: Y when the alarm must be set back
        + "U"  # magnetic media: unknown
        + protocol.flag(alert)
        + protocol.sip_date(now())
    )
    return protocol.build(
        "10",
        fixed,
        [
            ("AO", terminal.library.code),
            ("AB", barcode),
            ("AQ", home),
            ("CT", destination or None),  # the routing answer: where the item goes
            ("AJ", _item_title(item)),
            ("AA", patron_card or None),
            ("AF", screen or None),
        ],
    )


def _item_info(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    barcode = message.get("AB")
    item = Item.objects.select_related("record", "home", "current").filter(barcode=barcode).first()
    circulation_status = "01"
    due = None
    if item is not None:
        statuses: dict[str, str] = {
            ItemStatus.AVAILABLE: "03",
            ItemStatus.ON_LOAN: "04",
            ItemStatus.IN_TRANSIT: "10",
            ItemStatus.ON_HOLD_SHELF: "08",
            ItemStatus.LOST: "12",
        }
        circulation_status = statuses.get(item.status, "01")
        loan = Loan.objects.filter(item=item, returned_at__isnull=True).first()
        if loan is not None:
            due = protocol.sip_date(loan.due_on)
    fixed = circulation_status + "00" + "00" + protocol.sip_date(now())
    return protocol.build(
        "18",
        fixed,
        [
            ("AB", barcode),
            ("AJ", _item_title(item)),
            ("AH", due),
            ("AQ", item.home.code if item is not None else None),
            ("AP", item.current.code if item is not None else None),
        ],
    )


def _renew(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    card, barcode = message.get("AA"), message.get("AB")
    ok, due, screen = False, None, ""
    if not terminal.can_renew:
        screen = _("This terminal may not renew loans.")
    else:
        try:
            loan = find_open_loan(barcode)
            if loan.patron is None or loan.patron.card_number != card.strip():
                raise CirculationError("not_your_loan", _("This loan is not yours."))
            loan = circulation.renew(terminal.actor(), terminal.library, loan)
            ok, due = True, protocol.sip_date(loan.due_on)
        except (CirculationError, PermissionDenied) as exc:
            screen = str(getattr(exc, "message", exc))
    fixed = ("1" if ok else "0") + protocol.flag(ok) + "N" + "N" + protocol.sip_date(now())
    return protocol.build(
        "30",
        fixed,
        [
            ("AO", terminal.library.code),
            ("AA", card),
            ("AB", barcode),
            ("AH", due),
            ("AF", screen or None),
        ],
    )


def _renew_all(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    card = message.get("AA")
    patron = _patron(card)
    renewed, refused = [], []
    if patron is not None and terminal.can_renew:
        for loan in circulation.loans_of(patron):
            try:  # each renewal in its own transaction (the service's)
                circulation.renew(terminal.actor(), terminal.library, loan)
                renewed.append(loan.item.barcode)
            except (CirculationError, PermissionDenied):
                refused.append(loan.item.barcode)
    ok = patron is not None and terminal.can_renew
    fixed = (
        ("1" if ok else "0") + f"{len(renewed):04d}{len(refused):04d}" + protocol.sip_date(now())
    )
    fields: list[tuple[str, str | None]] = [("AO", terminal.library.code)]
    fields += [("BM", b) for b in renewed]
    fields += [("BN", b) for b in refused]
    return protocol.build("66", fixed, fields)


def _end_session(session: Session, message: protocol.Message) -> str:
    terminal = session.terminal
    assert terminal is not None
    return protocol.build(
        "36",
        "Y" + protocol.sip_date(now()),
        [("AO", terminal.library.code), ("AA", message.get("AA"))],
    )


HANDLERS = {
    "99": _status,
    "23": _patron_status,
    "63": _patron_info,
    "11": _checkout,
    "09": _checkin,
    "17": _item_info,
    "29": _renew,
    "65": _renew_all,
    "35": _end_session,
}
