"""Settings: one table of (name, default, help), read from the environment.

Every ``CLAIMS_*`` environment variable the code reads is a row of
:data:`SETTINGS`, read through :func:`setting`; nothing else calls
``os.environ`` for one. The README's settings table lists them with the same
defaults (tests/test_docs.py checks both).
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment setting with its default and what it does."""

    name: str
    default: str   # "" means unset: the code falls back as the help says
    help: str
    option: str | None = None   # the command-line option that wins over it, if any


SETTINGS: tuple[Setting, ...] = (
    Setting("CLAIMS_DB_URL", "",
            "Database URL (sqlite:///path/claims.db or postgresql+psycopg://user@host/db); "
            "empty means a SQLite file claims.db in CLAIMS_DATA_DIR. --db overrides it.", option="--db"),
    Setting("CLAIMS_DATA_DIR", "data",
            "Folder for the default SQLite database, relative to the working directory; created when missing."),
    Setting("CLAIMS_MAX_FILE_MB", "50",
            "Largest input file ingest accepts, in megabytes; larger files are refused with a message naming them."),
    Setting("CLAIMS_ORG_NAME", "Claims review desk", "Name of the organisation publishing the reviews.",
            option="--org-name"),
    Setting("CLAIMS_ORG_URL", "", "Home page of that organisation.", option="--org-url"),
    Setting("CLAIMS_REVIEW_URL", "",
            "URL template of each review page; {fingerprint}, {id} and {verdict} are filled in. "
            "Empty: the claim's article url with #claim-FINGERPRINT.", option="--review-url"),
    Setting("CLAIMS_REVIEWER", "",
            "Who is acting on the command line: recorded in export manifests and by the team review commands "
            "(--by wins); empty: the login name.", option="--by"),
    Setting("CLAIMS_FETCH_TIMEOUT", "20",
            "Seconds one web page or feed may take to arrive (connecting, redirects and body), for ingest URL "
            "and --feed and the dashboard's Add an article; slower ones fail naming the URL."),
    Setting("CLAIMS_FETCH_MAX_MB", "10",
            "Largest web page or feed fetched, in megabytes after decompression; bigger ones are refused naming the URL."),
    Setting("CLAIMS_FETCH_USER_AGENT", "claims-fact-check/1.0 (fact-claim verification tool; urllib3)",
            "User-Agent header sent with every web request, so site owners can see who is fetching."),
    Setting("CLAIMS_FETCH_PRIVATE", "allow",
            "Allow or refuse: whether ingest URL, --feed and the dashboard's Add an article may fetch from private, "
            "loopback, link-local or reserved addresses (intranet hosts, localhost, cloud metadata at "
            "169.254.169.254), checked at every redirect and on the address each connection reaches (DNS rebinding). "
            "Set refuse on a shared dashboard."),
    Setting("CLAIMS_MAX_UNZIPPED_MB", "1024",
            "Most a bundle may decompress to, per file and in total, in megabytes; verify and import refuse "
            "a bundle (a zip bomb) past it after reading no more than that."),
    Setting("CLAIMS_BUNDLE_KEY", "",
            "Secret key that signs exported bundles (HMAC-SHA256 over the manifest); verify checks it and "
            "names the key by its id. Empty: bundles are unsigned and verify says so."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """Return the value of setting ``name`` from the environment, else its default (blank counts as unset)."""
    s = BY_NAME[name]
    value = os.environ.get(name)
    return s.default if value is None or value.strip() == "" else value.strip()


def max_file_bytes() -> int:
    """Return CLAIMS_MAX_FILE_MB in bytes (the default when the variable is not a positive number)."""
    raw = setting("CLAIMS_MAX_FILE_MB")
    try:
        mb = float(raw)
    except ValueError:
        mb = float(BY_NAME["CLAIMS_MAX_FILE_MB"].default)
    if mb <= 0:
        mb = float(BY_NAME["CLAIMS_MAX_FILE_MB"].default)
    return int(mb * 1024 * 1024)


def _positive(name: str) -> float:
    try:
        value = float(setting(name))
    except ValueError:
        value = 0.0
    return value if value > 0 else float(BY_NAME[name].default)


def fetch_timeout() -> float:
    """Return CLAIMS_FETCH_TIMEOUT in seconds (the default when it is not a positive number)."""
    return _positive("CLAIMS_FETCH_TIMEOUT")


def fetch_private_allowed() -> bool:
    """Return whether CLAIMS_FETCH_PRIVATE allows private addresses; raise ValueError naming it when it is neither value."""
    raw = setting("CLAIMS_FETCH_PRIVATE").lower()
    if raw not in ("allow", "refuse"):
        raise ValueError(f"CLAIMS_FETCH_PRIVATE must be allow or refuse, not {raw!r}")
    return raw == "allow"


def fetch_max_bytes() -> int:
    """Return CLAIMS_FETCH_MAX_MB in bytes (the default when it is not a positive number)."""
    return int(_positive("CLAIMS_FETCH_MAX_MB") * 1024 * 1024)
