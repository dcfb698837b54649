"""maillon weeding-candidates --library CODE [--csv FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.exports import csv_lines
from maillon.network.models import Library
from maillon.weeding.services import candidate_table


class Command(BaseCommand):
    help = _("List the items the weeding criteria propose at a library today.")

    def add_arguments(self, parser):
        parser.add_argument("--library", required=True)
        parser.add_argument("--csv", type=Path, default=None, help=_("write a CSV file"))

    def handle(self, *args, **options):
        library = Library.objects.filter(code=options["library"].upper()).first()
        if library is None:
            raise CommandError(_("Unknown library code %(code)s.") % {"code": options["library"]})
        rows = candidate_table(library, timezone.localdate())
        if options["csv"]:
            with open(options["csv"], "w", encoding="utf-8", newline="") as out:
                out.writelines(csv_lines(rows))
            self.stderr.write(
                _("%(count)d items proposed, written to %(file)s")
                % {"count": len(rows) - 1, "file": options["csv"]}
            )
            return
        for row in rows:
            self.stdout.write("\t".join("" if cell is None else str(cell) for cell in row))
