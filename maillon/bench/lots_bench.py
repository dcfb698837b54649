"""The lots benchmark, run inside a process whose database is a fresh benchmark database
(`python -m maillon.bench.worker lots SEED LOTS`).

A network of six libraries and about 6,000 copies from the catalogue generator, indexed; LOTS
lots of 200 copies each are built at the head library through the lots service (the copies
measured are put on its shelves first). Each lot is then
sent to the second library (`lots.services.send`: every item's transfer made and sent through
circulation, its home moved, in one transaction) and received there in one scan
(`lots.services.receive`), and the service time of each is taken. Baseline in the same run:
the same 200 copies sent one by one, as a desk without lots would (`create_transfer` then
`send_transfer` per item, a transaction each), for one lot's worth of copies.
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from maillon.catalogue.models import Item, ItemStatus
from maillon.catalogue.search import rebuild_index
from maillon.circulation.transfers import create_transfer, send_transfer
from maillon.lots import services as lots
from maillon.network.models import Library, Role, StaffRole

from .generate import generate
from .report import load_average, p95, server_version

RECORDS = 3000
LIBRARIES = 6
LOT_SIZE = 200


def _figures(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p95": p95(values), "runs": len(values)}


def run(seed: int, count: int) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    generate(RECORDS, 2.0, LIBRARIES, seed)
    head, second = list(Library.objects.order_by("code"))[:2]
    # The copies measured stand on the head library's shelves (the generator spreads them).
    needed = (count + 1) * LOT_SIZE
    measured = list(Item.objects.order_by("pk").values_list("pk", flat=True)[:needed])
    Item.objects.filter(pk__in=measured).update(home=head)
    Item.objects.update(status=ItemStatus.AVAILABLE, current_id=F("home_id"))
    rebuild_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = get_user_model().objects.create_user("bench-coordinator")
    StaffRole.objects.create(user=actor, library=head, role=Role.COORDINATOR)
    at_head = list(Item.objects.filter(pk__in=measured).order_by("pk"))
    built = []
    for n in range(count):
        lot = lots.create(actor, head, f"Caisse de mesure n°{n + 1}")
        lots.add_many(actor, lot, at_head[n * LOT_SIZE : (n + 1) * LOT_SIZE])
        built.append(lot)
    sent, received = [], []
    for lot in built:
        started = time.perf_counter()
        lots.send(actor, lot, second)
        sent.append((time.perf_counter() - started) * 1000)
    for lot in built:
        started = time.perf_counter()
        lots.receive(actor, lot, second)
        received.append((time.perf_counter() - started) * 1000)
    one_by_one = at_head[count * LOT_SIZE : needed]
    started = time.perf_counter()
    for item in one_by_one:
        with transaction.atomic():
            create_transfer(actor, head, item, second)
            send_transfer(actor, head, item)
    baseline = (time.perf_counter() - started) * 1000
    return {
        "vendor": connection.vendor,
        "lot_size": LOT_SIZE,
        "send": _figures(sent),
        "receive": _figures(received),
        "baseline_ms": baseline,
        "items": Item.objects.count(),
        "server": server_version(),
        "load": load_average(),
    }


def markdown(runs: dict[str, dict], machine_text: str) -> str:
    rows = [
        "## Lots: sending and receiving a crate of 200 items",
        "",
        machine_text,
        "",
        "A network of six libraries and about 6,000 copies (catalogue generator, indexed). Lots "
        f"of {LOT_SIZE} copies built at the head library; each sent to another library in one "
        "transaction (every item's transfer made and sent through circulation, its home moved) "
        "and received there in one scan. Service time in milliseconds, one per lot. Baseline in "
        f"the same run: {LOT_SIZE} copies sent one by one (transfer made and sent, a "
        "transaction each), as a desk without lots would.",
        "",
        "| database | send median | send p95 | receive median | receive p95 | lots | "
        "one by one (baseline) | baseline ÷ send median | p95 ≤ 300 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for label, run in runs.items():
        send, receive = run["send"], run["receive"]
        met = "yes" if max(send["p95"], receive["p95"]) <= 300 else "**no**"
        rows.append(
            f"| {label} | {send['median']:.0f} | {send['p95']:.0f} | {receive['median']:.0f} | "
            f"{receive['p95']:.0f} | {send['runs']} | {run['baseline_ms']:.0f} | "
            f"{run['baseline_ms'] / send['median']:.2f} | {met} |"
        )
    loads = "; ".join(f"{label}: {run['load']}" for label, run in runs.items())
    rows += [
        "",
        f"Load average (1, 5, 15 min) when measuring: {loads}. The machine is shared: "
        "latencies are wall-clock times and grow with the load.",
        "",
        "Re-run: `maillon bench --only lots`",
    ]
    return "\n".join(rows)
