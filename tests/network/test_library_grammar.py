"""A library's name in a French sentence: "à la Médiathèque…", "au Point lecture…"."""

import pytest
from django.utils import translation

from maillon.network.models import Library, LibraryKind, NameGrammar, guess_grammar


@pytest.mark.parametrize(
    ("name", "grammar"),
    [
        ("Médiathèque de Parthenay", "f"),
        ("Bibliothèque de Vasles", "f"),
        ("Point lecture de Saint-Aubin", "m"),
        ("Relais lecture du Tallud", "m"),
        ("Espace culturel de Thénezay", "l"),
        ("Bibliothèques de la Gâtine", "p"),
    ],
)
def test_the_grammar_is_guessed_from_the_name(name, grammar):
    assert guess_grammar(name) == grammar


def test_sentences_in_both_languages(db):
    point = Library(code="PL", name="Point lecture d’Aubigny", kind=LibraryKind.READING_POINT)
    mediapolis = Library(code="MP", name="Mediapolis", grammar=NameGrammar.PROPER)
    with translation.override("fr"):
        assert point.at_name == "au Point lecture d’Aubigny"
        assert point.of_name == "du Point lecture d’Aubigny"
        assert mediapolis.at_name == "à Mediapolis"
        assert Library(name="Espace Gâtine").to_name == "à l’Espace Gâtine"
    with translation.override("en"):
        assert point.at_name == "at Point lecture d’Aubigny"
        assert point.to_name == "to Point lecture d’Aubigny"
