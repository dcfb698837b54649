"""The daily work runs from the worker at MAILLON_DAILY_AT, once a day whatever the workers."""

import datetime as dt
from zoneinfo import ZoneInfo

from maillon.jobs import services
from maillon.jobs.models import DailyRun, Job
from maillon.jobs.registry import DAILY_TASKS

PARIS = ZoneInfo("Europe/Paris")


def test_due_after_the_hour_and_only_once(db, settings):
    settings.MAILLON_DAILY_AT = "02:30"
    before = dt.datetime(2026, 3, 2, 2, 29, tzinfo=PARIS)
    after = dt.datetime(2026, 3, 2, 2, 31, tzinfo=PARIS)
    assert not services.daily_due(before)
    assert services.daily_due(after)
    job = services.start_daily(after, "worker-1")
    assert job is not None and services.start_daily(after, "worker-2") is None
    assert not services.daily_due(after + dt.timedelta(hours=3))
    assert DailyRun.objects.get().worker_id == "worker-1"
    assert services.daily_due(after + dt.timedelta(days=1))


def test_daily_job_runs_the_circulation_and_registered_tasks(db, monkeypatch):
    seen = []
    monkeypatch.setitem(DAILY_TASKS, "tests.purge", lambda today: seen.append(today) or 3)
    assert {"maillon.circulation.job_kinds.circulation_daily"} <= set(DAILY_TASKS)
    assert "maillon.circulation.job_kinds.notices" in DAILY_TASKS
    job = services.start_daily(dt.datetime(2026, 3, 2, 3, 0, tzinfo=PARIS), "w")
    job = Job.objects.get(pk=job.pk)
    assert job.state == "done", job.error
    assert seen == [dt.date(2026, 3, 2)]
    tasks = job.result["tasks"]
    assert tasks["tests.purge"] == 3
    assert tasks["maillon.circulation.job_kinds.circulation_daily"]["holds_expired"] == 0
    assert job.done == job.total == len(DAILY_TASKS)
