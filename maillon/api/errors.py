"""JSON errors with a stable machine code and a message for people (French by default)."""

from __future__ import annotations

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message, **self.extra)


def error_response(status: int, code: str, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": str(message)}, **extra},
                        status=status, json_dumps_params={"ensure_ascii": False})


class JsonRedirect(JsonResponse):
    """A 301 whose body is a JSON error, with Location (and `.url`, as Django redirects have)."""

    status_code = 301

    def __init__(self, location: str, code: str, message: str, **extra: object) -> None:
        super().__init__({"error": {"code": code, "message": str(message)}, **extra},
                         json_dumps_params={"ensure_ascii": False})
        self["Location"] = location

    @property
    def url(self) -> str:
        return self["Location"]
