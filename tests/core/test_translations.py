"""French is the default and complete; English is the source language."""

from pathlib import Path

import polib
from django.urls import reverse

import maillon

LOCALE = Path(maillon.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert missing == [] and fuzzy == []


def test_compiled_catalogue_matches_source():
    source = polib.pofile(str(LOCALE / "django.po"))
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    compiled_entries = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled}
    for entry in source.translated_entries():
        plural = {int(k): v for k, v in entry.msgstr_plural.items()}
        got = compiled_entries.get((entry.msgctxt, entry.msgid))
        assert got is not None, f"not compiled: {entry.msgid!r} — run `make messages`"
        assert got[0] == entry.msgstr and {int(k): v for k, v in got[1].items()} == plural


def test_pages_are_french_by_default_and_english_on_request(client, staff):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in page and "Connexion du personnel" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/pro/"})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page and "Staff login" in page
