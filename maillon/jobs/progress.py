"""Progress of a running job, written to its row at most once a second (and at the end)."""

from __future__ import annotations

import time

from django.utils import timezone

from maillon.jobs.models import Job

INTERVAL = 1.0  # seconds between two writes


class Progress:
    def __init__(self, job: Job):
        self.job = job
        self._written = 0.0

    def __call__(
        self,
        done: int | None = None,
        *,
        total: int | None = None,
        message: str | None = None,
        advance: int = 0,
    ) -> None:
        job = self.job
        if total is not None:
            job.total = total
        if done is not None:
            job.done = done
        job.done += advance
        if message is not None:
            job.message = message[:300]
        now = time.monotonic()
        if now - self._written >= INTERVAL or (job.total and job.done >= job.total):
            self._written = now
            Job.objects.filter(pk=job.pk).update(
                done=job.done, total=job.total, message=job.message, heartbeat_at=timezone.now()
            )
