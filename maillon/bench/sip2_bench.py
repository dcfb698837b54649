"""The SIP2 benchmark, run inside a process whose database is a fresh benchmark database
(`python -m maillon.bench.worker sip2 SEED PER_TERMINAL`).

The circulation benchmark's network (six libraries, about 6,000 copies, 400 patrons with their
loans and holds, loan rules), twenty terminal accounts at the head library and a patron for
each. The real server (`maillon sip2-server`) runs in its own process on this database; the
terminals are threads here, each on its own TCP connection, logged in once (93), then lending
(11) and taking back (09) its own copies, one after the other, all twenty at once: first at a
patron's pace (about a second before each request), then without pause (the server
saturated: each request waits for the others'). The figure is each request's round trip on
the terminal's side: loopback, the server's reading and writing, and the circulation service
it calls.

Baselines in the same run, on the same copies and cards: the checkout service called directly
(`circulation.services.checkout`, as the terminal's user), one at a time and from twenty
threads at once; and one terminal alone over SIP2 (the protocol's cost without contention).
And the SQL statements and CPU time of each request, measured in this process (the server's
answer called directly): figures the machine's load does not move.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from maillon.circulation import services
from maillon.patrons.models import PatronCategory
from maillon.sip2 import protocol
from maillon.sip2.accounts import create_terminal

from .circulation_bench import _free_port, _patron, build
from .report import load_average, p95, server_version

TERMINALS = 20
WARMUP = 2  # per terminal: its first lends open connections and warm caches
TARGET_MS = 20  # checkout round trip p95 with 20 terminals (issue 19)
PAUSE_S = 1.0  # a patron's time between two requests at a kiosk (about; drawn per request)


def _figures(values: list[float]) -> dict:
    return {"runs": len(values), "median": statistics.median(values), "p95": p95(values)}


class Kiosk:
    """One terminal's connection: sends a request with its trailer, reads the answer."""

    def __init__(self, port: int, login: str, password: str, library: str) -> None:
        self.library = library
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.sequence = 0
        assert self.send(f"9300CN{login}|CO{password}|CP{library}|").startswith("941")

    def send(self, text: str) -> str:
        self.sequence = (self.sequence + 1) % 10
        self.sock.sendall(protocol.with_trailer(text, str(self.sequence)).encode() + b"\r")
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the SIP2 server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r", 1)
        return line.decode("utf-8")

    def lend_and_return(
        self, card: str, barcodes: list[str], out: list, back: list, pause: float = 0.0
    ) -> None:
        """Lend then take back each copy; with `pause`, wait about that long (half to one and
        a half times, drawn) before each request, as a patron does between two books."""
        now, here = protocol.sip_date(timezone.localtime()), self.library
        rng = random.Random(self.sock.getsockname()[1])
        for n, barcode in enumerate(barcodes):
            if pause:
                time.sleep(rng.uniform(0.5 * pause, 1.5 * pause))
            started = time.perf_counter()
            lent = self.send(f"11YN{now}{' ' * 18}AO{here}|AA{card}|AB{barcode}|AC|")
            lent_ms = (time.perf_counter() - started) * 1000
            if not lent.startswith("121"):
                raise RuntimeError(f"checkout refused: {lent}")
            if pause:
                time.sleep(rng.uniform(0.5 * pause, 1.5 * pause))
            started = time.perf_counter()
            returned = self.send(f"09N{now}{now}AP{here}|AO{here}|AB{barcode}|AC|")
            back_ms = (time.perf_counter() - started) * 1000
            if not returned.startswith("101"):
                raise RuntimeError(f"checkin refused: {returned}")
            if n >= WARMUP:
                out.append(lent_ms)
                back.append(back_ms)

    def close(self) -> None:
        self.sock.close()


