"""Other editions: same title and first author, another record."""

import pytest

from maillon.catalogue.models import Record
from tests.search.conftest import make_record

pytestmark = pytest.mark.django_db


def test_other_edition_is_listed_both_ways(client, catalogue):
    first, second = catalogue["Le Rouge et le Noir"], catalogue["Le Rouge et le Noir 1972"]
    html = client.get(f"/notice/{first.pk}/").content.decode()
    assert f'href="/notice/{second.pk}/"' in html and "Gallimard, 1972" in html
    html = client.get(f"/notice/{second.pk}/").content.decode()
    assert f'href="/notice/{first.pk}/"' in html


def test_same_title_by_another_author_is_not_an_edition(client, catalogue):
    other = Record.objects.create(
        title="Le Rouge et le Noir",
        authors=[{"name": "Autre, Anne", "role": "auteur"}],
        marc=b"",
        sort_title="le rouge et le noir",
        sort_author="autre, anne",
        match_key="rouge et noir|autre|2001",
        year=2001,
    )
    html = client.get(f"/notice/{catalogue['Le Rouge et le Noir'].pk}/").content.decode()
    assert f'href="/notice/{other.pk}/"' not in html


def test_merged_away_record_is_not_an_edition(client, catalogue):
    first, second = catalogue["Le Rouge et le Noir"], catalogue["Le Rouge et le Noir 1972"]
    Record.objects.filter(pk=second.pk).update(merged_into=first)
    html = client.get(f"/notice/{first.pk}/").content.decode()
    assert f'href="/notice/{second.pk}/"' not in html


def test_record_without_author(client, db):
    record = make_record("Anonyme")
    assert client.get(f"/notice/{record.pk}/").status_code == 200
