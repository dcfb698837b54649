"""The daily work forgets old finished jobs and their files, and nothing else."""

import datetime as dt

from django.utils import timezone

from maillon.jobs.job_kinds import purge_finished_jobs
from maillon.jobs.models import Job


def _job(state, finished_days_ago, **fields):
    job = Job.objects.create(kind="marc_export", state=state, **fields)
    if finished_days_ago is not None:
        finished = timezone.now() - dt.timedelta(days=finished_days_ago)
        Job.objects.filter(pk=job.pk).update(finished_at=finished)
    return job


def test_old_finished_jobs_go_with_their_files(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MAILLON_JOB_KEEP_DAYS = 30
    export = tmp_path / "exports" / "1-catalogue.mrc"
    upload = tmp_path / "imports" / "2-notices.mrc"
    for path in (export, upload):
        path.parent.mkdir()
        path.write_bytes(b"x")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.mrc"
    outside.write_bytes(b"kept")

    old_export = _job(Job.State.DONE, 40, file=str(export))
    old_import = _job(Job.State.FAILED, 31, params={"path": str(upload)})
    old_foreign = _job(Job.State.DONE, 45, file=str(outside))
    recent = _job(Job.State.DONE, 5)
    running = _job(Job.State.RUNNING, None)

    report = purge_finished_jobs(timezone.localdate())

    assert report == {"jobs": 3, "files": 2, "queue_rows": 0}
    left = set(Job.objects.values_list("pk", flat=True))
    assert left == {recent.pk, running.pk}
    assert not export.exists() and not upload.exists()
    assert outside.read_bytes() == b"kept"  # never a file outside Maillon's var directory
    assert {old_export.pk, old_import.pk, old_foreign.pk}.isdisjoint(left)
    outside.unlink()
