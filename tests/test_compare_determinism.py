"""Grouping gives the same groups in every process: nothing may depend on Python's string-hash order."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import json
from testkit.corpus import synthetic_records
from claims.compare import group_claims
groups = group_claims(synthetic_records(claims=30000, seed=1))
print(json.dumps([[r.id for r in g] for g in groups]))
"""


def _groups(hash_seed: str) -> list[list[int]]:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout)


@pytest.mark.slow  # four 30,000-claim groupings in fresh processes (~96 s); `./dev test` still runs it
def test_groups_do_not_depend_on_the_hash_seed():
    # Sets of names iterate in hash order, which changes with PYTHONHASHSEED (random by default);
    # float sums taken in that order once made tied scores fall differently and regroup claims.
    runs = [_groups(seed) for seed in ("1", "2", "3", "4")]
    assert len(runs[0]) > 100
    for other in runs[1:]:
        assert other == runs[0]



_LABEL = """
import datetime as dt
from claims.compare.grouping import group_label
from claims.model import Claim, ClaimRecord, Kind, Outcome
text = "Gunmen attacked a convoy near the mosque and the market in Varrow, killing 12 people."
members = []
for i, quote in enumerate(["12 people", "12 people"]):
    c = Claim(kind=Kind("casualties"), start=text.index(quote), end=text.index(quote) + len(quote), quote=quote,
              sentence=text, low=12, high=12, outcome=Outcome("killed"), subject="people", rule="test")
    members.append(ClaimRecord(id=i + 1, document_id=i + 1, fingerprint=f"f{i}", extractor_version="test", claim=c,
                               title="Invented", publisher=f"Outlet {i}", published=dt.date(2033, 9, 14),
                               filename=f"d{i}.txt"))
print(group_label(members))
"""


def test_group_label_does_not_depend_on_the_hash_seed():
    """Sites named equally often in a group ('convoy', 'mosque', 'market') once gave the label in hash order."""
    def label(hash_seed: str) -> str:
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        return subprocess.run([sys.executable, "-c", _LABEL], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True, timeout=120).stdout.strip()

    labels = {label(str(seed)) for seed in range(8)}
    assert len(labels) == 1, labels
    assert "convoy" in labels.pop()   # ties go in sorted order
