"""Django settings, all read from MAILLON_* environment variables (see README)."""

import ipaddress
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maillon.env import env_bool, env_int, env_list, env_str, stored_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("MAILLON_VAR_DIR", str(BASE_DIR / "var")))

# Production asks for explicit settings; a laptop or the demo gets safe defaults.
PRODUCTION = env_bool("MAILLON_PRODUCTION")
DEMO = env_bool("MAILLON_DEMO")
DEBUG = False if PRODUCTION else env_bool("MAILLON_DEBUG", DEMO)

SECRET_KEY = env_str("MAILLON_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("MAILLON_SECRET_KEY est obligatoire en production.")
    SECRET_KEY = stored_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list(
    "MAILLON_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MAILLON_ALLOWED_HOSTS est obligatoire en production.")
CSRF_TRUSTED_ORIGINS = env_list("MAILLON_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "maillon.core",
    "maillon.network",
    "maillon.audit",
    "maillon.catalogue",
    "maillon.patrons",
    "maillon.circulation",
    "maillon.weeding",
    "maillon.inventory",
    "maillon.programme",
    "maillon.sip2",
    "maillon.oai",
    "maillon.sru",
    "maillon.offline",
    "maillon.lots",
    "maillon.deposits",
    "maillon.localcollections",
    "maillon.corecollection",
    "maillon.workshop",
    "maillon.bookings",
    "maillon.rotation",
    "maillon.purchasing",
    "maillon.stats",
    "maillon.api",
    "ninja",
    "maillon.opac",
    "maillon.throttling",
    "maillon.bench",
    "maillon.jobs",
    "maillon.operations",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maillon.opac.patron_session.PatronSessionMiddleware",
    "maillon.core.middleware.EdgeMiddleware",
    "maillon.core.middleware.HeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "maillon.urls"
WSGI_APPLICATION = "maillon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillon.network.context.staff_context",
            ],
            "builtins": ["maillon.core.templatetags.typography"],
        },
    },
]


def database_settings(url: str) -> dict[str, Any]:
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=env_int("MAILLON_DB_CONN_MAX_AGE", 60))
        )
    except Exception as exc:  # dj_database_url raises several kinds of errors
        raise ImproperlyConfigured(
            f"MAILLON_DATABASE_URL n'est pas une adresse de base de données valide : {url!r}"
        ) from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE makes writers queue
        # at BEGIN instead of failing with "database is locked" half-way through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000"
            ),
        }
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    else:
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", 5)
        # A request waits this long for a row another one holds, then answers "busy, try
        # again" (core/middleware.py) rather than hanging behind a stuck transaction.
        lock_ms = env_int("MAILLON_LOCK_TIMEOUT_MS", 5000)
        # No JIT compilation: PostgreSQL compiles a plan whose estimated cost is high, and a
        # misestimate made it cost seconds on a statement that ran in 55 ms (the proposals'
        # loans); Maillon's statements are short or read summary tables.
        config["OPTIONS"].setdefault("options", f"-c lock_timeout={lock_ms} -c jit=off")
    return config


