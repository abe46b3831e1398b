"""Benchmarks of the SPARQL endpoint, the build and the pages, run on demand: `python -m bench` (see README.md).

Not part of the test suite, and not installed with the package: run it from the repository root.
"""
