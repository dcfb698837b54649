"""Terminal accounts: a self-check machine's login, acting as a volunteer at its library."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from maillon.network.models import Library, Role, StaffRole
from maillon.sip2.models import Terminal


def issue_terminal(
    login: str, library: Library, *, password: str | None = None
) -> tuple[Terminal, str]:
    """Create the terminal account `login` at `library`, or move it there and give it a new
    password; returns the account and its password (random unless given), shown once."""
    with transaction.atomic():
        terminal = Terminal.objects.filter(login=login).first()
        if terminal is None:
            user = get_user_model().objects.create_user(
                username=f"sip2:{login}"[:150], first_name="SIP2"
            )
            user.set_unusable_password()
            user.save()
            terminal = Terminal(login=login, library=library, user=user)
        terminal.library = library
        StaffRole.objects.filter(user=terminal.user).delete()
        StaffRole.objects.create(user=terminal.user, library=library, role=Role.VOLUNTEER)
        password = terminal.set_password(password)
        terminal.save()
    return terminal, password
