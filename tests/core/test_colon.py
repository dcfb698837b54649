"""A label and its value: "Téléphone : …" (non-breaking space) in French, "Phone: …" in English."""

from django.urls import reverse
from django.utils import translation

from maillon.core.text import label_value
from maillon.network.models import Role
from tests.conftest import PASSWORD


def test_the_colon_follows_the_language():
    with translation.override("fr"):
        assert label_value("B1001", "refusé") == "B1001\u00a0: refusé"
    with translation.override("en"):
        assert label_value("B1001", "refused") == "B1001: refused"


def test_an_english_page_has_no_french_colon(client, staff, network):
    network["a"].phone = "05 49 00 00 00"
    network["a"].save()
    client.login(username=staff[Role.LIBRARIAN].username, password=PASSWORD)
    url = reverse("library_detail", args=[network["a"].code])
    assert "Téléphone\u00a0: " in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/pro/"})
    page = client.get(url).content.decode()
    assert "Phone: " in page and "Phone :" not in page
