"""maillon rotation-daily [--date YYYY-MM-DD] [--dry-run]: the exchange dates of published
circulation plans that are due open, their lots sent; single items on a rota move to their
next stage. Safe to run twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.rotation import daily, rotas


class Command(BaseCommand):
    help = _("Open the exchanges of published circulation plans that are due: send their lots.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Say what would be done, change nothing."),
        )

    def handle(self, *args, **options) -> None:
        today = options["date"] or timezone.localdate()
        dry_run = options["dry_run"]
        found = daily.run(today, dry_run=dry_run)
        for line in daily.lines(found, dry_run=dry_run):
            self.stdout.write(line)
        # Single items on a rota (after the lots: an item is never in both).
        advanced = rotas.advance(
            None if dry_run else daily.automatic_actor(), today, dry_run=dry_run
        )
        for line in rotas.lines(advanced, dry_run=dry_run):
            self.stdout.write(line)
        if dry_run:
            count = sum(len(entry.to_send) for entry in found)
            self.stdout.write(
                ngettext(
                    "Dry run: %(n)d lot would be sent; nothing was changed.",
                    "Dry run: %(n)d lots would be sent; nothing was changed.",
                    count,
                )
                % {"n": count}
            )
            return
        count = sum(len(entry.sent) for entry in found)
        self.stdout.write(ngettext("%(n)d lot sent.", "%(n)d lots sent.", count) % {"n": count})
