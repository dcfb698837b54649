"""Is the address the server would listen on free? Told before anything else starts."""

from __future__ import annotations

import socket

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def require_free_port(host: str, port: int, command: str) -> None:
    """Refuse in one clear sentence when another program already listens on host:port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _(
                    "Port %(port)s is already taken (by another Maillon or another server): "
                    "`maillon %(command)s --port %(other)s`"
                )
                % {"port": port, "command": command, "other": port + 10}
            ) from exc
