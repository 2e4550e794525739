"""The CLI stays on top: building its parser is cheap, and nothing in the library or dashboard imports it."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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


# ---------------------------------------------------------------- layering: the CLI sits on top of the library
ROOT = Path(__file__).resolve().parent.parent
CLI_PACKAGE = ROOT / "claims" / "cli"


def _imports_of(path: Path) -> set[str]:
    """Return every module name ``path`` imports (at any depth: function-level imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from claims import cli` names the package as an imported attribute
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value))
    return found


def _is_cli(module: str) -> bool:
    return module == "claims.cli" or module.startswith("claims.cli.")


def _library_and_dashboard_files() -> list[Path]:
    files = [p for p in (ROOT / "claims").rglob("*.py") if CLI_PACKAGE not in p.parents
             and p != ROOT / "claims" / "__main__.py"]
    return files + sorted((ROOT / "dashboard").rglob("*.py"))


@pytest.mark.parametrize("path", _library_and_dashboard_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_the_cli_imports_it(path):
    bad = sorted(m for m in _imports_of(path) if _is_cli(m))
    assert not bad, f"{path.relative_to(ROOT)} imports the command line ({', '.join(bad)}): " \
                    "move what it needs into the library"


def test_the_layering_check_sees_a_cli_import(tmp_path):
    # the check itself must be able to fail, whichever import form a module uses
    for code in ("from claims.cli.common import print_table", "from claims import cli",
                 "import claims.cli", "def f():\n    from claims.cli import main"):
        probe = tmp_path / "probe.py"
        probe.write_text(code + "\n", encoding="utf-8")
        assert any(_is_cli(m) for m in _imports_of(probe)), code


def test_the_cli_is_a_package_and_the_old_command_modules_are_gone():
    assert (CLI_PACKAGE / "__init__.py").is_file()
    assert not (ROOT / "claims" / "cli.py").exists()
    leftovers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "claims").rglob("commands.py"))
    assert not leftovers, f"command modules inside library packages: {leftovers} (they belong in claims/cli/)"


@pytest.mark.parametrize("path", _library_and_dashboard_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shipped_code_needs_no_benchmark_or_test_support(path):
    bad = sorted(m for m in _imports_of(path) if m.split(".")[0] in ("bench", "testkit", "tests"))
    assert not bad, f"{path.relative_to(ROOT)} imports {', '.join(bad)}: benchmarks and test support are not shipped"


@pytest.mark.parametrize("path", sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "testkit").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_tests_and_testkit_never_import_the_benchmarks(path):
    """What tests and benchmarks share lives in testkit/: a benchmark script is never test support."""
    bad = sorted(m for m in _imports_of(path) if m.split(".")[0] == "bench")
    assert not bad, f"{path.relative_to(ROOT)} imports {', '.join(bad)}: move the shared part to testkit/"


def test_benchmarks_live_outside_the_package():
    assert not (ROOT / "claims" / "bench").exists() and not (ROOT / "dashboard" / "bench_review.py").exists()
    assert (ROOT / "bench" / "__main__.py").is_file() and (ROOT / "testkit" / "pg.py").is_file()
