"""Card format and check digits as configured; a wrong setting is caught loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from maillon.patrons import conf


def test_default_pattern_accepts_digits_or_a_letter_prefix():
    for card in ("12345678", "12345678901234", "PAR000123", "A0001"):
        assert conf.card_matches_pattern(card), card
    for card in ("1234567", "123456789012345", "PARIS0001", "par000123", "PAR 0001"):
        assert not conf.card_matches_pattern(card), card


def test_normalize_removes_spaces_and_raises_case():
    assert conf.normalize_card("  par 000\t123\n") == "PAR000123"
    assert conf.normalize_card("") == ""


def test_luhn_and_mod11_digits_round_trip():
    for digits in ("7992739871", "279000000001", "0"):
        assert conf.check_digit_is_valid(conf.with_check_digit(digits, "luhn"), "luhn")
        assert conf.check_digit_is_valid(conf.with_check_digit(digits, "mod11"), "mod11")
    assert conf.with_check_digit("7992739871", "luhn") == "79927398713"
    assert not conf.check_digit_is_valid("79927398710", "luhn")
    assert conf.check_digit_is_valid("anything", "none")


def test_letters_of_a_prefix_do_not_count():
    card = "PAR" + conf.with_check_digit("000123", "luhn")
    assert conf.check_digit_is_valid(card, "luhn")
    assert not conf.check_digit_is_valid(card[:-1] + "X", "luhn")


def test_settings_are_read_at_call_time(settings):
    settings.MAILLON_CARD_CHECK = "LUHN"
    assert conf.card_check() == "luhn"
    settings.MAILLON_CARD_CHECK = "crc32"
    with pytest.raises(ImproperlyConfigured, match="MAILLON_CARD_CHECK"):
        conf.card_check()
    settings.MAILLON_CARD_PATTERN = "[0-9"
    with pytest.raises(ImproperlyConfigured, match="MAILLON_CARD_PATTERN"):
        conf.card_pattern()


def test_environment_variable_when_settings_say_nothing(monkeypatch, settings):
    if hasattr(settings, "MAILLON_CARD_PATTERN"):
        del settings.MAILLON_CARD_PATTERN
    monkeypatch.setenv("MAILLON_CARD_PATTERN", r"X[0-9]{3}")
    assert conf.card_matches_pattern("X123") and not conf.card_matches_pattern("12345678")
