"""The offline desk's queue: what a desk page recorded while the server could not be reached,
sent once the connection is back (maillon.offline.services).

Each operation carries the desk's id and its sequence number: sending a queue again answers
what was decided the first time (`replayed`) and changes nothing. A refusal of the circulation
services is not an error of the request: the operation is kept in the librarians' review list,
and its answer says so (`status: conflict`, the refusal's code and French message).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import StringConstraints

from maillon.offline import services as offline
from maillon.offline.models import OfflineOperation

from .auth import acting_library, staff_auth
from .circulation_routes import AUTH_ERRORS, WRITE_ERRORS
from .idempotency import once
from .schemas import Field, Schema

Barcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]

router = Router(tags=["offline desk"], auth=staff_auth)


class QueuedOperation(Schema):
    seq: int = Field(ge=1, le=2_000_000_000, description="The desk's sequence number.")
    kind: Literal["checkout", "checkin"]
    card: str = Field("", max_length=40, description="Card number (checkouts).")
    # Kept as received until applied: the column holds 40 characters, as an item's barcode.
    barcode: Barcode = Field(description="Item barcode.")
    at: dt.datetime = Field(description="When it happened at the desk (ISO 8601, with offset).")


class QueueRequest(Schema):
    desk: str = Field(
        pattern=r"^[A-Za-z0-9-]{8,64}$", description="The desk page's own id (a UUID)."
    )
    library: str | None = Field(None, max_length=20, description="Code of the desk's library.")
    operations: list[QueuedOperation] = Field(min_length=1, max_length=500)


class OperationResult(Schema):
    seq: int
    kind: str
    barcode: str
    status: Literal["applied", "conflict", "resolved", "dismissed"] = Field(
        description="conflict: kept in the review list for a librarian."
    )
    code: str = Field(description="The circulation refusal's code, if any.")
    message: str = Field(description="For people, in French: a refusal or where the item goes.")
    due_on: dt.date | None = None
    replayed: bool = Field(description="Received before: nothing was done this time.")


class QueueResult(Schema):
    desk: str
    operations: list[OperationResult]
    conflicts: int = Field(description="How many of these operations wait for review.")


def _result(op: OfflineOperation, replayed: bool) -> dict:
    return {
        "seq": op.seq,
        "kind": op.kind,
        "barcode": op.barcode,
        "status": op.status,
        "code": op.code,
        "message": op.message,
        "due_on": op.loan.due_on if op.loan and op.kind == "checkout" else None,
        "replayed": replayed,
    }


@router.post(
    "/offline/operations",
    response={200: QueueResult, **WRITE_ERRORS, **AUTH_ERRORS},
    url_name="offline_operations",
    summary="Send an offline desk's queued checkouts and check-ins",
    operation_id="sendOfflineQueue",
)
def operations_view(request: HttpRequest, body: QueueRequest):
    user = request.auth  # type: ignore[attr-defined]

    def work():
        library = acting_library(user, body.library)
        outcomes = offline.record_desk(
            user,
            library,
            body.desk,
            [
                offline.Operation(op.seq, op.kind, op.barcode, op.at, card=op.card)
                for op in body.operations
            ],
        )
        results = [_result(o.operation, o.replayed) for o in outcomes]
        return 200, QueueResult.model_validate(
            {
                "desk": body.desk,
                "operations": results,
                "conflicts": sum(1 for r in results if r["status"] == "conflict"),
            }
        )

    return once(request, user, work)
