from maillon.bench import oai_bench
from maillon.bench.generate import generate


def test_the_harvest_takes_every_record_and_the_report_compares(db):
    generate(250, 2.0, 4, seed=3)
    run = {
        "harvests": {"ListRecords marc21": oai_bench.harvest("ListRecords", "marc21")},
        "baseline": oai_bench.baseline(),
        "load_before": "1.0 1.0 1.0",
        "load_after": "1.0 1.0 1.0",
    }
    harvest = run["harvests"]["ListRecords marc21"]
    assert harvest["records"] == 250 and harvest["pages"] == 3
    assert run["baseline"]["records"] == 250
    text = oai_bench.markdown({"SQLite": run}, "Machine: test.", "maillon bench --only oai")
    assert "| SQLite | ListRecords marc21 | 250 |" in text
    assert "Re-run: `maillon bench --only oai`" in text
    assert "per CPU second" in text and "pymarc" in text
