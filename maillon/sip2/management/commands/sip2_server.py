"""`maillon sip2-server [--host H] [--port 6001]`: serve SIP2 to the self-check terminals."""

import asyncio

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from maillon.env import env_int, env_str
from maillon.sip2.server import keep_connections, serve


class Command(BaseCommand):
    help = _("Serve SIP2 to self-check terminals over TCP.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=env_str("MAILLON_SIP2_HOST", "0.0.0.0"))
        parser.add_argument("--port", type=int, default=env_int("MAILLON_SIP2_PORT", 6001))

    def handle(self, *args, **options) -> None:
        self.stderr.write(f"SIP2 : {options['host']}:{options['port']}")
        keep_connections()
        asyncio.run(serve(options["host"], options["port"]))
