"""A relevance test set: a small catalogue built to hold the usual traps (a one-word title and
longer titles holding that word, authors whose names begin with it, articles, plurals, accents)
and the record a reader expects first, or among the first three, for each query. Runs on both
databases (the suite runs on SQLite and on PostgreSQL)."""

import pytest

from maillon.catalogue.search import SearchQuery, engine, rebuild_index, search

from .conftest import make_record

CATALOGUE = [
    ("Mer", "Colin, Paul"),
    ("La mer", "Debussy, Claude"),
    ("Les mers du jardin", "Durand, Anne"),
    ("Merveilles de la mer", "Océan, Marie"),
    ("Le Mercier de Venise", "Lemoine, Jacques"),
    ("Tableau de Paris", "Mercier, Louis-Sébastien"),
    ("L'An 2440", "Mercier, Louis-Sébastien"),
    ("Mémoires d'un merle", "Mercier, Jeanne"),
    ("Le Petit Prince", "Saint-Exupéry, Antoine de"),
    ("Le Prince", "Machiavel, Nicolas"),
    ("Petit ours brun", "Bour, Danièle"),
    ("Les petits princes du désert", "Roux, Léa"),
    ("Harry Potter à l'école des sorciers", "Rowling, J. K."),
    ("Harry Potter et la chambre des secrets", "Rowling, J. K."),
    ("Le jardin secret", "Burnett, Frances Hodgson"),
    ("Jardin", "Clément, Gilles"),
    ("Jardins de Bretagne", "Le Goff, Yann"),
    ("Dune", "Herbert, Frank"),
    ("Dunes et marais de la côte", "Marin, Paul"),
    ("L'Étranger", "Camus, Albert"),
    ("La Peste", "Camus, Albert"),
    ("Étrangers dans la ville", "Benali, Karim"),
    ("Les Misérables", "Hugo, Victor"),
    ("Notre-Dame de Paris", "Hugo, Victor"),
    ("Hugo Cabret", "Selznick, Brian"),
    ("Victor Hugo, mon père", "Hugo, Adèle"),
    ("Vingt mille lieues sous les mers", "Verne, Jules"),
    ("Le Tour du monde en quatre-vingts jours", "Verne, Jules"),
    ("Voyage au centre de la Terre", "Verne, Jules"),
    ("Cuisine", "Martin, Lucie"),
    ("Cuisine de Bretagne", "Le Bihan, Anne"),
    ("Chat", "Petit, Léon"),
    ("Le Chat", "Geluck, Philippe"),
    ("Le chat botté", "Perrault, Charles"),
    ("Chats et chatons", "Vétérinaire, Paul"),
    ("Châteaux de la Loire", "Guide, Bleu"),
    ("La Guerre des boutons", "Pergaud, Louis"),
    ("Guerre et Paix", "Tolstoï, Léon"),
    ("1984", "Orwell, George"),
    ("Astérix le Gaulois", "Goscinny, René"),
    ("Astérix et Cléopâtre", "Goscinny, René"),
]

# (query as typed, the title expected first or None, titles expected among the first three)
QUERIES = [
    ("mer", "Mer", ["La mer"]),
    ("mer ", "Mer", ["La mer"]),
    ("la mer", None, ["La mer", "Mer"]),
    ("mers", None, ["Les mers du jardin"]),
    ("mercier", "Le Mercier de Venise", []),
    ("petit prince", "Le Petit Prince", []),
    ("le petit prince", "Le Petit Prince", []),
    ("prince", "Le Prince", []),
    ("petit ours", "Petit ours brun", []),
    ("harry pot", None, ["Harry Potter à l'école des sorciers"]),
    ("harry potter chambre", "Harry Potter et la chambre des secrets", []),
    ("jardin", "Jardin", []),
    ("jardin secret", "Le jardin secret", []),
    ("dune", "Dune", []),
    ("etranger", "L'Étranger", []),
    ("l'étranger", "L'Étranger", []),
    ("camus", None, ["La Peste", "L'Étranger"]),
    ("hugo", None, ["Hugo Cabret", "Victor Hugo, mon père"]),
    ("victor hugo", "Victor Hugo, mon père", []),
    ("misérables", "Les Misérables", []),
    ("miserables", "Les Misérables", []),
    ("vingt mille lieues", "Vingt mille lieues sous les mers", []),
    ("tour du monde", "Le Tour du monde en quatre-vingts jours", []),
    ("verne", None, ["Voyage au centre de la Terre"]),
    ("cuisine", "Cuisine", []),
    ("cuisine bretagne", "Cuisine de Bretagne", []),
    ("chat", "Chat", ["Le Chat"]),
    ("chat botté", "Le chat botté", []),
    ("chateaux", "Châteaux de la Loire", []),
    ("guerre", None, ["Guerre et Paix", "La Guerre des boutons"]),
    ("guerre et paix", "Guerre et Paix", []),
    ("1984", "1984", []),
    ("orwell", "1984", []),
    ("asterix", None, ["Astérix le Gaulois", "Astérix et Cléopâtre"]),
    ("saint exupery", "Le Petit Prince", []),
    ("gaulois", "Astérix le Gaulois", []),
]


@pytest.fixture
def catalogue(db):
    for title, author in CATALOGUE:
        make_record(title, authors=[author], index=False)
    rebuild_index()


@pytest.mark.parametrize(("q", "first", "top"), QUERIES, ids=[q for q, _f, _t in QUERIES])
def test_the_record_a_reader_expects_comes_first(catalogue, q, first, top):
    titles = [hit.title for hit in search(SearchQuery(q=q)).hits]
    if first:
        assert titles[0] == first, titles[:5]
    for title in top:
        assert title in titles[:3], titles[:5]


def test_whole_words_rank_before_words_only_begun(catalogue):
    """ "mer" typed (the last word a prefix while typing): every title holding the whole word
    "mer" or "mers" comes before a title or an author only beginning with it."""
    titles = [hit.title for hit in search(SearchQuery(q="mer")).hits]
    whole = {"Mer", "La mer", "Les mers du jardin", "Merveilles de la mer"}
    whole.add("Vingt mille lieues sous les mers")
    assert set(titles[: len(whole)]) == whole, titles
    assert titles.index("Le Mercier de Venise") < titles.index("Tableau de Paris")  # title first


@pytest.mark.parametrize("q", ["le", "les de la", "Le ", '"la"', "du"])
def test_a_query_of_stop_words_only_says_so(catalogue, q):
    result = search(SearchQuery(q=q))
    assert result.only_stop_words and result.total == 0


@pytest.mark.parametrize("q", ["le petit", "***", "", "zzzz"])
def test_other_queries_do_not_claim_stop_words(catalogue, q):
    assert not search(SearchQuery(q=q)).only_stop_words


def test_a_whole_title_comes_first_even_when_a_common_word_is_sampled(db, monkeypatch):
    """Very common words are ranked within a sample of their matches; the record whose title
    is just that word is added to it, so "mer" still finds *Mer* first."""
    monkeypatch.setattr(engine, "EXACT_LIMIT", 5)
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 4)
    monkeypatch.setattr(engine, "SAMPLE_WINDOWS", 2)
    monkeypatch.setattr(engine, "_all_if_few", lambda *args: None)
    for n in range(40):
        make_record(f"Poèmes de la mer, tome {n}", index=False)
        if n == 23:
            make_record("Mer", index=False)
    rebuild_index()
    result = search(SearchQuery(q="mer "))
    assert result.approximate
    assert result.hits[0].title == "Mer"
