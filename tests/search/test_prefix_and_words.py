from maillon.catalogue.search import SearchQuery, search

from .conftest import make_record


def found(q: str) -> set[str]:
    return {hit.title for hit in search(SearchQuery(q=q)).hits}


def test_last_word_is_a_prefix_while_typing(db):
    make_record("Harry Potter à l'école des sorciers")
    make_record("Harry et ses amis")
    assert found("harry pot") == {"Harry Potter à l'école des sorciers"}
    assert found("sorc") == {"Harry Potter à l'école des sorciers"}


def test_only_the_last_word_is_a_prefix(db):
    make_record("Harry Potter à l'école des sorciers")
    assert found("pot harry") == set()
    # A trailing space says the word is complete.
    assert found("harry pot ") == set()


def test_several_words_are_all_required(db):
    make_record("Le jardin des plantes", subjects=["Botanique"])
    make_record("Le jardin secret")
    make_record("Les plantes médicinales")
    assert found("jardin plantes") == {"Le jardin des plantes"}
    assert found("jardin botanique") == {"Le jardin des plantes"}
    assert found("jardin") == {"Le jardin des plantes", "Le jardin secret"}


def test_stop_words_do_not_restrict_the_search(db):
    make_record("Jardin d'hiver")
    assert found("le jardin de l'hiver") == {"Jardin d'hiver"}


def test_quoted_phrase_and_excluded_word(db):
    make_record("Le petit prince")
    make_record("Le prince petit")
    make_record("Le petit prince de Bel-Air")
    assert found('"petit prince"') == {"Le petit prince", "Le petit prince de Bel-Air"}
    assert found('"petit prince" -bel') == {"Le petit prince"}
