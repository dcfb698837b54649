"""A realistic generated catalogue for benchmarks: French titles, authors and subjects from
maillon.bench.words, long-tail popularity (most records have one copy, a few have dozens),
copies spread unevenly over the network's libraries.

Rows go in with raw bulk inserts (executemany on SQLite, COPY on PostgreSQL) and explicit ids:
the ORM's bulk_create costs several times more per row at a million records.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from maillon.catalogue.marc.keys import fold, title_key
from maillon.catalogue.models import GONE_STATUSES, Collection, Item, ItemType, Record
from maillon.network.models import Library, LibraryKind
from maillon.oai.models import SetMembership
from maillon.oai.sets import memberships

from . import words as W

CHUNK = 5000
TOULOUSE = Path(__file__).resolve().parents[3] / "shared" / "data" / "loans_toulouse"
STATUSES = [
    ("available", 72),
    ("on_loan", 20),
    ("in_transit", 2),
    ("on_hold_shelf", 1),
    ("in_processing", 1),
    ("not_for_loan", 2),
    ("missing", 1),
    ("damaged", 1),
]
DOC_TYPES = [("text", 82), ("video", 7), ("music", 5), ("sound", 2), ("periodical", 2), ("game", 2)]


class Zipf:
    """Draw from a sequence with weights 1/(rank+offset)^s: a long tail."""

    def __init__(self, values: Sequence, s: float = 1.0, offset: float = 1.0) -> None:
        self.values = list(values)
        weights = [1 / (rank + offset) ** s for rank in range(len(self.values))]
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def weighted(pairs: Sequence[tuple[Any, float]]) -> Zipf:
    z = Zipf([v for v, _w in pairs])
    z.cum = list(itertools.accumulate(w for _v, w in pairs))
    return z


def copies_distribution(mean: float, top: int = 60) -> Zipf:
    """Copies per record, 1…top, power law whose exponent is tuned to the wanted mean."""
    low, high = 1.01, 6.0
    for _ in range(50):
        s = (low + high) / 2
        weights = [k**-s for k in range(1, top + 1)]
        got = sum(k * w for k, w in zip(range(1, top + 1), weights, strict=True)) / sum(weights)
        low, high = (low, s) if got < mean else (s, high)
    return weighted([(k, k**-s) for k in range(1, top + 1)])


def _the(noun: str, masculine: bool) -> str:
    return ("l'" if noun[0] in "aeiouhéèêâîô" else "le " if masculine else "la ") + noun


def _of(topic: str) -> str:
    """ "de" + an article-led phrase, with French contractions (du, des)."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if topic.startswith(article):
            return contracted + topic[len(article) :]
    return "de " + topic


