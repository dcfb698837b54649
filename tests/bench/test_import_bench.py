from maillon.bench.import_bench import write_file
from maillon.bench.import_report import import_markdown
from maillon.catalogue.marc.reader import read_marc


def test_the_generated_file_is_unimarc_with_items_in_995(tmp_path):
    path = tmp_path / "sample.mrc"
    items = write_file(path, 30)
    results = list(read_marc(path))
    assert len(results) == 30 and all(r.record is not None for r in results)
    copies = [f for r in results for f in r.record.get_fields("995")]
    assert len(copies) == items >= 30
    assert all(f.get("f", "").startswith("IMP") and f.get("b") == "G01" for f in copies)


def test_the_report_gives_rates_and_the_ratio():
    run = {
        "records": 1000,
        "items": 1300,
        "file_mb": 1.2,
        "pymarc_rate": 20000.0,
        "extract_rate": 8000.0,
        "import_s": 0.5,
        "import_rate": 2000.0,
        "in_database": {"records": 1000, "items": 1300, "indexed": 1000},
    }
    text = import_markdown(run, "Machine: test.", "maillon bench --only import")
    assert "20,000" in text and "2,000" in text and "0.10" in text
    assert "**not met**" in text
