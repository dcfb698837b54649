"""The daily circulation housekeeping: hold expiry, suspended holds resuming, pull-list targets,
and anonymisation of old history. Safe to run twice a day: each step is idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.circulation.privacy import anonymise_audit_log
from maillon.circulation.services import anonymise_history, expire_holds


class Command(BaseCommand):
    help = _("Expire holds not picked up, resume suspended holds, anonymise old loan history.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help=_("Run as if today were this date (YYYY-MM-DD)."),
        )

    def handle(self, *args, **options) -> None:
        today = options["date"] or timezone.localdate()
        outcomes = expire_holds(today)
        for outcome in outcomes:
            decision = outcome.decision
            if decision is None:
                continue
            self.stdout.write(f"{decision.item.barcode}: {decision.message}")
        counts = anonymise_history(today)
        self.stdout.write(
            _(
                "%(holds)d holds expired; %(loans)d loans, %(anon_holds)d holds and "
                "%(notices)d notices anonymised."
            )
            % {
                "holds": len(outcomes),
                "loans": counts["loans"],
                "anon_holds": counts["holds"],
                "notices": counts["notices"],
            }
        )
        self.stdout.write(
            _(
                "Audit log: %(unlinked)d entries unlinked from their patron, %(purged)d old "
                "entries deleted."
            )
            % anonymise_audit_log(today)
        )
