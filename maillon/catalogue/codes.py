"""Map a source system's codes (995/952 libraries, item types, statuses) to ours.

The operator edits SourceCode rows; without a row, a code equal to one of ours is taken as is.
"""

from dataclasses import dataclass, field

from maillon.catalogue.models import Collection, ItemStatus, ItemType, SourceCode
from maillon.network.models import Library

# Default item type per document type when the source gives none we know.
ITEM_TYPE_FOR_DOC = {
    "video": "DVD",
    "sound": "CD",
    "music": "CD",
    "game": "JEU",
    "kit": "KIT",
    "periodical": "PER",
    "score": "PART",
}
STATUS_FOR_FLAG = {
    "lost": ItemStatus.LOST,
    "withdrawn": ItemStatus.WITHDRAWN,
    "notforloan": ItemStatus.NOT_FOR_LOAN,
}
FLAG_FOR_STATUS: dict[str, str] = {v: k for k, v in STATUS_FOR_FLAG.items()}


@dataclass
class CodeMap:
    libraries: dict[str, Library] = field(default_factory=dict)
    item_types: dict[str, ItemType] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "CodeMap":
        by_code = {lib.code.upper(): lib for lib in Library.objects.all()}
        types = {t.code.upper(): t for t in ItemType.objects.all()}
        collections = {c.code.upper(): c for c in Collection.objects.all()}
        codes = cls(libraries=dict(by_code), item_types=dict(types), collections=dict(collections))
        for row in SourceCode.objects.all():
            key, target = row.code.upper(), row.target.upper()
            if row.kind == SourceCode.Kind.LIBRARY and target in by_code:
                codes.libraries[key] = by_code[target]
            elif row.kind == SourceCode.Kind.ITEM_TYPE and target in types:
                codes.item_types[key] = types[target]
            elif row.kind == SourceCode.Kind.COLLECTION and target in collections:
                codes.collections[key] = collections[target]
            elif row.kind == SourceCode.Kind.STATUS and target in ItemStatus.values:
                codes.statuses[key] = target
        return codes

    def library(self, code: str) -> Library | None:
        return self.libraries.get(code.strip().upper()) if code else None

    def item_type(self, code: str, doc_type: str) -> tuple[ItemType | None, bool]:
        """The item type for `code`; the bool says whether it was a guess."""
        found = self.item_types.get(code.strip().upper()) if code else None
        if found:
            return found, False
        fallback = ITEM_TYPE_FOR_DOC.get(doc_type, "LIVRE")
        return self.item_types.get(fallback) or next(iter(self.item_types.values()), None), True

    def collection(self, code: str) -> Collection | None:
        return self.collections.get(code.strip().upper()) if code else None

    def status(self, source: str) -> str:
        """Our status for a source status ("" available, "lost:1", or a 995 $o code)."""
        if not source:
            return ItemStatus.AVAILABLE
        kind, sep, _value = source.partition(":")
        if sep and kind in STATUS_FOR_FLAG:
            return STATUS_FOR_FLAG[kind]
        return self.statuses.get(source.upper(), ItemStatus.AVAILABLE)
