"""The jobs app's own daily work: finished jobs and their files do not pile up for ever."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillon.jobs.models import Job
from maillon.jobs.registry import daily_task


def _inside_var(path: str) -> Path | None:
    """The file, if it is one of Maillon's own (never delete outside the var directory)."""
    if not path:
        return None
    candidate = Path(path).resolve()
    var = Path(settings.VAR_DIR).resolve()
    return candidate if candidate.is_relative_to(var) and candidate.is_file() else None


@daily_task
def purge_finished_jobs(today: dt.date) -> dict[str, int]:
    """Forget jobs finished more than MAILLON_JOB_KEEP_DAYS ago, with the export they wrote and
    the upload they read, and the queue's own rows of the same age. Import reports stay: they
    belong to the catalogue's batches, not to the job that made them."""
    limit = timezone.make_aware(dt.datetime.combine(today, dt.time())) - dt.timedelta(
        days=settings.MAILLON_JOB_KEEP_DAYS
    )
    old = Job.objects.filter(state__in=(Job.State.DONE, Job.State.FAILED), finished_at__lt=limit)
    files = 0
    for result_file, params in old.values_list("file", "params"):
        for path in (result_file, (params or {}).get("path", "")):
            found = _inside_var(path)
            if found:
                found.unlink(missing_ok=True)
                files += 1
    jobs, _ = old.delete()
    queue, _ = DBTaskResult.objects.finished().filter(finished_at__lt=limit).delete()
    return {"jobs": jobs, "files": files, "queue_rows": queue}
