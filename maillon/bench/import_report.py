"""Markdown for the import section of docs/benchmarks.md."""

from __future__ import annotations

TARGET_RATE = 3000  # records per second, end to end on SQLite (issue 3)


def import_markdown(run: dict, machine: str, command: str) -> str:
    ratio = run["import_rate"] / run["pymarc_rate"]
    counts = run["in_database"]
    return "\n".join(
        [
            "## Import",
            "",
            machine,
            "",
            f"A generated UNIMARC ISO 2709 file (UTF-8) of {run['records']:,} records and "
            f"{run['items']:,} items in 995 ({run['file_mb']:.1f} MB; French titles, authors, "
            "subjects, summaries and ISBNs from the catalogue generator), imported for one "
            "library into a fresh SQLite database by `import_marc` (the code behind "
            "`maillon import-marc`): "
            "reading, extraction, matching, writing records and items, and search indexing.",
            "",
            "| step | records/s | ÷ pymarc |",
            "|---|---:|---:|",
            f"| bare pymarc parse (`MARCReader`, baseline) | {run['pymarc_rate']:,.0f} | 1.00 |",
            f"| our reader + field extraction, no database | {run['extract_rate']:,.0f} | "
            f"{run['extract_rate'] / run['pymarc_rate']:.2f} |",
            f"| **import end to end** | **{run['import_rate']:,.0f}** | {ratio:.2f} |",
            "",
            f"Import took {run['import_s']:.1f} s; the database then held {counts['records']:,} "
            f"records, {counts['items']:,} items and {counts['indexed']:,} search entries. "
            f"Target: ≥ {TARGET_RATE:,} records/s end to end — "
            f"{'met' if run['import_rate'] >= TARGET_RATE else '**not met**'}.",
            "",
            f"Load average (1, 5, 15 min) when measuring: {run.get('load', 'unknown')}. "
            "The machine is shared: rates are wall-clock figures and fall as the load grows.",
            "",
            f"Re-run: `{command}` (add `--profile` to print where the import spends its time).",
        ]
    )
