from maillon.catalogue.search import SearchQuery, search

from .conftest import make_record


def found(q: str) -> set[str]:
    return {hit.title for hit in search(SearchQuery(q=q)).hits}


def test_accents_and_case_are_ignored_both_ways(db):
    make_record("École des loisirs")
    make_record("la rentrée")
    make_record("Autre chose")
    assert found("ecole") == {"École des loisirs"}
    assert found("ÉCOLE") == {"École des loisirs"}
    assert found("Rentree") == {"la rentrée"}
    assert found("RENTRÉE") == {"la rentrée"}


def test_ligatures_are_folded(db):
    make_record("Le Cœur cousu")
    make_record("Ex æquo")
    assert found("coeur") == {"Le Cœur cousu"}
    assert found("cœur") == {"Le Cœur cousu"}
    assert found("aequo") == {"Ex æquo"}


def test_every_searched_field_is_searched(db):
    make_record("Titre un", authors=["Dumézil, Georges"])
    make_record("Titre deux", subjects=["Mythologie indo-européenne"])
    make_record("Titre trois", series=[{"title": "Bibliothèque des idées", "number": "4"}])
    make_record("Titre quatre", publisher="Flammarion")
    make_record("Titre cinq", summary="Une enquête dans les Cévennes.")
    assert found("dumezil") == {"Titre un"}
    assert found("mythologie") == {"Titre deux"}
    assert found("idees") == {"Titre trois"}
    assert found("flammarion") == {"Titre quatre"}
    assert found("cevennes") == {"Titre cinq"}
