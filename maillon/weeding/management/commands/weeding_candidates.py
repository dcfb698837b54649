"""maillon weeding-candidates (--library CODE | --network) [--csv FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.exports import csv_lines
from maillon.network.models import Library
from maillon.weeding.services import candidate_table, network_table


class Command(BaseCommand):
    help = _("List the items the weeding criteria propose at a library today.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--library")
        which.add_argument(
            "--network",
            action="store_true",
            help=_("every library's list, library after library"),
        )
        parser.add_argument("--csv", type=Path, default=None, help=_("write a CSV file"))

    def handle(self, *args, **options):
        if options["network"]:
            rows = network_table(timezone.localdate())
        else:
            library = Library.objects.filter(code=options["library"].upper()).first()
            if library is None:
                raise CommandError(
                    _("Unknown library code %(code)s.") % {"code": options["library"]}
                )
            rows = iter(candidate_table(library, timezone.localdate()))
        if options["csv"]:
            lines = 0
            with open(options["csv"], "w", encoding="utf-8", newline="") as out:
                for line in csv_lines(rows):  # the network's list is written as it comes
                    out.write(line)
                    lines += 1
            self.stderr.write(
                _("%(count)d items proposed, written to %(file)s")
                % {"count": lines - 2, "file": options["csv"]}  # the BOM, the header
            )
            return
        for row in rows:
            self.stdout.write("\t".join("" if cell is None else str(cell) for cell in row))
