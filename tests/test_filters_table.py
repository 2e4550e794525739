"""One filter table (claims/filters.py): every filter reaches ClaimFilter, the store, the CLI and the dashboard."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from claims.cli import build_parser
from claims.cli.common import filter_from_args
from claims.filters import FILTERS, Filter, _check, choice_values, cli_args_for, from_panel, panel_defaults
from claims.model import ClaimFilter
from claims.store import FACET_FIELDS, FTS_TABLE, Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
FILTER_COMMANDS = ("list", "export", "compare")
# Library-only or CLI-only filters; every other filter must have a sidebar widget.
NO_WIDGET = {"text_terms", "document_ids", "claim_ids", "assigned_to", "not_voted_by",
             "fictional"}


def sample(f: Filter):
    """Return a value that makes filter ``f`` filter something."""
    one = {"choice": lambda: choice_values(f)[0], "name": lambda: "Ostravia Wire", "id": lambda: 7,
           "terms": lambda: "killed", "number": lambda: 12.5, "date": lambda: dt.date(2021, 11, 9),
           "text": lambda: "killed", "flag": lambda: False}[f.type]()
    return [one] if f.is_list else one


def test_claimfilter_has_exactly_the_table_fields_keyword_only():
    assert [x.name for x in dataclasses.fields(ClaimFilter)] == [f.field for f in FILTERS]
    with pytest.raises(TypeError):
        ClaimFilter(["date"])  # noqa: keyword-only on purpose
    assert ClaimFilter().is_empty() and not ClaimFilter(figure_min=0).is_empty()


@pytest.mark.parametrize("command", FILTER_COMMANDS)
@pytest.mark.parametrize("f", [f for f in FILTERS if f.option], ids=lambda f: f.field)
def test_every_filter_with_an_option_is_in_the_command_help(f, command):
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    text = " ".join(sub.choices[command].format_help().split())
    assert f.option in text and " ".join(f.help.split()) in text


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f.field)
def test_every_filter_reaches_the_where_builder(f, sqlite_url):
    with Store(sqlite_url) as s:
        assert s._where(ClaimFilter()) == []
        conds = s._where(ClaimFilter(**{f.field: sample(f)}))
        assert len(conds) == 1, conds
        sql = str(conds[0].compile(compile_kwargs={"literal_binds": True}))
        # the search column's condition may read its trigram index (claims_fts) instead; the scan form names it
        scan = str(s._where(ClaimFilter(**{f.field: sample(f)}), index=False)[0]
                   .compile(compile_kwargs={"literal_binds": True}))
        assert f"claims.{f.column}" in scan, scan
        assert f"claims.{f.column}" in sql or (f.column == "search" and FTS_TABLE in sql), sql
        s.count_claims(ClaimFilter(**{f.field: sample(f)}))  # and the database accepts it


def test_the_facets_are_the_filters_that_declare_one():
    assert set(FACET_FIELDS) == {"publisher", "grade", "source", "kind", "outcome", "verdict", "reviewer"}


def test_cli_options_and_export_args_round_trip_every_filter():
    flt = ClaimFilter(**{f.field: sample(f) for f in FILTERS if f.option})
    argv = ["export", *cli_args_for(flt)]
    assert filter_from_args(build_parser().parse_args(argv)) == flt
    # fields without an option are left out of the command line, not turned into something else
    assert cli_args_for(ClaimFilter(text_terms=["tehrik"], claim_ids=[3])) == []


@pytest.mark.parametrize("f", [f for f in FILTERS if f.field not in NO_WIDGET], ids=lambda f: f.field)
def test_every_filter_has_a_sidebar_widget(f):
    assert f.widget and f.key in panel_defaults()


def test_panel_values_make_the_filter():
    flt = from_panel({"kinds": ["date", "casualties"], "text": "  Tehreek ", "fig_min": 0.0,
                      "event_dates": [dt.date(2021, 1, 1), dt.date(2021, 2, 1)], "published": [dt.date(2020, 5, 5)]})
    assert flt == ClaimFilter(kinds=["casualties", "date"], text="Tehreek", figure_min=0.0,
                              date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 2, 1),
                              published_from=dt.date(2020, 5, 5))
    assert from_panel(panel_defaults()).is_empty()


def test_the_dashboard_draws_one_widget_per_panel_filter(sqlite_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.filters import WIDGET

    Store(sqlite_url).close()
    monkeypatch.setenv("CLAIMS_DB_URL", sqlite_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    finders = {"text": at.sidebar.text_input, "multiselect": at.sidebar.multiselect,
               "number": at.sidebar.number_input, "date_range": at.sidebar.date_input}
    for f in FILTERS:
        if f.widget:
            widget = finders[f.widget](key=WIDGET[f.key])
            assert widget.label == f.label


@pytest.mark.parametrize("bad, message", [
    (Filter("kinds", "choice", "kind", "in", "claim kind"), "needs choices"),
    (Filter("figure_min", "number", "fig_max", "in", "at least"), "op 'in' takes a list"),
    (Filter("x", "date", "published", "like", "x"), "op 'like'"),
    (Filter("x", "date", "published", ">=", "x", widget="multiselect", key="x", label="X"), "widget"),
])
def test_a_malformed_row_is_refused_naming_it(bad, message):
    with pytest.raises(ValueError, match=message):
        _check((bad,))
    with pytest.raises(ValueError, match="defined twice"):
        _check((FILTERS[0], FILTERS[0]))


def test_an_unknown_panel_name_is_refused_not_ignored():
    from claims.errors import BadInputError

    with pytest.raises(BadInputError, match="figure_min"):
        from_panel({"figure_min": 100.0})  # the widget is fig_min: a silent no-op would show every claim


@pytest.mark.parametrize("f", [f for f in FILTERS if f.widget], ids=lambda f: f.field)
def test_every_panel_filter_round_trips_through_the_dashboard_url(f):
    """Issue 14: a filtered view is a link: the panel's values go into the URL and come back unchanged."""
    from claims.filters import from_url, to_url, url_name

    v = sample(f)
    value = ("killed" if f.widget == "text" else v if f.widget in ("number", "multiselect")
             else [v, v + dt.timedelta(days=3)])  # a date range: both ends
    values = {**panel_defaults(), f.key: value}
    params = to_url(values)
    assert url_name(f) in params and all(isinstance(x, str) for xs in params.values() for x in xs)
    assert from_url(params) == (values, [])
    assert from_panel(from_url(params)[0]) == from_panel(values)


