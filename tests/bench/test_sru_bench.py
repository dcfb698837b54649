from maillon.bench import sru_bench
from maillon.bench.generate import generate
from maillon.catalogue.search import rebuild_index


def test_every_kind_of_search_is_measured_and_reported(db):
    generate(300, 2.0, 4, seed=5)
    rebuild_index()
    run = sru_bench.run(rounds=1)  # a request answered with a diagnostic fails the run
    requests = run["requests"]
    assert {"isbn", "title", "title and author", "author", "common word"} <= set(requests)
    for name, figures in requests.items():
        assert figures["requests"] >= 1 and figures["statements"] >= 1, name
    assert requests["isbn"]["matches"] >= 1
    assert requests["common word"]["matches"] >= 10
    text = sru_bench.markdown({"SQLite": run}, 300, "Machine: test.", "maillon bench --only sru")
    assert "| SQLite | isbn |" in text and "Re-run: `maillon bench --only sru`" in text