def made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(W.SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def real_titles() -> list[tuple[str, str, str]]:
    """(title, author, publisher) of Toulouse's most borrowed documents, read at run time."""
    found: list[tuple[str, str, str]] = []
    if not TOULOUSE.is_dir():
        return found
    for path in sorted(TOULOUSE.glob("*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                title = (row.get("TITRE") or "").split(" / ")[0].strip()
                author = (row.get("AUTEUR") or "").strip(" -")
                publisher = (row.get("Editeur") or "").split(":")[-1].split(",")[0].strip(" -")
                if title:
                    found.append((title, author, publisher))
    return list(dict.fromkeys(found))


def isbn13(serial: int) -> str:
    body = f"9782{serial % 10**8:08d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str(-total % 10)


@dataclass
class Vocabulary:
    noun_m: Zipf
    noun_f: Zipf
    adjective: Zipf
    place: Zipf
    topic: Zipf
    first: Zipf
    surname: Zipf
    publisher: Zipf
    subject: Zipf
    series: Zipf

    @classmethod
    def build(cls) -> Vocabulary:
        return cls(
            Zipf(W.NOUNS_M, 0.9),
            Zipf(W.NOUNS_F, 0.9),
            Zipf(W.ADJECTIVES, 0.8),
            Zipf(W.PLACES, 0.8),
            Zipf(W.TOPICS, 0.7),
            Zipf(W.FIRST_NAMES, 0.7),
            Zipf(W.SURNAMES, 0.6),
            Zipf(W.PUBLISHERS, 1.0),
            Zipf(W.SUBJECTS, 0.8),
            Zipf(W.SERIES, 0.9),
        )


class RecordMaker:
    def __init__(self, rng: random.Random, real: list[tuple[str, str, str]]) -> None:
        self.rng, self.real, self.v = rng, real, Vocabulary.build()
        self.real_pick = Zipf(real, 0.6) if real else None
        self.language = weighted(W.LANGUAGES)
        self.doc_type = weighted(DOC_TYPES)

    def thing(self) -> str:
        rng, v = self.rng, self.v
        if rng.random() < 0.5:
            return _the(v.noun_m(rng), True)
        return _the(v.noun_f(rng), False)

    def person(self) -> tuple[str, str]:
        rng, v = self.rng, self.v
        surname = made_up_name(rng) if rng.random() < 0.25 else v.surname(rng)
        first = v.first(rng)
        return surname, first

    def title(self) -> str:
        rng, v = self.rng, self.v
        pattern = rng.randrange(12)
        place = made_up_name(rng) if rng.random() < 0.15 else v.place(rng)
        noun_m, noun_f, adjective = v.noun_m(rng), v.noun_f(rng), v.adjective(rng)
        first = v.first(rng)
        the_m, the_f = _the(noun_m, True), _the(noun_f, False)
        patterns = [
            lambda: f"{the_m} {adjective}",
            lambda: f"{the_f} de {place}",
            lambda: f"Histoire {_of(v.topic(rng))}",
            lambda: f"{first} et {the_m}",
            lambda: f"Les {noun_f}s {_of(the_m)}",
            lambda: f"Guide {_of(v.topic(rng))}",
            lambda: noun_f,
            lambda: f"{the_m} de {first}",
            lambda: f"Voyage à {place}",
            lambda: f"{the_f} et {the_m}",
            lambda: f"Petit traité {_of(v.topic(rng))}",
            lambda: f"Un {noun_m} à {place}",
        ]
        title = patterns[pattern]()
        return title[0].upper() + title[1:]

    def record(self, serial: int) -> dict[str, Any]:
        rng, v = self.rng, self.v
        doc_type = self.doc_type(rng)
        if self.real_pick and rng.random() < 0.1:
            title, author, publisher = self.real_pick(rng)
            authors = [{"name": author, "role": "auteur"}] if author else []
        else:
            title, publisher = self.title(), v.publisher(rng)
            surname, first = self.person()
            authors = [{"name": f"{surname}, {first}", "role": "auteur"}]
            if rng.random() < 0.15:
                surname2, first2 = self.person()
                authors.append({"name": f"{surname2}, {first2}", "role": "illustrateur"})
        year = min(2025, max(1850, int(2025 - rng.expovariate(1 / 14))))
        audience = rng.choices(["adult", "youth", "unknown"], [65, 30, 5])[0]
        subjects = list(dict.fromkeys(v.subject(rng) for _ in range(rng.randint(1, 3))))
        series = (
            [{"title": v.series(rng), "number": str(rng.randint(1, 40))}]
            if rng.random() < 0.1
            else []
        )
        summary = ""
        if rng.random() < 0.5:
            summary = rng.choice(W.SUMMARY_OPENINGS).format(
                place=v.place(rng),
                place2=v.place(rng),
                topic=v.topic(rng),
                thing=self.thing(),
                name=v.first(rng),
                name2=v.first(rng),
            )
        first_author = authors[0]["name"] if authors else ""
        return {
            "title": title[:500],
            "authors": authors,
            "publisher": publisher[:300],
            "year": year,
            "isbn": isbn13(serial) if doc_type == "text" else "",
            "language": self.language(rng),
            "subjects": subjects,
            "series": series,
            "summary": summary,
            "doc_type": doc_type,
            "audience": audience,
            "classification": str(rng.randint(0, 999)) if rng.random() < 0.4 else "",
            "sort_title": fold(title)[:200],
            "sort_author": fold(first_author)[:200],
            "match_key": title_key(title, first_author, year)[:255],
        }


ITEM_TYPE_FOR = {
    "video": "DVD",
    "music": "CD",
    "sound": "LIVLU",
    "periodical": "PER",
    "game": "JEU",
}


def ensure_network(libraries: int) -> tuple[list[Library], dict[str, ItemType], Collection]:
    """At least `libraries` libraries (G01…), the usual item types and a base collection."""
    existing = list(Library.objects.order_by("id"))
    for n in range(len(existing) + 1, libraries + 1):
        kind = LibraryKind.HEAD if n == 1 else LibraryKind.MEMBER
        existing.append(
            Library.objects.create(
                code=f"G{n:02d}",
                name=f"Médiathèque {made_up_name(random.Random(n))}",
                kind=kind,
                commune=made_up_name(random.Random(n)),
                shuttle_days=[2, 5],
            )
        )
    for code, name in [
        ("LIVRE", "Livre"),
        ("LIVJ", "Livre jeunesse"),
        ("BD", "Bande dessinée"),
        ("PER", "Périodique"),
        ("DVD", "DVD"),
        ("CD", "CD"),
        ("LIVLU", "Livre lu"),
        ("JEU", "Jeu"),
    ]:
        ItemType.objects.get_or_create(code=code, defaults={"name": name})
    collection, _c = Collection.objects.get_or_create(
        code="BASE", defaults={"name": "Fonds de base"}
    )
    return existing[:libraries], {t.code: t for t in ItemType.objects.all()}, collection


class Writer:
    """Rows → table, in the model's column order, by the fastest path of each database."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        sqlite = connection.vendor == "sqlite"
        self.converters: list[Callable[[Any], Any] | None] = []
        for field in self.fields:
            if isinstance(field, models.JSONField):
                self.converters.append(json.dumps)
            elif isinstance(field, models.DateTimeField) and sqlite:
                self.converters.append(connection.ops.adapt_datetimefield_value)
            elif isinstance(field, models.DateField) and sqlite:
                self.converters.append(lambda d: d.isoformat() if d else None)
            elif isinstance(field, models.DecimalField) and sqlite:
                self.converters.append(lambda d: None if d is None else str(d))
            else:
                self.converters.append(None)
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def row(self, values: dict[str, Any]) -> list:
        out = []
        for field, convert in zip(self.fields, self.converters, strict=True):
            value = values.get(field.attname, self.defaults[field.attname])
            out.append(convert(value) if convert and value is not None else value)
        return out

    def write(self, rows: list[list]) -> None:
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {table} ({','.join(self.columns)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ",".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({','.join(self.columns)}) VALUES ({marks})", rows
                )


def _next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _reset_sequences() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("catalogue_record", "catalogue_item", "oai_setmembership"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )


def generate(
    records: int,
    items_per_record: float = 2.0,
    libraries: int = 50,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> range:
    """Add `records` records with about `items_per_record` copies each. Returns their ids."""
    rng = random.Random(seed)
    libs, item_types, collection = ensure_network(libraries)
    library_pick = Zipf(libs, 0.7, offset=2)
    copies = copies_distribution(items_per_record)
    status_pick = weighted(STATUSES)
    maker = RecordMaker(rng, real_titles())
    record_writer, item_writer = Writer(Record), Writer(Item)
    set_writer = Writer(SetMembership)  # the records' OAI-PMH sets, as the services keep them
    first_record, next_item = _next_id(Record), _next_id(Item)
    next_membership = _next_id(SetMembership)
    now = timezone.now()
    for start in range(0, records, CHUNK):
        record_rows, item_rows, set_rows = [], [], []
        for serial in range(first_record + start, first_record + min(records, start + CHUNK)):
            values = maker.record(serial)
            created = now - dt.timedelta(days=rng.expovariate(1 / 900), seconds=serial % 86400)
            values.update(id=serial, created_at=created, updated_at=created, marc=b"")
            record_rows.append(record_writer.row(values))
            type_code = ITEM_TYPE_FOR.get(values["doc_type"]) or (
                "BD"
                if "Bande dessinée" in values["subjects"]
                else "LIVJ"
                if values["audience"] == "youth"
                else "LIVRE"
            )
            shown: list[tuple[str, str]] = []  # (home, collection) of the copies not gone
            for _ in range(copies(rng)):
                home = library_pick(rng)
                status = status_pick(rng)
                if status not in GONE_STATUSES:
                    shown.append((home.code, collection.code))
                current = library_pick(rng) if status == "in_transit" else home
                added = created + dt.timedelta(days=rng.random() * 30)
                item_rows.append(
                    item_writer.row(
                        {
                            "id": next_item,
                            "record_id": serial,
                            "barcode": f"GEN{next_item:010d}",
                            "call_number": f"{values['classification'] or 'R'} "
                            f"{values['sort_author'][:3].upper()}",
                            "owner_id": home.id,
                            "home_id": home.id,
                            "current_id": current.id,
                            "collection_id": collection.id,
                            "item_type_id": item_types[type_code].id,
                            "audience": values["audience"],
                            "status": status,
                            "acquired_on": added.date(),
                            "price": Decimal(rng.randint(500, 3500)) / 100,
                            "loan_count": int(rng.paretovariate(1.5)) - 1,
                            "created_at": added,
                            "updated_at": added,
                        }
                    )
                )
                next_item += 1
            for spec in sorted(memberships(shown)):
                set_rows.append(
                    set_writer.row(
                        {
                            "id": next_membership,
                            "record_id": serial,
                            "spec": spec,
                            "joined_at": created,
                        }
                    )
                )
                next_membership += 1
        with transaction.atomic():
            record_writer.write(record_rows)
            item_writer.write(item_rows)
            set_writer.write(set_rows)
        if progress:
            progress(len(record_rows))
    _reset_sequences()
    return range(first_record, first_record + records)


def id_chunks(ids: range, size: int) -> Iterator[list[int]]:
    for start in range(ids.start, ids.stop, size):
        yield list(range(start, min(ids.stop, start + size)))
