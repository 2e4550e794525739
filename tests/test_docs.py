"""The README documents every command and every setting the code reads."""
import re
from pathlib import Path

from claims.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```", 2)[1]
    assert "./dev serve" in first_block and "./dev test" in first_block


def test_every_command_is_in_the_readme_table():
    missing = [c for c in _commands() if f"| `{c}" not in README]
    assert not missing, f"commands missing from README's command table: {missing}"


def test_every_setting_the_code_reads_is_documented():
    used = set()
    for path in list((ROOT / "claims").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py")):
        used |= set(re.findall(r"\bCLAIMS_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    missing = sorted(v for v in used if f"`{v}`" not in README)
    assert not missing, f"settings missing from README's settings table: {missing}"
