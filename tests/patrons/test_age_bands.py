"""Age bands kept for statistics, computed on a given day."""

import datetime as dt

import pytest

from maillon.patrons.models import age_band, age_on

DAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (dt.date(2026, 6, 15), "0-5"),
        (dt.date(2020, 6, 16), "0-5"),  # 5 until tomorrow
        (dt.date(2020, 6, 15), "6-11"),  # 6 today
        (dt.date(2014, 6, 16), "6-11"),
        (dt.date(2014, 6, 15), "12-17"),
        (dt.date(2008, 6, 16), "12-17"),
        (dt.date(2008, 6, 15), "18-24"),
        (dt.date(2001, 6, 15), "25-39"),
        (dt.date(1986, 6, 16), "25-39"),
        (dt.date(1986, 6, 15), "40-59"),
        (dt.date(1966, 6, 15), "60-74"),
        (dt.date(1951, 6, 16), "60-74"),
        (dt.date(1951, 6, 15), "75+"),
        (dt.date(1921, 1, 1), "75+"),
    ],
)
def test_band_boundaries(birth, band):
    assert age_band(birth, DAY) == band


def test_no_birth_date_no_band():
    assert age_band(None, DAY) == ""


def test_leap_day_birthday_counts_on_first_of_march():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert age_band(born, dt.date(2026, 2, 28)) == "12-17"


def test_patron_band_follows_the_day(make_patron):
    patron = make_patron(birth_date=dt.date(2001, 6, 16))
    assert patron.age(DAY) == 24 and patron.age_band(DAY) == "18-24"
    assert patron.age_band(dt.date(2026, 6, 16)) == "25-39"
