"""Fuzzing the SIP2 server over TCP: random and mutated messages (bad checksums, cut or
stretched fields, binary, NUL bytes, unknown codes, lines past the size limit) never crash it.

Each message gets one answer per the protocol ("96" for a wrong checksum, an unknown or
unreadable message), or, for a line past the limit, the connection is closed; no request
fails inside the server; another terminal is served all along, and a well-formed session
works afterwards. The suite sends MAILLON_SIP2_FUZZ messages (300); `make fuzz` sends 10,000.
The seed is printed: MAILLON_SIP2_FUZZ_SEED replays a run.
"""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import time
from collections import Counter

import pytest

from maillon.sip2 import protocol
from maillon.sip2.server import MAX_MESSAGE

from .test_server import (
    Terminal,
    date,
    server,  # noqa: F401 (the fixture)
)

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = int(os.environ.get("MAILLON_SIP2_FUZZ", "300"))
SEED = int(os.environ.get("MAILLON_SIP2_FUZZ_SEED", str(random.randrange(10**6))))
# What a response may start with: every answer the server gives, and "96" (resend).
RESPONSES = {"94", "98", "24", "64", "12", "10", "18", "30", "66", "36", "96"}
HEX = "0123456789ABCDEF"
TRAILER = re.compile(r"AY\dAZ[0-9A-F]{4}$")  # a response's fields end with "|": this is its own


