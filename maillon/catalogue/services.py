"""Every change to records and items made by people: cataloguing forms, merges, item edits.

Imports go through maillon.catalogue.importer, which writes in bulk under the same rules.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pymarc import Record as MarcRecord

from maillon.audit.services import record as audit
from maillon.catalogue.errors import CatalogueError
from maillon.catalogue.items import change_home
from maillon.catalogue.marc.extract import extract
from maillon.catalogue.marc.flavour import Flavour, as_flavour
from maillon.catalogue.marc.writer import RecordFields, build_record
from maillon.catalogue.models import (
    Collection,
    Item,
    ItemType,
    Record,
    RecordIdentifier,
    RecordMerge,
    SourceCode,
)
from maillon.catalogue.records import (
    fields_from_data,
    identifier_values,
    marc_bytes,
    marc_record,
    parse_marc,
    records_changed,
)
from maillon.core import usage
from maillon.core.validation import first_error
from maillon.network.models import Library, code_validator
from maillon.network.permissions import Action, require


def check_barcode(barcode: str, *, exclude_item: int | None = None) -> str:
    barcode = barcode.strip()
    if not re.fullmatch(settings.MAILLON_BARCODE_PATTERN, barcode):
        raise CatalogueError(
            "barcode_format",
            _("The barcode %(barcode)s does not have the network's format.") % {"barcode": barcode},
        )
    taken = Item.objects.filter(barcode=barcode)
    if exclude_item is not None:
        taken = taken.exclude(pk=exclude_item)
    if taken.exists():
        raise CatalogueError(
            "barcode_taken",
            _("The barcode %(barcode)s is already used by another item.") % {"barcode": barcode},
        )
    return barcode


def _apply_fields(record: Record, fields: RecordFields) -> None:
    flavour = as_flavour(record.flavour or "unimarc")
    marc = build_record(fields, flavour)
    if record.pk and record.marc:
        # Keep the fields the form does not show (notes, other identifiers, local fields).
        marc = _merge_marc(marc_record(record), marc, flavour)
    data = extract(marc, flavour)
    for name, value in fields_from_data(data).items():
        setattr(record, name, value)
    record.marc = marc_bytes(marc, flavour)


# Tags the cataloguing form writes; other fields of an existing record are kept as they were.
FORM_TAGS = {
    "unimarc": {
        "010",
        "100",
        "101",
        "200",
        "205",
        "210",
        "214",
        "215",
        "225",
        "300",
        "330",
        "410",
        "600",
        "601",
        "602",
        "604",
        "605",
        "606",
        "607",
        "608",
        "676",
        "700",
        "701",
        "702",
        "710",
        "711",
        "712",
    },
    "marc21": {
        "008",
        "020",
        "041",
        "082",
        "100",
        "110",
        "245",
        "250",
        "260",
        "264",
        "300",
        "490",
        "500",
        "520",
        "600",
        "610",
        "611",
        "630",
        "650",
        "651",
        "700",
        "710",
        "830",
    },
}


def _merge_marc(old, new, flavour: Flavour):
    written = FORM_TAGS[flavour] | {f.tag for f in new.fields}
    kept = [f for f in old.fields if f.tag not in written]
    new.fields = sorted(new.fields + kept, key=lambda f: f.tag)
    return new


@transaction.atomic
def create_record(actor, fields: RecordFields, flavour: str = "unimarc") -> Record:
    require(actor, Action.MANAGE)
    if not fields.title.strip():
        raise CatalogueError("title_missing", _("A record needs a title."))
    record = Record(flavour=flavour)
    _apply_fields(record, fields)
    record.save()
    _remember_identifiers(record)
    records_changed([record.pk])
    return record


@transaction.atomic
def update_record(actor, record: Record, fields: RecordFields) -> Record:
    require(actor, Action.MANAGE)
    record = Record.objects.select_for_update().get(pk=record.pk)
    if not fields.title.strip():
        raise CatalogueError("title_missing", _("A record needs a title."))
    _apply_fields(record, fields)
    record.save()
    _remember_identifiers(record)
    records_changed([record.pk])
    return record


@transaction.atomic
def save_marc(actor, record: Record, marc: MarcRecord) -> Record:
    """The whole record as the MARC editor wrote it (checked there: see marc/editor.check).
    Its columns are read back from it, as an import would. Codes: title_missing."""
    require(actor, Action.MANAGE)
    record = Record.objects.select_for_update().get(pk=record.pk)
    flavour = as_flavour(record.flavour or "unimarc")
    data = extract(marc, flavour)
    if not data.title.strip():
        raise CatalogueError("title_missing", _("A record needs a title."))
    for name, value in fields_from_data(data).items():
        setattr(record, name, value)
    record.flavour = flavour  # the editor keeps the record's flavour
    record.marc = marc_bytes(marc, flavour)
    record.save()
    _remember_identifiers(record)
    records_changed([record.pk])
    audit("record_edited_marc", record, actor=actor)
    return record


def _remember_identifiers(record: Record) -> None:
    data = extract(marc_record(record), as_flavour(record.flavour))
    RecordIdentifier.objects.bulk_create(
        [RecordIdentifier(record=record, value=v) for v in identifier_values(data)],
        ignore_conflicts=True,
    )


# What the item form edits; the home library changes through items.change_home, the status and
# the current library only through maillon.catalogue.items.
ITEM_FIELDS = (
    "call_number",
    "owner",
    "collection",
    "item_type",
    "audience",
    "location",
    "acquired_on",
    "price",
    "notes",
)


@transaction.atomic
def add_item(actor, record: Record, *, barcode: str, home: Library, **fields) -> Item:
    require(actor, Action.MANAGE, home)
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.merged_into_id:
        raise CatalogueError("record_merged", _("This record was merged into another one."))
    fields.setdefault("owner", home)
    fields.setdefault("current", home)
    item = Item(record=record, barcode=check_barcode(barcode), home=home, **fields)
    item.full_clean(exclude=["record"])
    item.save()
    audit("item_created", item, actor=actor, library=home)
    records_changed([record.pk])
    return item


@transaction.atomic
def update_item(actor, item: Item, **fields) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, Action.MANAGE, item.home)
    new_home = fields.get("home")
    if new_home is not None and new_home.pk != item.home_id:
        item = change_home(actor, item, new_home)
    changes = {}
    if "barcode" in fields and fields["barcode"] != item.barcode:
        changes["barcode"] = [item.barcode, check_barcode(fields["barcode"], exclude_item=item.pk)]
        item.barcode = changes["barcode"][1]
    for name in ITEM_FIELDS:
        if name in fields and getattr(item, name) != fields[name]:
            changes[name] = [str(getattr(item, name) or ""), str(fields[name] or "")]
            setattr(item, name, fields[name])
    if changes:
        item.full_clean(exclude=["record"])
        item.save(update_fields=[*changes, "updated_at"])  # never its state (see items.py)
        audit("item_edited", item, actor=actor, library=item.home_id, details={"changes": changes})
        records_changed([item.record_id])
    return item


@transaction.atomic
def undo_merge(actor, merge: RecordMerge) -> Record:
    """Split the merged record again: a new record from the incoming MARC takes its items."""
    require(actor, Action.MANAGE)
    merge = RecordMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise CatalogueError("merge_undone", _("This merge was already undone."))
    Record.objects.select_for_update().get(pk=merge.record_id)
    incoming = parse_marc(merge.incoming_marc)
    data = extract(incoming, as_flavour(merge.incoming_flavour))
    fields = fields_from_data(data)
    fields["match_key"] = ""  # a split record must not attract the next import again
    split = Record.objects.create(**fields, marc=bytes(merge.incoming_marc))
    RecordIdentifier.objects.filter(record_id=merge.record_id, value__in=merge.identifiers).update(
        record=split
    )
    moved = Item.objects.filter(pk__in=merge.item_ids, record_id=merge.record_id)
    moved_ids = list(moved.values_list("pk", flat=True))
    moved.update(record=split)
    for pk in moved_ids:
        audit(
            "merge_undone",
            Item(pk=pk),
            actor=actor,
            details={"from_record": merge.record_id, "to_record": split.pk},
        )
    merge.undone_at = timezone.now()
    merge.split_record = split
    merge.save(update_fields=["undone_at", "split_record"])
    records_changed([merge.record_id, split.pk])
    return split


def _valid_targets(kind: str) -> set[str]:
    from maillon.catalogue.models import Collection, ItemStatus, ItemType, SourceCode

    if kind == SourceCode.Kind.LIBRARY:
        return set(Library.objects.values_list("code", flat=True))
    if kind == SourceCode.Kind.ITEM_TYPE:
        return set(ItemType.objects.values_list("code", flat=True))
    if kind == SourceCode.Kind.COLLECTION:
        return set(Collection.objects.values_list("code", flat=True))
    return set(ItemStatus.values)


@transaction.atomic
def save_source_code(actor, kind: str, code: str, target: str):
    """Map a source system's code to ours; the next imports use it."""
    from maillon.catalogue.models import SourceCode

    require(actor, Action.ADMINISTER)
    code, target = code.strip(), target.strip()
    if not code:
        raise CatalogueError("code_missing", _("Give the code used by the source system."))
    if target not in _valid_targets(kind):
        raise CatalogueError(
            "unknown_target", _("%(target)s is not one of our codes.") % {"target": target}
        )
    mapping, _created = SourceCode.objects.update_or_create(
        kind=kind, code=code.upper(), defaults={"target": target}
    )
    return mapping


