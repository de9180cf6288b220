"""The web dashboard and JSON API: `somlab serve`, or `create_app()` for any ASGI server.

This package's `__init__` stays import-free so that the command line starts fast.
"""
