"""`maillon worker`: runs the queued jobs, keeps their heartbeat, recovers the jobs of dead
workers and launches the daily work at MAILLON_DAILY_AT. Run as many as you like, on as many
machines as share the database."""

import logging
import socket
import threading

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from maillon.jobs import services

log = logging.getLogger(__name__)


def housekeeping(worker_id: str, every: float, stop: threading.Event) -> None:
    """Heartbeat, recovery and daily run, in a thread beside the one running jobs."""
    while not stop.wait(every):
        try:
            close_old_connections()
            now = timezone.now()
            services.heartbeat(worker_id)
            services.requeue_stale(now)
            if services.daily_due(now):
                services.start_daily(now, worker_id)
        except Exception:  # a database hiccup must not stop the worker; try again next time
            log.exception("worker housekeeping failed")
        finally:
            connection.close()


class Command(BaseCommand):
    help = _("Run the background jobs (imports, exports, daily work).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=_("Seconds between two looks at the queue when it is empty."),
        )
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=10.0,
            help=_("Seconds between two heartbeats (and looks for dead workers' jobs)."),
        )

    def handle(self, *args, **options) -> None:
        worker_id = f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        self.stdout.write(_("Worker %(id)s waiting for jobs.") % {"id": worker_id})
        self.stdout.flush()
        stop = threading.Event()
        threading.Thread(
            target=housekeeping, args=(worker_id, options["heartbeat"], stop), daemon=True
        ).start()
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
