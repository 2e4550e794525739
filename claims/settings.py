"""Settings: one table of (name, default, help), read from the environment.

The README and ``python -m claims settings``-style help list this table; a
test checks every setting is documented.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment setting with its default and what it does."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("CLAIMS_DB_URL", "",
            "Database URL (sqlite:///path/claims.db or postgresql+psycopg://user@host/db); "
            "empty means a SQLite file claims.db in CLAIMS_DATA_DIR. --db overrides it."),
    Setting("CLAIMS_DATA_DIR", "data",
            "Folder for the default SQLite database, relative to the working directory; created when missing."),
    Setting("CLAIMS_MAX_FILE_MB", "50",
            "Largest input file ingest accepts, in megabytes; larger files are refused with a message naming them."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """Return the value of setting ``name`` from the environment, else its default."""
    s = _BY_NAME[name]
    value = os.environ.get(name)
    return s.default if value is None or value.strip() == "" else value.strip()


def max_file_bytes() -> int:
    """Return CLAIMS_MAX_FILE_MB in bytes (the default when the variable is not a positive number)."""
    raw = setting("CLAIMS_MAX_FILE_MB")
    try:
        mb = float(raw)
    except ValueError:
        mb = float(_BY_NAME["CLAIMS_MAX_FILE_MB"].default)
    if mb <= 0:
        mb = float(_BY_NAME["CLAIMS_MAX_FILE_MB"].default)
    return int(mb * 1024 * 1024)
