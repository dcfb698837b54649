"""Launching, running, retrying and recovering jobs, and the daily run.

A job's row is the truth users see; the django-tasks queue only says "run job N". Running a
job starts by moving its row from queued to running in one conditional update, so a job runs
once even if its task was queued twice. A worker that dies leaves its job running with an old
heartbeat: the next worker queues it again (`requeue_stale`), and since every kind of job may
run again from the start, it ends as an uninterrupted run would have.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.core.errors import DomainError, Kind
from maillon.jobs.models import DailyRun, Job
from maillon.jobs.progress import Progress
from maillon.jobs.registry import DAILY_TASKS, KINDS, Outcome, job_kind
from maillon.network.models import Library
from maillon.network.permissions import Action, can

log = logging.getLogger(__name__)
DAILY = "daily"


class JobError(DomainError):
    """A refused operation on a job."""


def launch(
    kind: str,
    *,
    user=None,
    library: Library | None = None,
    params: dict[str, Any] | None = None,
    title: str = "",
) -> Job:
    """Create the job and queue it (run at once by the immediate backend of the tests)."""
    if kind not in KINDS:
        raise JobError("job_kind_unknown", _("Unknown kind of job: %(kind)s.") % {"kind": kind})
    job = Job.objects.create(
        kind=kind, user=user, library=library, params=params or {}, title=title[:300]
    )
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from maillon.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


def run(job_id: int, worker_id: str = "") -> None:
    """Run a queued job to its end; a failure is kept on the job, never raised."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        worker_id=worker_id[:64],
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        done=0,
    )
    if not claimed:
        return  # already taken, finished or gone
    job = Job.objects.get(pk=job_id)
    try:
        # No request here: messages, reports and files speak the network's language.
        with translation.override(settings.LANGUAGE_CODE):
            outcome = KINDS[job.kind].handler(job, Progress(job))
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        message = _failure(exc)
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker_id=job.worker_id).update(
            state=Job.State.FAILED, error=message, finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker_id=job.worker_id).update(
        state=Job.State.DONE,
        result=outcome.result,
        file=outcome.file,
        error="",
        done=F("total"),
        finished_at=timezone.now(),
    )


def _failure(exc: Exception) -> str:
    """What the job's page says of its failure."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, PermissionDenied):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def may_see(user, job: Job) -> bool:
    if user.is_superuser or job.user_id == user.pk:
        return True
    if job.library_id is None:
        return can(user, Action.ADMINISTER)
    return can(user, Action.MANAGE, job.library_id)


def retry(user, job: Job) -> Job:
    """Queue a failed job again; its error stays on the page until the new attempt ends."""
    if not may_see(user, job):
        raise JobError("job_forbidden", _("You may not retry this job."), kind=Kind.FORBIDDEN)
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, task_id=""
        ):
            raise JobError("job_not_failed", _("Only a failed job can be retried."))
        _enqueue(job)
    job.refresh_from_db()
    return job


def heartbeat(worker_id: str) -> None:
    """The worker is alive: say so on the jobs it is running."""
    Job.objects.filter(state=Job.State.RUNNING, worker_id=worker_id).update(
        heartbeat_at=timezone.now()
    )


def requeue_stale(now: dt.datetime | None = None) -> list[int]:
    """Queue again the running jobs whose worker has not given news for too long."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.MAILLON_JOB_STALE_SECONDS)
    requeued = []
    for pk, beat in Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=limit).values_list(
        "pk", "heartbeat_at"
    ):
        with transaction.atomic():
            # Conditional on the heartbeat read: of two workers, one only queues it again.
            if Job.objects.filter(pk=pk, state=Job.State.RUNNING, heartbeat_at=beat).update(
                state=Job.State.QUEUED, task_id="", worker_id=""
            ):
                _enqueue(Job.objects.get(pk=pk))
                requeued.append(pk)
    return requeued


def daily_due(now: dt.datetime) -> bool:
    """Has today's MAILLON_DAILY_AT passed (local time) without a daily run?"""
    local = timezone.localtime(now)
    hour, minute = (int(part) for part in settings.MAILLON_DAILY_AT.split(":"))
    if (local.hour, local.minute) < (hour, minute):
        return False
    return not DailyRun.objects.filter(date=local.date()).exists()


def start_daily(now: dt.datetime, worker_id: str) -> Job | None:
    """Launch today's daily job unless another worker already did (one row per date)."""
    today = timezone.localtime(now).date()
    try:
        with transaction.atomic():
            run_row = DailyRun.objects.create(date=today, worker_id=worker_id[:64])
    except IntegrityError:
        return None
    job = launch(DAILY, params={"date": today.isoformat()}, title=_("Daily work"))
    DailyRun.objects.filter(pk=run_row.pk).update(job=job)
    return job


@job_kind(DAILY, _("Daily work"))
def run_daily(job: Job, progress: Progress) -> Outcome:
    """Every registered daily task, in turn; each is idempotent, so a re-run is harmless."""
    today = dt.date.fromisoformat(job.params["date"])
    progress(0, total=len(DAILY_TASKS))
    reports: dict[str, Any] = {}
    for name, function in sorted(DAILY_TASKS.items()):
        progress(message=name)
        reports[name] = function(today)
        progress(advance=1)
    return Outcome(result={"tasks": reports})
