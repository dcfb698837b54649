"""The MARC import (page and job) checks that the actor may catalogue for the library."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from maillon.catalogue.importer import import_marc
from maillon.catalogue.models import Record
from maillon.jobs import services
from maillon.network.models import Role
from tests.catalogue.factories import item, marc, write
from tests.conftest import PASSWORD


@pytest.fixture
def lot(tmp_path):
    return write(tmp_path / "lot.mrc", [marc("Un", items=[item("U1", "BBB")])])


def test_librarian_may_not_import_for_another_library(network, make_staff, lot):
    librarian = make_staff("biblio", (network["a"], Role.LIBRARIAN))
    with pytest.raises(PermissionDenied):
        import_marc(lot, network["b"], user=librarian)
    assert not Record.objects.exists()
    assert import_marc(lot, network["a"], user=librarian).created == 1


def test_volunteer_may_not_import_even_at_home(network, make_staff, lot):
    volunteer = make_staff("benevole", (network["a"], Role.VOLUNTEER))
    with pytest.raises(PermissionDenied):
        import_marc(lot, network["a"], user=volunteer)


def test_command_line_import_has_no_actor(network, lot):
    assert import_marc(lot, network["b"]).created == 1


def test_job_for_another_library_fails_with_the_reason(network, make_staff, lot):
    translation.activate("en")  # a job speaks the network's language, whatever the thread's
    librarian = make_staff("biblio", (network["a"], Role.LIBRARIAN))
    job = services.launch(
        "marc_import",
        user=librarian,
        library=network["b"],
        params={"path": str(lot), "library": network["b"].pk},
    )
    translation.deactivate()
    assert job.state == "failed" and job.error.startswith("Votre rôle")
    assert not Record.objects.exists()


def test_page_does_not_offer_another_library(client, network, make_staff, lot):
    make_staff("biblio", (network["a"], Role.LIBRARIAN))
    client.login(username="biblio", password=PASSWORD)
    response = client.post(
        reverse("catalogue:import"),
        {"file": SimpleUploadedFile("lot.mrc", lot.read_bytes()), "library": network["b"].pk},
    )
    assert response.status_code == 200 and not Record.objects.exists()


def test_import_without_item_types_says_so(network, lot):
    from maillon.catalogue.models import ItemType
    from maillon.catalogue.services import CatalogueError

    ItemType.objects.all().delete()
    with pytest.raises(CatalogueError) as refused:
        import_marc(lot, network["a"])
    assert refused.value.code == "no_item_types"