@transaction.atomic
def delete_source_code(actor, mapping) -> None:
    require(actor, Action.ADMINISTER)
    mapping.delete()


# Item types and collections: the network's shared settings, changed by a coordinator only.
#
# Their codes are how other systems and our own history know them: MARC imports take a 995 $r
# (952 $y) or collection code equal to ours as is, the "correspondances" page maps source codes
# to ours by code (SourceCode.target), exports write the code, loans keep the item type's code
# for statistics and for counting a patron's loans against a rule's limit, and the API filters
# by it. Rewriting all of that consistently is not possible (the files of the next import
# carry the old code), so the code of a type or collection that anything uses is refused with
# a clear message; its name can always change. An unused one may take a new code.
# (The importer's fallback codes, codes.ITEM_TYPE_FOR_DOC, degrade to another type if renamed.)


def _in_words(items: int, mappings: int = 0) -> list[str]:
    """ "12 items", "1 import mapping"… for the counts that are not zero."""
    words = []
    if items:
        words.append(ngettext("%(count)d item", "%(count)d items", items) % {"count": items})
    if mappings:
        words.append(
            ngettext("%(count)d import mapping", "%(count)d import mappings", mappings)
            % {"count": mappings}
        )
    return words


def item_type_uses(item_type: ItemType, *, deleting: bool = False) -> list[str]:
    """What refers to `item_type` by row or by code, in words; empty: unused. The apps above
    the catalogue add theirs (loan rules, the loan history) through core.usage."""
    uses = _in_words(
        items=Item.objects.filter(item_type=item_type).count(),
        mappings=SourceCode.objects.filter(
            kind=SourceCode.Kind.ITEM_TYPE, target__iexact=item_type.code
        ).count(),
    )
    for words in usage.answers("item_type_uses", item_type, deleting=deleting, known=uses):
        uses += words
    return uses


