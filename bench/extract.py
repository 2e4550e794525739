"""Extraction speed: claims.extract over a >= 5 MB corpus, against dateparser's search_dates.

``python -m bench extract [--mb 5] [--sample-kb 64] [--texts PATH ...]``

Builds a corpus from the texts in seeds/ and the golden sentences in
tests/golden/extract.jsonl (documents shuffled with a fixed seed and repeated
until the corpus reaches ``--mb`` megabytes), runs :func:`claims.extract.extract`
over every document on one core and prints characters/s, words/s and claims/s.
The golden sentences are dense (every one states a figure); ``--texts`` takes
real news instead: ``.txt`` files, or ``.json`` documents with a ``text`` field
(the layout of an evaluation set's ``docs/``), each a document as written
(nothing is copied into the project). On the same documents (a sample of
``--sample-kb`` kilobytes, since dateparser is slow; its time is scaled per
character) it times ``dateparser.search.search_dates(text, languages=['en'])``
and prints how many times faster extraction is. Target (issue 16): >= 1.5 MB/s
of CPU time on real news, with the dateparser ratio reported alongside.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def read_texts(paths: list[str]) -> list[str]:
    """Return the documents under ``paths``: ``.txt`` files and ``.json`` objects with a ``text`` field."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix in (".txt", ".json") and f.is_file())
        elif p.is_file():
            files.append(p)
        else:
            raise SystemExit(f"--texts: no such file or directory: {raw}")
    docs = []
    for f in files:
        try:
            raw_text = f.read_text(encoding="utf-8")
            text = json.loads(raw_text).get("text") if f.suffix == ".json" else raw_text
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as e:
            raise SystemExit(f"--texts: cannot read {f}: {e}") from None
        if isinstance(text, str) and text.strip():
            docs.append(text)
    if not docs:
        raise SystemExit(f"--texts: no documents with text under {' '.join(paths)}")
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


def build_corpus(megabytes: float, *, seed: int = 7, texts: list[str] | None = None) -> list[str]:
    """Return documents totalling at least ``megabytes`` MB of text (shuffled repeats of the sources).

    ``texts`` (real documents) are used whole, one article each; the default sources are joined into articles.
    """
    base = texts if texts is not None else source_documents()
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    out, size = [], 0
    while size < target:
        batch = base[:]
        rng.shuffle(batch)
        for d in (batch if texts is not None else _articles(batch)):
            out.append(d)
            size += len(d)
            if size >= target:
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench extract", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in megabytes (default 5)")
    ap.add_argument("--sample-kb", type=float, default=64.0,
                    help="kilobytes of the same corpus given to dateparser (default 64)")
    ap.add_argument("--profile", action="store_true",
                    help="also profile one pass over the first megabyte and print how much of the time is "
                         "spent inside C string and regex methods, against the time per megabyte the "
                         "1.5 MB/s target allows")
    ap.add_argument("--texts", nargs="+", metavar="PATH",
                    help="real news to time instead of the seeds and golden sentences: .txt files, or .json "
                         "documents with a 'text' field, or directories of them (e.g. an eval set's docs/)")
    a = ap.parse_args(argv)

    from claims.extract import extract

    docs = build_corpus(a.mb, texts=read_texts(a.texts) if a.texts else None)
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
    t0, c0 = time.perf_counter(), time.process_time()
    for d in sample:
        search_dates(d, languages=["en"])
    dp_wall, dp_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    for d in sample:
        extract(d)
    ours_wall, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"dateparser.search.search_dates on a {size:,}-char sample of the same corpus: {dp_wall:.2f} s wall "
          f"({dp_cpu:.2f} s CPU), {size / dp_wall:,.0f} chars/s")
    print(f"extract on the same sample: {ours_wall:.3f} s wall ({ours_cpu:.3f} s CPU), {size / ours_wall:,.0f} chars/s")
    print(f"ratio on the sample: {dp_wall / ours_wall:.1f}x wall, {dp_cpu / max(ours_cpu, 1e-9):.1f}x CPU; "
          f"full-corpus extract rate vs dateparser's rate: {(chars / wall) / (size / dp_wall):.1f}x wall, "
          f"{(chars / cpu) / (size / max(dp_cpu, 1e-9)):.1f}x CPU")
    print(f"claims per 1,000 chars: {1000 * n_claims / chars:.1f} (extraction cost grows with claims, "
          f"dateparser's with characters)")
    mb_s = chars / cpu / 1e6
    ratio = (chars / cpu) / (size / max(dp_cpu, 1e-9))
    print(f"target on CPU time ({'real news from --texts' if a.texts else 'seeds and golden sentences'}): "
          f">= 1.5 MB/s {'met' if mb_s >= 1.5 else 'NOT met'} ({mb_s:.2f} MB/s); {ratio:.1f}x dateparser")
    if a.profile:
        _print_profile(docs, 1 / 1.5)  # CPU seconds per MB at the 1.5 MB/s target
    return 0


def _print_profile(docs: list[str], budget: float) -> None:
    """Profile extraction of the first megabyte; print the time inside C methods against ``budget`` s/MB."""
    import cProfile
    import pstats

    from claims.extract import extract

    part, size = [], 0
    for d in docs:
        if size >= 1_000_000:
            break
        part.append(d)
        size += len(d)
    prof = cProfile.Profile()
    prof.enable()
    for d in part:
        extract(d)
    prof.disable()
    stats = pstats.Stats(prof).stats  # {(file, line, name): (calls, ncalls, tottime, cumtime, callers)}
    regex = sum(v[2] for k, v in stats.items() if k[0] == "~" and ("re.Pattern" in k[2] or "re.Match" in k[2]))
    builtin = sum(v[2] for k, v in stats.items() if k[0] == "~")
    calls = sum(v[1] for k, v in stats.items() if k[0] == "~" and ("re.Pattern" in k[2] or "re.Match" in k[2]))
    total = sum(v[2] for v in stats.values())
    per_mb = 1e6 / size
    print(f"profile of {size:,} chars (profiling slows Python code more than C): {total * per_mb:.2f} s/MB in all; "
          f"inside regex methods {regex * per_mb:.2f} s/MB ({calls * per_mb:,.0f} calls/MB), inside all C "
          f"builtins {builtin * per_mb:.2f} s/MB; the 1.5 MB/s target allows {budget:.3f} s/MB of CPU")
