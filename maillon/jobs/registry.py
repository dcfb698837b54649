"""What can run as a job, and what runs every day. Apps declare theirs in a `job_kinds` module
(found when Django starts), so this app never imports the apps above it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from maillon.jobs.models import Job
    from maillon.jobs.progress import Progress


@dataclass
class Outcome:
    """What a finished job leaves: figures and lines for its page, and a file to download."""

    result: dict[str, Any] = field(default_factory=dict)
    file: str = ""


Handler = Callable[["Job", "Progress"], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    handler: Handler


KINDS: dict[str, JobKind] = {}
# Daily work: each function takes the day and returns a short report (JSON-ready), or None.
DAILY_TASKS: dict[str, Callable[[dt.date], Any]] = {}


def job_kind(name: str, label: str | Promise) -> Callable[[Handler], Handler]:
    """Declare a kind of job. The handler must be safe to run again from the start: a job
    whose worker died is run again by another worker and must end with the same result."""

    def register(handler: Handler) -> Handler:
        KINDS[name] = JobKind(name, label, handler)
        return handler

    return register


def daily_task(function: Callable[[dt.date], Any]) -> Callable[[dt.date], Any]:
    """Run `function(today)` once a day from the worker; it must be idempotent too."""
    DAILY_TASKS[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def label_of(kind: str) -> str:
    found = KINDS.get(kind)
    return str(found.label) if found else kind
