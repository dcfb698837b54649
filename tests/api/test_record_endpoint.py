from maillon.catalogue.models import ItemStatus

from ..search.conftest import add_item, make_record


def test_record_with_its_copies_per_library(client, network, check_schema):
    record = make_record(
        "Le Horla",
        authors=["Maupassant, Guy de"],
        year=1887,
        subjects=["Fantastique"],
        series=[{"title": "Folio", "number": "2"}],
    )
    add_item(record, network["a"], call_number="R MAU")
    add_item(record, network["a"], call_number="R MAU", status=ItemStatus.ON_LOAN)
    add_item(record, network["b"], "LIVJ", call_number="J MAU")
    add_item(record, network["b"], status=ItemStatus.WITHDRAWN)  # not shown

    response = client.get(f"/api/v1/records/{record.id}")
    assert response.status_code == 200
    data = check_schema(response.json(), "Record")
    assert data["title"] == "Le Horla" and data["year"] == 1887
    assert data["authors"] == [{"name": "Maupassant, Guy de", "role": "auteur"}]
    holdings = {h["library"]["code"]: h for h in data["holdings"]}
    assert set(holdings) == {"AAA", "BBB"}
    assert holdings["AAA"]["available"] == 1
    assert sorted(i["status"] for i in holdings["AAA"]["items"]) == ["available", "on_loan"]
    assert [i["item_type"]["code"] for i in holdings["BBB"]["items"]] == ["LIVJ"]
    assert holdings["BBB"]["items"][0]["call_number"] == "J MAU"


def test_unknown_record_is_a_404(client, db, check_schema):
    response = client.get("/api/v1/records/999999")
    assert response.status_code == 404
    assert check_schema(response.json(), "Error")["error"]["code"] == "record_not_found"


def test_merged_record_redirects_to_the_survivor(client, db, check_schema):
    survivor = make_record("Bel-Ami")
    middle = make_record("Bel ami", merged_into=survivor)
    duplicate = make_record("Bel-ami", merged_into=middle)  # merged twice: follow the chain
    response = client.get(f"/api/v1/records/{duplicate.id}")
    assert response.status_code == 301
    url = f"http://testserver/api/v1/records/{survivor.id}"
    assert response["Location"] == url
    data = check_schema(response.json(), "Error")
    assert data["error"]["code"] == "record_merged"
    assert data["id"] == survivor.id and data["url"] == url
    assert client.get(f"/api/v1/records/{duplicate.id}", follow=True).json()["id"] == survivor.id