DATABASE_URL = env_str("MAILLON_DATABASE_URL", f"sqlite:///{VAR_DIR / 'maillon.sqlite3'}")
DATABASES = {"default": database_settings(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Indexes that carry extra columns (read from the index alone) are a PostgreSQL speed-up;
# SQLite keeps their key columns, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
FORMS_URLFIELD_ASSUME_HTTPS = True

# The database cache: shared by all processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillon_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("MAILLON_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
LOGIN_FAILURE_LIMIT = env_int("MAILLON_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW = env_int("MAILLON_LOGIN_FAILURE_WINDOW", 15 * 60)
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client; none trusted
# by default, so the header cannot be forged to escape login throttling.
MAILLON_TRUSTED_PROXIES = env_list("MAILLON_TRUSTED_PROXIES", [])
for _proxy in MAILLON_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"MAILLON_TRUSTED_PROXIES : {_proxy!r} n'est ni une adresse IP ni un réseau."
        ) from _error
# A patron logged in on the public catalogue is forgotten after this long without a request.
MAILLON_PATRON_SESSION_MINUTES = env_int("MAILLON_PATRON_SESSION_MINUTES", 30)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("MAILLON_TIME_ZONE", "Europe/Paris")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# E-mail: SMTP in production, printed on the console for the demo unless a host is given.
EMAIL_HOST = env_str("MAILLON_EMAIL_HOST")
EMAIL_PORT = env_int("MAILLON_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MAILLON_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("MAILLON_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("MAILLON_EMAIL_TLS")
EMAIL_USE_SSL = env_bool("MAILLON_EMAIL_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("MAILLON_EMAIL_FROM", "Maillon <maillon@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public catalogue's address as patrons reach it ("https://bibliotheques.example.org"): the
# links in e-mails sent by jobs, with no request to learn it from (an event's cancel link).
MAILLON_PUBLIC_URL = env_str("MAILLON_PUBLIC_URL").rstrip("/")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HTTPS only: browsers are told for a year (MAILLON_HSTS_SECONDS, 0 to switch off), and
    # plain HTTP is redirected unless the reverse proxy already does it.
    SECURE_HSTS_SECONDS = env_int("MAILLON_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MAILLON_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("MAILLON_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = not env_bool("MAILLON_PROXY_REDIRECTS_HTTPS")
    # Preloading commits the whole domain to HTTPS in browsers' lists: the owner's choice.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_on_one_line": {"()": "maillon.core.logs.ForbiddenOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MAILLON_LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["forbidden_on_one_line"]}},
}

# Size of the demo catalogue built by `maillon demo`.
MAILLON_DEMO_RECORDS = env_int("MAILLON_DEMO_RECORDS", 3000)

# Patron cards: the network's format (a regular expression) and check digit (none, luhn, mod11).
MAILLON_CARD_PATTERN = env_str("MAILLON_CARD_PATTERN", r"[0-9]{8,14}|[A-Z]{1,4}[0-9]{4,12}")
MAILLON_CARD_CHECK = env_str("MAILLON_CARD_CHECK", "none")

# The audit log keeps its entries this many days (10 years: an item's history serves weeding
# and inventories); their patron links go much sooner, with the loan history.
MAILLON_AUDIT_RETENTION_DAYS = env_int("MAILLON_AUDIT_RETENTION_DAYS", 3650)

# Item barcodes: the network's format (a regular expression).
MAILLON_BARCODE_PATTERN = env_str("MAILLON_BARCODE_PATTERN", r"[0-9A-Za-z][0-9A-Za-z._-]{3,39}")

# Copy cataloguing: an SRU 1.2 server answering UNIMARC (the BnF's by default).
MAILLON_SRU_URL = env_str("MAILLON_SRU_URL", "https://catalogue.bnf.fr/api/SRU")
MAILLON_SRU_TIMEOUT = env_int("MAILLON_SRU_TIMEOUT", 15)

# OAI-PMH harvesting at /oai: identifiers "oai:<id>:<record>", records per page, token life.
MAILLON_OAI_REPOSITORY_ID = env_str("MAILLON_OAI_REPOSITORY_ID", "maillon")
MAILLON_OAI_NAME = env_str("MAILLON_OAI_NAME", "Catalogue du réseau (Maillon)")
MAILLON_OAI_PAGE_SIZE = env_int("MAILLON_OAI_PAGE_SIZE", 100)
MAILLON_OAI_TOKEN_HOURS = env_int("MAILLON_OAI_TOKEN_HOURS", 24)

# Background jobs: a queue in the database, shared by every `maillon worker` of the network.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# When the worker runs the daily work (circulation-daily, send-notices…), local time "HH:MM".
MAILLON_DAILY_AT = env_str("MAILLON_DAILY_AT", "02:30")
# A running job whose worker has not been heard of for this long is queued again.
MAILLON_JOB_STALE_SECONDS = env_int("MAILLON_JOB_STALE_SECONDS", 120)
# Finished jobs, the exports they wrote and the uploads they read are kept this many days.
MAILLON_JOB_KEEP_DAYS = env_int("MAILLON_JOB_KEEP_DAYS", 90)