def collection_uses(collection: Collection) -> list[str]:
    """What refers to `collection` by row or by code, in words; empty: unused."""
    return _in_words(
        items=Item.objects.filter(collection=collection).count(),
        mappings=SourceCode.objects.filter(
            kind=SourceCode.Kind.COLLECTION, target__iexact=collection.code
        ).count(),
    )


@transaction.atomic
def save_item_type(actor, item_type: ItemType) -> ItemType:
    """Create or update an item type (ADMINISTER). Refusal codes: code_invalid, code_taken,
    code_in_use, invalid."""
    require(actor, Action.ADMINISTER)
    previous = ItemType.objects.select_for_update().get(pk=item_type.pk) if item_type.pk else None
    taken = _("The code %(code)s is already used by another item type.")
    _check_code(item_type, previous, item_type_uses, taken)
    _save_setting(item_type, taken)
    return item_type


@transaction.atomic
def save_collection(actor, collection: Collection) -> Collection:
    """Create or update a collection (ADMINISTER); `floating` decides where returned items
    stay (see circulation.routing). Refusal codes: code_invalid, code_taken, code_in_use,
    invalid."""
    require(actor, Action.ADMINISTER)
    previous = (
        Collection.objects.select_for_update().get(pk=collection.pk) if collection.pk else None
    )
    taken = _("The code %(code)s is already used by another collection.")
    _check_code(collection, previous, collection_uses, taken)
    _save_setting(collection, taken)
    return collection


