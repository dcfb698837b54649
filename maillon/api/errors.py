"""JSON errors with a stable machine code and a message for people (French by default)."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        response = error_response(self.status, self.code, self.message, **self.extra)
        for name, value in self.headers.items():
            response[name] = value
        return response


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    error_fields: dict[str, object] | None = None,
    **extra: object,
) -> JsonResponse:
    """`{"error": {"code", "message", **error_fields}, **extra}`: what the refusal is about
    (overridable, details, field) goes inside the error; what to follow instead (the id and
    url of a merged record) beside it."""
    error = {"code": code, "message": str(message), **(error_fields or {})}
    return JsonResponse(
        {"error": error, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class JsonRedirect(JsonResponse):
    """A 301 whose body is a JSON error, with Location (and `.url`, as Django redirects have)."""

    status_code = 301

    def __init__(self, location: str, code: str, message: str, **extra: object) -> None:
        super().__init__(
            {"error": {"code": code, "message": str(message)}, **extra},
            json_dumps_params={"ensure_ascii": False},
        )
        self["Location"] = location

    @property
    def url(self) -> str:
        return self["Location"]
