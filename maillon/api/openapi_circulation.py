"""The staff part of the OpenAPI document: circulation and patrons (authenticated)."""

from __future__ import annotations

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import HoldStatus

DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
LIBRARY_FIELD = {
    "type": "string",
    "description": "Code of the library where the desk is; default: the account's first "
    "workplace. Refused (403 library_forbidden) if the account may not do "
    "circulation work there.",
}

SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "A key from `maillon create-api-token USERNAME`.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": "A signed-in staff session; write requests also need "
        "the CSRF token (X-CSRFToken header).",
    },
}
SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], properties: dict, **extra) -> dict:
    return {"type": "object", "required": required, "properties": properties, **extra}


CIRCULATION_SCHEMAS: dict[str, dict] = {
    "Loan": _object(
        [
            "id",
            "item",
            "title",
            "record",
            "patron",
            "library",
            "checked_out_at",
            "due_on",
            "renewals",
            "overridden",
        ],
        {
            "id": {"type": "integer"},
            "item": {"type": "string", "description": "Barcode."},
            "title": STRING,
            "record": {"type": "integer"},
            "patron": {"type": ["string", "null"], "description": "Card number."},
            "library": {"type": "string", "description": "Code of the lending library."},
            "checked_out_at": DATETIME,
            "due_on": DATE,
            "renewals": {"type": "integer", "minimum": 0},
            "overridden": {"type": "boolean"},
        },
    ),
    "Hold": _object(
        [
            "id",
            "record",
            "title",
            "item",
            "patron",
            "pickup_library",
            "status",
            "status_label",
            "position",
            "created_at",
            "ready_until",
            "target",
        ],
        {
            "id": {"type": "integer"},
            "record": {"type": "integer"},
            "title": STRING,
            "item": {"type": ["string", "null"], "description": "Barcode, for a hold on one copy."},
            "patron": NULLABLE_STRING,
            "pickup_library": STRING,
            "status": {"type": "string", "enum": list(HoldStatus.values)},
            "status_label": STRING,
            "position": {
                "type": ["integer", "null"],
                "minimum": 1,
                "description": "Place in the queue, while waiting.",
            },
            "created_at": DATETIME,
            "ready_until": NULLABLE_DATE,
            "target": {"type": ["string", "null"], "description": "Barcode of the chosen copy."},
        },
    ),
    "CheckinResult": _object(
        [
            "action",
            "item",
            "destination",
            "destination_name",
            "reason",
            "message",
            "hold",
            "transfer",
            "loan_closed",
            "patron_card",
            "patron_initials",
            "repeated",
            "misrouted_from",
        ],
        {
            "action": {
                "type": "string",
                "enum": ["shelve", "hold_shelf", "transfer"],
                "description": "What the desk must do with the item.",
            },
            "item": STRING,
            "destination": {
                "type": "string",
                "description": "Code of the library it goes to (this one to shelve it here).",
            },
            "destination_name": STRING,
            "reason": {"type": "string", "enum": ["", "hold", "return_home", "manual"]},
            "message": {"type": "string", "description": "For the desk, in French."},
            "hold": {"type": ["integer", "null"]},
            "transfer": {"type": ["integer", "null"]},
            "loan_closed": {"type": ["integer", "null"]},
            "patron_card": STRING,
            "patron_initials": STRING,
            "repeated": {"type": "boolean", "description": "A double scan: nothing changed."},
            "misrouted_from": NULLABLE_STRING,
        },
    ),
    "HoldCancellation": _object(
        ["hold", "decision"],
        {
            "hold": _ref("Hold"),
            "decision": {
                "oneOf": [_ref("CheckinResult"), {"type": "null"}],
                "description": "Where the copy kept on a hold shelf goes now.",
            },
        },
    ),
    "Patron": _object(
        [
            "card",
            "surname",
            "first_name",
            "category",
            "home_library",
            "email",
            "registered_on",
            "expires_on",
            "status",
            "blocks",
            "loans",
            "holds",
        ],
        {
            "card": STRING,
            "surname": STRING,
            "first_name": STRING,
            "category": STRING,
            "home_library": STRING,
            "email": STRING,
            "registered_on": DATE,
            "expires_on": DATE,
            "status": {"type": "string", "enum": ["ok", "expired", "blocked"]},
            "blocks": {
                "type": "array",
                "items": _object(
                    ["kind", "label", "note", "since"],
                    {"kind": STRING, "label": STRING, "note": STRING, "since": DATETIME},
                ),
            },
            "loans": {"type": "array", "items": _ref("Loan")},
            "holds": {"type": "array", "items": _ref("Hold")},
        },
    ),
    "ItemState": _object(
        [
            "barcode",
            "record",
            "title",
            "call_number",
            "item_type",
            "status",
            "status_label",
            "home_library",
            "current_library",
            "due_on",
            "transfer",
        ],
        {
            "barcode": STRING,
            "record": {"type": "integer"},
            "title": STRING,
            "call_number": STRING,
            "item_type": STRING,
            "status": {"type": "string", "enum": list(ItemStatus.values)},
            "status_label": STRING,
            "home_library": STRING,
            "current_library": STRING,
            "due_on": NULLABLE_DATE,
            "transfer": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        ["from_library", "to_library", "reason", "created_at", "sent_at"],
                        {
                            "from_library": STRING,
                            "to_library": STRING,
                            "reason": {"type": "string", "enum": ["hold", "return_home", "manual"]},
                            "created_at": DATETIME,
                            "sent_at": NULLABLE_DATETIME,
                        },
                    ),
                ]
            },
        },
    ),
    "CheckoutRequest": _object(
        ["patron", "item"],
        {
            "patron": {"type": "string", "description": "Card number."},
            "item": {"type": "string", "description": "Barcode."},
            "library": LIBRARY_FIELD,
            "override_reason": {
                "type": "string",
                "description": "Force an overridable refusal (librarians only); kept on the loan.",
            },
        },
    ),
    "CheckinRequest": _object(["item"], {"item": STRING, "library": LIBRARY_FIELD}),
    "RenewalRequest": _object(["item"], {"item": STRING, "library": LIBRARY_FIELD}),
    "HoldRequest": _object(
        ["patron", "pickup_library"],
        {
            "patron": STRING,
            "record": {"type": "integer", "description": "A hold on any copy of the record."},
            "item": {"type": "string", "description": "Or a hold on this copy (barcode)."},
            "pickup_library": STRING,
            "library": LIBRARY_FIELD,
        },
        anyOf=[{"required": ["record"]}, {"required": ["item"]}],
    ),
    "PatronRequest": _object(
        ["card", "surname", "category", "home_library"],
        {
            "card": STRING,
            "surname": STRING,
            "first_name": STRING,
            "birth_date": DATE,
            "category": {"type": "string", "description": "Patron category code."},
            "home_library": STRING,
            "email": {"type": "string", "format": "email"},
            "email_notices": {"type": "boolean"},
            "newsletters": {"type": "boolean"},
            "keep_history": {"type": "boolean"},
        },
    ),
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


