from maillon.bench.report import machine, write_section


def test_a_section_is_replaced_and_the_others_kept(tmp_path):
    doc = tmp_path / "benchmarks.md"
    write_section("search", "## Search\nfirst figures", doc)
    write_section("import", "## Import\n3,000 records/s", doc)
    write_section("search", "## Search\nnew figures", doc)
    text = doc.read_text()
    assert text.startswith("# Benchmarks")
    assert "new figures" in text and "first figures" not in text
    assert "3,000 records/s" in text
    assert text.index("## Search") < text.index("## Import")  # replaced in place
    assert text.count("<!-- section:search -->") == 1


def test_machine_description_names_what_matters():
    text = machine("PostgreSQL 15.4")
    assert "cores" in text and "Python" in text and "SQLite" in text
    assert "PostgreSQL 15.4" in text