@transaction.atomic
def delete_item_type(actor, item_type: ItemType) -> None:
    """Delete an unused item type (ADMINISTER). Refusal code: in_use."""
    require(actor, Action.ADMINISTER)
    item_type = ItemType.objects.select_for_update().get(pk=item_type.pk)
    uses = item_type_uses(item_type, deleting=True)
    if uses:
        raise CatalogueError(
            "in_use",
            _(
                "The item type %(name)s cannot be deleted: it is used by %(uses)s. Nothing was "
                "changed."
            )
            % {"name": item_type.name, "uses": ", ".join(uses)},
        )
    _delete_setting(
        item_type,
        _(
            "The item type %(name)s cannot be deleted: it was put to use in the meantime. "
            "Nothing was changed."
        )
        % {"name": item_type.name},
    )


@transaction.atomic
def delete_collection(actor, collection: Collection) -> None:
    """Delete an unused collection (ADMINISTER). Refusal code: in_use."""
    require(actor, Action.ADMINISTER)
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    uses = collection_uses(collection)
    if uses:
        raise CatalogueError(
            "in_use",
            _(
                "The collection %(name)s cannot be deleted: it is used by %(uses)s. Nothing was "
                "changed."
            )
            % {"name": collection.name, "uses": ", ".join(uses)},
        )
    _delete_setting(
        collection,
        _(
            "The collection %(name)s cannot be deleted: it was put to use in the meantime. "
            "Nothing was changed."
        )
        % {"name": collection.name},
    )


def _check_code(
    setting: ItemType | Collection,
    previous: ItemType | Collection | None,
    uses_of,
    taken_message: str,
) -> None:
    setting.code = (setting.code or "").strip()
    setting.name = (setting.name or "").strip()
    if previous is not None and previous.code == setting.code:
        return  # a code kept as it is stays valid, even one from before the rule below
    if previous is not None:
        uses = uses_of(previous)
        if uses:
            raise CatalogueError(
                "code_in_use",
                _(
                    "The code %(code)s cannot change: it is used by %(uses)s, and files to "
                    "import may carry it too. Change the name instead."
                )
                % {"code": previous.code, "uses": ", ".join(uses)},
                field="code",
            )
    try:
        code_validator(setting.code)
    except ValidationError as exc:
        raise CatalogueError("code_invalid", " ".join(exc.messages), field="code") from exc
    # Imports and the mappings compare codes without regard to case.
    same = type(setting).objects.filter(code__iexact=setting.code).exclude(pk=setting.pk)
    if same.exists():
        raise CatalogueError("code_taken", taken_message % {"code": setting.code}, field="code")


def _save_setting(setting: ItemType | Collection, taken_message: str) -> None:
    try:
        setting.full_clean(validate_unique=False)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise CatalogueError(
            "code_invalid" if field == "code" else "invalid", message, field=field
        ) from exc
    try:
        # The unique index settles two coordinators creating the same code at once.
        with transaction.atomic():
            setting.save()
    except IntegrityError as exc:
        raise CatalogueError(
            "code_taken", taken_message % {"code": setting.code}, field="code"
        ) from exc


def _delete_setting(setting: models.Model, raced_message: str) -> None:
    """Delete after the checks. The row lock taken before them makes a new item wait on
    PostgreSQL (its foreign key check shares that lock) and SQLite runs one writer at a time;
    PROTECT and the database would still stop a delete that raced past them."""
    try:
        with transaction.atomic():
            setting.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as exc:
        raise CatalogueError("in_use", raced_message) from exc
