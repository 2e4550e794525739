"""The store_queries bench's result check (``--save`` / ``--check``), run as the docs quote it: ``python -m claims bench``."""
from __future__ import annotations

import json

from claims.cli import main
from claims.store import Store
from testkit.corpus import fill


def test_check_passes_on_the_same_store_and_names_every_difference(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    with Store(url) as s:
        fill(s, claims=400, seed=0, review=True)
    saved = tmp_path / "shown.json"
    args = ["bench", "store_queries", "--db", url, "--claims", "1", "--no-datasette"]
    assert main([*args, "--save", str(saved)]) == 0
    shown = json.loads(saved.read_text())
    assert len(shown) == 13 and shown["no filter"]["count"] == shown["no filter"]["total"] >= 400
    assert all(len(v["page"]) == min(50, v["count"]) for v in shown.values())
    assert main([*args, "--check", str(saved)]) == 0
    assert "same results as" in capsys.readouterr().out
    shown["smallest publisher"]["page"] = shown["smallest publisher"]["page"][1:]
    shown["no filter"]["facets"]["verdict"]["unreviewed"] += 1
    saved.write_text(json.dumps(shown))
    assert main([*args, "--check", str(saved)]) == 1
    out = capsys.readouterr().out
    assert "smallest publisher: page" in out and "no filter: facets" in out
