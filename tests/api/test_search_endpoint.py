from maillon.catalogue.models import ItemStatus

from ..search.conftest import add_item, make_record


def test_search_answers_hits_paging_and_facets(client, network, check_schema):
    first = make_record(
        "Le Jardin de Monet",
        authors=["Monet, Claude"],
        year=1990,
        isbn="9782070612758",
        language="fre",
        audience="adult",
    )
    add_item(first, network["a"])
    second = make_record("Jardins d'Europe", year=2021, language="fre", audience="adult")
    add_item(second, network["b"], "DVD", status=ItemStatus.ON_LOAN)
    make_record("Autre chose")

    response = client.get("/api/v1/search", {"q": "jardin", "per_page": 1, "sort": "title"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = check_schema(response.json(), "SearchResponse")
    assert data["total"] == 2 and data["pages"] == 2 and not data["approximate"]
    assert [h["title"] for h in data["hits"]] == ["Jardins d'Europe"]
    hit = data["hits"][0]
    assert hit["url"] == f"http://testserver/api/v1/records/{second.id}"
    libraries = {f["value"]: f["count"] for f in data["facets"]["library"]}
    assert libraries == {"AAA": 1, "BBB": 1}

    page2 = client.get(
        "/api/v1/search", {"q": "jardin", "per_page": 1, "sort": "title", "page": 2}
    ).json()
    assert page2["hits"][0]["authors"] == ["Monet, Claude"]
    assert page2["hits"][0]["isbn"] == "9782070612758"


def test_filters_in_the_query_string(client, network, check_schema):
    first = make_record("Jardin un", year=1990)
    add_item(first, network["a"])
    second = make_record("Jardin deux", year=2021)
    add_item(second, network["b"], "DVD", status=ItemStatus.ON_LOAN)

    def ids(**params) -> set[int]:
        data = check_schema(
            client.get("/api/v1/search", {"q": "jardin", **params}).json(), "SearchResponse"
        )
        return {h["id"] for h in data["hits"]}

    assert ids(library="BBB") == {second.id}
    assert ids(library="AAA,BBB") == {first.id, second.id}
    assert ids(item_type="DVD") == {second.id}
    assert ids(available="1") == {first.id}
    assert ids(year="2020-") == {second.id}
    assert ids(year="1985-1995") == {first.id}
    assert ids(year="1990") == {first.id}


def test_absurd_text_is_a_clean_empty_answer(client, db, check_schema):
    for q in ("***", '"', "AND OR", "x" * 5000):
        response = client.get("/api/v1/search", {"q": q})
        assert response.status_code == 200
        assert check_schema(response.json(), "SearchResponse")["total"] == 0


def test_a_page_gives_the_address_of_the_next_one(client, network, check_schema):
    for title in ("Jardin un", "Jardin deux", "Jardin trois"):
        add_item(make_record(title), network["a"])

    first = check_schema(
        client.get("/api/v1/search", {"q": "jardin", "per_page": 2, "sort": "title"}).json(),
        "SearchResponse",
    )
    assert first["total"] == 3
    # The same search (its filters and order kept), one page on; the last page has none.
    assert first["next"].startswith("http://testserver/api/v1/search?")
    following = client.get(first["next"]).json()
    assert following["page"] == 2 and following["next"] is None
    assert {h["title"] for h in first["hits"] + following["hits"]} == {
        "Jardin un",
        "Jardin deux",
        "Jardin trois",
    }
