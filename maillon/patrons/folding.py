"""Names compared the way people read them: no accents, no case, no punctuation."""

import re

from maillon.catalogue.marc.keys import fold as fold_text

_SEPARATORS = re.compile(r"[\s\-'’.,]+")


def fold(text: str) -> str:
    """'Lœtitia  Hervé-Bézier' → 'loetitia herve bezier': the catalogue's folding, and
    hyphens, apostrophes and dots count as spaces."""
    return _SEPARATORS.sub(" ", fold_text(text or "")).strip()
