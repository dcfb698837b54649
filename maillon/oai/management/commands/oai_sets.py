"""maillon oai-sets: each record's OAI-PMH sets brought in line with its copies."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from maillon.catalogue.models import Record
from maillon.oai.sets import rebuild


class Command(BaseCommand):
    help = _(
        "Bring each record's OAI-PMH sets in line with its copies (after rows were loaded "
        "without the catalogue's services); the records that left a set are listed to its "
        "harvesters as deleted."
    )

    def handle(self, *args, **options) -> None:
        quiet = not sys.stderr.isatty() or options["verbosity"] == 0
        with tqdm(
            total=Record.objects.count(), unit=" records", disable=quiet, desc=_("Sets")
        ) as bar:
            done = rebuild(progress=bar.update)
        self.stdout.write(
            _(
                "Records read: %(records)d; set memberships added: %(joined)d, reopened: "
                "%(back)d, closed: %(left)d."
            )
            % {"records": done.records, "joined": done.joined, "back": done.back, "left": done.left}
        )
