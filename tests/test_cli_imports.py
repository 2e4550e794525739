"""Building the CLI parser stays cheap: no database, dashboard or data-frame libraries at parse time."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

# numpy and rapidfuzz too: the eval scorer may run `python -m claims extract` with a bare interpreter.
HEAVY = ("sqlalchemy", "streamlit", "pandas", "trafilatura", "pyarrow", "numpy", "rapidfuzz")


def _loaded_after(code: str) -> list[str]:
    """Run code in a fresh interpreter and return which HEAVY packages it left in sys.modules."""
    probe = code + "\nimport json, sys\nprint(json.dumps([m for m in %r if m in sys.modules]))" % (HEAVY,)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_build_parser_imports_no_heavy_package():
    assert _loaded_after("import claims.cli\nclaims.cli.build_parser()") == []


def test_extract_command_imports_no_heavy_package(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Officials said 12 people were killed on Tuesday.", encoding="utf-8")
    code = ("import contextlib, io, claims.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    rc = claims.cli.main(['extract', {str(doc)!r}, '--json'])\n"
            "assert rc == 0 and 'killed' in out.getvalue(), (rc, out.getvalue())")
    assert _loaded_after(code) == []


@pytest.mark.parametrize("argv", [["list", "--order", "newest"], ["list", "--order", "figure"]])
def test_list_order_choices_still_match_the_store(argv):
    from claims.cli import build_parser
    from claims.store import ORDERS

    args = build_parser().parse_args(argv)
    assert args.order in ORDERS


def test_probe_sees_a_heavy_import():
    # the probe itself must be able to fail: importing the store pulls in SQLAlchemy
    assert "sqlalchemy" in _loaded_after("import claims.store")
