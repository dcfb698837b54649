"""Django's ValidationError, told as the one refusal a service raises."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from maillon.core.errors import DomainError, Kind


def first_error(error: ValidationError) -> tuple[str | None, str]:
    """The first field in error (None for the whole object) and its messages as one sentence,
    for a domain error whose form places it next to that field."""
    field, messages = next(iter(error.message_dict.items()))
    return (None if field == "__all__" else field), " ".join(messages)


def clean_or_refuse(instance: Model, error: type[DomainError], **options: Any) -> None:
    """`instance.full_clean(**options)`, its refusal told as the app's domain error (kind
    invalid), naming the first field in error."""
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise error("invalid", message, field=field, kind=Kind.INVALID) from exc
