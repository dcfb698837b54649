"""The staff see their jobs and their library's, follow one, download its file, retry it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillon.catalogue.models import ImportBatch, Record
from maillon.jobs import services
from maillon.jobs.models import Job
from maillon.jobs.registry import KINDS, Outcome, job_kind
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD


def login(client, make_staff, library, name="catalo", role=Role.LIBRARIAN):
    user = make_staff(name, (library, role))
    client.login(username=name, password=PASSWORD)
    return user


def test_upload_runs_as_a_job_of_the_library(client, network, make_staff, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    user = login(client, make_staff, network["a"])
    data = write(tmp_path / "lot.mrc", [marc("Un", items=[item("U1", "AAA")])]).read_bytes()
    client.post(
        reverse("catalogue:import"),
        {"file": SimpleUploadedFile("lot.mrc", data), "library": network["a"].pk},
    )
    job = Job.objects.get()
    assert (job.kind, job.user, job.library) == ("marc_import", user, network["a"])
    assert job.state == "done"
    assert job.result["counts"]["created"] == 1 and job.done == job.total > 0
    assert job.result["batch"] == ImportBatch.objects.get().pk
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Terminé" in page or "terminé" in page
    assert reverse("catalogue:import_report", args=[job.result["batch"]]) in page
    listing = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) in listing


def test_queued_job_page_polls_its_state(client, network, make_staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = login(client, make_staff, network["a"])
    job = services.launch("marc_export", user=user, library=network["a"], params={})
    assert job.state == Job.State.QUEUED
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:state", args=[job.pk]) in page and "refresh.js" in page
    state = client.get(reverse("jobs:state", args=[job.pk])).content.decode()
    assert 'data-finished="0"' in state and "<html" not in state


def test_other_library_may_not_see_the_job(client, network, make_staff):
    owner = make_staff("owner", (network["a"], Role.LIBRARIAN))
    job = services.launch(
        "marc_export",
        user=owner,
        library=network["a"],
        params={"library": network["a"].pk, "flavour": "unimarc", "format": "iso2709"},
    )
    login(client, make_staff, network["b"], name="other")
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 403
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 403
    listing = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) not in listing
    colleague = login(client, make_staff, network["a"], name="colleague")
    assert services.may_see(colleague, job)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


def test_export_in_the_background_leaves_a_file(client, network, make_staff, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    login(client, make_staff, network["a"])
    from maillon.catalogue.importer import import_marc

    import_marc(write(tmp_path / "c.mrc", [marc("Un", items=[item("U1", "AAA")])]), network["a"])
    response = client.post(
        reverse("catalogue:export"),
        {"library": network["a"].pk, "flavour": "unimarc", "format": "iso2709", "background": "1"},
    )
    job = Job.objects.get(kind="marc_export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == "done" and job.result == {"records": 1}
    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert b"".join(download.streaming_content).endswith(b"\x1d")


calls: list[int] = []


@job_kind("test_flaky", "flaky")
def flaky(job, progress):
    calls.append(job.pk)
    if len(calls) == 1:
        raise RuntimeError("the disk is full")
    return Outcome(result={"ok": 1})


def test_failed_job_keeps_its_error_and_can_be_retried(client, network, make_staff):
    assert "test_flaky" in KINDS
    calls.clear()
    user = login(client, make_staff, network["a"])
    job = services.launch("test_flaky", user=user, library=network["a"])
    assert job.state == "failed" and "the disk is full" in job.error
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "the disk is full" in page and reverse("jobs:retry", args=[job.pk]) in page
    client.post(reverse("jobs:retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts, job.result) == ("done", "", 2, {"ok": 1})
    response = client.post(reverse("jobs:retry", args=[job.pk]), follow=True)
    assert "échoué" in response.content.decode()  # only a failed job can be retried
    assert not Record.objects.exists()
