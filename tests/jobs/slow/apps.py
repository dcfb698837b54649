"""Loaded only by the worker processes of test_worker_killed: it slows the MARC import down
(small chunks, a pause after each) so that the test can kill a worker in the middle of one."""

import time

from django.apps import AppConfig


class SlowImportConfig(AppConfig):
    name = "tests.jobs.slow"
    label = "slow_import"

    def ready(self) -> None:
        from maillon.catalogue import importer

        original = importer._import_chunk

        def slow_chunk(*args, **kwargs):
            original(*args, **kwargs)
            time.sleep(0.1)

        importer.CHUNK = 20
        importer._import_chunk = slow_chunk
