"""Terminal accounts: a self-check machine's login, acting as a volunteer at its library.

The coordinator creates and edits them (the staff page and ``maillon sip2-account`` call
these functions); a librarian or MD staff member reads their own library's. Every change is
locked, written and recorded in the audit log in one transaction. A password is returned once,
to be shown once: only its hash is kept.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.errors import DomainError, Kind
from maillon.network.models import Library, Role, StaffRole
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.sip2.models import Terminal
from maillon.throttling import services as throttling
from maillon.throttling.models import Counter

RIGHTS = ("can_checkout", "can_checkin", "can_renew")
# A login travels in a SIP2 field: no "|" (the field separator) nor spaces or control bytes.
LOGIN = re.compile(r"^[A-Za-z0-9._@+-]{1,60}$")


class TerminalError(DomainError):
    default_kind = Kind.INVALID


# Who sees what ----------------------------------------------------------------------------


def terminals_for(user) -> QuerySet[Terminal]:
    """The coordinator sees every terminal; a librarian (or MD staff) those of the libraries
    they manage, read only; a volunteer none: the page lists logins and lockouts."""
    libraries = libraries_for(user, Action.MANAGE)
    return Terminal.objects.filter(library__in=libraries).select_related("library")


def may_edit(user) -> bool:
    return can(user, Action.ADMINISTER)


# Failed logins (counted by maillon.throttling, as staff logins are) -------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


def login_keys(login: str, address: str) -> list[throttling.Key]:
    """The counters of a terminal's login: its account, and the address it calls from."""
    limit = settings.LOGIN_FAILURE_LIMIT
    return [
        (f"login:sip2:{_digest(login)}", limit),
        (f"login:sip2addr:{_digest(address)}", limit * throttling.ADDRESS_FACTOR),
    ]


def locked_until(terminal: Terminal) -> dt.datetime | None:
    """When the lock on this terminal's login ends, if it is locked now."""
    account_key, _limit = login_keys(terminal.login, "")[0]
    return throttling.locked([(account_key, 0)])


def logged_in(terminal: Terminal, address: str) -> None:
    """A successful login: noted on the account (one UPDATE, no lock: the last one wins)."""
    Terminal.objects.filter(pk=terminal.pk).update(
        last_login_at=timezone.now(), last_login_from=address[:60]
    )


# Changes ---------------------------------------------------------------------------------


def _check(login: str, fallback_encoding: str) -> None:
    if not LOGIN.match(login):
        raise TerminalError(
            "bad_login",
            _("A terminal login has 1 to 60 letters, digits or the signs . _ @ + - (no spaces)."),
            field="login",
        )
    try:
        codecs.lookup(fallback_encoding)
    except LookupError:
        raise TerminalError(
            "bad_encoding",
            _("Unknown character set: %(name)s.") % {"name": fallback_encoding},
            field="fallback_encoding",
        ) from None


def _attach(terminal: Terminal, library: Library) -> None:
    """The terminal's user is a volunteer at its library, and nowhere else."""
    StaffRole.objects.filter(user=terminal.user).delete()
    StaffRole.objects.create(user=terminal.user, library=library, role=Role.VOLUNTEER)


def _lock(terminal: Terminal) -> Terminal:
    return Terminal.objects.select_for_update().select_related("library").get(pk=terminal.pk)


def create_terminal(
    actor,
    login: str,
    library: Library,
    *,
    can_checkout: bool = True,
    can_checkin: bool = True,
    can_renew: bool = True,
    fallback_encoding: str = "cp1252",
) -> tuple[Terminal, str]:
    """A new terminal account at `library`; returns it and its random password."""
    if actor is not None:
        require(actor, Action.ADMINISTER)
    login = login.strip()
    _check(login, fallback_encoding)
    with transaction.atomic():
        if Terminal.objects.filter(login__iexact=login).exists():
            raise TerminalError(
                "login_taken",
                _("A terminal already logs in as %(login)s.") % {"login": login},
                field="login",
                kind=Kind.CONFLICT,
            )
        user = get_user_model().objects.create_user(
            username=f"sip2:{login}"[:150], first_name="SIP2", last_name=login[:150]
        )
        user.set_unusable_password()
        user.save()
        terminal = Terminal(
            login=login,
            library=library,
            user=user,
            can_checkout=can_checkout,
            can_checkin=can_checkin,
            can_renew=can_renew,
            fallback_encoding=fallback_encoding,
        )
        password = terminal.set_password()
        terminal.save()
        _attach(terminal, library)
        record(
            "sip2_terminal_created",
            terminal,
            actor=actor,
            library=library,
            details={"sip2_login": login},
        )
    return terminal, password


