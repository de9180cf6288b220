"""Evidence: real outcome data per Protocol objective, in an embedded DuckDB store.

Public entry points: `somlab.evidence.indicators.compute` and `somlab.evidence.indicators.catalogue`.
This package's `__init__` stays import-free so that the command line starts fast.
"""
