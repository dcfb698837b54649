"""maillon core-collection-refresh [--months 12] [--per-group 50]: the daily refresh."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.corecollection.services import compute, default_period, refresh_demand


class Command(BaseCommand):
    help = _(
        "Add the day's loans and holds to the network's demand, then compute the core "
        "collection over the last months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--per-group", type=int, default=50)

    def handle(self, *args, **options) -> None:
        done = refresh_demand()
        start, end = default_period(timezone.localdate(), options["months"])
        core = compute(None, start, end, per_group=options["per_group"], check=False)
        self.stdout.write(
            _("%(loans)d loans and %(holds)d holds added; %(titles)d core titles.")
            % {"loans": done.loans, "holds": done.holds, "titles": core.titles.count()}
        )
