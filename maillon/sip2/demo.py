"""The demo's self-check machine: a SIP2 terminal account at Parthenay."""

from __future__ import annotations

from maillon.network.models import Library
from maillon.sip2.accounts import issue_terminal

LOGIN = "automate-par"


def build_terminals(password: str) -> list[tuple[str, str]]:
    """(login, description) of the demo's terminal accounts, for the printed list."""
    library = Library.objects.filter(code="PAR").first()
    if library is None:
        return []
    issue_terminal(LOGIN, library, password=password)
    return [
        (
            LOGIN,
            "automate de prêt SIP2 à la Médiathèque de Parthenay "
            "(maillon sip2-server, ou MAILLON_SIP2_PORT=6001 avec maillon serve)",
        )
    ]
