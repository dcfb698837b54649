"""A resource's crate labels: one A4 page per crate with its barcode (Code 128), title, owner
and « crate n of N », so that every crate of an exhibition finds its way back."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from maillon.bookings.models import Resource
from maillon.lots.printing import code128_svg


def html(resource: Resource) -> str:
    return render_to_string(
        "bookings/labels.html",
        {
            "resource": resource,
            "crates": range(1, max(resource.crates, 1) + 1),
            "barcode": code128_svg(resource.barcode),
            "printed": timezone.localtime(),
        },
    )


def pdf(resource: Resource) -> bytes:
    from weasyprint import HTML  # heavy: loaded when labels are printed

    return HTML(string=html(resource)).write_pdf()
