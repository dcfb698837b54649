"""Settings of the worker processes started by test_worker_killed."""

from maillon.settings import *  # noqa: F403
from maillon.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.jobs.slow.apps.SlowImportConfig"]
