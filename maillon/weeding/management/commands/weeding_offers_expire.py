"""maillon weeding-offers-expire [--date YYYY-MM-DD]: the daily end of unclaimed offers."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.weeding.offers import expire


class Command(BaseCommand):
    help = _("Withdraw the offered items nobody claimed in time (to their campaign's destination).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD)."),
        )

    def handle(self, *args, **options) -> None:
        done = expire(options["date"] or timezone.localdate())
        self.stdout.write(
            _(
                "%(withdrawn)d offered items withdrawn; %(waiting)d not on the shelf, tried "
                "again tomorrow."
            )
            % {"withdrawn": done.withdrawn, "waiting": done.waiting}
        )
