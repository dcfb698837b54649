"""Setting a password by a link sent by e-mail: first password or a forgotten one."""

import re

import pytest
from django.core import mail

from maillon.patrons.models import Patron
from tests.mail import wait_for_mail
from tests.opac.conftest import log_in

pytestmark = pytest.mark.django_db
NEW = "un-jardin-de-roses-9"


def ask(client, identifier: str, first: bool = False):
    data = {"identifier": identifier, **({"premier": "1"} if first else {})}
    response = client.post("/compte/mot-de-passe/", data)
    assert response.status_code == 302
    wait_for_mail()
    return client.get(response["Location"]).content.decode()


def link_in(message) -> str:
    return re.search(r"http://testserver(/compte/mot-de-passe/\S+/)", message.body).group(1)


def test_first_password_by_card_number(client, make_reader):
    reader = make_reader("10000011", password=None)
    ask(client, reader.card_number, first=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email]
    assert reader.card_number not in mail.outbox[0].body  # only its last digits
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"].endswith("/definir/")
    form = client.get(response["Location"])
    assert form.context["first"]
    done = client.post(response["Location"], {"password1": NEW, "password2": NEW})
    assert done["Location"] == "/compte/"
    assert client.get("/compte/").status_code == 200  # logged in by setting it
    assert Patron.objects.get(pk=reader.pk).check_password(NEW)


def test_link_by_email_works_once(client, reader):
    ask(client, reader.email.upper())
    link = link_in(mail.outbox[0])
    target = client.get(link)["Location"]
    client.post(target, {"password1": NEW, "password2": NEW})
    again = client.get(link)
    assert again.status_code == 400
    log_in(client, reader.card_number, NEW)


def main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_same_page_whether_or_not_the_card_exists(client, reader, make_reader):
    make_reader("10000012", email="")  # known card, but nowhere to send a link
    known_page = main(ask(client, reader.card_number))
    assert len(mail.outbox) == 1
    for identifier in ("99999999", "nobody@example.org", "10000012"):
        assert main(ask(client, identifier)) == known_page
    assert len(mail.outbox) == 1


def test_weak_or_mismatched_password_changes_nothing(client, reader):
    ask(client, reader.card_number)
    target = client.get(link_in(mail.outbox[0]))["Location"]
    weak = client.post(target, {"password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 400
    other = client.post(target, {"password1": NEW, "password2": NEW + "x"})
    assert other.status_code == 400
    assert Patron.objects.get(pk=reader.pk).password == reader.password


def test_forged_or_tampered_links_are_refused(client, reader):
    ask(client, reader.card_number)
    link = link_in(mail.outbox[0])
    assert client.get(link[:-3] + "zz/").status_code == 400
    assert client.get("/compte/mot-de-passe/MQ/definir/").status_code == 400
    assert client.get("/compte/mot-de-passe/%%%/abc/").status_code in (400, 404)


def test_expired_link_is_refused(client, reader, settings):
    ask(client, reader.card_number)
    link = link_in(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.get(link).status_code == 400
