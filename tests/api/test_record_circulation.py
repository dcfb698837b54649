"""A record's copies say when they come back from loan and where they travel to."""

from maillon.circulation.services import checkout, create_transfer
from tests.circulation_fixtures import TODAY


def test_copies_show_their_due_date_and_destination(
    client, network, desk, make_patron, make_item, book, check_schema, django_assert_max_num_queries
):
    lent, travelling, shelved = make_item(book), make_item(book), make_item(book)
    loan = checkout(desk["a"], network["a"], make_patron(), lent, today=TODAY)
    create_transfer(desk["a"], network["a"], travelling, network["b"])

    with django_assert_max_num_queries(6):  # not one query per copy
        response = client.get(f"/api/v1/records/{book.pk}")
    items = check_schema(response.json(), "Record")["holdings"][0]["items"]
    by_status = {item["status"]: item for item in items}
    assert by_status["on_loan"]["due_on"] == loan.due_on.isoformat()
    assert by_status["on_loan"]["transfer_to"] is None
    assert by_status["in_transit"]["transfer_to"] == {"code": "BBB", "name": network["b"].name}
    assert by_status["in_transit"]["due_on"] is None
    assert (by_status["available"]["due_on"], by_status["available"]["transfer_to"]) == (None, None)
    assert shelved.barcode not in response.content.decode()  # barcodes stay staff-only
