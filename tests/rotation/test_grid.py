"""The grid generator, without the database: the Latin-square rotation and its constraints,
shuttle days and closures, and every broken rule reported."""

import datetime as dt
from collections import Counter

from maillon.rotation import grid

MONDAY = dt.date(2027, 1, 4)
WEEKDAYS = frozenset({1, 2, 3, 4, 5})


def spec(n_libs=4, n_lots=4, exchanges=6, kind=grid.CONTINUOUS, members=None, lots=None):
    members = members or tuple(grid.Member(id=i, shuttle_days=WEEKDAYS) for i in range(n_libs))
    lots = lots or tuple(
        grid.LotSpec(id=100 + k, start=members[k % len(members)].id) for k in range(n_lots)
    )
    dates = tuple(MONDAY + dt.timedelta(weeks=8 * i) for i in range(exchanges))
    return grid.Spec(tuple(members), tuple(lots), dates, kind)


def holders(result, t):
    """Library → lots it holds after exchange t."""
    out: dict[int, set[int]] = {}
    for k, lib in enumerate(result.where[t]):
        out.setdefault(lib, set()).add(result.spec.lots[k].id)
    return out


def assert_each_library_sees_each_lot_once_per_round(result, n):
    lots = [lot.id for lot in result.spec.lots]
    for member in result.spec.members:
        seen = [lot for t in range(n) for lot in holders(result, t).get(member.id, ())]
        assert sorted(seen) == sorted(lots), member.id


def test_latin_square_when_lots_equal_libraries():
    result = grid.generate(spec(5, 5, exchanges=9))
    assert result.broken == []
    for t, row in enumerate(result.where):
        for k, lib in enumerate(row):
            assert lib == (k + t) % 5
    assert_each_library_sees_each_lot_once_per_round(result, 5)


def test_more_lots_than_libraries_several_each_and_every_lot_seen_once():
    result = grid.generate(spec(4, 10, exchanges=8))
    assert result.broken == []
    assert_each_library_sees_each_lot_once_per_round(result, 4)
    # Level load: every exchange moves every lot.
    per_exchange = Counter(m.exchange for m in result.moves)
    assert set(per_exchange.values()) == {10}


def test_fewer_lots_than_libraries_says_who_receives_nothing():
    result = grid.generate(spec(5, 2, exchanges=4))
    assert result.broken == []
    empty = [i for i in result.issues if i.code == grid.NOTHING_RECEIVED]
    assert len(empty) == 4 * 3  # three of five libraries get nothing each date
    for t in range(1, 5):
        assert len({m.target for m in result.moves if m.exchange == t}) == 2


def test_never_receives_the_lot_it_just_had():
    for n_libs, n_lots in [(2, 2), (3, 7), (6, 12), (5, 3)]:
        result = grid.generate(spec(n_libs, n_lots, exchanges=10))
        for t in range(2, len(result.where)):
            for k in range(n_lots):
                moved = result.where[t][k] != result.where[t - 1][k]
                if moved and n_libs > 2:
                    assert result.where[t][k] != result.where[t - 2][k]


def test_skipped_date_respected():
    members = tuple(
        grid.Member(id=i, shuttle_days=WEEKDAYS, skips=frozenset({2}) if i == 1 else frozenset())
        for i in range(4)
    )
    result = grid.generate(spec(members=members, n_lots=4, exchanges=6))
    assert not [i for i in result.broken if i.code == grid.SKIP]
    assert not [m for m in result.moves if m.exchange == 2 and 1 in (m.source, m.target)]
    assert not [i for i in result.broken if i.code in (grid.SEEN_TWICE, grid.JUST_HAD)]


def test_youth_only_lots_only_to_youth_libraries():
    members = tuple(grid.Member(id=i, shuttle_days=WEEKDAYS, youth=i != 2) for i in range(4))
    lots = tuple(
        grid.LotSpec(id=100 + k, start=k if k != 2 else 3, youth_only=k < 2) for k in range(4)
    )
    result = grid.generate(spec(members=members, lots=lots, exchanges=8))
    for t, row in enumerate(result.where):
        for k, lib in enumerate(row):
            if lots[k].youth_only:
                assert lib != 2, (t, k)
    assert result.broken == []


def test_at_most_n_lots_per_exchange():
    members = tuple(
        grid.Member(id=i, shuttle_days=WEEKDAYS, max_lots=1 if i == 0 else None) for i in range(3)
    )
    result = grid.generate(spec(members=members, n_lots=6, exchanges=6))
    for t in range(1, 7):
        assert sum(1 for m in result.moves if m.exchange == t and m.target == 0) <= 1
    assert not [i for i in result.broken if i.code == grid.CAPACITY]
    # The lots that could not go there stayed: said, never silent.
    assert [i for i in result.broken if i.code == grid.STUCK]


def test_impossible_constraints_are_reported():
    # A youth-only lot standing where there is no youth section, and nowhere else to go.
    members = (
        grid.Member(id=1, shuttle_days=WEEKDAYS, youth=False),
        grid.Member(id=2, shuttle_days=WEEKDAYS, youth=False),
    )
    lots = (grid.LotSpec(id=9, start=1, youth_only=True),)
    result = grid.generate(spec(members=members, lots=lots, exchanges=2))
    assert {i.code for i in result.broken} >= {grid.YOUTH}
    assert result.broken[0].lot == 9 and result.broken[0].library == 1


