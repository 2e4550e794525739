"""Extraction speed: claims.extract over a >= 5 MB corpus, against dateparser's search_dates.

``python -m claims bench extract [--mb 5] [--sample-kb 64]``

Builds a corpus from the texts in seeds/ and the golden sentences in
tests/golden/extract.jsonl (documents shuffled with a fixed seed and repeated
until the corpus reaches ``--mb`` megabytes), runs :func:`claims.extract.extract`
over every document on one core and prints characters/s, words/s and claims/s.
On the same documents (a sample of ``--sample-kb`` kilobytes, since dateparser
is slow; its time is scaled per character) it times
``dateparser.search.search_dates(text, languages=['en'])`` and prints how many
times faster extraction is. Targets: >= 1 MB/s and >= 50x dateparser.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def source_documents() -> list[str]:
    """Return the seed articles and golden sentences the corpus is built from."""
    docs = []
    for p in sorted((ROOT / "seeds").rglob("*.txt")):
        docs.append(p.read_text(encoding="utf-8"))
    golden = ROOT / "tests" / "golden" / "extract.jsonl"
    if golden.exists():
        sentences = [json.loads(line)["text"] for line in golden.read_text(encoding="utf-8").splitlines()
                     if line.strip()]
        # group golden sentences into short articles of a few paragraphs
        for i in range(0, len(sentences), 6):
            docs.append("\n\n".join(sentences[i:i + 6]))
    if not docs:
        raise SystemExit("no seed texts found under seeds/")
    return docs


def _articles(pieces: list[str], size: int = 4000) -> list[str]:
    """Join short pieces into articles of about ``size`` characters (a typical news article)."""
    out, cur, n = [], [], 0
    for p in pieces:
        cur.append(p)
        n += len(p)
        if n >= size:
            out.append("\n\n".join(cur))
            cur, n = [], 0
    if cur:
        out.append("\n\n".join(cur))
    return out


def build_corpus(megabytes: float, *, seed: int = 7) -> list[str]:
    """Return documents totalling at least ``megabytes`` MB of text (shuffled repeats of the sources)."""
    base = source_documents()
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    out, size = [], 0
    while size < target:
        batch = base[:]
        rng.shuffle(batch)
        for d in _articles(batch):
            out.append(d)
            size += len(d)
            if size >= target:
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m claims bench extract", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in megabytes (default 5)")
    ap.add_argument("--sample-kb", type=float, default=64.0,
                    help="kilobytes of the same corpus given to dateparser (default 64)")
    a = ap.parse_args(argv)

    from claims.extract import extract

    docs = build_corpus(a.mb)
    chars = sum(len(d) for d in docs)
    words = sum(len(d.split()) for d in docs)
    extract("warm-up: 3 people were killed on Monday.")  # lexicons and regexes compile once
    t0, c0 = time.perf_counter(), time.process_time()
    n_claims = 0
    for d in docs:
        n_claims += len(extract(d))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"corpus: {len(docs)} documents, {chars:,} chars, {words:,} words ({chars / 1e6:.2f} MB)")
    print(f"extract: {wall:.2f} s wall ({cpu:.2f} s CPU), {chars / wall / 1e6:.2f} MB/s, "
          f"{chars / wall:,.0f} chars/s, {words / wall:,.0f} words/s, {n_claims / wall:,.0f} claims/s "
          f"({n_claims:,} claims)")

    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser: not installed, no comparison")
        return 0
    sample, size = [], 0
    for d in docs:
        if size >= a.sample_kb * 1000:
            break
        sample.append(d)
        size += len(d)
    search_dates("warm-up on Monday", languages=["en"])
    t0 = time.perf_counter()
    for d in sample:
        search_dates(d, languages=["en"])
    dp_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in sample:
        extract(d)
    ours = time.perf_counter() - t0
    dp_rate = size / dp_wall
    ours_rate = size / ours
    print(f"dateparser.search.search_dates on a {size:,}-char sample: {dp_wall:.2f} s, {dp_rate:,.0f} chars/s "
          f"(extract on the same sample: {ours:.3f} s, {ours_rate:,.0f} chars/s)")
    print(f"ratio: extract is {ours_rate / dp_rate:.0f}x dateparser on the sample; "
          f"{(chars / wall) / dp_rate:.0f}x against the full-corpus extract rate")
    ok = chars / wall >= 1e6 and (chars / wall) / dp_rate >= 50
    print(f"targets (>= 1 MB/s, >= 50x dateparser): {'met' if ok else 'NOT met'}")
    return 0
