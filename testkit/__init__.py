"""Support code shared by the tests and the benchmarks (not shipped with ``claims``).

- :mod:`testkit.pg`: a throwaway PostgreSQL cluster (tests/conftest.py's fixtures, ``bench`` scripts);
- :mod:`testkit.corpus`: the synthetic news corpus (documents with known figures, publishers, dates);
- :mod:`testkit.stress`: concurrent review writers and the checks that nothing was lost (tests/test_stress.py, ``bench stress``);
- :mod:`testkit.bulk`: the bulk loader that fills a store with synthetic claims (``bench scale``, checked in tests/test_stress.py);
- :mod:`testkit.website`: a real local HTTP server serving pages and feeds (tests/test_web*.py, ``bench web_feed``).
- :mod:`testkit.migrations`: a store upgraded to an old revision only (the migration tests);
- :mod:`testkit.claims`: a claim written by hand at its words in a text (the store tests).
"""
