"""Serve Maillon with gunicorn (static files by WhiteNoise), with one job worker beside it."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from maillon.operations.ports import require_free_port

# gunicorn's longest request line (its default is 4,094): a long API query string then gets the
# API's JSON refusal (maillon.core.middleware.API_MAX_QUERY_STRING).
LIMIT_REQUEST_LINE = 8190


class Command(BaseCommand):
    help = _("Serve Maillon over HTTP with gunicorn.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MAILLON_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MAILLON_PORT", 8000)))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("MAILLON_WORKERS", 2))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("MAILLON_THREADS", 4))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("Do not start a job worker (when `maillon worker` runs elsewhere)."),
        )

    def handle(self, *args, **options):
        require_free_port(options["host"], options["port"], "serve")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(
            _("Maillon is served on http://%(address)s/ (Ctrl+C to stop).") % {"address": address}
        )
        self.stdout.flush()
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "maillon.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-" if settings.DEBUG else os.devnull,
            "--graceful-timeout",
            "5",
            "--limit-request-line",
            str(LIMIT_REQUEST_LINE),
        ]
        if options["no_worker"]:
            os.execv(sys.executable, args)
        children = [
            subprocess.Popen([sys.executable, "-m", "maillon.cli", "worker"]),
            subprocess.Popen(args),
        ]
        if os.environ.get("MAILLON_SIP2_PORT"):  # self-check terminals (SIP2), when configured
            sip2 = [sys.executable, "-m", "maillon.cli", "sip2-server"]
            children.append(subprocess.Popen(sip2))
        # Stopped by the service manager: stop the server and the worker with us.
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            children[1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                child.wait(timeout=30)
