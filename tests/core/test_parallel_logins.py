"""40 wrong passwords at once get no more checks than the limit, and no count is lost.

Real threads, each with its own database connection, released together; on SQLite and on
PostgreSQL. The probe of issue 11 measured 11 checks against a limit of 5 when the counters were
kept in the database cache (whose increment reads then writes, and loses updates).
"""

import threading

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.test import Client
from django.urls import reverse

from maillon.throttling.models import Counter

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS, TIMEOUT = 40, 30


def test_parallel_wrong_passwords_get_the_limit_and_no_more(staff, settings, monkeypatch):
    checks: list[str] = []
    check_password = AbstractBaseUser.check_password

    def counted(user, raw_password):
        checks.append(raw_password)  # list.append is atomic: no lock needed
        return check_password(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counted)
    start = threading.Barrier(ATTEMPTS)
    statuses: list[int] = []

    def attempt(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"10.1.0.{i}")  # many addresses: the account's limit
            start.wait(TIMEOUT)
            response = client.post(reverse("login"), {"username": "libr", "password": "faux"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads)
    assert statuses == [200] * ATTEMPTS
    assert len(checks) == settings.LOGIN_FAILURE_LIMIT
    account = Counter.objects.get(key__startswith="login:user:")
    assert account.count == settings.LOGIN_FAILURE_LIMIT and account.locked_until is not None
