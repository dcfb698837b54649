"""The OpenAPI 3.1 description of /api/v1/, written by hand (the tests check answers against it).
Descriptions stay in English: the document is for developers."""

from __future__ import annotations

from maillon.catalogue.models import Audience, DocType, ItemStatus
from maillon.catalogue.search import FACET_NAMES, SORTS, YEAR_BUCKETS
from maillon.network.models import LibraryKind

from .openapi_circulation import CIRCULATION_PATHS, CIRCULATION_SCHEMAS, SECURITY_SCHEMES


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_param(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
    }


NULLABLE_STRING = {"type": ["string", "null"]}
ERROR_RESPONSE = {"description": "", "content": {"application/json": {"schema": _ref("Error")}}}

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "Stable machine-readable code."},
                    "message": {"type": "string", "description": "For people, in French."},
                    "overridable": {
                        "type": "boolean",
                        "description": "Circulation refusals: a librarian may force it with "
                        "`override_reason`.",
                    },
                    "details": {"type": "object"},
                    "field": {"type": "string", "description": "The request field at fault."},
                },
            },
            "id": {"type": "integer", "description": "Surviving record (record_merged)."},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "subtitle", "authors", "year", "doc_type", "isbn", "url"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "subtitle": {"type": "string"},
            "authors": {"type": "array", "items": {"type": "string"}},
            "year": {"type": ["integer", "null"]},
            "doc_type": {"type": "string", "enum": list(DocType.values)},
            "isbn": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
        },
    },
    "SearchResponse": {
        "type": "object",
        "required": ["total", "approximate", "page", "per_page", "pages", "hits", "facets"],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "approximate": {
                "type": "boolean",
                "description": "True for very common words: total and facet counts are estimates "
                "from a sample and hits come from that sample; show “about”.",
            },
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "pages": {"type": "integer", "minimum": 1},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "required": list(FACET_NAMES),
                "properties": {
                    name: {"type": "array", "items": _ref("FacetValue")} for name in FACET_NAMES
                },
                "additionalProperties": False,
            },
        },
    },
    "Item": {
        "type": "object",
        "required": [
            "call_number",
            "status",
            "status_label",
            "item_type",
            "collection",
            "current_library",
            "due_on",
            "transfer_to",
        ],
        "properties": {
            "call_number": {"type": "string"},
            "status": {"type": "string", "enum": list(ItemStatus.values)},
            "status_label": {"type": "string"},
            "item_type": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "collection": NULLABLE_STRING,
            "current_library": {
                "type": ["string", "null"],
                "description": "Code of the library where the copy is, when "
                "away from its home library.",
            },
            "due_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "When the copy is due back, while on loan.",
            },
            "transfer_to": {
                "type": ["object", "null"],
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                "description": "The library the copy is travelling to, while in transit.",
            },
        },
    },
    "Holding": {
        "type": "object",
        "required": ["library", "available", "items"],
        "properties": {
            "library": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "available": {"type": "integer", "minimum": 0},
            "items": {"type": "array", "items": _ref("Item")},
        },
    },
    "Record": {
        "type": "object",
        "required": [
            "id",
            "title",
            "subtitle",
            "other_titles",
            "authors",
            "publisher",
            "year",
            "isbn",
            "language",
            "classification",
            "subjects",
            "series",
            "summary",
            "doc_type",
            "audience",
            "holdings",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "subtitle": {"type": "string"},
            "other_titles": {"type": "array"},
            "authors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "role": {"type": "string"}},
                },
            },
            "publisher": {"type": "string"},
            "year": {"type": ["integer", "null"]},
            "isbn": {"type": "string"},
            "language": {"type": "string"},
            "classification": {"type": "string"},
            "subjects": {"type": "array", "items": {"type": "string"}},
            "series": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "number": {"type": "string"}},
                },
            },
            "summary": {"type": "string"},
            "doc_type": {"type": "string", "enum": list(DocType.values)},
            "audience": {"type": "string", "enum": list(Audience.values)},
            "holdings": {"type": "array", "items": _ref("Holding")},
        },
    },
    "Library": {
        "type": "object",
        "required": [
            "code",
            "name",
            "kind",
            "commune",
            "postcode",
            "address",
            "phone",
            "email",
            "website",
            "latitude",
            "longitude",
        ],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(LibraryKind.values)},
            "commune": {"type": "string"},
            "postcode": {"type": "string"},
            "address": {"type": "string"},
            "phone": {"type": "string"},
            "email": {"type": "string"},
            "website": {"type": "string"},
            "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]},
        },
    },
    "LibraryList": {
        "type": "object",
        "required": ["libraries"],
        "properties": {"libraries": {"type": "array", "items": _ref("Library")}},
    },
}

SEARCH_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": 'Words (all required), "a phrase", -excluded, an ISBN; the last word '
        "may be incomplete. Empty: the whole catalogue.",
    },
    _list_param("library", "Code of a library holding a copy (repeat or separate by commas)."),
    _list_param("item_type", "Item type code."),
    {
        **_list_param("audience", "Audience."),
        "schema": {"type": "array", "items": {"type": "string", "enum": list(Audience.values)}},
    },
    _list_param("language", "Three-letter language code (fre, eng…)."),
    _list_param(
        "year",
        "A year (1998), a range (1990-1999, 2000-, -1949) or a named range: "
        + ", ".join(name for name, *_rest in YEAR_BUCKETS)
        + ".",
    ),
    {
        "name": "available",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["0", "1"]},
        "description": "1: only records with a copy on the shelf now (at one of the `library` "
        "filters when given).",
    },
    {
        "name": "sort",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
    },
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Maillon API",
            "version": "1",
            "description": "API of a Maillon library network. Public, without "
            "authentication: search the union catalogue, read a record with "
            "its copies per library, list the libraries. For staff, with a "
            "token (`Authorization: Bearer <key>`, from `maillon "
            "create-api-token USERNAME`) or a staff session (with its CSRF "
            "token): circulation and patrons, acting at the `library` given "
            "when allowed, else at the account's first workplace. Errors are "
            '{"error": {"code", "message"}}.',
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search the catalogue, with facets",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": _ok("SearchResponse", "A page of results."),
                        "400": {**ERROR_RESPONSE, "description": "Bad parameter."},
                    },
                }
            },
            "/records/{id}": {
                "get": {
                    "operationId": "getRecord",
                    "summary": "A record and its copies per library",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": _ok("Record", "The record."),
                        "301": {
                            **ERROR_RESPONSE,
                            "description": (
                                "Merged into another record; `Location` and `url` give it."
                            ),
                            "headers": {"Location": {"schema": {"type": "string"}}},
                        },
                        "404": {**ERROR_RESPONSE, "description": "No such record."},
                    },
                }
            },
            "/libraries": {
                "get": {
                    "operationId": "listLibraries",
                    "summary": "The network's active libraries",
                    "responses": {"200": _ok("LibraryList", "Every active library.")},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            **CIRCULATION_PATHS,
        },
        "components": {
            "schemas": {**SCHEMAS, **CIRCULATION_SCHEMAS},
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
