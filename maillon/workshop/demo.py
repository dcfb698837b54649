"""The workshop in the demo, at Parthenay: items from Secondigny on their way and queued for
repair, new items being equipped, a batch at work; two label sheets. Once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.services import receive_transfer, send_transfer
from maillon.network.models import Library
from maillon.workshop import services
from maillon.workshop.models import LabelSheet, Workshop

SHEETS = [
    ("A4 3 × 8 (70 × 37 mm)", 3, 8, "70", "37", "0.5", "0", "0", "0"),
    ("A4 2 × 7 (99,1 × 38,1 mm)", 2, 7, "99.1", "38.1", "15.1", "4.7", "2.5", "0"),
]


def build_workshop(today: dt.date) -> dict[str, int]:
    if Workshop.objects.exists():
        return {}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=["PAR", "SEC"])}
    users = get_user_model().objects.in_bulk(["parthenay", "secondigny"], field_name="username")
    if len(libraries) < 2 or len(users) < 2:
        return {}
    for name, columns, rows, width, height, top, left, column_gap, row_gap in SHEETS:
        LabelSheet.objects.create(
            name=name,
            columns=columns,
            rows=rows,
            label_width=Decimal(width),
            label_height=Decimal(height),
            top=Decimal(top),
            left=Decimal(left),
            column_gap=Decimal(column_gap),
            row_gap=Decimal(row_gap),
        )
    Workshop.objects.create(library=libraries["PAR"])
    par, sec = libraries["PAR"], libraries["SEC"]
    sent = [
        services.send(users["secondigny"], sec, item, "repair", note=note)
        for item, note in zip(
            Item.objects.filter(current=sec, home=sec, status=ItemStatus.AVAILABLE).order_by("-pk")[
                :4
            ],
            ["Dos décollé", "Pages arrachées", "Couverture déchirée", "Reliure cassée"],
            strict=False,
        )
    ]
    for order in sent[:3]:  # three arrived, one still on the shuttle
        send_transfer(users["secondigny"], sec, order.item.barcode)
        receive_transfer(users["parthenay"], par, order.item.barcode)
    for item in Item.objects.filter(current=par, home=par, status=ItemStatus.AVAILABLE).order_by(
        "-pk"
    )[:3]:
        services.send(users["parthenay"], par, item, "equip")
    batch = services.create_batch(users["parthenay"], "Réparations de la semaine")
    for order in sent[:2]:
        services.add_to_batch(users["parthenay"], batch, order.item.barcode)
        services.record_work(users["parthenay"], order, ["mend", "cover"], 20)
    return {"sent": len(sent)}
