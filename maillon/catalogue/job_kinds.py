"""The catalogue's background jobs: MARC import from the staff page, MARC export of the
catalogue. Both may run again from the start: an import merges what it already took in, an
export rewrites its file."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue import export
from maillon.catalogue.importer import import_marc
from maillon.jobs.models import Job
from maillon.jobs.progress import Progress
from maillon.jobs.registry import Outcome, job_kind
from maillon.network.models import Library

IMPORT = "marc_import"
EXPORT = "marc_export"


@job_kind(IMPORT, gettext_lazy("MARC import"))
def run_import(job: Job, progress: Progress) -> Outcome:
    path = Path(job.params["path"])
    library = Library.objects.get(pk=job.params["library"])
    progress(0, total=path.stat().st_size, message=_("Reading the file…"))
    report = import_marc(
        path,
        library,
        fmt=job.params.get("format", "auto"),
        dry_run=job.params.get("dry_run", False),
        user=job.user,
        reject_dir=Path(settings.VAR_DIR) / "rejets",
        progress=lambda size: progress(advance=size),
        file_name=job.params.get("file_name") or path.name,
    )
    return Outcome(result={"counts": report.as_counts(), "batch": report.batch_id})


@job_kind(EXPORT, gettext_lazy("MARC export"))
def run_export(job: Job, progress: Progress) -> Outcome:
    library_id = job.params.get("library")
    library = Library.objects.get(pk=library_id) if library_id else None
    flavour, fmt = job.params["flavour"], job.params["format"]
    folder = Path(settings.VAR_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.pk}-{export.file_name(library, flavour, fmt)}"
    records = 0

    def advance(count: int) -> None:
        nonlocal records
        records += count
        progress(message=_("%(count)d records written") % {"count": records})

    with open(path, "wb") as out:  # written again from the start if the job is run again
        for chunk in export.stream(library, flavour, fmt, progress=advance):
            out.write(chunk)
    return Outcome(result={"records": records}, file=str(path))
