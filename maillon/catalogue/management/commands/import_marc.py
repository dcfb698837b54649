"""maillon import-marc FILE --library CODE [--format …] [--flavour …] [--dry-run]"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from maillon.catalogue.importer import import_marc
from maillon.network.models import Library


class Command(BaseCommand):
    help = _("Import a MARC file (UNIMARC or MARC21, ISO 2709 or MARCXML) into the catalogue.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--library", required=True, help=_("Code of the library the file comes from.")
        )
        parser.add_argument("--format", default="auto", choices=["auto", "iso2709", "marcxml"])
        parser.add_argument("--flavour", default="auto", choices=["auto", "unimarc", "marc21"])
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Read and check everything, write nothing.")
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            default=None,
            help=_("Folder for the reject files (default: var/rejets/)."),
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %s") % path)
        code = options["library"].upper()
        library = Library.objects.filter(code=code).first()
        if library is None:
            known = ", ".join(Library.objects.values_list("code", flat=True))
            raise CommandError(
                _("Unknown library code %(code)s. Known codes: %(known)s")
                % {"code": code, "known": known or "—"}
            )
        # The bar follows the bytes read: the size is known at once, however large the file.
        bar = tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        )
        report = import_marc(
            path,
            library,
            fmt=options["format"],
            flavour=options["flavour"],
            dry_run=options["dry_run"],
            reject_dir=options["rejects"] or settings.VAR_DIR / "rejets",
            progress=bar.update,
        )
        bar.close()
        prefix = _("Dry run, nothing written: ") if options["dry_run"] else ""
        self.stdout.write(
            prefix
            + _(
                "%(read)d records read: %(created)d created, %(merged)d merged, "
                "%(unchanged)d unchanged, %(rejected)d rejected; %(items)d items added."
            )
            % {
                "read": report.read,
                "created": report.created,
                "merged": report.merged,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "items": report.items_added,
            }
        )
        if report.warnings:
            self.stdout.write(_("%d warnings, for example:") % len(report.warnings))
            for warning in report.warnings[:10]:
                self.stdout.write(f"  - {warning}")
        if report.reject_file:
            self.stdout.write(
                _("Rejected records and their reasons: %s (+ .csv)") % report.reject_file
            )
