"""The SIP2 TCP server: asyncio for the connections, the ORM in a worker thread per request.

Each request runs in one of the event loop's worker threads (a few, whatever the terminals:
twenty kiosks share them), with that thread's own database connection. ``keep_connections``
(called by ``maillon sip2-server``) keeps those connections open from one request to the next.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from maillon.sip2.services import Session, answer

logger = logging.getLogger("maillon.sip2")
MAX_MESSAGE = 8192


def keep_connections() -> None:
    """The worker threads keep their database connection between requests (CONN_MAX_AGE
    None, for this process only): connecting again costs more than a checkout's statements
    (PostgreSQL starts a backend process; SQLite, whose connections are otherwise closed after
    each request, opens its file and applies its pragmas). A connection found broken is
    still closed after the request that found it (close_old_connections), and the thread's
    next request connects again."""
    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = None


def decode(raw: bytes, session: Session) -> str:
    """UTF-8, else the terminal's fallback encoding (cp1252 before login)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding = session.terminal.fallback_encoding if session.terminal else "cp1252"
        return raw.decode(encoding, errors="replace")


def _answer(session: Session, text: str) -> str:
    close_old_connections()
    try:
        return answer(session, text)
    except Exception:  # one bad request must not end the terminal's connection
        logger.exception("SIP2: request %r failed", text[:2])
        return "96"
    finally:
        close_old_connections()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    peer = writer.get_extra_info("peername")
    session = Session(peer=str(peer[0]) if peer else "")
    try:
        while True:
            try:
                raw = await reader.readuntil(b"\r")
            except asyncio.IncompleteReadError:
                break
            except asyncio.LimitOverrunError:
                logger.warning("SIP2 %s: message too long, closing", peer)
                break
            text = decode(raw, session).strip("\r\n")
            if not text:
                continue
            response = await sync_to_async(_answer, thread_sensitive=False)(session, text)
            writer.write(response.encode("utf-8") + b"\r")
            try:
                await writer.drain()
            except ConnectionError:  # the terminal went away before reading its answer
                break
            if session.close:
                logger.warning(
                    "SIP2 %s: logged out (failed logins, or account changed), closing", peer
                )
                break
    finally:
        writer.close()


async def serve(host: str, port: int, ready: asyncio.Event | None = None) -> None:
    server = await asyncio.start_server(handle, host, port, limit=MAX_MESSAGE)
    logger.info("SIP2 server on %s:%s", host, port)
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()


async def start(host: str, port: int) -> asyncio.base_events.Server:
    return await asyncio.start_server(handle, host, port, limit=MAX_MESSAGE)
