"""Extraction cost of hostile number runs against prose, per 100 KB (issue 18 item 15).

``python -m bench number_runs`` times ``extract`` on one core over 100 KB
of prose and of texts made of bare numbers ("1 1 1 ...", "1, 1, ...", digits with
combining marks, digits between letters-free punctuation) and prints seconds
per 100 KB and the ratio to prose. Each number in a run used to cost as much as
a number in prose (every rule tried on it), so runs were 5-8x slower than prose
per character; a count with no word within reach of any rule now skips the
rules, which bounds the cost per number.
"""
from __future__ import annotations

import argparse
import time

from claims.extract import extract

SIZE = 100_000
CASES = {
    "prose": "Police said 5 people were killed in the blast on Monday, and 12 others were injured. ",
    "ones": "1 ",
    "commas": "1, ",
    "combining": "1\u0301 ",
    "mixed digits": "12 7 3,400 9.5 ",
    "dashes": "1-2 ",
}


def _time(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        extract(text)
        best = min(best, time.process_time() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench number_runs", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per text; the fastest counts (default 3)")
    a = ap.parse_args(argv)
    base = None
    print(f"extract on {SIZE // 1000} KB of each text, CPU seconds (best of {a.repeat}):")
    for name, unit in CASES.items():
        text = (unit * (SIZE // len(unit) + 1))[:SIZE]
        s = _time(text, a.repeat)
        base = s if base is None else base
        print(f"  {name:13s} {s:6.3f} s per 100 KB  ({s / base:4.1f}x prose)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