class Failures(logging.Handler):
    """Keeps the errors the server logs (a request that raised inside it)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Fuzzer:
    """Well-formed requests for a patron and items that exist, then mutated."""

    def __init__(self, rng: random.Random, login: str, card: str, barcodes: list[str]):
        self.rng, self.login, self.card, self.barcodes = rng, login, card, barcodes

    def valid(self) -> str:
        rng, card, d = self.rng, self.card, date()
        barcode = rng.choice(self.barcodes + ["INCONNU", ""])
        return rng.choice(
            [
                "9900302.00",
                f"23001{d}AOAAA|AA{card}|AC|",
                f"63001{d}Y         AOAAA|AA{card}|AD1234|",
                f"11YN{d}{' ' * 18}AOAAA|AA{card}|AB{barcode}|AC|",
                f"09N{d}{d}APAAA|AOAAA|AB{barcode}|AC|",
                f"17{d}AOAAA|AB{barcode}|",
                f"29NN{d}{' ' * 18}AOAAA|AA{card}|AB{barcode}|",
                f"65{d}AOAAA|AA{card}|",
                f"35{d}AOAAA|AA{card}|",
                f"9300CN{self.login}|COfaux|CPAAA|",
            ]
        )

    def framed(self) -> str:
        return protocol.with_trailer(self.valid(), str(self.rng.randrange(10)))

    def _noise(self, size: int) -> bytes:
        return bytes(self.rng.randrange(256) for _ in range(size))

    def message(self) -> tuple[str, bytes]:
        """(kind, bytes without the final CR)."""
        rng = self.rng
        kind = rng.choice(
            [
                "bad_checksum",
                "truncated",
                "wrong_length",
                "flipped",
                "nul",
                "binary",
                "unknown",
                "long_field",
                "many_fields",
                "latin1",
                "valid",
                "no_trailer",
                "huge",
            ]
        )
        text = self.framed()
        if kind == "bad_checksum":
            good = text[-4:]
            bad = good
            while bad == good:
                bad = "".join(rng.choice(HEX) for _ in range(4))
            data = (text[:-4] + bad).encode()
        elif kind == "truncated":
            data = text.encode()[: rng.randrange(1, len(text))]
        elif kind == "wrong_length":  # a fixed field one or more characters short or long
            at = rng.randrange(2, min(40, len(text)))
            cut = rng.randrange(1, 6)
            body = text[:at] + (" " * cut if rng.random() < 0.5 else "") + text[at + cut :]
            data = body.encode()
        elif kind == "flipped":
            raw = bytearray(text.encode())
            for _ in range(rng.randrange(1, 6)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            data = bytes(raw)
        elif kind == "nul":
            raw = bytearray(text.encode())
            for _ in range(rng.randrange(1, 4)):
                raw.insert(rng.randrange(len(raw) + 1), 0)
            data = bytes(raw)
        elif kind == "binary":
            data = self._noise(rng.randrange(1, 600))
        elif kind == "unknown":
            code = rng.choice([c for c in (f"{n:02d}" for n in range(100)) if c not in RESPONSES])
            code = code if code not in protocol.REQUEST_FIXED else "00"
            data = (code + "".join(chr(rng.randrange(32, 127)) for _ in range(40))).encode()
        elif kind == "long_field":
            value = "".join(rng.choice("AZ|éx09 ") for _ in range(rng.randrange(500, 7000)))
            data = self.valid().replace("AOAAA|", f"AO{value}|", 1).encode()[: MAX_MESSAGE - 100]
        elif kind == "many_fields":
            data = (self.valid() + "AB|AA|" * rng.randrange(10, 1200)).encode()[: MAX_MESSAGE - 100]
        elif kind == "latin1":
            data = text.replace("AOAAA", "AOBibliothèque «Été»").encode("cp1252")
        elif kind == "no_trailer":
            data = self.valid().encode()
        elif kind == "huge":
            data = self._noise(rng.randrange(MAX_MESSAGE + 100, 200_000))
        else:
            data = text.encode()
        # One message per line: a CR inside would split it; only CR/LF would be no message.
        data = data.replace(b"\r", b"\n")
        if not data.strip(b"\r\n"):
            data = b"X" + data
        return kind, data


def login(port: int, login: str, password: str) -> Terminal:
    sip = Terminal(port)
    assert sip.send(f"9300CN{login}|CO{password}|CPAAA|").startswith("941")
    return sip


def closed(sip: Terminal, data: bytes) -> bool:
    """Send a line past the limit: the server must close the connection (reset counts too:
    the kernel resets a connection closed with unread bytes)."""
    try:
        sip.sock.sendall(data + b"\r")
        sip.sock.settimeout(20)
        return sip.sock.recv(4096) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        sip.close()


def test_the_server_survives_random_messages(
    server,  # noqa: F811
    terminal,
    reader,
    make_item,
    book,
    settings,
):
    settings.LOGIN_FAILURE_LIMIT = 10**6  # the fuzzer's wrong passwords must not lock it out
    account, password = terminal
    barcodes = [make_item(book).barcode for _ in range(3)]
    rng = random.Random(SEED)
    print(f"\nSIP2 fuzz: {MESSAGES} messages, seed {SEED}")
    fuzzer = Fuzzer(rng, account.login, reader.card_number, barcodes)
    failures = Failures()
    for name in ("maillon.sip2", "asyncio"):
        logging.getLogger(name).addHandler(failures)
    kinds: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    sip = login(server, account.login, password)
    other = login(server, account.login, password)  # another terminal, served all along
    started = time.perf_counter()
    try:
        for n in range(MESSAGES):
            kind, data = fuzzer.message()
            kinds[kind] += 1
            if kind == "huge":
                assert closed(sip, data), f"message {n} ({kind}, seed {SEED}) left it open"
                answers["closed"] += 1
                sip = login(server, account.login, password)
                continue
            try:
                response = sip.raw(data + b"\r")
            except (AssertionError, OSError) as error:
                pytest.fail(f"message {n} ({kind}, seed {SEED}) {data[:80]!r}: {error}")
            answers[response[:2]] += 1
            assert response[:2] in RESPONSES, (n, kind, data[:80], response)
            if kind == "bad_checksum":
                assert response == "96", (n, data[:80], response)
            if TRAILER.search(response):
                assert protocol.verify_checksum(response), (n, kind, data[:80], response)
            if response.startswith("940"):
                # A wrong login logs the terminal out: log in again to keep fuzzing the rest.
                assert sip.send(f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
            if n % 50 == 0:
                assert other.send("9900302.00").startswith("98Y")
        elapsed = time.perf_counter() - started
        print(f"sent in {elapsed:.1f} s; kinds {dict(kinds)}; answers {dict(answers)}")
        assert not failures.records, [r.getMessage() for r in failures.records[:5]]
        # The same connection, another one, and a fresh one still work well-formed.
        for conn in (sip, other, login(server, account.login, password)):
            item = barcodes[0]
            conn.send(f"09N{date()}{date()}APAAA|AOAAA|AB{item}|AC|")  # whatever the fuzz lent
            lent = conn.send(f"11YN{date()}{' ' * 18}AOAAA|AA{reader.card_number}|AB{item}|AC|")
            assert lent.startswith("121"), lent
            back = conn.send(f"09N{date()}{date()}APAAA|AOAAA|AB{item}|AC|")
            assert back.startswith("101"), back
            conn.close()
    finally:
        for name in ("maillon.sip2", "asyncio"):
            logging.getLogger(name).removeHandler(failures)
        sip.close()
        other.close()


def test_a_client_that_sends_half_a_line_and_leaves(server, terminal):  # noqa: F811
    """A message cut by a dropped connection (no CR) ends that connection only."""
    account, password = terminal
    half = socket.create_connection(("127.0.0.1", server), timeout=10)
    half.sendall(f"9300CN{account.login}|CO{password}".encode())
    half.close()
    sip = login(server, account.login, password)
    assert sip.send("9900302.00").startswith("98Y")
    sip.close()
