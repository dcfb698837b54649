"""`Idempotency-Key` on POST: a retried request answers what the first one answered.

The first request with a key inserts its row and does its work in the same transaction; a
second one with the same key waits on the row's unique index until the first commits, then
finds the stored answer (or, if the first failed and rolled back, does the work itself). Refusals
are not stored: a retry is judged again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from .errors import ApiError
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEEP = dt.timedelta(hours=24)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body or b"")
    return digest.hexdigest()


def _replay(stored: IdempotentRequest, fingerprint: str) -> JsonResponse:
    if stored.fingerprint != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was used for another request: use a new key."),
        )
    response = JsonResponse(
        stored.body, status=stored.status, json_dumps_params={"ensure_ascii": False}
    )
    response["Idempotent-Replayed"] = "true"
    return response


Work = Callable[[], tuple[int, BaseModel]]


def once(request: HttpRequest, user, work: Work) -> Status | JsonResponse:
    """Run `work` (returning status and answer) once per Idempotency-Key, or directly
    without one."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return Status(*work())
    if len(key) > 200:
        raise ApiError(
            400, "invalid_idempotency_key", _("An Idempotency-Key has 200 characters at most.")
        )
    caller, fingerprint = f"user:{user.pk}", _fingerprint(request)
    fresh = timezone.now() - KEEP
    IdempotentRequest.objects.filter(caller=caller, key=key, created_at__lt=fresh).delete()
    stored = IdempotentRequest.objects.filter(caller=caller, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            # Claims the key first: a concurrent twin waits here until this one is decided.
            row = IdempotentRequest.objects.create(
                caller=caller, key=key, fingerprint=fingerprint, status=0, body={}
            )
            status, answer = work()
            # Stored as the API renders it, so that a replay is byte for byte the same answer.
            rendered = json.dumps(answer.model_dump(), cls=NinjaJSONEncoder)
            row.status, row.body = status, json.loads(rendered)
            row.save(update_fields=["status", "body"])
    except IntegrityError:
        stored = IdempotentRequest.objects.filter(caller=caller, key=key).first()
        if stored is None:  # the other one failed and rolled back: do the work
            return once(request, user, work)
        return _replay(stored, fingerprint)
    return Status(status, answer)


def purge(now: dt.datetime | None = None) -> int:
    """Forget keys older than 24 hours."""
    limit = (now or timezone.now()) - KEEP
    deleted, _detail = IdempotentRequest.objects.filter(created_at__lt=limit).delete()
    return deleted
