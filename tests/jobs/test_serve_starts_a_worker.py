"""`maillon serve` (and so `maillon demo`) starts one job worker beside gunicorn."""

import pytest
from django.core.management import call_command

from maillon.operations.management.commands import serve


class FakeProcess:
    started: list[list[str]] = []

    def __init__(self, args):
        self.args = args
        self.started.append(args)
        self.stopped = False

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return None if not self.stopped else 0

    def terminate(self):
        self.stopped = True


@pytest.fixture
def fake(monkeypatch, settings):
    settings.DEBUG = True  # no collectstatic
    FakeProcess.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    execs = []

    def execv(*args):  # the real one never returns: this process becomes gunicorn
        execs.append(args)
        raise SystemExit(0)

    monkeypatch.setattr(serve.os, "execv", execv)
    return execs


def test_serve_starts_gunicorn_and_a_worker(fake):
    call_command("serve", port=8123)
    worker, server = FakeProcess.started
    assert worker[-2:] == ["maillon.cli", "worker"]
    assert "gunicorn" in server and "127.0.0.1:8123" in server
    assert fake == []


def test_no_worker_serves_alone(fake):
    with pytest.raises(SystemExit):
        call_command("serve", port=8123, no_worker=True)
    assert FakeProcess.started == [] and len(fake) == 1
