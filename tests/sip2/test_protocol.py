"""The SIP2 codec against the real messages of Evergreen's SIPServer tests (read in place)."""

import datetime as dt
import re

import pytest

from maillon.sip2 import protocol


def evergreen_pairs(shared_data):
    source = (shared_data / "sip2_evergreen" / "0001_checksum.t").read_text(encoding="utf-8")
    pairs = re.findall(r"^\s+([0-9A-F]{4}) => (['\"])(.*?)\2,", source, re.M)
    return [(expected, text.replace("\\'", "'")) for expected, _quote, text in pairs]


def test_checksums_match_evergreen_with_french_titles(shared_data):
    pairs = evergreen_pairs(shared_data)
    assert len(pairs) == 19
    assert any(not text.isascii() for _expected, text in pairs)  # accented French titles
    for expected, text in pairs:
        assert protocol.checksum(text) == expected, text
        assert protocol.verify_checksum(text + expected)


def test_every_request_of_the_evergreen_session_parses(shared_data):
    lines = (shared_data / "sip2_evergreen" / "test.txt").read_text(encoding="utf-8").splitlines()
    parsed = {}
    for line in lines:
        if line[:2] in protocol.REQUEST_FIXED:
            parsed.setdefault(line[:2], protocol.parse(line))
    assert {"93", "99", "23", "63", "11", "09", "17", "29", "65", "35", "97"} <= set(parsed)
    login = parsed["93"]
    assert login.get("CN") == "LoginUserID" and login.get("CO") == "LoginPassword"
    checkout = parsed["11"]
    assert checkout.fixed["transaction_date"] == "20060329    203000"
    assert checkout.fixed["nb_due_date"] == " " * 18
    assert checkout.get("AA") == "djfiander" and checkout.get("AB") == "1565921879"
    assert checkout.get("AC") == ""
    checkin = parsed["09"]
    assert checkin.get("AP") == "Under the bed" and checkin.fixed["return_date"].startswith("2006")
    assert parsed["63"].fixed["summary"] == "Y         "
    assert parsed["29"].get("AD") == "6789"
    assert parsed["99"].fixed["protocol_version"] == "2.00"


def test_sequence_and_checksum_are_read_and_checked():
    text = "9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZ"
    good = text + protocol.checksum(text)
    message = protocol.parse(good)
    assert message.sequence == "5" and message.get("CP") == "LocationCode"
    with pytest.raises(protocol.ParseError):
        protocol.parse(text + "0000")
    with pytest.raises(protocol.ParseError):
        protocol.parse("2300")  # too short for its fixed fields
    with pytest.raises(protocol.ParseError):
        protocol.parse("XX")


def test_nul_bytes_are_dropped_and_the_checksum_still_holds():
    """The fuzzer's NUL bytes reached PostgreSQL, which refuses them in text (a 96 and an
    error logged): they are no part of any field, and add nothing to the checksum."""
    text = "9300CNborne\x00-a|COmot\x00|CPAAA|AY1AZ"
    message = protocol.parse(text + protocol.checksum(text))
    assert (message.get("CN"), message.get("CO"), message.sequence) == ("borne-a", "mot", "1")


def test_bare_checksum_of_a_resend_request():
    assert protocol.parse("97AZFEF5").code == "97"


def test_responses_carry_the_sequence_and_a_valid_checksum():
    response = protocol.with_trailer("941", "0")
    assert response == "941AY0AZFDFD"  # the CASSIE example in Evergreen's tests
    assert protocol.with_trailer("941", None) == "941"


def test_dates_are_18_characters_and_fields_cannot_break_the_message():
    assert protocol.sip_date(dt.datetime(2026, 1, 2, 3, 4, 5)) == "20260102    030405"
    assert len(protocol.sip_date(dt.date(2026, 1, 2))) == 18
    built = protocol.build("24", "X", [("AE", "a|b"), ("BL", None)])
    assert built == "24XAEa/b|"
