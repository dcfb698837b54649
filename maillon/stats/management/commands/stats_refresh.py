"""maillon stats-refresh [--date YYYY-MM-DD] [--day YYYY-MM-DD] [--snapshot YEAR]: the summary
tables the annual report and the dashboards read. Safe to run twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.stats import summaries


class Command(BaseCommand):
    help = _(
        "Count the days up to yesterday into the statistics' summary tables, and last year's "
        "holdings at 31/12 once the year is over."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD)."),
        )
        parser.add_argument(
            "--day",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Count this day only (YYYY-MM-DD), again if it was counted."),
        )
        parser.add_argument(
            "--snapshot",
            type=int,
            default=None,
            help=_("Take the holdings at 31/12 of this year (again), from the items as they are."),
        )

    def handle(self, *args, **options) -> None:
        if options["day"] or options["snapshot"]:
            if options["day"]:
                loans = summaries.refresh_day(options["day"])
                self.stdout.write(
                    _("%(day)s: %(n)d loans counted.") % {"day": options["day"], "n": loans}
                )
            if options["snapshot"]:
                items = summaries.snapshot_holdings(options["snapshot"])
                self.stdout.write(
                    _("Holdings at 31/12/%(year)d: %(n)d documents.")
                    % {"year": options["snapshot"], "n": items}
                )
            return
        found = summaries.run(options["date"] or timezone.localdate())
        self.stdout.write(
            _("Days counted: %(days)d (%(loans)d loans); holdings at 31/12 taken: %(snapshots)d.")
            % found
        )
