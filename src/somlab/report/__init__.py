"""The Protocol implementation report: one self-contained HTML file (and a PDF of it).

This package's `__init__` stays import-free so that the command line starts fast.
"""
