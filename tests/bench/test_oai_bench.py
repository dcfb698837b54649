from maillon.bench import oai_bench
from maillon.bench.generate import generate
from maillon.oai.models import SetMembership


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


def test_partial_harvests_and_departures_are_measured_then_rolled_back(db):
    generate(400, 2.0, 4, seed=4)
    before = list(SetMembership.objects.order_by("pk").values_list("pk", "left_at"))
    selective = oai_bench.selective()
    harvests = selective["harvests"]
    assert len(harvests) == 5
    assert 1 <= harvests["ListRecords marc21, from (1 % changed)"]["records"] <= 10
    spec = selective["set"]
    whole = harvests[f"ListRecords marc21, set {spec}"]
    assert whole["records"] == selective["set_members"] and whole["deleted"] == 0
    gone = harvests[f"ListIdentifiers, set {spec}, from, after departures"]
    assert gone["records"] == gone["deleted"] == selective["departures"]["records"] > 0
    # Rolled back: the catalogue is as it was for the next benchmark.
    assert list(SetMembership.objects.order_by("pk").values_list("pk", "left_at")) == before
    run = {
        "harvests": {"ListRecords marc21": oai_bench.harvest("ListRecords", "marc21")},
        "baseline": {"records": 1, "rate": 1.0, "cpu_rate": 1.0},
        "selective": selective,
        "load_before": "1.0 1.0 1.0",
        "load_after": "1.0 1.0 1.0",
    }
    text = oai_bench.markdown({"PostgreSQL": run}, "Machine: test.", "maillon bench --only oai")
    assert "### Partial harvests" in text and f"set {spec}, from, after departures" in text