AUTH_ERRORS = {
    "401": _error("No credentials, or an unknown token (authentication_required, invalid_token)."),
    "403": _error("Not allowed at this library, not staff, or CSRF check failed."),
}
REFUSAL = _error(
    "Refused by the circulation rules (stable code, French message; "
    "`overridable` when a librarian may force it)."
)
NOT_FOUND = _error("Unknown card, barcode, library, record or hold.")
BAD_REQUEST = _error("Missing or malformed field.")


def _operation(operation_id: str, summary: str, responses: dict, **extra) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "security": SECURITY,
        **extra,
        "responses": {**responses, **AUTH_ERRORS},
    }


def _path_param(name: str, schema: dict, description: str) -> list[dict]:
    return [
        {"name": name, "in": "path", "required": True, "schema": schema, "description": description}
    ]


CIRCULATION_PATHS = {
    "/checkouts": {
        "post": _operation(
            "checkout",
            "Lend an item to a patron",
            {
                "201": _ok("Loan", "The loan, with its due date."),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
                "409": REFUSAL,
            },
            requestBody=_body("CheckoutRequest"),
        )
    },
    "/checkins": {
        "post": _operation(
            "checkin",
            "Check an item in: what to do with it",
            {
                "200": _ok("CheckinResult", "Shelve it, put it on the hold shelf, or send it."),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
                "409": REFUSAL,
            },
            requestBody=_body("CheckinRequest"),
        )
    },
    "/renewals": {
        "post": _operation(
            "renew",
            "Renew the loan of an item",
            {
                "200": _ok("Loan", "The loan, with its new due date."),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
                "409": REFUSAL,
            },
            requestBody=_body("RenewalRequest"),
        )
    },
    "/holds": {
        "post": _operation(
            "placeHold",
            "Place a hold on a record or an item",
            {
                "201": _ok("Hold", "The hold, with its place in the queue."),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
                "409": REFUSAL,
            },
            requestBody=_body("HoldRequest"),
        )
    },
    "/holds/{id}": {
        "delete": _operation(
            "cancelHold",
            "Cancel a hold",
            {
                "200": _ok("HoldCancellation", "The cancelled hold and where its copy goes."),
                "404": NOT_FOUND,
                "409": REFUSAL,
            },
            parameters=[
                *_path_param("id", {"type": "integer"}, "Hold number."),
                {
                    "name": "library",
                    "in": "query",
                    "required": False,
                    "schema": STRING,
                    "description": LIBRARY_FIELD["description"],
                },
            ],
        )
    },
    "/patrons": {
        "post": _operation(
            "registerPatron",
            "Register a patron (e.g. a portal's pre-registration)",
            {
                "201": _ok("Patron", "The new patron."),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
                "409": _error("Card number taken, or a probable duplicate."),
            },
            requestBody=_body("PatronRequest"),
        )
    },
    "/patrons/{card}": {
        "get": _operation(
            "getPatron",
            "A patron's status, loans and holds",
            {"200": _ok("Patron", "The patron."), "404": NOT_FOUND},
            parameters=_path_param("card", STRING, "Card number."),
        )
    },
    "/items/{barcode}": {
        "get": _operation(
            "getItem",
            "Where an item is and what it is doing",
            {"200": _ok("ItemState", "Status, libraries, due date, transfer."), "404": NOT_FOUND},
            parameters=_path_param("barcode", STRING, "Barcode."),
        )
    },
}