def test_the_url_names_are_the_cli_options_and_bad_values_are_named_not_applied():
    from claims.filters import from_url, to_url, url_names

    assert "kind" in url_names() and "published-from" in url_names() and "claim" not in url_names()
    values, refused = from_url({"kind": ["date", "nonsense"], "min": ["ten"], "max": ["-1"], "to": ["2021-01-01"],
                                "from": ["2021-13-01"], "grade": ["b"], "claim": ["7"]})
    assert values == {**panel_defaults(), "kinds": ["date"]}
    assert refused == ["grade=b", "kind=nonsense", "min=ten", "max=-1", "from=2021-13-01", "to=2021-01-01"]
    assert to_url(panel_defaults()) == {}


def test_grade_filter_and_facet_read_the_publishers_grade(sqlite_url):
    """Issue 14: "A-B sources only" -- claims whose publisher is graded A or B; ungraded ones match no grade."""
    from claims.model import Claim, DocumentIn, Kind

    text = "Officials said 12 people were killed."
    with Store(sqlite_url) as s:
        for pub in ("Alpha Wire", "Beta Post", "Gamma Daily", "Ungraded News"):
            s.add_document(DocumentIn(text=f"{pub}: {text}", publisher=pub),
                           [Claim(kind=Kind.CASUALTIES, start=0, end=3, quote=pub[:3], sentence=text, low=12,
                                  high=12, rule="test")], extractor_version="t")
        for pub, grade in (("Alpha Wire", "A"), ("Beta Post", "B"), ("Gamma Daily", "D")):
            s.set_publisher(pub, grade=grade)
        assert s.count_claims(ClaimFilter(grades=["A", "B"])) == 2
        assert {r.publisher for r in s.query_claims(ClaimFilter(grades=["A", "B"]))} == {"Alpha Wire", "Beta Post"}
        assert s.facet_counts(None, "grade") == {"A": 1, "B": 1, "D": 1}
        assert s.facets(ClaimFilter(grades=["D"]), ("grade", "publisher")) == {
            "grade": {"D": 1}, "publisher": {"Gamma Daily": 1}}
