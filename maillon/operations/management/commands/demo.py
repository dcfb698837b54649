"""Prepare the database with the demo network, print the accounts, then serve."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from maillon.operations.demo import DEMO_PASSWORD, build_demo
from maillon.operations.ports import require_free_port


@contextmanager
def _mail_kept_in_memory() -> Iterator[None]:
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous


class Command(BaseCommand):
    help = _("Create or refresh the demo network and serve Maillon.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Prepare the database without serving.")
        )
        parser.add_argument("--port", type=int, default=int(os.environ.get("MAILLON_PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("MAILLON_HOST", "127.0.0.1"))
        parser.add_argument(
            "--no-worker", action="store_true", help=_("Serve without a job worker.")
        )

    def handle(self, *args, **options):
        if not options["no_serve"]:
            # Before the demo is built: a busy port is known in a second, not after a minute.
            require_free_port(options["host"], options["port"], "demo")
        call_command("migrate", interactive=False, verbosity=0)
        # The demo's people are made up: the e-mails its services write (registrations,
        # bookings, status changes…) stay in memory, neither sent nor printed over the progress.
        with _mail_kept_in_memory():
            accounts = build_demo(progress=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("Demo network ready. Accounts (password: %s):") % DEMO_PASSWORD)
        )
        width = max(len(username) for username, _d in accounts)
        for username, description in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        # The catalogue harvested by portals, as a newcomer can try it at once.
        host = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            _("OAI-PMH harvesting of the catalogue: %s") % f"{host}/oai?verb=Identify"
        )
        self.stdout.write(
            _("SRU search for copy cataloguing: %s")
            % f"{host}/sru?version=1.2&operation=searchRetrieve&query=dc.title%3Droman"
        )
        if not options["no_serve"]:
            self.stdout.write("")
            call_command(
                "serve", host=options["host"], port=options["port"], no_worker=options["no_worker"]
            )
