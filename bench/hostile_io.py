"""Peak memory of ``verify`` and ``import`` on a zip bomb and on a large real export (issue 18 item 8).

``python -m bench hostile_io [--claims 200000] [--bomb-mb 4096] [--keep DIR]``

Fills a SQLite store with the synthetic corpus (with reviews) in a child
process, exports it as a bundle and as JSON, builds a zip bomb (a valid
bundle whose JSON member is padded with ``--bomb-mb`` MB of blanks, a few MB
compressed, manifest recomputed), then runs each of ``verify BUNDLE``,
``import BUNDLE`` and ``import JSON`` (into a fresh database) as its own
process under ``/usr/bin/time -v`` and prints wall seconds, peak RSS and the
exit code. The bomb runs with the default CLAIMS_MAX_UNZIPPED_MB (refused
after reading that much); the real export runs with CLAIMS_MAX_FILE_MB raised
to fit it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench import ROOT


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``cmd`` under /usr/bin/time -v; return (wall s, peak RSS MiB, exit code, last stderr line)."""
    t0 = time.perf_counter()
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
    rc = re.search(r"Exit status: (\d+)", res.stderr)
    said = [ln for ln in (res.stdout + res.stderr).splitlines()
            if ln.strip() and not ln.startswith("\t") and "Command being timed" not in ln]
    return wall, int(m.group(1)) / 1024 if m else float("nan"), int(rc.group(1)) if rc else res.returncode, \
        (said[-1][:110] if said else "")


def make_bomb(good: Path, bomb: Path, *, mb: int) -> None:
    """Write ``bomb``: ``good`` with its JSON member padded by ``mb`` MB of blanks, manifest recomputed."""
    from claims.export.bundle import JSON_NAME, MANIFEST

    with zipfile.ZipFile(good) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "manifest.sig"}
    manifest = json.loads(members[MANIFEST])
    head, tail = members[JSON_NAME].split(b'"claims": [', 1)
    h = hashlib.sha256()
    size = 0
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        with out.open(JSON_NAME, "w", force_zip64=True) as f:
            for part in (head + b'"claims": [',):
                f.write(part)
                h.update(part)
                size += len(part)
            block = b" " * (1 << 20)
            for _ in range(mb):
                f.write(block)
                h.update(block)
                size += len(block)
            f.write(tail)
            h.update(tail)
            size += len(tail)
        manifest["files"][JSON_NAME].update(sha256=h.hexdigest(), bytes=size)
        for n, data in members.items():
            if n not in (MANIFEST, JSON_NAME):
                out.writestr(n, data)
        out.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")


def main(argv: list[str]) -> int:
    """Build the inputs, run verify and import on each, and print their peak memory."""
    p = argparse.ArgumentParser(prog="python -m bench hostile_io", description=__doc__.split("\n\n")[0])
    p.add_argument("--claims", type=int, default=200_000, help="claims in the real export (default 200000)")
    p.add_argument("--bomb-mb", type=int, default=4096, help="decompressed size of the bomb's JSON (default 4096)")
    p.add_argument("--keep", help="work in this folder and keep it (default: a temp folder, deleted)")
    args = p.parse_args(argv)
    if not shutil.which("/usr/bin/time"):
        print("needs /usr/bin/time (apt-get install time)", file=sys.stderr)
        return 2
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="claims-bench-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    py = [sys.executable, "-m", "claims"]
    env = {**os.environ}
    env.pop("CLAIMS_BUNDLE_KEY", None)
    try:
        src = f"sqlite:///{work / 'src.db'}"
        bundle, export_json, bomb = work / "export.zip", work / "export.json", work / "bomb.zip"
        if not bundle.exists():
            print(f"filling {src} with {args.claims:,} synthetic claims…", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "bench", "corpus", "--claims", str(args.claims), "--db", src],
                           check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
            for fmt, out in (("bundle", bundle), ("json", export_json)):
                subprocess.run([*py, "export", "--format", fmt, "-o", str(out), "--db", src], check=True,
                               stdout=subprocess.DEVNULL, env=env)
        if not bomb.exists():
            make_bomb(bundle, bomb, mb=args.bomb_mb)
        big = {**env, "CLAIMS_MAX_FILE_MB": str(int(max(bundle.stat().st_size, export_json.stat().st_size)
                                                    / 2**20) + 10)}
        with zipfile.ZipFile(bundle) as z:
            unzipped = sum(i.file_size for i in z.infolist())
        runs = [
            ("verify", "bomb", [*py, "verify", str(bomb)], env),
            ("import", "bomb", [*py, "import", str(bomb), "--db", f"sqlite:///{work / 'bomb-target.db'}"], env),
            ("verify", "export bundle", [*py, "verify", str(bundle)], big),
            ("import", "export bundle", [*py, "import", str(bundle), "--db", f"sqlite:///{work / 't1.db'}"], big),
            ("import", "export JSON", [*py, "import", str(export_json), "--db", f"sqlite:///{work / 't2.db'}"], big),
        ]
        for f in work.glob("t*.db*"):
            f.unlink()
        (work / "bomb-target.db").unlink(missing_ok=True)
        print(f"inputs: bomb {bomb.stat().st_size / 2**20:.1f} MiB zipped -> {args.bomb_mb:,} MiB JSON; "
              f"export of {args.claims:,} claims: bundle {bundle.stat().st_size / 2**20:.1f} MiB "
              f"({unzipped / 2**20:.0f} MiB unzipped), JSON {export_json.stat().st_size / 2**20:.0f} MiB")
        print(f"{'command':<8}{'input':<15}{'wall s':>8}{'peak RSS MiB':>14}{'exit':>6}  last line")
        for cmd, what, argv_, e in runs:
            wall, rss, rc, said = _timed(argv_, e)
            print(f"{cmd:<8}{what:<15}{wall:>8.1f}{rss:>14.0f}{rc:>6}  {said}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0
