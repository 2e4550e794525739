"""Support code shared by the tests and the benchmarks (not shipped with ``claims``).

- :mod:`testkit.pg`: a throwaway PostgreSQL cluster (tests/conftest.py's fixtures, ``bench`` scripts);
- :mod:`testkit.corpus`: the synthetic news corpus (documents with known figures, publishers, dates);
- :mod:`testkit.website`: a real local HTTP server serving pages and feeds (tests/test_web*.py, ``bench web_feed``).
"""
