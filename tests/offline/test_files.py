"""Koha's .koc and PMB's prêt secouru files: every line read or kept with a French reason naming
it; a file that is neither is refused whole; importing a file again changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan
from maillon.offline import files, services
from maillon.offline.models import OfflineFile, OfflineOperation, Status
from tests.circulation.helpers import assert_item_consistent

from .conftest import TODAY, at

HEADER = "Version=1.0\tGenerator=kocQt4\tGeneratorVersion=0.2\n"


def koc(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_a_koc_file_is_read_line_by_line_with_its_times():
    parsed = files.parse(
        koc(
            "2025-03-03 10:15:02 453\tissue\t10000001\tB1001",
            "",
            "2025-03-03 10:20:00\treturn\tB1002",
        )
    )
    assert parsed.source == "koc" and parsed.errors == []
    issue, back = parsed.lines
    assert (issue.number, issue.kind, issue.card, issue.barcode) == (
        2,
        "checkout",
        "10000001",
        "B1001",
    )
    assert issue.at == timezone.make_aware(dt.datetime(2025, 3, 3, 10, 15, 2, 453000))
    assert (back.number, back.kind, back.barcode, back.at) == (4, "checkin", "B1002", at(10, 20))


def test_each_broken_koc_line_is_named_in_french():
    parsed = files.parse(
        koc(
            "2025-03-03 10:15:02 453\tissue\t10000001",  # barcode missing
            "03/03/2025 10:16\treturn\tB1002",  # not Koha's date
            "2025-02-30 10:17:00\treturn\tB1002",  # no such day
            "2025-03-03 10:18:00\tpayment\t10000001\t2.50",
            "2025-03-03 10:19:00\trenew\tB1003",
            "tout autre chose",
            "2025-03-03 10:21:00\treturn\tB 1004",
        )
    )
    assert [line.kind for line in parsed.lines] == ["unreadable"] * 7
    assert [line.number for line in parsed.lines] == [2, 3, 4, 5, 6, 7, 8]
    from django.utils import translation

    with translation.override("fr"):
        again = files.parse(koc("2025-03-03 10:19:00\trenew\tB1003"))
    assert again.errors == ["Ligne 2 : commande « renew » inconnue."]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\n  \n", "empty_file"),
        (b"Version=2.0\tGenerator=x\n", "unknown_version"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "unknown_format"),
        (b"10000001\nB1001\n", "unknown_format"),
    ],
)
def test_a_file_of_neither_format_is_refused_whole(content, code):
    with pytest.raises(files.OfflineFileError) as refused:
        files.parse(content)
    assert refused.value.code == code and refused.value.message


def test_pmb_blocks_of_a_reader_then_items():
    content = (
        "PRET SECOURU\n10000001\nB1001\nB1002\n"
        "RETOUR SECOURU\nB1003\n"
        "prêt secouru\n10000002\nB1004\n"
        "PRET SECOURU\n"  # a block without its reader
        "RETOUR SECOURU\nB 1005\n"
    ).encode("cp1252")
    parsed = files.parse(content)
    assert parsed.source == "pmb"
    assert [(x.number, x.kind, x.card, x.barcode) for x in parsed.lines] == [
        (3, "checkout", "10000001", "B1001"),
        (4, "checkout", "10000001", "B1002"),
        (6, "checkin", "", "B1003"),
        (9, "checkout", "10000002", "B1004"),
        (10, "unreadable", "", ""),
        (12, "unreadable", "", ""),
    ]
    assert all(x.at is None for x in parsed.lines)
    assert len(parsed.errors) == 2


def test_importing_a_koc_file_applies_it_and_keeps_what_it_could_not(
    desk, network, make_patron, make_item, book
):
    reader = make_patron()
    lent, withdrawn = make_item(book), make_item(book, status=ItemStatus.WITHDRAWN)
    content = koc(
        f"2025-03-03 10:15:00 000\tissue\t{reader.card_number}\t{lent.barcode}",
        f"2025-03-03 10:16:00 000\tissue\t{reader.card_number}\t{withdrawn.barcode}",
        "2025-03-03 10:17:00 000\tpayment\t{reader.card_number}\t3.00",
    )
    report = services.import_file(desk["a"], network["a"], "caisse.koc", content)
    assert (report.source, report.already) == ("koc", False)
    assert [o.operation.status for o in report.outcomes] == [
        Status.APPLIED,
        Status.CONFLICT,
        Status.CONFLICT,
    ]
    assert [o.operation.code for o in report.outcomes] == ["", "item_withdrawn", "unreadable_line"]
    assert len(report.errors) == 1 and "4" in report.errors[0]
    assert Loan.objects.get(item=lent).checked_out_at == at(10, 15)
    assert report.outcomes[2].operation.line.startswith("2025-03-03 10:17:00 000\tpayment")

    again = services.import_file(desk["a"], network["a"], "copie.koc", content)
    assert again.already and all(o.replayed for o in again.outcomes)
    assert OfflineFile.objects.count() == 1 and OfflineOperation.objects.count() == 3
    assert Loan.objects.count() == 1


def test_a_pmb_file_counts_from_the_day_given(desk, network, make_patron, make_item, book):
    reader, item = make_patron(), make_item(book)
    content = f"PRET SECOURU\n{reader.card_number}\n{item.barcode}\n".encode()
    services.import_file(desk["a"], network["a"], "secours.txt", content, day=TODAY)
    loan = Loan.objects.get(item=item)
    assert loan.checked_out_at == at(12) and loan.patron == reader
    assert assert_item_consistent(item).status == ItemStatus.ON_LOAN


def test_an_unreadable_line_is_settled_by_saying_what_it_was(
    desk, network, make_patron, make_item, book
):
    reader, item = make_patron(), make_item(book)
    content = f"PRET SECOURU\n{reader.card_number}\n{item.barcode} ?\n".encode()
    report = services.import_file(desk["a"], network["a"], "secours.txt", content, day=TODAY)
    [line] = [o.operation for o in report.outcomes]
    assert line.status == Status.CONFLICT and line.line == f"{item.barcode} ?"
    settled = services.resolve(
        desk["a"], line, kind="checkout", card=reader.card_number, barcode=item.barcode
    )
    assert settled.status == Status.RESOLVED
    assert Loan.objects.get(item=item).patron == reader
