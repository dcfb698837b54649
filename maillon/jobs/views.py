"""Pages of the jobs: mine and my library's, one job with its progress, result and file."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.jobs import services
from maillon.jobs.models import Job
from maillon.network.current import current_library

LISTED = 50


def _visible_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("library", "user"), pk=pk)
    if not services.may_see(request.user, job):
        raise PermissionDenied(_("This job belongs to another library."))
    return job


@staff_required
def job_list(request: HttpRequest) -> HttpResponse:
    here = current_library(request)
    jobs = Job.objects.select_related("library", "user")
    me = request.user.pk or 0  # staff_required: always a signed-in user
    mine = jobs.filter(user_id=me)[:LISTED]
    others = jobs.filter(library=here).exclude(user_id=me) if here else Job.objects.none()
    return render(
        request, "jobs/list.html", {"mine": mine, "library_jobs": others[:LISTED], "here": here}
    )


@staff_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _visible_job(request, pk)})


@staff_required
def job_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, fetched every few seconds by the job page."""
    return render(request, "jobs/state.html", {"job": _visible_job(request, pk)})


@staff_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    try:
        services.retry(request.user, job)
    except services.JobError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("jobs:detail", pk=job.pk)


@staff_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _visible_job(request, pk)
    path = Path(job.file) if job.file and job.state == Job.State.DONE else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)  # noqa: SIM115
