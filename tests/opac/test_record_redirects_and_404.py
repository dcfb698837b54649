"""A merged-away record leads to the survivor (301); an unknown number, to a public 404."""

import pytest

from maillon.catalogue.models import Record

pytestmark = pytest.mark.django_db


def test_merged_record_redirects_permanently(client, catalogue):
    survivor = catalogue["Le Rouge et le Noir"]
    gone = catalogue["Le Rouge et le Noir 1972"]
    Record.objects.filter(pk=gone.pk).update(merged_into=survivor)
    response = client.get(f"/notice/{gone.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/notice/{survivor.pk}/"


def test_chain_of_merges_goes_to_the_end(client, catalogue):
    a, b, c = (
        catalogue[t]
        for t in ("Le Rouge et le Noir", "Le Rouge et le Noir 1972", "La Chartreuse de Parme")
    )
    Record.objects.filter(pk=a.pk).update(merged_into=b)
    Record.objects.filter(pk=b.pk).update(merged_into=c)
    response = client.get(f"/notice/{a.pk}/")
    assert response.status_code == 301 and response["Location"] == f"/notice/{c.pk}/"


@pytest.mark.parametrize("pk", ["999999", "0", "99999999999999999999"])
def test_unknown_record_is_a_public_404(client, catalogue, pk):
    response = client.get(f"/notice/{pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header public-header"' in html
    assert 'role="search"' in html  # a way on: search again
    assert pk in html


def test_unknown_library_is_a_public_404(client, catalogue):
    response = client.get("/bibliotheques/NOPE/")
    assert response.status_code == 404
    assert b"public-header" in response.content


def test_handler_for_unknown_addresses(rf, db):
    from maillon.opac.views import page_not_found

    public = page_not_found(rf.get("/nulle-part/"))
    assert public.status_code == 404 and b"public-header" in public.content
    staff = page_not_found(rf.get("/pro/nulle-part/"))
    assert staff.status_code == 404 and b"public-header" not in staff.content
