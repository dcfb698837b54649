"""Generated catalogues and the `maillon bench` measurements (docs/benchmarks.md)."""
