"""`maillon demo` and `maillon serve` on a port already taken: one French sentence saying what
to type instead, before the demo is built or anything is started."""

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation


@pytest.fixture
def taken_port():
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        yield other_server.getsockname()[1]


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_busy_port_is_one_clear_sentence(taken_port, command):
    with translation.override("fr"), pytest.raises(CommandError) as refused:
        call_command(command, host="127.0.0.1", port=taken_port)
    message = str(refused.value)
    assert f"le port {taken_port} est déjà pris" in message.lower()
    assert f"`maillon {command} --port {taken_port + 10}`" in message
    assert "\n" not in message
