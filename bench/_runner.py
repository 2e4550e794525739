"""Run every benchmark and write docs/benchmarks.md (``python -m bench`` / ``bench all``).

Each benchmark runs in its own process (so one's memory or imports do not
colour the next one's figures); its standard output is echoed and kept, its
standard error (progress) goes straight to the terminal. docs/benchmarks.md
holds one generated block per benchmark between ``<!-- bench:NAME -->``
markers, so ``bench all --only scale`` refreshes that section alone; text
outside the blocks (the analysis of missed targets) is left as written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"

INTRO = """# Benchmarks

Figures printed by `python -m bench` (each benchmark is a script, not
a timed test; run one with `python -m bench NAME`, `--help` for its
options). The sections between the `bench:` markers are rewritten by every
run; the rest of this file is written by hand.

"""


def full_args(name: str, tmp: Path) -> list[str]:
    """Return the arguments ``bench all`` gives a benchmark (the sizes the issue asks for)."""
    return {
        "ingest": ["--documents", "10000", "--dask", "2"],
        "grouping": ["--claims", "100000"],
        # its own store, never the user's default database
        "store_queries": ["--db", f"sqlite:///{tmp / 'store_queries.db'}", "--claims", "100000"],
        "dashboard": ["--claims", "100000"],
        "scale": ["--claims", "1000000"],
    }.get(name, [])


def quick_args(name: str, tmp: Path) -> list[str]:
    """Return small sizes for a dry run of the whole suite (minutes, not the real figures)."""
    return {
        "extract": ["--mb", "0.3", "--sample-kb", "8"],
        "ingest": ["--documents", "200"],
        "stress": ["--writes", "20"],
        "grouping": ["--claims", "5000"],
        "store_queries": ["--db", f"sqlite:///{tmp / 'store_queries.db'}", "--claims", "3000", "--no-reviews"],
        "dashboard": ["--claims", "3000"],
        "scale": ["--claims", "20000", "--cache", str(tmp / "scale-cache"), "--budget", "0.3", "--writes", "50"],
    }.get(name, [])


def _read(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> list[tuple[str, str]]:
    """Return (what, value) rows describing this machine and the software versions."""
    from testkit import pg as pgkit

    mem_kb = _read("/proc/meminfo", "MemTotal").split()
    pg = ""
    postgres = pgkit.pg_bin("postgres")
    if postgres:
        try:
            pg = subprocess.run([postgres, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            pg = ""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=30).stdout.strip()
    except OSError:
        commit = ""
    import sqlalchemy

    return [
        ("CPU", _read("/proc/cpuinfo", "model name") or platform.processor() or "?"),
        ("cores", str(os.cpu_count())),
        ("memory", f"{int(mem_kb[0]) / 1048576:.1f} GiB" if mem_kb else "?"),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", pg or "not installed"),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("commit", commit or "?"),
    ]


def run_one(name: str, args: list[str]) -> tuple[int, str, float, tuple[float, float]]:
    """Run ``python -m bench NAME ARGS``; echo and return (exit code, stdout, seconds, load before/after)."""
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    from bench import child_env

    proc = subprocess.Popen([sys.executable, "-m", "bench", name, *args], cwd=os.getcwd(),
                            stdout=subprocess.PIPE, text=True, env=child_env(PYTHONUNBUFFERED="1"))
    out = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        out.append(line)
    code = proc.wait()
    return code, "".join(out), time.perf_counter() - t0, (load0, os.getloadavg()[0])


def section(name: str, args: list[str], code: int, output: str, seconds: float, load: tuple[float, float]) -> str:
    """Return the Markdown block for one benchmark's run."""
    import importlib

    try:
        doc = (importlib.import_module(f"bench.{name}").__doc__ or "").strip().split("\n")[0]
    except Exception as e:  # a broken module still gets its section, saying so
        doc = f"(cannot import: {e})"
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = " ".join(["python -m bench", name, *args])
    head = [f"## {name}", "", doc, "",
            f"`{cmd}` -- finished {when}, {seconds:,.0f} s, exit code {code}, "
            f"load average {load[0]:.1f} before / {load[1]:.1f} after (the machine has {os.cpu_count()} cores).", ""]
    body = output.strip()
    if not re.search(r"^\|[-| ]+\|$", body, re.M):
        body = "```text\n" + body + "\n```"
    return "\n".join(head) + "\n" + body + "\n"


def replace_block(text: str, key: str, content: str) -> str:
    """Put ``content`` between the ``<!-- bench:KEY -->`` markers of ``text`` (appended when absent)."""
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{begin}\n{content.rstrip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + "\n\n" + block + "\n"


def run_all(argv: list[str]) -> int:
    """Run every benchmark (or some) and write their output to docs/benchmarks.md."""
    from bench import ALL_ORDER, ALL_SKIP, available

    names = available()
    p = argparse.ArgumentParser(prog="python -m bench all", description=__doc__.split("\n\n")[0])
    p.add_argument("--only", action="append", choices=names, metavar="NAME", help="run only NAME (repeatable)")
    p.add_argument("--skip", action="append", choices=names, metavar="NAME", help="do not run NAME (repeatable)")
    p.add_argument("--quick", action="store_true",
                   help="small sizes for a dry run; writes nothing unless --out is given")
    p.add_argument("--out", help=f"Markdown file to write (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = p.parse_args(argv)
    order = [n for n in ALL_ORDER if n in names] + [n for n in names if n not in ALL_ORDER]
    if args.only:
        order = [n for n in order if n in args.only]
    else:
        order = [n for n in order if n not in ALL_SKIP]
    order = [n for n in order if n not in (args.skip or [])]
    out = Path(args.out) if args.out else (None if args.quick else DEFAULT_OUT)
    failed = []
    with tempfile.TemporaryDirectory(prefix="claims-bench-all-") as tmp:
        os.chmod(tmp, 0o755)  # a PostgreSQL cluster kept inside runs as the postgres user
        blocks: dict[str, str] = {}
        for name in order:
            bargs = (quick_args if args.quick else full_args)(name, Path(tmp))
            print(f"\n===== bench {name} {' '.join(bargs)}", flush=True)
            code, text, seconds, load = run_one(name, bargs)
            if code:
                failed.append(name)
            blocks[name] = section(name, bargs, code, text, seconds, load)
    if out is not None:
        text = out.read_text(encoding="utf-8") if out.exists() else INTRO
        rows = machine()
        mtable = "\n".join(["## Machine", "", "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows])
        mtable += ("\n\nThe machine is shared with other jobs: each section gives the load average before and "
                   "after it ran, and wall times above CPU times mean waiting for a core.\n")
        text = replace_block(text, "machine", mtable)
        for name in order:
            text = replace_block(text, name, blocks[name])
        skipped = "\n".join(f"- `{n}`: {why}" for n, why in ALL_SKIP.items() if n in names)
        if skipped and not args.only:
            text = replace_block(text, "skipped", "## Not run on their own\n\n" + skipped)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"\nwrote {out}")
    if failed:
        print(f"benchmarks that exited non-zero: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0