def change_terminal(
    actor,
    terminal: Terminal,
    *,
    library: Library,
    can_checkout: bool,
    can_checkin: bool,
    can_renew: bool,
    fallback_encoding: str,
) -> Terminal:
    """Move the terminal to another library, or change what it may do. A connected terminal
    follows at its next message (the server reads the account again each time)."""
    require(actor, Action.ADMINISTER)
    _check(terminal.login, fallback_encoding)
    new: dict[str, Any] = {
        "library": library,
        "can_checkout": can_checkout,
        "can_checkin": can_checkin,
        "can_renew": can_renew,
        "fallback_encoding": fallback_encoding,
    }
    with transaction.atomic():
        terminal = _lock(terminal)
        changes: dict[str, list] = {}
        for name, value in new.items():
            before = getattr(terminal, name)
            if before != value:
                shown = (before.code, value.code) if name == "library" else (before, value)
                changes[f"sip2_{name}"] = list(shown)
                setattr(terminal, name, value)
        if changes:
            terminal.save()
            if "sip2_library" in changes:
                _attach(terminal, library)
            record(
                "sip2_terminal_changed",
                terminal,
                actor=actor,
                library=library,
                details={"sip2_login": terminal.login, "changes": changes},
            )
    return terminal


def set_active(actor, terminal: Terminal, active: bool) -> Terminal:
    """Disable a terminal (its open connection ends at its next message) or enable it again."""
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        terminal = _lock(terminal)
        if terminal.is_active != active:
            terminal.is_active = active
            terminal.save(update_fields=["is_active"])
            record(
                "sip2_terminal_enabled" if active else "sip2_terminal_disabled",
                terminal,
                actor=actor,
                library=terminal.library_id,
                details={"sip2_login": terminal.login},
            )
    return terminal


def reset_password(actor, terminal: Terminal, password: str | None = None) -> tuple[Terminal, str]:
    """A new password (random unless given); the old one stops working at once, and an open
    connection that logged in with it ends at its next message."""
    if actor is not None:
        require(actor, Action.ADMINISTER)
    with transaction.atomic():
        terminal = _lock(terminal)
        password = terminal.set_password(password)
        terminal.save(update_fields=["password_hash"])
        record(
            "sip2_password_reset",
            terminal,
            actor=actor,
            library=terminal.library_id,
            details={"sip2_login": terminal.login},
        )
    return terminal, password


def unlock(actor, terminal: Terminal) -> None:
    """Forget the failed logins of this terminal's account and of its last known address."""
    require(actor, Action.ADMINISTER)
    keys = [key for key, _limit in login_keys(terminal.login, terminal.last_login_from)]
    if not terminal.last_login_from:
        keys = keys[:1]
    with transaction.atomic():
        Counter.objects.filter(key__in=keys).delete()
        record(
            "sip2_terminal_unlocked",
            terminal,
            actor=actor,
            library=terminal.library_id,
            details={"sip2_login": terminal.login},
        )


def issue_terminal(
    login: str, library: Library, *, password: str | None = None
) -> tuple[Terminal, str]:
    """For ``maillon sip2-account``: create the terminal account `login` at `library`, or move
    it there and give it a new password; returns the account and its password, shown once."""
    with transaction.atomic():
        terminal = Terminal.objects.filter(login=login).first()
        if terminal is None:
            terminal, generated = create_terminal(None, login, library)
            if password is None:
                return terminal, generated
        elif terminal.library_id != library.pk:
            before = terminal.library.code
            terminal.library = library
            terminal.save(update_fields=["library"])
            _attach(terminal, library)
            record(
                "sip2_terminal_changed",
                terminal,
                library=library,
                details={
                    "sip2_login": login,
                    "changes": {"sip2_library": [before, library.code]},
                },
            )
        if password is not None and terminal.check_password(password):
            return terminal, password  # the demo's, again: nothing to change
        return reset_password(None, terminal, password)
