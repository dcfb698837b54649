"""maillon export-marc OUT [--library CODE] [--flavour unimarc|marc21] [--format iso2709|marcxml]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from maillon.catalogue.importer import export_marc
from maillon.catalogue.models import Record
from maillon.network.models import Library


class Command(BaseCommand):
    help = _("Export the catalogue, or one library's holdings, as MARC with items.")

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--library", default=None)
        parser.add_argument("--flavour", default="unimarc", choices=["unimarc", "marc21"])
        parser.add_argument("--format", default="iso2709", choices=["iso2709", "marcxml"])

    def handle(self, *args, **options):
        library = None
        if options["library"]:
            library = Library.objects.filter(code=options["library"].upper()).first()
            if library is None:
                raise CommandError(
                    _("Unknown library code %(code)s.") % {"code": options["library"]}
                )
        total = Record.objects.filter(merged_into=None).count()
        bar = tqdm(
            total=total, unit=_(" records"), disable=not sys.stderr.isatty(), file=sys.stderr
        )
        with open(options["out"], "wb") as out:
            written = export_marc(
                out,
                library=library,
                flavour=options["flavour"],
                fmt=options["format"],
                progress=bar.update,
            )
        bar.close()
        self.stdout.write(
            _("%(n)d records written to %(path)s.") % {"n": written, "path": options["out"]}
        )
