"""Load and validate the extraction lexicons in ``claims/lexicon/*.json``.

Each file holds named sections of entries; every entry carries a short
``example`` sentence. A malformed file raises :class:`LexiconError` naming
the file, section and entry, at first use (files are read once and cached).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from claims.errors import ClaimsError

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"


class LexiconError(ClaimsError):
    "A lexicon data file is missing, not JSON, or has a malformed entry (the message names which)"


# file -> section -> {key: type}; every entry also needs a non-empty "example".
# A key whose type is "regex" must be a string that compiles.
SCHEMAS: dict[str, dict[str, dict[str, Any]]] = {
    "quantifiers.json": {"entries": {"phrase": str, "bound": ("low", "high", "exact"), "approximate": bool}},
    "vague.json": {"entries": {"phrase": str, "low": (int, float), "high": (int, float), "needs_of": bool}},
    "casualty_cues.json": {
        "after": {"pattern": "regex", "outcome": ("killed", "injured"), "active": bool},
        "before": {"pattern": "regex", "outcome": ("killed", "injured")},
        "heads": {"pattern": "regex", "outcome": ("killed", "injured")},
        "not_after": {"pattern": "regex"},
    },
    "people.json": {"entries": {"words": list, "armed": bool}},
    "force_cues.json": {"exclude": {"pattern": "regex"}, "strength": {"pattern": "regex"}},
    "attribution.json": {
        "verbs": {"word": str}, "prepositions": {"phrase": str}, "pronouns": {"word": str},
        "source_nouns": {"words": list}, "titles": {"words": list},
    },
    "units.json": {"prefix": {"pattern": "regex", "unit": str}, "suffix": {"pattern": "regex", "unit": str}},
    "not_counts.json": {"after": {"pattern": "regex", "reason": str}, "before_words": {"words": list, "reason": str}},
    "abbreviations.json": {"entries": {"words": list}},
}


def validate(name: str, data: Any, schema: dict[str, dict[str, Any]]) -> None:
    """Raise LexiconError naming ``name``, the section and the entry when ``data`` breaks ``schema``."""
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: top level must be an object with sections {sorted(schema)}")
    for section, keys in schema.items():
        entries = data.get(section)
        if not isinstance(entries, list) or not entries:
            raise LexiconError(f"{name}: section {section!r} must be a non-empty list")
        for i, entry in enumerate(entries):
            where = f"{name}: {section}[{i}]"
            if not isinstance(entry, dict):
                raise LexiconError(f"{where}: entry must be an object, got {entry!r}")
            label = entry.get("phrase") or entry.get("pattern") or entry.get("word") or entry.get("words")
            where += f" ({label!r})" if label else ""
            ex = entry.get("example")
            if not isinstance(ex, str) or not ex.strip():
                raise LexiconError(f"{where}: missing 'example' (a short sentence using the entry)")
            for key, want in keys.items():
                if key not in entry:
                    raise LexiconError(f"{where}: missing key {key!r}")
                v = entry[key]
                if want == "regex":
                    if not isinstance(v, str) or not v:
                        raise LexiconError(f"{where}: {key!r} must be a non-empty regular expression")
                    try:
                        re.compile(v)
                    except re.error as e:
                        raise LexiconError(f"{where}: {key!r} is not a valid regular expression ({e})") from None
                elif isinstance(want, tuple) and all(isinstance(w, str) for w in want):
                    if v not in want:
                        raise LexiconError(f"{where}: {key!r} must be one of {list(want)}, got {v!r}")
                elif want is list:
                    if not isinstance(v, list) or not v or not all(isinstance(w, str) and w for w in v):
                        raise LexiconError(f"{where}: {key!r} must be a non-empty list of strings")
                elif want is bool:
                    if not isinstance(v, bool):
                        raise LexiconError(f"{where}: {key!r} must be true or false, got {v!r}")
                elif not isinstance(v, want) or isinstance(v, bool):
                    raise LexiconError(f"{where}: {key!r} has the wrong type ({type(v).__name__})")


def load_file(path: Path, schema: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Read one lexicon file and validate it against ``schema`` (its SCHEMAS entry by default)."""
    name = path.name
    schema = schema if schema is not None else SCHEMAS.get(name)
    if schema is None:
        raise LexiconError(f"{name}: no schema for this lexicon file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LexiconError(f"{name}: cannot read ({e.strerror or e})") from None
    except json.JSONDecodeError as e:
        raise LexiconError(f"{name}: not valid JSON (line {e.lineno}: {e.msg})") from None
    validate(name, data, schema)
    return data


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Return the validated contents of ``claims/lexicon/NAME`` (read once)."""
    return load_file(LEXICON_DIR / name)


def words_alternation(words, *, flags_safe: bool = True) -> str:
    """Return a regex alternation of literal ``words``, longest first (so prefixes never win)."""
    uniq = sorted({w for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)
