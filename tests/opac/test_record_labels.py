"""Facets and labels: languages capitalised, an unknown audience said so, subjects lead to a
search, and "more like this" offers subject neighbours."""

from django.urls import reverse
from django.utils import translation

from maillon.catalogue.models import Audience, Record
from maillon.catalogue.search import SearchQuery, index_records, search


def test_labels_and_subject_links(client_fr, network):
    record = Record.objects.create(
        title="Le bocage",
        language="fre",
        audience=Audience.UNKNOWN,
        subjects=["Bocages -- Deux-Sèvres", "Haies"],
        marc=b"",
        sort_title="le bocage",
        match_key="bocage",
    )
    index_records([record.pk])
    page = client_fr.get(reverse("opac:record", args=[record.pk])).content.decode()
    assert "Français" in page
    assert '<a href="/recherche/?q=%22Bocages%22">Bocages -- Deux-Sèvres</a>' in page
    assert "Sur le sujet « Haies »" in page
    with translation.override("fr"):
        assert str(Audience.UNKNOWN.label) == "public non précisé"
        languages = search(SearchQuery(q="bocage")).facets["language"]
    assert [v.label for v in languages] == ["Français"]
