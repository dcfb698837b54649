"""`maillon send-notices [--date]`: e-mail the day's "hold ready", "due soon" and "overdue"
notices. Safe to run more than once a day: a notice already sent is not sent again."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.circulation.notices import send_notices


class Command(BaseCommand):
    help = _("Send the notices by e-mail: holds ready, loans due soon, overdue loans.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD)."),
        )

    def handle(self, *args, **options) -> None:
        report = send_notices(options["date"] or timezone.localdate())
        self.stdout.write(
            _(
                "%(ready)d “hold ready”, %(soon)d “due soon” and %(overdue)d "
                "“overdue” messages sent."
            )
            % {
                "ready": report.sent["hold_ready"],
                "soon": report.sent["due_soon"],
                "overdue": report.sent["overdue"],
            }
        )
        if report.failed:
            raise CommandError(
                _("%(count)d messages could not be sent; they will be tried again next time.")
                % {"count": report.failed}
            )
