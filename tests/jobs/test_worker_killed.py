"""A worker killed in the middle of an import: the next worker takes the job up again and the
catalogue ends as after an uninterrupted import (the re-run merges, it does not duplicate).

Real worker processes share the test database through the database queue."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from maillon.catalogue.models import ImportBatch, Item, ItemType, Record
from maillon.jobs import services
from maillon.jobs.models import Job
from tests.catalogue.factories import item, marc, write
from tests.conftest import make_library

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 400  # 20 chunks of 20, a tenth of a second each in the slowed-down worker


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "MAILLON_DATABASE_URL": database_url(),
        "MAILLON_VAR_DIR": str(tmp_path),
        "MAILLON_JOB_STALE_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "maillon.cli", "worker", "--interval", "0.1"]
    return subprocess.Popen(
        [*command, "--heartbeat", "0.3"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )


def wait_for(condition, timeout: float = 60):
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("waited too long")


@pytest.mark.django_db(transaction=True)
def test_killed_worker_job_is_taken_up_and_ends_the_same(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ItemType.objects.get_or_create(code="LIVRE", defaults={"name": "Livre"})  # flushed by others
    library = make_library("AAA")
    path = write(
        tmp_path / "lot.mrc",
        [marc(f"Titre {n}", items=[item(f"B{n:05d}", "AAA")]) for n in range(RECORDS)],
    )
    job = services.launch(
        "marc_import", library=library, params={"path": str(path), "library": library.pk}
    )
    assert job.state == Job.State.QUEUED
    workers = [start_worker(tmp_path)]
    try:
        wait_for(lambda: Record.objects.exists())
        workers[0].kill()  # in the middle of the import: no time to tidy up
        workers[0].wait()
        job.refresh_from_db()
        assert job.state == Job.State.RUNNING and 0 < Record.objects.count() < RECORDS

        workers.append(start_worker(tmp_path))
        wait_for(lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists())
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    job.refresh_from_db()
    assert job.attempts == 2 and job.worker_id != ""
    assert Record.objects.count() == RECORDS and Item.objects.count() == RECORDS
    assert set(Item.objects.values_list("barcode", flat=True)) == {
        f"B{n:05d}" for n in range(RECORDS)
    }
    counts = job.result["counts"]
    assert counts["created"] + counts["unchanged"] == RECORDS and counts["rejected"] == 0
    assert ImportBatch.objects.count() == 2  # the killed attempt's batch, then the full one
