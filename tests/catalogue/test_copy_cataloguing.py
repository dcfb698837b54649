"""Copy cataloguing against a local HTTP server that replays real BnF SRU responses."""

import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from maillon.catalogue.models import Record
from maillon.network.models import Role
from tests.conftest import PASSWORD

EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8"?><srw:searchRetrieveResponse '
    b'xmlns:srw="http://www.loc.gov/zing/srw/"><srw:version>1.2</srw:version>'
    b"<srw:numberOfRecords>0</srw:numberOfRecords></srw:searchRetrieveResponse>"
)
FILES = {
    ("isbn", "9782070541270"): "bnf_ean_any_9782070541270.xml",
    ("isbn", "9782072862014"): "bnf_ean_any_9782072862014.xml",
    ("anywhere", "peter"): "bnf_anywhere_all_peter.xml",
    ("recordid", "FRBNF370903960000006"): "bnf_recordid_all_FRBNF370903960000006.xml",
}


@pytest.fixture
def bnf(shared_data, settings):
    folder = shared_data / "bnf_sru_unimarc"
    seen: list[dict] = []

    class Replay(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the handler's API
            params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            seen.append(params)
            match = re.fullmatch(r'bib\.(\w+) (?:any|all) "(.*)"', params.get("query", ""))
            name = FILES.get(match.groups()) if match else None
            body = (folder / name).read_bytes() if name else EMPTY
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILLON_SRU_URL = f"http://127.0.0.1:{server.server_port}/api/SRU"
    yield seen
    server.shutdown()


@pytest.fixture
def librarian(client, network, make_staff):
    make_staff("catalo", (network["a"], Role.LIBRARIAN))
    client.login(username="catalo", password=PASSWORD)
    return client


def test_search_by_isbn_then_import_in_one_click(librarian, bnf):
    page = librarian.get(
        reverse("catalogue:copy_search"), {"type": "isbn", "q": "978-2-07-054127-0"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "1 résultat" in body
    params = bnf[-1]
    assert params["version"] == "1.2" and params["recordSchema"] == "unimarcXchange"
    assert params["query"] == 'bib.isbn any "9782070541270"'

    response = librarian.post(
        reverse("catalogue:copy_import"),
        {"type": "isbn", "q": "978-2-07-054127-0", "position": "0"},
    )
    record = Record.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:record", args=[record.pk])
    assert record.isbn == "9782070541270" and record.title
    # A second click finds the record already there instead of duplicating it.
    librarian.post(
        reverse("catalogue:copy_import"), {"type": "isbn", "q": "9782070541270", "position": "0"}
    )
    assert Record.objects.count() == 1


def test_free_search_lists_candidates(librarian, bnf):
    page = librarian.get(reverse("catalogue:copy_search"), {"type": "anywhere", "q": "peter"})
    body = page.content.decode()
    assert body.count('name="position"') >= 10


def test_no_result_and_unreachable_service(librarian, bnf, settings):
    page = librarian.get(reverse("catalogue:copy_search"), {"type": "title", "q": "zzzz"})
    assert "0 résultat" in page.content.decode()
    settings.MAILLON_SRU_URL = "http://127.0.0.1:9/api/SRU"
    page = librarian.get(reverse("catalogue:copy_search"), {"type": "isbn", "q": "123"})
    assert page.status_code == 200
    assert "injoignable" in page.content.decode()


def _silent_then(status: int | None):
    """A local server that answers `status`, or (None) accepts and never answers."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the handler's API
            if status is None:
                threading.Event().wait(3)
                return
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, "n’a pas répondu en 1 seconde :"),
        (503, "a répondu par une erreur (HTTP 503)"),
    ],
)
def test_a_failing_service_is_told_in_french_without_internals(
    librarian, settings, status, expected
):
    server = _silent_then(status)
    settings.MAILLON_SRU_URL = f"http://127.0.0.1:{server.server_port}/api/SRU"
    settings.MAILLON_SRU_TIMEOUT = 1
    try:
        page = librarian.get(reverse("catalogue:copy_search"), {"type": "isbn", "q": "123"})
    finally:
        server.shutdown()
    text = page.content.decode()
    assert page.status_code == 200 and expected in text
    assert "urlopen" not in text and "Errno" not in text and "timed out" not in text


def test_an_unreachable_service_says_what_to_do(librarian, settings):
    settings.MAILLON_SRU_URL = "http://127.0.0.1:9/api/SRU"
    text = librarian.get(reverse("catalogue:copy_search"), {"type": "isbn", "q": "1"}).content
    assert "connexion Internet" in text.decode() and b"Errno" not in text
