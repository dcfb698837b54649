"""The grid benchmark times both builders on the same network and reports the ratio."""

from maillon.bench import rotation_bench
from maillon.rotation import grid


def test_the_naive_baseline_builds_a_grid_of_the_same_shape():
    spec = rotation_bench.spec(libraries=8, lots=12, periods=4)
    where = rotation_bench.naive(spec)
    assert len(where) == 5 and all(len(row) == 12 for row in where)
    generated = grid.generate(spec)
    assert generated is not None


def test_the_report_gives_medians_p95_and_the_ratio():
    run = rotation_bench.run(libraries=6, lots=8, periods=3, repeat=3)
    assert run["runs"] == 3 and run["generate_median_s"] > 0
    assert run["ratio"] == run["naive_median_s"] / run["generate_median_s"]
    text = rotation_bench.markdown(run, "Machine: test.", "0.1 0.1 0.1")
    assert (
        "| generator |" in text
        and "≤ 1 s" in text
        and "Re-run: `maillon bench --only rotation`" in text
    )
