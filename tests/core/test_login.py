import re

from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.mail import wait_for_mail


def test_login_and_logout(client, staff):
    response = client.post(reverse("login"), {"username": "libr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert "Aujourd’hui" in home.content.decode() or "Aujourd'hui" in home.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_keeps_username_and_says_why(client, staff):
    response = client.post(reverse("login"), {"username": "libr", "password": "faux"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "incorrect" in body
    assert 'value="libr"' in body


def test_throttled_after_repeated_failures(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "libr", "password": "faux"})
    # Even the right password is refused while the account is locked.
    response = client.post(reverse("login"), {"username": "libr", "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    # Another account from another address is not affected.
    other = client.post(
        reverse("login"), {"username": "coord", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_password_reset_by_email(client, staff):
    response = client.post(reverse("password_reset"), {"email": "libr@example.org"})
    assert response.status_code == 302
    wait_for_mail()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "encore-un-autre-secret-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert client.login(username="libr", password=new)


def test_reset_for_unknown_address_says_the_same(client, staff):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302
    wait_for_mail()
    assert mail.outbox == []


def test_password_change_keeps_session(client, staff):
    client.login(username="libr", password=PASSWORD)
    new = "nouveau-secret-de-bibliotheque"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
