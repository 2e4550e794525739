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


def _code_files() -> list[Path]:
    return list((ROOT / "claims").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py"))


def _readme_settings(readme: str = README) -> dict[str, str]:
    """Return {name: default} from the README's settings table ("(empty)" is "")."""
    section = readme.split("\n## Settings\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(CLAIMS_[A-Z_]+)` \| ([^|]*) \|", section, flags=re.M)
    assert rows, "no settings table under '## Settings' in README.md"
    out = {}
    for name, default in rows:
        default = default.strip()
        out[name] = "" if default == "(empty)" else default.strip("`")
    return out


def test_every_setting_the_code_names_is_in_the_settings_table():
    from claims.settings import BY_NAME

    used = set()
    for path in _code_files():
        used |= set(re.findall(r"\bCLAIMS_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    missing = sorted(v for v in used if v not in BY_NAME)
    assert not missing, f"settings the code names but claims/settings.py does not define: {missing}"


def test_the_readme_settings_table_is_the_code_table_defaults_included():
    from claims.settings import SETTINGS

    assert _readme_settings() == {s.name: s.default for s in SETTINGS}
    for s in SETTINGS:
        assert s.help and s.help[0].isupper() and s.help.endswith(".")


def test_the_readme_check_reads_defaults():
    # the table parser itself must see a wrong default
    old = "\n## Settings\n\n| variable | default |\n|---|---|\n| `CLAIMS_ORG_NAME` | (empty) | the organisation |\n"
    assert _readme_settings(old) == {"CLAIMS_ORG_NAME": ""}
    assert _readme_settings()["CLAIMS_ORG_NAME"] == "Claims review desk"


def test_settings_are_read_through_the_table_only():
    # os.environ.get("CLAIMS_X") elsewhere would bypass the table's default and its blank-means-unset rule
    pattern = re.compile(r"(?:environ\.get|getenv)\(\s*[\"']CLAIMS_")
    offenders = [str(p.relative_to(ROOT)) for p in _code_files()
                 if p.name != "settings.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"read CLAIMS_* settings with claims.settings.setting(): {offenders}"


def test_every_setting_option_exists_on_the_command_line():
    from claims.settings import SETTINGS

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    options = {o for p in sub.choices.values() for a in p._actions for o in a.option_strings}
    missing = [s.option for s in SETTINGS if s.option and s.option not in options]
    assert not missing, f"settings name CLI options no command has: {missing}"
