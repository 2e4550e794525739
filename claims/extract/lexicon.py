"""Load and validate every lexicon in ``claims/lexicon/*.json``: one loader, one schema table.

Each file holds named sections. A section is a list of entries (objects) or a
single group object; every entry and group carries a short ``example``
sentence. :data:`SCHEMAS` lists, per file and section, each key and its type;
a key ending in ``?`` is optional. Anything the schema does not name (a
section, an entry key) is an error, so a key nothing reads cannot sit in a
file unnoticed. A malformed file raises :class:`~claims.errors.LexiconError`
naming the file, section and entry, at first use (files are read once).

:func:`words_alternation` is the one builder of regex alternations over
lexicon words; every cue pattern and pre-filter is derived from the data
through it.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from claims.errors import LexiconError

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
# free-text keys a file or a group may carry for readers
_NOTES = ("description", "_about")

__all__ = ["LEXICON_DIR", "SCHEMAS", "Group", "LexiconError", "load", "load_file", "validate", "words_alternation"]


class Group:
    """A section that is one object (not a list of entries); ``keys`` as for entries."""

    def __init__(self, keys: dict[str, Any]):
        self.keys = keys


class Nested:
    """A section that holds further sections (``events.json``'s ``facts``)."""

    def __init__(self, sections: dict[str, Any]):
        self.sections = sections


OUTCOME = ("killed", "injured")
# file -> section -> {key: type}; a key "name?" is optional. Types: str, int, bool, list (non-empty
# list of strings), "regex" (a string that compiles), (int, float) (a number), or a tuple of allowed strings.
SCHEMAS: dict[str, dict[str, Any]] = {
    "quantifiers.json": {"entries": {"phrase": str, "bound": ("low", "high", "exact"), "approximate": bool},
                         "up_movers": {"words": list}, "negated_verbs": {"words": list},
                         "range_verbs": {"words": list}},
    "vague.json": {"entries": {"phrase": str, "low": (int, float), "high": (int, float), "needs_of": bool},
                   "alone_before": {"words": list}},
    "casualty_cues.json": {
        "after": {"pattern": "regex", "stems": list, "outcome": OUTCOME, "active": bool, "weak?": bool},
        "before": {"pattern": "regex", "stems": list, "outcome": OUTCOME, "needs_people?": bool},
        "heads": {"pattern": "regex", "stems": list, "outcome": OUTCOME},
        "toll": {"pattern": "regex", "stems": list},
        "lost": {"pattern": "regex", "stems": list},
        "single_heads": {"word": str, "outcome": OUTCOME},
        "population": {"pattern": "regex"},
        "adjectives": {"words": list, "outcome": OUTCOME},
        "not_after": {"pattern": "regex"},
        "auxiliaries": {"pattern": "regex"},
        "cue_words": {"pattern": "regex"},
        "part_markers": {"pattern": "regex"},
        "not_victims": {"pattern": "regex"},
        "not_single_heads": {"words": list},
        "sentencing": {"pattern": "regex"},
        "participles": {"words": list, "whole": bool},
        "acts": {"words": list},
        "not_lost": {"words": list},
        "counter_after": {"words": list},
        "object_hedges": {"words": list}, "irregular_plurals": {"words": list},
    },
    "people.json": {"entries": {"words": list, "armed": bool}, "not_plural": {"words": list},
                    "subject_stops": {"words": list}, "subject_modifiers": {"words": list},
                    "weak_armed": {"words": list}, "state_heads": {"words": list}},
    "force_cues.json": {"exclude": {"pattern": "regex"}, "strength": {"pattern": "regex"}, "collective": {"pattern": "regex"},
                        "bodies": {"words": list}, "members": {"words": list},
                        "generic_bodies": {"words": list}, "number_of": {"words": list},
                        "strength_compounds": {"words": list}, "strength_modifiers": {"words": list},
                        "strength_units": {"words": list}, "command_verbs": {"words": list},
                        "under_arms": {"words": list}, "armed_modifiers": {"words": list}, "armed_after": {"words": list},
                        "state_bodies": {"words": list}, "attack_agents": {"words": list},
                        "body_says_verbs": {"words": list}, "body_says_reflexives": {"words": list},
                        "attack_nouns": {"words": list},
                        "planned": {"words": list, "after_intent": bool, "needs_new": bool},
                        "planned_intents": {"words": list}, "new_people": {"words": list}},
    "attribution.json": {
        "verbs": {"word": str, "role": ("speech", "tell", "states", "document", "antecedent"),
                  "active_infinitive?": bool},
        "prepositions": {"phrase": str}, "pronouns": {"word": str, "refers_to": ("person", "body", "any")},
        "source_nouns": {"words": list}, "titles": {"words": list}, "bare_heads": {"words": list},
        "modifiers": {"words": list}, "documents": {"words": list}, "not_names": {"words": list},
        "not_openers": {"words": list}, "adverbials": {"words": list}, "parentheticals": {"words": list},
        "distance_units": {"words": list}, "s_nouns": {"words": list}, "time_openers": {"words": list},
        "time_prepositions": {"words": list},
        "time_spans": {"words": list, "openers": list, "closers?": list},
        "bodies": {"name": str, "short": str}, "wire_slugs": {"words": list}, "continuations": {"words": list}, "person_nouns": {"words": list},
        "generic_modifiers": {"words": list}, "organisation_heads": {"words": list}, "author_bodies": {"words": list},
        "passing_modifiers": {"words": list}, "descriptors": {"words": list}, "representatives": {"words": list}, "first_person_states": {"words": list}, "own_account": {"words": list}, "finding_bodies": {"words": list, "named_that?": bool}, "possessive_figures": {"words": list}, "with_participles": {"words": list},
        "informed": {"phrase": str},
    },
    "units.json": {"prefix": {"pattern": "regex", "unit": str, "stems": list}, "suffix": {"pattern": "regex", "unit": str}},
    "not_counts.json": {"after": {"pattern": "regex", "reason": str}, "before_words": {"words": list, "reason": str, "verb_after?": list},
                        "figure_nouns": {"words": list}},
    "abbreviations.json": {"entries": {"words": list}},
    "dates.json": {
        "months": {"number": int, "forms": list, "ambiguous?": bool},
        "weekdays": {"number": int, "forms": list},
        "weekday_occasions": {"words": list},
        "weekday_blockers": {"word": str},
        "holidays": {"forms": list, "month": int, "day?": int, "weekday?": int, "nth?": int},
        "relative_days": {"phrase": str, "days": int},
        "relative_shifts": {"word": str, "shift": int},
        "day_shifts": {"word": str, "shift": int},
        "month_parts": {"word": str},
        "units": {"forms": list, "iso": str, "time": bool, "factor": int},
        "future_cues": {"phrase": str},
        "past_cues": {"phrase": str},
        "neutral_cues": {"phrase": str},
        "year_blockers": {"word": str},
        "metadata_cues": {"phrase": str},
        "length_words": {"words": list},
        "clock_words": {"words": list},
        "occasion_determiners": {"words": list},
        "count_hedges": {"words": list, "not_after?": list},
        "age_words": {"words": list},
        "frequency_words": {"words": list},
        "rate_words": {"words": list},
        "period_sides": {"words": list},
        "unit_modifiers": {"words": list},
        "length_hedges": {"words": list},
    },
    "synonyms.json": {
        "classes": {"class": str, "generic": bool, "perpetrator?": bool, "within?": str, "terms": list},
        "outcome_nouns": {"outcome": OUTCOME, "terms": list},
    },
    "events.json": {
        "kinds": {"key": str, "terms": list, "violent?": bool, "accidental?": bool},
        "sites": {"key": str, "terms": list},
        "aliases": {"canonical": str, "names": list, "armed?": bool},
        "particles": Group({"terms": list}),
        "not_names": Group({"terms": list}),
        "leading_words": Group({"terms": list}),
        "organisations": Group({"terms": list}),
        "name_possessives": Group({"terms": list}),
        "place_units": Group({"terms": list}),
        "separate_incident": Group({"terms": list}),
        "anniversary_span": Group({"terms": list}),
        "previous_figure": Group({"terms": list}),
        "superseded_figure": Group({"terms": list, "followed_by": list}),
        "street_words": Group({"terms": list}),
        "settlement_words": Group({"terms": list}),
        "armed_groups": Group({"terms": list}),
        "group_anaphora": Group({"terms": list, "modifiers": list, "pronoun_frames": list}),
        "facts": Nested({
            "force_party": Group({"nouns": list, "verbs": list, "having": list, "number_of": list}),
            "force_strength": Group({"terms": list}),
            "force_aboard": Group({"terms": list}),
            "casualty_condition": Group({"terms": list}),
            "casualty_part": Group({"before": list, "after": list, "openings": list, "referring": list}),
            "casualty_combined": Group({"terms": list}),
            "casualty_period": Group({"terms": list}),
            "casualty_circumstance": {"key": str, "terms": list},
            "casualty_facility": Group({"places": list, "verbs": list, "passive": list, "there": list, "carers": list,
                                        "bodies": list}),
            "units": {"key": str, "terms": list},
            "measures": {"key": str, "terms": list},
            "happenings": {"key": str, "terms": list},
            "happening_places": Group({"terms": list}),
            "reporting": Group({"terms": list}),
        }),
    },
}


def _check_value(where: str, key: str, v: Any, want: Any) -> None:
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
        if not isinstance(v, list) or not v or not all(isinstance(w, str) and w.strip() for w in v):
            raise LexiconError(f"{where}: {key!r} must be a non-empty list of strings")
    elif want is bool:
        if not isinstance(v, bool):
            raise LexiconError(f"{where}: {key!r} must be true or false, got {v!r}")
    elif not isinstance(v, want) or isinstance(v, bool):  # bool is an int
        raise LexiconError(f"{where}: {key!r} has the wrong type ({type(v).__name__})")
    elif isinstance(v, str) and not v.strip():
        raise LexiconError(f"{where}: {key!r} is empty")


def _check_entry(where: str, entry: Any, keys: dict[str, Any], *, notes: bool = False) -> None:
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: entry must be an object, got {entry!r}")
    label = (entry.get("phrase") or entry.get("pattern") or entry.get("word") or entry.get("words")
             or entry.get("forms") or entry.get("key") or entry.get("class") or entry.get("canonical"))
    where += f" ({label!r})" if label else ""
    ex = entry.get("example")
    if not isinstance(ex, str) or not ex.strip():
        raise LexiconError(f"{where}: missing 'example' (a short sentence using the entry)")
    wanted = {k.rstrip("?"): k.endswith("?") for k in keys}
    extra = sorted(set(entry) - set(wanted) - {"example"} - (set(_NOTES) if notes else set()))
    if extra:
        raise LexiconError(f"{where}: unknown key {extra[0]!r} (nothing reads it; known: {sorted(wanted)})")
    for key, want in keys.items():
        name, optional = key.rstrip("?"), key.endswith("?")
        if name not in entry:
            if optional:
                continue
            raise LexiconError(f"{where}: missing key {name!r}")
        _check_value(where, name, entry[name], want)


def _check_sections(name: str, data: Any, schema: dict[str, Any]) -> None:
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: must be an object with sections {sorted(schema)}")
    extra = sorted(set(data) - set(schema) - set(_NOTES))
    if extra:
        raise LexiconError(f"{name}: unknown section {extra[0]!r} (nothing reads it; known: {sorted(schema)})")
    for section, spec in schema.items():
        where = f"{name}: {section}"
        value = data.get(section)
        if isinstance(spec, Nested):
            if value is None:
                raise LexiconError(f"{where}: missing section")
            _check_sections(where, value, spec.sections)
        elif isinstance(spec, Group):
            if value is None:
                raise LexiconError(f"{where}: missing section")
            _check_entry(where, value, spec.keys, notes=True)
        else:
            if not isinstance(value, list) or not value:
                raise LexiconError(f"{where}: section must be a non-empty list")
            for i, entry in enumerate(value):
                _check_entry(f"{where}[{i}]", entry, spec)


def validate(name: str, data: Any, schema: dict[str, Any]) -> None:
    """Raise LexiconError naming ``name``, the section and the entry when ``data`` breaks ``schema``."""
    _check_sections(name, data, schema)


def load_file(path: Path | str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read one lexicon file and validate it against ``schema`` (its :data:`SCHEMAS` entry by default)."""
    path = Path(path)
    name = path.name
    schema = schema if schema is not None else SCHEMAS.get(name)
    if schema is None:
        raise LexiconError(f"{name}: no schema for this lexicon file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LexiconError(f"{name}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise LexiconError(f"{name}: not UTF-8 ({e.reason})") from None
    except json.JSONDecodeError as e:
        raise LexiconError(f"{name}: not valid JSON (line {e.lineno}: {e.msg})") from None
    validate(name, data, schema)
    return data


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Return the validated contents of ``claims/lexicon/NAME`` (read once)."""
    return load_file(LEXICON_DIR / name)


def words_alternation(words, *, space: str = r"\s+") -> str:
    """Return a regex matching any of the literal ``words`` (case-folded), factored as a trie.

    Use it under ``re.IGNORECASE`` or over lower-cased text. At any position the
    longest word that matches is tried first, as in a longest-first alternation,
    but shared prefixes are tested once: a flat alternation of ~100 words makes
    the engine try every branch at every position. A space inside a phrase
    matches ``space`` (any run of whitespace by default).
    """
    root: dict = {}
    for w in set(words):
        node = root
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(space if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    if not root:
        raise ValueError("words_alternation needs at least one word")
    return emit(root)


def lexicon_hash() -> str:
    """Return a sha256 over every lexicon file (names and bytes): it changes whenever a cue word does."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(LEXICON_DIR.glob("*.json")):
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
