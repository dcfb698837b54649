"""Items (exemplaires) carried inside bibliographic records: UNIMARC 995 and Koha MARC21 952.

UNIMARC 995 follows the French "Recommandation 995" (ABF/ADBDP/FULBI) as Koha reads it:
$b owner (organisme propriétaire, coded), $c holder (dépositaire), $e location (genre /
emplacement), $f barcode, $k call number, $o circulation type, $q audience, $r document type and
medium, $u note; Koha's additions $5 date acquired, $8 collection, $0 withdrawn and $2 lost.
The recommendation has no price nor a "current place" distinct from the holder.

MARC21 952 is Koha's item field: $a home branch, $b holding (current) branch, $c shelving location,
$d date acquired, $g price, $o call number, $p barcode, $y item type, $z public note,
$8 collection, $7 not for loan, $1 lost, $0 withdrawn. Koha has no owner distinct from home.

``status`` is a source code: "" when the item is available, "lost:<code>", "withdrawn:<code>"
or "notforloan:<code>" from the Koha flags, else the 995 $o circulation code unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from pymarc import Field

from . import _build
from .flavour import Flavour

ITEM_TAG: dict[str, str] = {"unimarc": "995", "marc21": "952"}
_PRICE = re.compile(r"\d+(?:[.,]\d{1,4})?")
_CENT = Decimal("0.01")
_PRICE_LIMIT = Decimal(10**7)  # the price column holds 9 digits, 2 after the point
_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_FR_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


@dataclass(slots=True)
class ItemData:
    barcode: str = ""
    call_number: str = ""
    owner: str = ""
    home: str = ""
    current: str = ""
    location: str = ""
    status: str = ""
    audience: str = ""
    item_type: str = ""
    collection: str = ""
    price: Decimal | None = None
    acquired: dt.date | None = None
    notes: str = ""


def read_items(
    index: Mapping[str, Sequence[Field]], flavour: Flavour, warnings: list[str]
) -> list[ItemData]:
    fields = index.get(ITEM_TAG[flavour], ())
    read = _from_995 if flavour == "unimarc" else _from_952
    items = [read(_codes(field), warnings) for field in fields]
    missing = sum(1 for item in items if not item.barcode)
    if missing:
        warnings.append(_("%(count)d item(s) without a barcode") % {"count": missing})
    return items


def _codes(field: Field) -> dict[str, str]:
    """First value of each subfield code, stripped (a barcode with a stray blank is common)."""
    codes: dict[str, str] = {}
    for code, value in field.subfields:
        if code not in codes:
            codes[code] = value.strip()
    return codes


def _flag(kind: str, value: str) -> str:
    return f"{kind}:{value}" if value and value != "0" else ""


def _from_995(sf: dict[str, str], warnings: list[str]) -> ItemData:
    owner = sf.get("b", "")
    home = sf.get("c", "") or owner
    status = (
        _flag("withdrawn", sf.get("0", "")) or _flag("lost", sf.get("2", "")) or sf.get("o", "")
    )
    return ItemData(
        barcode=sf.get("f", ""),
        call_number=sf.get("k", ""),
        owner=owner or home,
        home=home,
        current=home,
        location=sf.get("e", ""),
        status=status,
        audience=sf.get("q", ""),
        item_type=sf.get("r", ""),
        collection=sf.get("8", ""),
        acquired=_date(sf.get("5", ""), warnings),
        notes=sf.get("u", ""),
    )


def _from_952(sf: dict[str, str], warnings: list[str]) -> ItemData:
    home = sf.get("a", "")
    status = (
        _flag("withdrawn", sf.get("0", ""))
        or _flag("lost", sf.get("1", ""))
        or _flag("notforloan", sf.get("7", ""))
    )
    return ItemData(
        barcode=sf.get("p", ""),
        call_number=sf.get("o", ""),
        owner=home,
        home=home,
        current=sf.get("b", "") or home,
        location=sf.get("c", ""),
        status=status,
        item_type=sf.get("y", ""),
        collection=sf.get("8", ""),
        price=_price(sf.get("g", ""), warnings),
        acquired=_date(sf.get("d", ""), warnings),
        notes=sf.get("z", ""),
    )


def _price(value: str, warnings: list[str]) -> Decimal | None:
    if not value:
        return None
    match = _PRICE.search(value)
    if match:
        try:
            price = Decimal(match.group().replace(",", ".")).quantize(_CENT)
        except InvalidOperation:  # more digits than a decimal holds
            pass
        else:
            if price < _PRICE_LIMIT:
                return price
            warnings.append(_("implausible item price ignored: %(value)s") % {"value": value[:40]})
            return None
    warnings.append(_("unreadable item price: %(value)s") % {"value": value[:40]})
    return None


def _date(value: str, warnings: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        if match := _ISO_DATE.match(value):
            year, month, day = match.groups()
            return dt.date(int(year), int(month), int(day))
        if match := _FR_DATE.match(value):
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        pass
    warnings.append(_("unreadable item date: %(value)s") % {"value": value})
    return None


# --- writing ---------------------------------------------------------------------------------


def item_field(item: ItemData, flavour: Flavour) -> Field:
    pairs = _to_995(item) if flavour == "unimarc" else _to_952(item)
    subfields = [_build.subfield(code, value) for code, value in pairs if value]
    return _build.data_field(ITEM_TAG[flavour], _build.BLANK_INDICATORS, subfields)


def _status_pairs(status: str, codes: dict[str, str], plain: str) -> list[tuple[str, str]]:
    kind, sep, value = status.partition(":")
    if sep and kind in codes:
        return [(codes[kind], value)]
    return [(plain, status)] if status else []


def _to_995(item: ItemData) -> list[tuple[str, str]]:
    status = _status_pairs(item.status, {"withdrawn": "0", "lost": "2"}, "o")
    return [
        ("b", item.owner or item.home),
        ("c", item.home),
        ("e", item.location),
        ("f", item.barcode),
        ("k", item.call_number),
        *status,
        ("q", item.audience),
        ("r", item.item_type),
        ("u", item.notes),
        ("5", item.acquired.isoformat() if item.acquired else ""),
        ("8", item.collection),
    ]


def _to_952(item: ItemData) -> list[tuple[str, str]]:
    codes = {"withdrawn": "0", "lost": "1", "notforloan": "7"}
    return [
        ("a", item.home or item.owner),
        ("b", item.current or item.home),
        ("c", item.location),
        ("d", item.acquired.isoformat() if item.acquired else ""),
        ("g", str(item.price) if item.price is not None else ""),
        ("o", item.call_number),
        ("p", item.barcode),
        ("y", item.item_type),
        ("z", item.notes),
        ("8", item.collection),
        *_status_pairs(item.status, codes, "7"),
    ]