class SipServer:
    """`maillon sip2-server` on a free port of this database, for the duration of a `with`."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> SipServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "maillon.cli", "sip2-server", "--host", "127.0.0.1"]
            + ["--port", str(self.port)],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the SIP2 server stopped")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the SIP2 server did not start within 60 s")

    def cpu_seconds(self) -> float | None:
        """The server process's CPU time so far, all its threads (Linux's /proc; None
        elsewhere): what it spends on requests, whatever the machine's load."""
        assert self.process is not None
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def per_request(terminal, password: str, card: str, barcodes: list[str]) -> dict[str, dict]:
    """What one request of each kind costs in this process, figures the machine's load does
    not move: its SQL statements (counted on the second copy, the first having filled the
    caches) and its CPU time (the median over the others, ``time.process_time``: this
    process's own work, Python and the database driver, not the database server's). The
    services are called as the terminal's user, then the server's answers
    (``sip2.services.answer``, as its worker thread runs them) after a login; each copy is
    lent and taken back each time."""
    from django.test.utils import CaptureQueriesContext

    from maillon.sip2.services import Session, answer

    desk, actor = terminal.library, terminal.actor()
    now, here = protocol.sip_date(timezone.localtime()), desk.code
    session = Session(peer="127.0.0.1")

    def sip(text: str) -> None:
        answer(session, protocol.with_trailer(text, "1"))

    sip(f"9300CN{terminal.login}|CO{password}|CP{here}|")
    assert session.terminal is not None, "the terminal's login failed"
    steps: dict[str, Callable[[str], object]] = {
        "service checkout": lambda barcode: services.checkout(actor, desk, card, barcode),
        "service checkin": lambda barcode: services.checkin(actor, desk, barcode),
        "11 checkout": lambda barcode: sip(f"11YN{now}{' ' * 18}AO{here}|AA{card}|AB{barcode}|AC|"),
        "63 patron information": lambda _barcode: sip(f"63001{now}{' ' * 10}AO{here}|AA{card}|"),
        "09 checkin": lambda barcode: sip(f"09N{now}{now}AP{here}|AO{here}|AB{barcode}|AC|"),
    }
    statements: dict[str, int] = {}
    round_trips: dict[str, int] = {}
    cpu: dict[str, list[float]] = {label: [] for label in steps}
    for n, barcode in enumerate(barcodes):
        for label, step in steps.items():
            if n == 0:  # the first of each: the terminal's roles read, the caches filled
                step(barcode)
            elif n == 1:
                with CaptureQueriesContext(connection) as captured, messages_sent() as sent:
                    step(barcode)
                statements[label] = len(captured)
                if sent is not None:
                    round_trips[label] = len(sent)
            else:
                started = time.process_time()
                step(barcode)
                cpu[label].append((time.process_time() - started) * 1000)
    return {
        "statements": statements,
        **({"round_trips": round_trips} if round_trips else {}),
        "cpu_ms": {label: statistics.median(values) for label, values in cpu.items()},
    }


@contextmanager
def messages_sent() -> Iterator[list[str] | None]:
    """The queries sent to PostgreSQL inside, one per round trip (several statements may go in
    one), as libpq's own trace of the protocol shows them; None on another database."""
    if connection.vendor != "postgresql":
        yield None
        return
    from psycopg import pq

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    sent: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield sent
        finally:
            pgconn.untrace()
        trace.seek(0)
        for line in trace:
            direction, _length, kind, *text = line.rstrip("\n").split("\t")
            if direction == "F" and kind in ("Query", "Sync"):
                sent.append("\t".join(text).strip(' "'))


