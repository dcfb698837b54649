"""Production is secure by default: HTTPS only, a Content-Security-Policy the pages keep to, no
copy of private pages in caches; `maillon check --deploy` has nothing to say."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import Client, override_settings

import maillon
from maillon.core.middleware import CONTENT_SECURITY_POLICY
from maillon.network.models import Role

TEMPLATES = Path(maillon.__file__).parent
# Documents rendered for WeasyPrint, never served as pages, may carry their own styles.
PRINTED = {
    "weeding/templates/weeding/pv.html",
    "lots/templates/lots/print.html",
    "rotation/templates/rotation/print.html",
    "rotation/templates/rotation/run_print.html",
    "programme/templates/programme/leaflet.html",
    "workshop/templates/workshop/labels.html",
    "purchasing/templates/purchasing/order_print.html",
    "purchasing/templates/purchasing/claim_letter.html",
    "bookings/templates/bookings/labels.html",
}


def test_no_template_has_inline_scripts_styles_or_handlers():
    found = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in PRINTED:
            continue
        text = path.read_text(encoding="utf-8")
        # A JSON-LD block is data, never run: the policy's script-src does not concern it.
        if re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", text):
            found.append(f"{name}: inline <script>")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=\"", text):
            found.append(f"{name}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            found.append(f"{name}: on…= handler")
    assert found == []


def test_pages_carry_the_policy_and_private_ones_are_not_cached(client, staff):
    public = client.get("/")
    assert public["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(staff[Role.LIBRARIAN])
    private = client.get("/pro/")
    assert private["Cache-Control"] == "no-store"
    assert "script-src 'self'" in private["Content-Security-Policy"]
    assert client.get("/api/v1/libraries")["Cache-Control"] == "no-store"  # signed in
    assert "no-store" not in Client().get("/api/v1/libraries").get("Cache-Control", "")


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_https_only_in_production(db):
    assert Client().get("/").status_code == 301  # plain HTTP is sent to HTTPS
    secure = Client().get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_check_deploy_is_clean_with_the_readme_settings(tmp_path):
    env = {
        **os.environ,
        "MAILLON_PRODUCTION": "1",
        "MAILLON_SECRET_KEY": "x" * 60 + "-production-secret-key-for-the-check",
        "MAILLON_ALLOWED_HOSTS": "maillon.example.org",
        "MAILLON_CSRF_TRUSTED_ORIGINS": "https://maillon.example.org",
        "MAILLON_VAR_DIR": str(tmp_path),
    }
    for leaked in ("MAILLON_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "MAILLON_DEMO"):
        env.pop(leaked, None)  # set by other tests (the browser tests need the first)
    done = subprocess.run(
        [sys.executable, "-m", "maillon.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
