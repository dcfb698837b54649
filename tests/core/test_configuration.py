import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from maillon.settings import database_settings

MAILLON = str(Path(sys.executable).with_name("maillon"))


def run_maillon(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MAILLON_")}
    environment.update(env)
    return subprocess.run(
        [MAILLON, *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_sqlite_gets_wal_and_immediate_transactions(tmp_path):
    config = database_settings(f"sqlite:///{tmp_path}/x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_understood():
    config = database_settings("postgres://postgres@127.0.0.1:5432/maillon")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "maillon" and config["PORT"] == 5432


@pytest.mark.django_db
def test_running_database_is_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("WAL ne concerne que SQLite")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_unreachable_database_gives_one_clear_line(tmp_path):
    result = run_maillon(
        "libraries",
        MAILLON_DATABASE_URL="postgres://postgres@127.0.0.1:1/x",
        MAILLON_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "MAILLON_DATABASE_URL" in lines[0]


def test_malformed_database_url_is_explained(tmp_path):
    result = run_maillon(
        "libraries", MAILLON_DATABASE_URL="nimporte://quoi", MAILLON_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "MAILLON_DATABASE_URL" in result.stderr


def test_production_requires_a_secret_key(tmp_path):
    result = run_maillon(
        "libraries",
        MAILLON_PRODUCTION="1",
        MAILLON_ALLOWED_HOSTS="x.fr",
        MAILLON_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0 and "MAILLON_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_is_generated_once_outside_production(tmp_path):
    for _run in range(2):
        result = run_maillon("help", MAILLON_VAR_DIR=str(tmp_path))
        assert result.returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 40
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_help_lists_operator_commands(tmp_path):
    result = run_maillon("--help", MAILLON_VAR_DIR=str(tmp_path))
    assert result.returncode == 0
    for command in ("demo", "serve", "migrate", "createsuperuser", "libraries"):
        assert command in result.stdout
