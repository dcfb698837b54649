"""Absurd searches and paging beyond the end give a clear page, never a 500."""

import pytest

from tests.opac.conftest import fr

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "q", ["", "***", "x" * 5000, '"', "' OR 1=1 --", "<script>", "\x00", "🙂", "-", "le la les"]
)
def test_absurd_queries_answer(client, catalogue, q):
    response = client.get("/recherche/", {"q": q})
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"</head>")[1]


def test_symbols_only_are_explained(client, catalogue):
    html = client.get("/recherche/", {"q": "***"}).content.decode()
    assert "0 document" in html
    assert (
        fr(
            "Your search holds no word we can look for. Type letters or digits: a title, "
            "a name, a subject."
        )
        in html
    )


STOP_WORDS_ONLY = (
    "Your search holds only words too common to look for (le, la, de…): add a more precise "
    "word, from the title or the author's name."
)


@pytest.mark.parametrize("q", ["le", "les de la"])
def test_stop_words_only_are_explained(client, catalogue, q):
    """ "le" once answered "0 document — check the spelling": the spelling was right."""
    html = client.get("/recherche/", {"q": q}).content.decode()
    assert fr(STOP_WORDS_ONLY) in html
    assert (
        fr("No document matches. Check the spelling, try fewer words or remove a filter.")
        not in html
    )


def test_stop_words_only_in_the_api(client, catalogue):
    data = client.get("/api/v1/search", {"q": "les"}).json()
    assert data["only_stop_words"] is True and data["total"] == 0
    assert client.get("/api/v1/search", {"q": "stendhal"}).json()["only_stop_words"] is False


@pytest.mark.parametrize("page", ["99999", "7", "501"])
def test_page_beyond_the_end_shows_the_last_page_with_a_message(client, catalogue, page):
    response = client.get("/recherche/", {"q": "stendhal", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    notice = html.split('class="notice" role="alert">')[1].split("</p>")[0]
    assert page in notice and "1" in notice.replace(page, "")  # asked for, and the last one
    assert "Le Rouge et le Noir" in html  # the last (here: only) page is shown


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "²", "1e3"])
def test_page_that_is_not_a_number_gives_the_first_page(client, catalogue, page):
    response = client.get("/recherche/", {"q": "stendhal", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le Rouge et le Noir" in html and 'role="alert"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"library": "NOPE"},
        {"sort": "price"},
        {"year": "soon"},
        {"available": "maybe"},
        {"language": "french"},
        {"item_type": "ZZZ"},
        {"audience": "aliens"},
    ],
)
def test_bad_filter_is_dropped_with_its_reason(client, catalogue, params):
    response = client.get("/recherche/", {"q": "stendhal", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errors" role="alert"' in html
    assert "3 documents" in html  # the words still searched, the bad filter left out
