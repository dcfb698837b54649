"""The demo has a self-check machine: its terminal account logs in with the demo password."""

import datetime as dt

from maillon.network.demo import build_network
from maillon.sip2 import services
from maillon.sip2.demo import LOGIN, build_terminals
from maillon.sip2.models import Terminal


def test_the_demo_terminal_logs_in(db):
    build_network("maillon-demo", dt.date(2026, 11, 25))
    accounts = build_terminals("maillon-demo")
    assert [login for login, _d in accounts] == [LOGIN]
    terminal = Terminal.objects.get(login=LOGIN)
    assert terminal.library.code == "PAR"

    session = services.Session()
    assert services.answer(session, f"9300CN{LOGIN}|COmaillon-demo|").startswith("941")
    assert services.answer(services.Session(), f"9300CN{LOGIN}|COwrong|").startswith("940")
    build_terminals("maillon-demo")  # a re-run keeps one account, same password
    assert Terminal.objects.filter(login=LOGIN).count() == 1
    assert Terminal.objects.get(login=LOGIN).check_password("maillon-demo")