def commits(runs: int = 200) -> list[float]:
    """The floor under every checkout and check-in: a transaction that writes one row (the
    network policy's, to the value it has) and commits, in milliseconds. PostgreSQL answers a
    COMMIT once its log is on disk (synchronous_commit), which a loaded disk makes slow;
    SQLite in WAL mode with synchronous=NORMAL does not wait for the disk."""
    from maillon.circulation.models import NetworkPolicy

    NetworkPolicy.current()  # the row exists
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(NetworkPolicy._meta.db_table)} "
        f"SET due_soon_days = due_soon_days WHERE id = 1"
    )
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _in_parallel(jobs: list[Callable[[], None]]) -> None:
    """Run the jobs in threads started together; re-raise the first failure."""
    errors: list[BaseException] = []
    gate = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        try:
            gate.wait()
            job()
        except BaseException as error:  # noqa: BLE001 (kept and raised in the main thread)
            errors.append(error)
        finally:
            connection.close()  # each thread's own database connection

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def run(seed: int, per_terminal: int) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    network = build(seed, TERMINALS * per_terminal, libraries=6)
    desk = network.desk
    adult = PatronCategory.objects.get(code="ADU")
    today = timezone.localdate()
    terminals, cards, slices = [], [], []
    pool = network.pool[: TERMINALS * per_terminal]
    for n in range(TERMINALS):
        terminal, password = create_terminal(None, f"borne-{n + 1:02d}", desk)
        terminals.append((terminal, password))
        cards.append(
            _patron(f"3{n:011d}", f"Lecteur borne {n + 1}", adult, desk, today).card_number
        )
        slices.append(pool[n * per_terminal : (n + 1) * per_terminal])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out: dict = {"server": server_version(), "vendor": connection.vendor}
    out.update(per_request(*terminals[0], cards[0], slices[0]))
    out["load_before"] = load_average()
    out["commit"] = _figures(commits())

    def direct(n: int, lent: list, back: list) -> None:
        actor = terminals[n][0].actor()
        for k, barcode in enumerate(slices[n]):
            started = time.perf_counter()
            services.checkout(actor, desk.pk, cards[n], barcode)
            lent_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            services.checkin(actor, desk.pk, barcode)
            if k >= WARMUP:
                lent.append(lent_ms)
                back.append((time.perf_counter() - started) * 1000)

    # Baseline 1: the service, one terminal's worth of calls after another.
    lent: list[float] = []
    back: list[float] = []
    for n in range(TERMINALS):
        direct(n, lent, back)
    out["service_serial"] = {"checkout": _figures(lent), "checkin": _figures(back)}

    # Baseline 2: the service from twenty threads at once (the database's contention alone).
    lent, back = [], []
    _in_parallel([partial(direct, n, lent, back) for n in range(TERMINALS)])
    out["service_parallel"] = {"checkout": _figures(lent), "checkin": _figures(back)}

    with SipServer() as server:
        # One terminal alone, then twenty at once, over TCP.
        lent, back = [], []
        kiosk = Kiosk(server.port, terminals[0][0].login, terminals[0][1], desk.code)
        cpu_before = server.cpu_seconds()
        for n in range(TERMINALS):
            kiosk.lend_and_return(cards[n], slices[n], lent, back)
        cpu_after = server.cpu_seconds()
        kiosk.close()
        out["sip2_one"] = {"checkout": _figures(lent), "checkin": _figures(back)}
        if cpu_before is not None and cpu_after is not None:
            requests = 2 * TERMINALS * per_terminal
            out["server_cpu_ms"] = (cpu_after - cpu_before) * 1000 / requests

        kiosks = [Kiosk(server.port, t.login, password, desk.code) for t, password in terminals]
        for key, pause in (("sip2_paced", PAUSE_S), ("sip2_parallel", 0.0)):
            lent, back = [], []
            started = time.perf_counter()
            _in_parallel(
                [
                    partial(kiosks[n].lend_and_return, cards[n], slices[n], lent, back, pause)
                    for n in range(TERMINALS)
                ]
            )
            elapsed = time.perf_counter() - started
            out[key] = {
                "checkout": _figures(lent),
                "checkin": _figures(back),
                "throughput": 2 * TERMINALS * per_terminal / elapsed,
            }
        for kiosk in kiosks:
            kiosk.close()
    out["load_after"] = load_average()
    out["per_terminal"] = per_terminal
    out["at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return out


ROWS = [
    ("sip2_paced", f"SIP2 over TCP, {TERMINALS} terminals at a patron's pace"),
    ("sip2_parallel", f"SIP2 over TCP, {TERMINALS} terminals without pause (saturated)"),
    ("sip2_one", "SIP2 over TCP, one terminal alone, without pause"),
    ("service_parallel", f"*baseline: the service called directly, {TERMINALS} threads*"),
    ("service_serial", "*baseline: the service called directly, one at a time*"),
]


def markdown(runs: dict[str, dict], machine_text: str, command: str) -> str:
    lines = [
        "## SIP2: checkout round trip with 20 terminals",
        "",
        machine_text,
        "",
        "The circulation benchmark's network (six libraries, about 6,000 copies, 400 patrons "
        f"with 1,200 loans and 150 holds, loan rules), {TERMINALS} terminal accounts at the "
        "head library and a patron each. `maillon sip2-server` runs in its own process; each "
        "terminal is a thread with its own TCP connection, logged in once, lending (11) then "
        "taking back (09) its own copies one after the other, all twenty at once: at a "
        f"patron's pace (about {PAUSE_S:.0f} s, drawn between half and one and a half, before "
        "each request), then without any pause. Times are "
        "each request's round trip seen by the terminal (loopback, the server, the "
        "circulation service), in milliseconds, its first two requests left out. Baselines in "
        "the same run on the same copies and cards: the checkout service called directly as "
        "the terminal's user, one at a time and from twenty threads.",
        "",
        "| database | how | checkouts | checkout median | checkout p95 | check-in median "
        "| check-in p95 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for database, run in runs.items():
        for key, label in ROWS:
            c, r = run[key]["checkout"], run[key]["checkin"]
            lines.append(
                f"| {database} | {label} | {c['runs']} | {c['median']:.1f} | {c['p95']:.1f} "
                f"| {r['median']:.1f} | {r['p95']:.1f} |"
            )
    lines.append("")
    for database, run in runs.items():
        paced, busy = run["sip2_paced"], run["sip2_parallel"]
        base = run["service_serial"]["checkout"]
        p95_paced = paced["checkout"]["p95"]
        met = "met" if p95_paced <= TARGET_MS else "**not met**"
        lines.append(
            f"- {database}: checkout p95 with {TERMINALS} terminals at a patron's pace "
            f"{p95_paced:.1f} ms (target ≤ {TARGET_MS} ms: {met}), "
            f"{p95_paced / base['p95']:.2f}× the service's own p95 called directly. Without "
            f"pause the twenty saturate the server at {busy['throughput']:.0f} requests/s "
            f"and each request waits for the others: p95 {busy['checkout']['p95']:.0f} ms. "
            f"Load average (1, 5, 15 min) {run['load_before']} before, {run['load_after']} "
            f"after ({run['at']})."
        )
    for database, run in runs.items():
        if run.get("commit"):
            commit = run["commit"]
            lines.append(
                f"- {database}: one write transaction alone (one row written, then COMMIT), "
                f"in the same run: median {commit['median']:.1f} ms, p95 {commit['p95']:.1f} ms, "
                "the floor under each checkout and check-in (PostgreSQL answers a COMMIT once "
                "its log is on disk)."
            )
    lines += [
        "",
        "What one request costs in the benchmark's process, figures the machine's load does "
        "not change: its SQL statements (transaction statements included), on PostgreSQL the "
        "messages it sent to the database (round trips: several statements may go in one, "
        "counted by libpq's trace) and its CPU time "
        "in milliseconds (`time.process_time`, the median over one terminal's copies: Python "
        "and the database driver, not the database server). The services are called as the "
        "terminal's user; the SIP2 requests are the server's answer called directly after a "
        "login, as its worker thread runs it.",
        "",
        "| database | figure | " + " | ".join(next(iter(runs.values()))["statements"]) + " |",
        "|---|---|" + "---:|" * len(next(iter(runs.values()))["statements"]),
    ]
    for database, run in runs.items():
        counts = " | ".join(map(str, run["statements"].values()))
        cpu = " | ".join(f"{ms:.1f}" for ms in run["cpu_ms"].values())
        lines.append(f"| {database} | SQL statements | {counts} |")
        if run.get("round_trips"):
            trips = " | ".join(str(n) for n in run["round_trips"].values())
            lines.append(f"| {database} | round trips | {trips} |")
        lines.append(f"| {database} | CPU ms | {cpu} |")
    lines.append("")
    for database, run in runs.items():
        if run.get("server_cpu_ms") is not None:
            lines.append(
                f"- {database}: the server process's CPU time per request (checkouts and "
                f"check-ins of the terminal alone, all its threads): {run['server_cpu_ms']:.1f} ms."
            )
    lines += [
        "",
        "The machine is shared: latencies are wall-clock and grow with its load. On SQLite the "
        "writers queue one behind the other (one write transaction at a time), so twenty "
        "terminals wait for each other there whatever the protocol.",
        "",
        f"Re-run: `{command}`.",
    ]
    return "\n".join(lines)
