"""Match keys for the union catalogue and a French-aware folding helper."""

from __future__ import annotations

import re
import unicodedata
from operator import mul

# Letters NFKD does not decompose but a French reader considers "the same" as ASCII.
_LETTERS = str.maketrans(
    {
        "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ẞ": "ss",
        "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ı": "i",
        "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
        "’": "'", "ʼ": "'", "‘": "'",
    }
)  # fmt: skip
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[\W_]+")
# Non-sorting zones (NSB…NSE, in both C1 conventions): the text inside is an article.
_NON_SORT = re.compile(r"[\x88\x98][^\x89\x9c]*[\x89\x9c]")
_ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "the", "a"})
_WEIGHTS10 = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_ISBN_CHARS = re.compile(r"[0-9][0-9\- ]{8,16}[0-9Xx]")


def fold(text: str) -> str:
    """Lowercase, accents removed, ligatures expanded (œ→oe, æ→ae, ß→ss): for search and sort."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return _MARKS.sub("", text).casefold()


def normalise_isbn(value: str) -> str | None:
    """ISBN-13 digits from an ISBN-10 or -13 written any usual way ("2-07-054127-4 (br.)"),
    or None when the value holds no valid ISBN.

    Same rules as ``stdnum.isbn.validate`` + ``to_isbn13`` (the tests check it on real data),
    computed inline: stdnum's character-by-character cleaning costs ~15 µs per call, which is
    a noticeable share of an import's budget.
    """
    if not value:
        return None
    match = _ISBN_CHARS.search(value)
    if not match:
        return None
    found = match.group()
    # The pattern may swallow a following number ("2070541274 1995"): retry on the first word.
    for candidate in (found, found.split(" ", 1)[0]):
        number = _isbn13(candidate.replace("-", "").replace(" ", "").upper())
        if number:
            return number
    return None


def _isbn13(digits: str) -> str | None:
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum(map(mul, _WEIGHTS10, map(int, digits[:9])))
        check = (11 - total % 11) % 11
        if digits[9] != ("X" if check == 10 else str(check)):
            return None
        body = "978" + digits[:9]
        return body + _ean_check(body)
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        return digits if _ean_check(digits[:12]) == digits[12] else None
    return None


def _ean_check(body: str) -> str:
    total = sum(map(int, body[::2])) + 3 * sum(map(int, body[1::2]))
    return str(-total % 10)


def title_key(title: str, first_author: str = "", year: int | str | None = None) -> str:
    """A dedup key "title|author surname|year" for records without a shared ISBN.

    The title loses case, accents, punctuation and one leading article; the author is reduced to
    the part before the first comma (surnames agree between sources more often than forenames).
    """
    words = _words(_NON_SORT.sub("", title))
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    surname = " ".join(_words(first_author.split(",", 1)[0])) if first_author else ""
    return f"{' '.join(words)}|{surname}|{year or ''}"


def _words(text: str) -> list[str]:
    return _NON_WORD.sub(" ", fold(text)).split()
