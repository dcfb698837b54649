"""Names compared the way people read them: no accents, no case, no punctuation."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’.,]+")
# Letters that have no decomposition in Unicode but that French names do use.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l"})


def fold(text: str) -> str:
    """'Lœtitia  Hervé-Bézier' → 'loetitia herve bezier'."""
    text = (text or "").casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare).strip()
