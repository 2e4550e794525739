"""The store_queries bench's result check: what each filter change shows, saved before a change and compared after."""
from __future__ import annotations

import json

from bench import store_queries
from claims.store import Store
from testkit.corpus import fill


def test_check_passes_on_the_same_store_and_names_every_difference(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    with Store(url) as s:
        fill(s, claims=400, seed=0, review=True)
        shown = store_queries.results(s)
    assert set(shown) == set(store_queries.filters(Store(url)))
    assert shown["no filter"]["count"] == shown["no filter"]["total"] >= 400
    saved = tmp_path / "shown.json"
    assert store_queries.main(["--db", url, "--claims", "1", "--no-datasette", "--save", str(saved)]) == 0
    assert store_queries.main(["--db", url, "--claims", "1", "--no-datasette", "--check", str(saved)]) == 0
    assert "same results as" in capsys.readouterr().out
    changed = json.loads(saved.read_text())
    changed["smallest publisher"]["page"] = changed["smallest publisher"]["page"][1:]
    changed["no filter"]["facets"]["verdict"]["unreviewed"] += 1
    saved.write_text(json.dumps(changed))
    assert store_queries.main(["--db", url, "--claims", "1", "--no-datasette", "--check", str(saved)]) == 1
    out = capsys.readouterr().out
    assert "smallest publisher: page" in out and "no filter: facets" in out
    assert store_queries.differences(shown, shown) == []
