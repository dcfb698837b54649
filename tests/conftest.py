import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from maillon.network.models import Library, LibraryKind, Role, StaffRole

pytest_plugins = ["tests.circulation_fixtures", "tests.stats_fixtures", "tests.demo_base"]


# A data migration's test walks the migrations back and forth: about a minute of Django's own
# CPU (rendering model states) on each database, for a step written with the ORM's historical
# models that runs the same on both. It runs on SQLite; PostgreSQL applies every migration
# forward when the test database is made.
def walks_the_migrations() -> pytest.MarkDecorator:
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "sqlite", reason="walks the migrations: run on SQLite only"
    )


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests create many accounts; the production hasher's million rounds would cost ~0.5 s each."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _empty_tables_by_delete():
    """Tests on real parallel connections (transaction=True) empty every table afterwards.
    PostgreSQL's TRUNCATE of 115 tables costs seconds (new files for each table and index);
    DELETE of their few rows, with the foreign keys checked at commit as Django declares them,
    takes milliseconds. Sequences are reset the usual way when a test asks for it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {quote(t)}" for t in tables)]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Jobs run as soon as they are queued, inside the test; the tests of the worker itself
    switch back to the database queue and start real worker processes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a request or an `activate` in one test
    left its language active in the thread for the next ones."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def client_fr(client):
    """A browser that asks for French pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data est absent : fichiers réels non disponibles ici")
    return SHARED_DATA


def make_library(code: str, kind: str = LibraryKind.MEMBER, **extra) -> Library:
    defaults = {
        "name": f"Bibliothèque {code}",
        "kind": kind,
        "commune": f"Commune {code}",
        "shuttle_days": [2, 5],
    }
    defaults.update(extra)
    return Library.objects.create(code=code, **defaults)


@pytest.fixture
def network(db) -> dict[str, Library]:
    return {
        "head": make_library("HEAD", LibraryKind.HEAD, shuttle_days=[1, 2, 3, 4, 5]),
        "a": make_library("AAA"),
        "b": make_library("BBB"),
        "md": make_library("MD", LibraryKind.DEPARTMENTAL),
    }


@pytest.fixture
def make_staff(db):
    def make(username: str, *roles: tuple[Library, str]):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.org",
            first_name=username.capitalize(),
            last_name="Test",
        )
        for library, role in roles:
            StaffRole.objects.create(user=user, library=library, role=role)
        return user

    return make


@pytest.fixture
def staff(network, make_staff) -> dict:
    """One person per role; librarian and volunteer work at library "a"."""
    return {
        Role.COORDINATOR: make_staff("coord", (network["head"], Role.COORDINATOR)),
        Role.MD_STAFF: make_staff("mdstaff", (network["md"], Role.MD_STAFF)),
        Role.LIBRARIAN: make_staff("libr", (network["a"], Role.LIBRARIAN)),
        Role.VOLUNTEER: make_staff("volunt", (network["a"], Role.VOLUNTEER)),
    }


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("MAILLON_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(autouse=True)
def _transactional_reset(request):
    """Tests on real transactions start from what a fresh migrate leaves.

    Django empties the model tables after such tests, but neither SQLite's full-text table
    (not a model) nor the rows seeded by data migrations come back by themselves.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps
    from django.db import connection

    from maillon.catalogue.search.backends import backend

    backend().clear(connection)
    seed = importlib.import_module("maillon.catalogue.migrations.0002_default_types").seed
    seed(apps, None)
    importlib.import_module("maillon.bookings.migrations.0002_kinds_and_rules").seed(apps, None)
    importlib.import_module("maillon.bookings.migrations.0005_documents_seasons_renewals").seed(
        apps, None
    )
    importlib.import_module("maillon.purchasing.migrations.0002_media").seed(apps, None)
    yield
