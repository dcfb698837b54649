"""E-mail sent once the page has answered, so its timing tells nothing (a password link)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)
THREAD_NAME = "maillon-mail"


def _send(messages: Sequence[EmailMessage]) -> None:
    try:
        if messages:
            get_connection().send_messages(list(messages))
    except Exception:  # noqa: BLE001 — nobody waits for this thread: the error goes to the log
        logger.exception("Envoi de %d message(s) impossible", len(messages))


def send_after_response(messages: Sequence[EmailMessage]) -> None:
    """Send `messages` on a thread of its own, started even when there is nothing to send: the
    request does the same work whether an address is known or not. A message lost because the
    process stopped first can be asked for again."""
    threading.Thread(target=_send, args=(messages,), name=THREAD_NAME, daemon=True).start()
