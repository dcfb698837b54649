"""Django's ValidationError, told as the one refusal a service raises."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def first_error(error: ValidationError) -> tuple[str | None, str]:
    """The first field in error (None for the whole object) and its messages as one sentence,
    for a domain error whose form places it next to that field."""
    field, messages = next(iter(error.message_dict.items()))
    return (None if field == "__all__" else field), " ".join(messages)