def test_check_finds_what_a_swap_breaks():
    s = spec(4, 4, exchanges=4)
    result = grid.generate(s)
    # Library 2 held lot 102 at the start and sent it on exchange 1; swapped with library 0
    # on exchange 2, it would get it back.
    assert result.where[0][2] == 2 and result.where[2][2] == 0
    swapped = grid.swap(result.where, 2, 0, 2)
    broken = grid.check(s, swapped)
    assert any(i.code == grid.JUST_HAD and i.exchange == 2 for i in broken)
    assert grid.check(s, result.where) == []


def test_dates_move_to_a_shuttle_day_of_both_and_off_closures():
    tuesday_friday = frozenset({2, 5})
    members = (
        grid.Member(id=1, shuttle_days=tuesday_friday),
        grid.Member(
            id=2,
            shuttle_days=frozenset({2}),
            closures=((MONDAY, MONDAY + dt.timedelta(days=2)),),  # closed Mon 4 – Wed 6
        ),
    )
    lots = (grid.LotSpec(id=7, start=1), grid.LotSpec(id=8, start=2))
    result = grid.generate(spec(members=members, lots=lots, exchanges=1))
    for move in result.moves:
        assert move.day.isoweekday() == 2 and move.arrival == move.day
        # Tue 5 is closed at library 2; the nearest Tuesday is the one before (Tue 12 is further).
        assert move.day == dt.date(2026, 12, 29)
    moved = [i for i in result.issues if i.code == grid.DATE_MOVED]
    assert moved and moved[0].planned == MONDAY and moved[0].day == dt.date(2026, 12, 29)
    assert moved[0].closed  # library 2 is closed on the planned Monday


def test_a_closure_on_the_planned_date_is_said():
    members = (
        grid.Member(id=1, shuttle_days=WEEKDAYS, closures=((MONDAY, MONDAY),)),
        grid.Member(id=2, shuttle_days=WEEKDAYS),
    )
    result = grid.generate(spec(members=members, n_lots=2, exchanges=1))
    moved = [i for i in result.issues if i.code == grid.DATE_MOVED]
    for move in result.moves:  # library 1 neither sends nor receives on its closed day
        assert (move.source != 1 or move.day != MONDAY) and (
            move.target != 1 or move.arrival != MONDAY
        )
    assert [m.arrival for m in result.moves if m.target == 1] == [MONDAY + dt.timedelta(days=1)]
    assert moved and all(i.closed for i in moved)


def test_a_lot_outside_the_plan_is_reported():
    members = tuple(grid.Member(id=i, shuttle_days=WEEKDAYS) for i in range(3))
    lots = (grid.LotSpec(id=5, start=99), grid.LotSpec(id=6, start=1))
    result = grid.generate(spec(members=members, lots=lots, exchanges=2))
    assert [(i.code, i.lot) for i in result.broken] == [(grid.OUTSIDE, 5)]


def test_no_shuttle_day_is_reported():
    members = (grid.Member(id=1, shuttle_days=WEEKDAYS), grid.Member(id=2))
    result = grid.generate(spec(members=members, n_lots=2, exchanges=1))
    assert [i for i in result.broken if i.code == grid.NO_SHUTTLE_DAY and i.library == 2]


def test_shuttle_load_spread_over_equally_near_days():
    # Planned on a Wednesday; Tuesday and Thursday are both one day away: lots split.
    members = tuple(grid.Member(id=i, shuttle_days=frozenset({2, 4})) for i in range(4))
    s = grid.Spec(
        members,
        tuple(grid.LotSpec(id=k, start=k % 4) for k in range(8)),
        (dt.date(2027, 1, 6),),
    )
    load = grid.generate(s).load()
    assert sorted(load.values()) == [4, 4]


def test_once_round_then_home_and_then_stay():
    home = grid.generate(spec(3, 3, exchanges=6, kind=grid.ONCE_HOME))
    assert home.where[3] == home.where[0] and home.where[6] == home.where[0]
    stay = grid.generate(spec(3, 3, exchanges=6, kind=grid.ONCE_STAY))
    assert stay.where[2] == stay.where[6] and stay.where[2] != stay.where[0]


def test_a_library_at_capacity_gets_no_bigger_lot():
    """Library 1 holds 100 items at most: 80 of its own plus a 10-item crate. The 30-item crate
    coming its way is kept back (and said); the equal swap of 10 for 10 goes on."""
    members = tuple(
        grid.Member(
            id=i,
            shuttle_days=WEEKDAYS,
            stock=80 if i == 1 else 0,
            max_items=100 if i == 1 else None,
        )
        for i in range(3)
    )
    lots = (
        grid.LotSpec(id=100, start=0, size=30),
        grid.LotSpec(id=101, start=1, size=10),
        grid.LotSpec(id=102, start=2, size=10),
    )
    result = grid.generate(spec(members=members, lots=lots, exchanges=3))
    kept = [i for i in result.issues if i.code == grid.KEPT_BACK]
    assert kept and kept[0].library == 1 and kept[0].lot == 100 and kept[0].limit == 100
    for t in range(len(result.where)):
        load = 80 + sum(lot.size for lot, at in zip(lots, result.where[t], strict=True) if at == 1)
        assert load <= 100, (t, result.where[t])
    assert not [i for i in result.broken if i.code == grid.FULL]
    # A hand swap that overfills it is said.
    where = [list(row) for row in result.where]
    where[1][0], where[1][1] = 1, 0
    assert any(i.code == grid.FULL and i.library == 1 for i in grid.check(result.spec, where))
