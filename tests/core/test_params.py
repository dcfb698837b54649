"""Forged numbers in forms: answered as unknown rows, never a 500."""

import pytest

from maillon.core.params import number


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"id": "12"}, 12),
        ({"id": " 7 "}, 7),
        ({"id": "abc"}, 0),
        ({"id": "-3"}, 0),
        ({"id": "1e3"}, 0),
        ({}, 0),
        ({"id": ""}, 0),
    ],
)
def test_number_reads_only_whole_numbers(sent, expected):
    assert number(sent, "id") == expected
