"""Links by e-mail for a patron to set their password: the first one, or a new one.

The token (Django's signed, timestamped kind) is bound to the patron's current password hash:
using the link changes it, so a link works once; it also expires after
``PASSWORD_RESET_TIMEOUT``. The page asking for a link answers the same whether or not a card or
an address is known.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from maillon.core.mail import send_after_response
from maillon.opac.network import network_name
from maillon.patrons.conf import normalize_card
from maillon.patrons.models import Patron

# Several cards may share one address (a family): each gets its own link, capped.
MAX_LINKS = 10


class PatronTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "maillon.opac.password_reset.PatronTokenGenerator"

    def _make_hash_value(self, patron: Patron, timestamp: int) -> str:  # type: ignore[override]
        return f"{patron.pk}{patron.password}{timestamp}{patron.email}"


tokens = PatronTokenGenerator()


def patrons_for(identifier: str) -> list[Patron]:
    """The patrons a link may go to: found by card or e-mail, and with an e-mail to send to."""
    identifier = identifier.strip()
    if not identifier:
        return []
    wanted = (
        Q(email__iexact=identifier)
        if "@" in identifier
        else Q(card_number=normalize_card(identifier))
    )
    return list(Patron.objects.filter(wanted).exclude(email="").order_by("pk")[:MAX_LINKS])


def link_path(patron: Patron) -> str:
    return reverse(
        "opac:password_link",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(patron.pk)),
            # A Patron has what the token hashes: pk, password, last_login and email.
            "token": tokens.make_token(patron),  # type: ignore[arg-type]
        },
    )


def send_links(request: HttpRequest, identifier: str) -> int:
    """E-mail a link to each patron found, once the page has answered (the same work whether
    any is found: nobody learns from the timing whether a card or an address is known);
    returns how many (never shown)."""
    found = patrons_for(identifier)
    signature = network_name()
    messages = []
    for patron in found:
        url = request.build_absolute_uri(link_path(patron))
        masked = "…" + patron.card_number[-4:]
        if patron.has_account:
            subject = _("Your new password for the library catalogue")
            intro = _("Someone (probably you) asked to change the password of card %(card)s.")
        else:
            subject = _("Create your password for the library catalogue")
            intro = _("Someone (probably you) asked to create the password of card %(card)s.")
        body = "\n\n".join(
            [
                _("Hello,"),
                intro % {"card": masked},
                _("Open this link to choose it (it works once, for a few days):"),
                url,
                _("If you did not ask for it, ignore this message: nothing changes."),
                signature,
            ]
        )
        messages.append(EmailMessage(subject, body, None, [patron.email]))
    send_after_response(messages)
    return len(found)


def patron_from_link(uidb64: str, token: str) -> Patron | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    patron = Patron.objects.filter(pk=pk).first()
    if patron is None or not tokens.check_token(patron, token):  # type: ignore[arg-type]
        return None
    return patron
