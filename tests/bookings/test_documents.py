"""A booking is confirmed only once the documents its rule requires are on file and valid over
its dates: approval says in French which are missing; filing them confirms the bookings that
needed no approval; the files are for the library's and the lenders' staff only."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from maillon.bookings import services
from maillon.bookings.models import BookingRule, BookingStatus, DocumentKind, LibraryDocument

from .conftest import TODAY, book, days


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def doc_kinds(db) -> dict[str, DocumentKind]:
    return {k.code: k for k in DocumentKind.objects.all()}


@pytest.fixture
def expo_rule(doc_kinds):
    """Exhibitions need a convention and an insurance certificate."""
    rule = BookingRule.objects.get(kind__code="exposition", owner=None)
    rule.documents.set([doc_kinds["convention"], doc_kinds["assurance"]])
    return rule


def pdf(name: str = "attestation.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def file_it(people, network, kind, start: int, end: int, name="doc.pdf"):
    return services.add_document(
        people["a"], network["a"], kind, pdf(name), days(start), days(end), today=TODAY
    )


def test_approval_names_what_is_missing(expo_rule, expo, people, network, doc_kinds):
    booking = book(people["a"], network["a"], expo, 20, 50)
    file_it(people, network, doc_kinds["convention"], 0, 365)
    file_it(people, network, doc_kinds["assurance"], 0, 40)  # expires before the loan ends
    with translation.override("fr"), pytest.raises(services.BookingError) as error:
        services.approve(people["md"], booking)
    assert error.value.code == "documents_missing"
    assert error.value.details["documents"] == ["assurance"]
    assert "Il manque à la Bibliothèque AAA" in error.value.message
    assert "Attestation d’assurance" in error.value.message
    assert "Convention" not in error.value.message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    file_it(people, network, doc_kinds["assurance"], 0, 400)
    assert services.approve(people["md"], booking).status == BookingStatus.APPROVED


def test_without_approval_confirmed_once_filed(expo_rule, expo, people, network, doc_kinds):
    BookingRule.objects.filter(pk=expo_rule.pk).update(approval_needed=False)
    booking = book(people["a"], network["a"], expo, 20, 50)
    assert booking.status == BookingStatus.REQUESTED  # waiting for its documents
    file_it(people, network, doc_kinds["convention"], 0, 365)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    file_it(people, network, doc_kinds["assurance"], 0, 365)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def test_bad_documents_are_refused_and_nothing_kept(people, network, doc_kinds):
    with pytest.raises(services.BookingError) as error:
        file_it(people, network, doc_kinds["assurance"], 30, 10)
    assert error.value.code == "valid_until_before_from"
    with pytest.raises(services.BookingError) as error:
        file_it(people, network, doc_kinds["assurance"], 0, 10, name="virus.exe")
    assert error.value.code == "document_format"
    with pytest.raises(PermissionDenied):
        services.add_document(
            people["volunteer"], network["a"], doc_kinds["assurance"], pdf(), days(0), days(9)
        )
    with pytest.raises(PermissionDenied):  # another library's documents
        services.add_document(
            people["a"], network["b"], doc_kinds["assurance"], pdf(), days(0), days(9)
        )
    assert not LibraryDocument.objects.exists()


def test_the_page_files_a_document_and_serves_it(
    client_fr, expo_rule, expo, people, network, doc_kinds
):
    client_fr.force_login(people["a"])
    today = timezone.localdate()
    response = client_fr.post(
        reverse("bookings:documents"),
        {
            "library": network["a"].pk,
            "kind": doc_kinds["assurance"].pk,
            "valid_from": today,
            "valid_until": today + dt.timedelta(days=365),
            "file": pdf("assurance-2027.pdf"),
        },
    )
    assert response.status_code == 302
    document = LibraryDocument.objects.get()
    page = client_fr.get(reverse("bookings:documents")).content.decode()
    assert "Attestation d’assurance" in page and "Bibliothèque AAA" in page
    served = client_fr.get(reverse("bookings:document_file", args=[document.pk]))
    assert b"".join(served.streaming_content) == b"%PDF-1.4 test"
    client_fr.force_login(people["b"])  # another library, not a lender
    assert client_fr.get(reverse("bookings:document_file", args=[document.pk])).status_code == 403
    # The owner sees it once the library books from it.
    services.request_booking(
        people["a"], network["a"], expo, today + dt.timedelta(20), today + dt.timedelta(40)
    )
    client_fr.force_login(people["md"])
    assert client_fr.get(reverse("bookings:document_file", args=[document.pk])).status_code == 200
    page = client_fr.get(reverse("bookings:decide")).content.decode()
    assert "Documents manquants : Convention de prêt" in page
