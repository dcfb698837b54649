"""The circulation benchmark, run inside a process whose database is a fresh benchmark database
(`python -m maillon.bench.worker circulation SEED SAMPLES LIBRARIES`).

It builds a small network — six libraries (or more, see spread), about 6,000 copies from the
catalogue generator, loan rules, 400 patrons with about 1,200 loans and 150 holds, all made by
the services — then times checkout and check-in of the same copies at the head library's desk
for two borrowers: an ordinary patron holding 2 loans and a school (collective borrower) holding
300. Each checkout is followed by the check-in of that copy, so each borrower keeps the same
number of loans throughout.

Two ways in: the service functions (`circulation.services.checkout/checkin`, card number and
barcode as the desk sends them), and the staff API over a real socket — a gunicorn server started
here on the same database (one worker process, `maillon serve`'s gthread worker), called with a
Bearer token through one keep-alive HTTP connection: the figure is client wall-clock time, that is
server time plus loopback. Baseline in the same run: the least a checkout must write, one
transaction locking the item row (`SELECT … FOR UPDATE`) and inserting a loan row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillon.api.models import ApiToken
from maillon.catalogue.models import Item, ItemStatus, ItemType, Record
from maillon.catalogue.search import rebuild_index
from maillon.circulation import services
from maillon.circulation.models import Hold, Loan, LoanRule
from maillon.network.models import Library, Role, StaffRole
from maillon.patrons.models import CategoryKind, Patron, PatronCategory

from .generate import ensure_network, generate
from .report import load_average, p95, server_version

RECORDS = 3000
LIBRARIES = 6
PATRONS = 400
BACKGROUND_LOANS = 1200
HOLDS = 150
COLLECTIVE_LOANS = 300
WARMUP = 10


@dataclass
class Network:
    desk: Library
    actor: object  # the librarian at the desk
    key: str  # their API token
    borrowers: dict[str, str]  # label → card number
    pool: list[str]  # barcodes of copies lent and returned again and again


def _patron(
    card: str, surname: str, category: PatronCategory, home: Library, today: dt.date, **extra
) -> Patron:
    return Patron.objects.create(
        card_number=card,
        surname=surname,
        category=category,
        home_library=home,
        registered_on=today - dt.timedelta(days=90),
        expires_on=today + dt.timedelta(days=275),
        **extra,
    )


def _rules(libraries: list[Library], collective: PatronCategory) -> None:
    """A few rules over the default one the migration seeds, as a network would have."""
    dvd = ItemType.objects.get(code="DVD")
    LoanRule.objects.create(patron_category=collective, loan_days=42, renewals=1)
    LoanRule.objects.create(item_type=dvd, loan_days=14, renewals=1, max_loans=4)
    LoanRule.objects.create(library=libraries[1], loan_days=28)
    LoanRule.objects.create(
        library=libraries[2], item_type=dvd, loan_days=7, max_loans=2, may_travel=False
    )


def spread(libraries: int) -> None:
    """A network of `libraries` (G01…): the head library keeps the copies it holds among six,
    the other copies are spread evenly over the other libraries. The desk's copies and the
    catalogue stay the same: only the number of libraries changes."""
    head, *others = ensure_network(libraries)[0]
    moved = list(Item.objects.exclude(home=head).order_by("pk").values_list("pk", flat=True))
    for position, library in enumerate(others):
        Item.objects.filter(pk__in=moved[position :: len(others)]).update(
            owner=library, home=library, current=library
        )


def build(seed: int, samples: int, libraries: int = LIBRARIES) -> Network:
    rng = random.Random(seed)
    today = timezone.localdate()
    generate(RECORDS, 2.0, LIBRARIES, seed)
    if libraries != LIBRARIES:
        spread(libraries)
    # The generator draws statuses without the loans or transfers they imply: start from
    # copies on their shelves, and let the services below make every state.
    Item.objects.update(status=ItemStatus.AVAILABLE, current_id=F("home_id"))
    # Indexed, as a catalogue in use always is: a status change then refreshes an existing
    # search entry instead of creating it.
    rebuild_index()
    sites = list(Library.objects.order_by("code"))
    desk = sites[0]
    adult, _c = PatronCategory.objects.get_or_create(
        code="ADU", defaults={"name": "Adulte", "kind": CategoryKind.ADULT}
    )
    collective, _c = PatronCategory.objects.get_or_create(
        code="COL", defaults={"name": "Collectivité", "kind": CategoryKind.COLLECTIVE}
    )
    _rules(sites, collective)
    user_model = get_user_model()
    coordinator = user_model.objects.create_user("bench-coordinator")
    StaffRole.objects.create(user=coordinator, library=desk, role=Role.COORDINATOR)
    actor = user_model.objects.create_user("bench-desk")
    StaffRole.objects.create(user=actor, library=desk, role=Role.LIBRARIAN)
    _token, key = ApiToken.issue(actor, "benchmark")

    # The copies measured: on the desk's shelves, of records nobody holds.
    at_desk = list(
        Item.objects.filter(home=desk).order_by("pk").values_list("pk", "barcode", "record_id")
    )
    rng.shuffle(at_desk)
    pool = at_desk[: samples + WARMUP]
    kept_records = {record for _pk, _barcode, record in pool}
    others = [
        pk for pk, _barcode, record in at_desk[samples + WARMUP :] if record not in kept_records
    ]

    patrons = [
        _patron(f"2{n:011d}", f"Lecteur {n}", adult, rng.choice(sites), today)
        for n in range(PATRONS)
    ]
    school = _patron("COL00000001", "École Jules-Ferry", collective, desk, today)
    ordinary = _patron("200000099999", "Martin", adult, desk, today)
    for _n in range(COLLECTIVE_LOANS):
        services.checkout(coordinator, desk, school, Item.objects.get(pk=others.pop()))
    for _n in range(2):
        services.checkout(coordinator, desk, ordinary, Item.objects.get(pk=others.pop()))
    elsewhere = list(
        Item.objects.exclude(home=desk).exclude(record_id__in=kept_records).order_by("pk")
    )
    rng.shuffle(elsewhere)
    for item in elsewhere[: BACKGROUND_LOANS - 200] + [
        Item.objects.get(pk=pk) for pk in others[:200]
    ]:
        # A patron at a limit is refused: the next loan goes to another.
        with contextlib.suppress(services.CirculationError):
            services.checkout(coordinator, item.home_id, rng.choice(patrons), item)
    records = list(
        Record.objects.exclude(pk__in=kept_records).order_by("pk").values_list("pk", flat=True)
    )
    for record_id in rng.sample(records, HOLDS):
        with contextlib.suppress(services.CirculationError):  # e.g. already held
            services.place_hold(
                coordinator,
                desk,
                rng.choice(patrons),
                Record.objects.get(pk=record_id),
                rng.choice(sites),
            )
    return Network(
        desk=desk,
        actor=actor,
        key=key,
        borrowers={
            "2 loans": ordinary.card_number,
            f"{COLLECTIVE_LOANS} loans": school.card_number,
        },
        pool=[barcode for _pk, barcode, _record in pool],
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _figures(values: list[float]) -> dict:
    kept = values[WARMUP:]
    return {"runs": len(kept), "median": statistics.median(kept), "p95": p95(kept)}


def _lend_and_return(
    pool: list[str], checkout: Callable[..., object], checkin: Callable[[str], object]
) -> dict:
    out, back = [], []
    for barcode in pool:
        started = time.perf_counter()
        checkout(barcode)
        out.append(_ms(started))
        started = time.perf_counter()
        checkin(barcode)
        back.append(_ms(started))
    return {"checkout": _figures(out), "checkin": _figures(back)}


def measure_services(network: Network) -> dict:
    results = {}
    for label, card in network.borrowers.items():
        results[label] = _lend_and_return(
            network.pool,
            # The library by id, read afresh as a desk request does (with its calendar).
            lambda barcode, card=card: services.checkout(
                network.actor, network.desk.pk, card, barcode
            ),
            lambda barcode: services.checkin(network.actor, network.desk.pk, barcode),
        )
    return results


def queries_per_checkout(network: Network) -> dict[str, int]:
    """SQL statements of one checkout for each borrower: the same, whatever the loans held."""
    counts = {}
    for label, card in network.borrowers.items():
        with CaptureQueriesContext(connection) as captured:
            services.checkout(network.actor, network.desk, card, network.pool[0])
        counts[label] = len(captured)
        services.checkin(network.actor, network.desk, network.pool[0])
    return counts


def measure_baseline(network: Network) -> dict:
    """Lock the item row and insert a loan row, in one transaction; undone after timing."""
    patron = Patron.objects.get(card_number=network.borrowers["2 loans"])
    items = list(Item.objects.filter(barcode__in=network.pool).order_by("pk"))
    due = timezone.localdate() + dt.timedelta(days=21)
    times = []
    for item in items:
        started = time.perf_counter()
        with transaction.atomic():
            locked = Item.objects.select_for_update().get(pk=item.pk)
            loan = Loan.objects.create(
                item=locked, patron=patron, library=network.desk, due_on=due, loan_days=21
            )
        times.append(_ms(started))
        loan.delete()
    return _figures(times)


def measure_round_trip() -> dict:
    """The machine's floor: one `SELECT 1` to the database and back, no transaction. Every
    statement of a checkout pays at least this; it varies a lot from machine to machine."""
    times = []
    with connection.cursor() as cursor:
        for _n in range(500 + WARMUP):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append(_ms(started))
    return _figures(times)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving this database on a free port, for the duration of a `with`."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "maillon.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--access-logfile",
                os.devnull,
                "--error-logfile",
                "-",
            ],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read() if self.process.stderr else b""
                raise RuntimeError("gunicorn stopped: " + stderr.decode())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 60 s")

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


class ApiClient:
    """POSTs JSON with the token over one keep-alive connection; any other status than the
    expected one stops the benchmark (a refusal would be timed as a success otherwise)."""

    def __init__(self, port: int, key: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
        }

    def post(self, path: str, body: dict, expected: int) -> dict:
        self.connection.request("POST", path, json.dumps(body), self.headers)
        response = self.connection.getresponse()
        data = json.loads(response.read())
        if response.status != expected:
            raise RuntimeError(f"{path}: {response.status} {data}")
        return data

    def close(self) -> None:
        self.connection.close()


def measure_http(network: Network) -> dict:
    results = {}
    with Server() as server:
        client = ApiClient(server.port, network.key)
        try:
            for label, card in network.borrowers.items():
                results[label] = _lend_and_return(
                    network.pool,
                    lambda barcode, card=card: client.post(
                        "/api/v1/checkouts",
                        {"patron": card, "item": barcode, "library": network.desk.code},
                        201,
                    ),
                    lambda barcode: client.post(
                        "/api/v1/checkins", {"item": barcode, "library": network.desk.code}, 200
                    ),
                )
        finally:
            client.close()
    return results


def run(seed: int, samples: int, libraries: int = LIBRARIES) -> dict:
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    network = build(seed, samples, libraries)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out: dict = {"vendor": connection.vendor, "build_s": time.perf_counter() - started}
    out["service"] = measure_services(network)
    out["queries"] = queries_per_checkout(network)
    out["baseline"] = measure_baseline(network)
    out["round_trip"] = measure_round_trip()
    out["http"] = measure_http(network)
    out["open_loans"] = {
        label: Loan.objects.filter(patron__card_number=card, returned_at__isnull=True).count()
        for label, card in network.borrowers.items()
    }
    out["counts"] = {
        "libraries": Library.objects.count(),
        "items": Item.objects.count(),
        "patrons": Patron.objects.count(),
        "open_loans": Loan.objects.filter(returned_at__isnull=True).count(),
        "holds": Hold.objects.count(),
        "rules": LoanRule.objects.count(),
    }
    out["server"] = server_version()
    out["load"] = load_average()
    return out
