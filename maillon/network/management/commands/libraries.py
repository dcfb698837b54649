"""List the network's libraries with their codes and kinds."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from maillon.network.models import Library


class Command(BaseCommand):
    help = _("List the libraries of the network with their codes and kinds.")

    def handle(self, *args, **options):
        libraries = list(Library.objects.order_by("code"))
        if not libraries:
            self.stdout.write(_("No library yet: run `maillon demo --no-serve` or add one."))
            return
        rows = [
            (
                lib.code,
                str(lib.get_kind_display()),
                lib.name,
                lib.commune,
                ", ".join(lib.shuttle_day_names()) or "—",
            )
            for lib in libraries
        ]
        headers = (_("code"), _("kind"), _("name"), _("commune"), _("shuttle days"))
        widths = [max(len(str(v)) for v in col) for col in zip(headers, *rows, strict=False)]
        for row in [headers, *rows]:
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
