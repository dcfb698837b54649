import datetime as dt

import pytest

from maillon.catalogue.demo import build_catalogue
from maillon.network.demo import build_network

TODAY = dt.date(2026, 11, 25)
RECORDS = 230  # more than two pages of 100


@pytest.fixture
def demo_catalogue(settings, tmp_path):
    """The demo's network and a catalogue imported like the demo's (UNIMARC with 995)."""
    settings.VAR_DIR = tmp_path
    build_network("maillon-demo", TODAY)
    build_catalogue(records=RECORDS)


def get(client, HTTP_ACCEPT_LANGUAGE="fr", **params):
    """The endpoint's answer to ``params``, as text."""
    response = client.get("/oai", params, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return b"".join(response.streaming_content).decode()
