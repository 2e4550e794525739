"""Ingestion: read text, Markdown, HTML, JSON and JSONL files, extract their claims and store them.

Documents are stored several to a transaction (``BATCH_DOCUMENTS``), each
whole: a killed run leaves every document with all its claims or none, and
a document the store refuses is retried alone, so it leaves nothing behind
and the rest go on. The same text ingested twice is
one document (content hash). Metadata comes, strongest first, from explicit
options (``--publisher``, ``--published``, ``--url``, ``--title``), then the
record itself (JSON/JSONL fields) or a ``NAME.meta.json`` sidecar next to a
text file, then what trafilatura finds in an HTML page.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.errors import BadInputError, ClaimsError
from claims.model import Claim, DocumentIn
from claims.settings import max_file_bytes
from claims.store import ReextractReport, Store, StoredDocument

TEXT_EXTENSIONS = (".txt", ".md")
HTML_EXTENSIONS = (".html", ".htm")
JSON_EXTENSIONS = (".json", ".jsonl")
EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSON_EXTENSIONS
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_MAX_BYTES = 1 << 20  # metadata is a few fields
META_FIELDS = ("title", "url", "publisher", "published", "fictional")
# documents per write transaction: one commit (and one SQLite write lock) per batch instead of per document, while
# a reviewer saving meanwhile waits for at most one batch; a batch also closes at BATCH_CLAIMS claims
BATCH_DOCUMENTS = 50
BATCH_CLAIMS = 5000


# ---------------------------------------------------------------- report
@dataclass(slots=True)
class IngestFailure:
    """A file or record that could not be ingested, and why."""

    source: str   # file name, with ":LINE" for JSONL and "[i]" for a JSON list item
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(slots=True)
class IngestedDoc:
    """A document the run stored (or found already stored)."""

    source: str
    document_id: int
    claims: int
    previous_id: int | None = None   # a new version of this stored document (the article changed)
    carried: int = 0                 # reviews taken over from the previous version's unchanged claims


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did: stored, new versions, unchanged, re-extracted, skipped and failed documents."""

    ingested: list[IngestedDoc] = field(default_factory=list)
    updated: list[IngestedDoc] = field(default_factory=list)   # changed articles stored as new versions
    unchanged: list[IngestedDoc] = field(default_factory=list)
    appeared: list[IngestedDoc] = field(default_factory=list)     # stored text seen under a new publisher/url/date
    reextracted: list[ReextractReport] = field(default_factory=list)
    skipped: list[IngestFailure] = field(default_factory=list)   # files in folders we do not read
    failed: list[IngestFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def orphaned(self) -> list[int]:
        return [i for r in self.reextracted for i in r.orphaned]

    def summary(self) -> str:
        """Return a human summary: counts, then one line per failure and orphaned review."""
        parts = [f"{len(self.ingested)} ingested ({sum(d.claims for d in self.ingested)} claims)"]
        if self.updated:
            parts.append(f"{len(self.updated)} new versions of changed articles "
                         f"(reviews carried over {sum(d.carried for d in self.updated)})")
        parts.append(f"{len(self.unchanged)} unchanged")
        if self.appeared:
            parts.append(f"{len(self.appeared)} already stored, recorded as another appearance "
                         f"(document {', '.join(str(d.document_id) for d in self.appeared)})")
        if self.reextracted:
            kept = sum(r.kept for r in self.reextracted)
            added = sum(r.added for r in self.reextracted)
            removed = sum(r.removed for r in self.reextracted)
            parts.append(f"{len(self.reextracted)} re-extracted (claims kept {kept}, added {added}, "
                         f"removed {removed}, orphaned reviews {len(self.orphaned)})")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        parts.append(f"{len(self.failed)} failed")
        lines = [", ".join(parts)]
        lines += [f"  skipped {s}" for s in self.skipped]
        lines += [f"  FAILED {f}" for f in self.failed]
        lines += [f"  {d.source}: changed since document {d.previous_id}, stored as document {d.document_id}"
                  for d in self.updated]
        for r in self.reextracted:
            if r.orphaned:
                lines.append(f"  document {r.document_id}: reviewed claims no longer extracted, kept and flagged "
                             f"orphaned: {', '.join(map(str, r.orphaned))}")
        return "\n".join(lines)

    def extend(self, other: "IngestReport") -> "IngestReport":
        """Add another run's outcomes to this report; return it."""
        for name in self.__slots__:
            getattr(self, name).extend(getattr(other, name))
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": [vars_of(d) for d in self.ingested], "updated": [vars_of(d) for d in self.updated],
            "unchanged": [vars_of(d) for d in self.unchanged], "appeared": [vars_of(d) for d in self.appeared],
            "reextracted": [r.to_dict() for r in self.reextracted],
            "skipped": [vars_of(s) for s in self.skipped], "failed": [vars_of(f) for f in self.failed],
        }


def vars_of(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}


# ---------------------------------------------------------------- parsing
def parse_published(value: Any, *, source: str = "published") -> dt.date | None:
    """Return the date in an ISO date or datetime value (None for empty); raise BadInputError naming ``source``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise BadInputError(f"{source}: published must be a date YYYY-MM-DD, got {value!r}")
    s = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return dt.date.fromisoformat(s)
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadInputError(f"{source}: published is not a date (want YYYY-MM-DD), got {value!r}") from None


def _meta_str(meta: dict[str, Any], key: str, source: str) -> str | None:
    v = meta.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise BadInputError(f"{source}: {key} must be text, got {v!r}")
    return v.strip() or None


def document_from_record(rec: Any, *, source: str, filename: str | None) -> DocumentIn:
    """Build a DocumentIn from a JSON object with ``text`` and optional title, url, publisher, published."""
    if not isinstance(rec, dict):
        raise BadInputError(f"{source}: want a JSON object with a \"text\" field, got {type(rec).__name__}")
    if "text" not in rec:
        raise BadInputError(f"{source}: JSON object has no \"text\" field")
    text = rec["text"]
    if not isinstance(text, str):
        raise BadInputError(f"{source}: \"text\" must be a string, got {type(text).__name__}")
    _check_text(text, source)
    return DocumentIn(text=text, title=_meta_str(rec, "title", source), url=_meta_str(rec, "url", source),
                      publisher=_meta_str(rec, "publisher", source),
                      published=parse_published(rec.get("published"), source=source), filename=filename,
                      fictional=bool(_meta_bool(rec, "fictional", source)))


def _check_text(text: str, source: str) -> None:
    if not text.strip():
        raise BadInputError(f"{source}: empty (no text)")
    if "\x00" in text:
        raise BadInputError(f"{source}: binary data (NUL characters) in the text")


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise BadInputError(f"{source}: empty file")
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):  # before UTF-16: FF FE starts both BOMs
        raise BadInputError(f"{source}: UTF-32 text, not UTF-8; convert it to UTF-8")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadInputError(f"{source}: UTF-16 text, not UTF-8; convert it to UTF-8")
    if b"\x00" in data:
        raise BadInputError(f"{source}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInputError(f"{source}: not UTF-8 text (invalid byte {data[e.start:e.start + 1]!r} "
                            f"at offset {e.start}); convert it to UTF-8") from None
    if not text.strip():  # only separators or other Unicode white space ("\x1c", "\u2028")
        raise BadInputError(f"{source}: empty file (only white space)")
    return text


def title_from_text(text: str) -> str | None:
    """Return a text's first non-empty line (a Markdown heading's text) as its title, at most 200 characters."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return None


def read_html(data: bytes, source: str) -> DocumentIn:
    """Return the main text of an HTML file with its title, author, date, site name and address (trafilatura)."""
    from claims.pages import html_article

    return html_article(_decode(data, source), source=source)


def read_upload(name: str, data: bytes) -> list[DocumentIn]:
    """Parse an uploaded file's bytes by its extension into documents (raise BadInputError naming the file)."""
    name = Path(name or "upload").name
    ext = _extension(name)
    if len(data) > max_file_bytes():
        raise BadInputError(f"{name}: {len(data) / 1048576:.1f} MB is over the {max_file_bytes() / 1048576:g} MB "
                            "limit (CLAIMS_MAX_FILE_MB)")
    if ext in TEXT_EXTENSIONS:
        text = _decode(data, name)
        return [DocumentIn(text=text, title=title_from_text(text) if ext == ".md" else None, filename=name)]
    if ext in HTML_EXTENSIONS:
        doc = read_html(data, name)
        doc.filename = name
        return [doc]
    if ext == ".json":
        return [d for d in _json_docs(_decode(data, name), name)]
    if ext == ".jsonl":
        out = []
        for item in _jsonl_docs(iter(_decode(data, name).splitlines(keepends=True)), name):
            if isinstance(item, IngestFailure):
                raise BadInputError(str(item))
            out.append(item)
        if not out:
            raise BadInputError(f"{name}: no JSON lines")
        return out
    raise BadInputError(f"{name}: unknown file type {ext or '(no extension)'!r} "
                        f"(want {', '.join(EXTENSIONS)})")


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def _json_docs(text: str, source: str) -> list[DocumentIn]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputError(f"{source}:{e.lineno}: malformed JSON ({e.msg}, column {e.colno})") from None
    except RecursionError:  # "[[[[..." deeper than the interpreter allows
        raise BadInputError(f"{source}: malformed JSON (nested too deeply)") from None
    name = Path(source).name
    if isinstance(data, list):
        if not data:
            raise BadInputError(f"{source}: empty JSON list")
        return [document_from_record(rec, source=f"{source}[{i}]", filename=f"{name}[{i}]")
                for i, rec in enumerate(data)]
    return [document_from_record(data, source=source, filename=name)]


def _jsonl_docs(lines: Iterator[str], source: str) -> Iterator[DocumentIn | IngestFailure]:
    """Yield a document or a failure per non-blank line; a bad line does not stop the others."""
    name = Path(source).name
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield IngestFailure(where, f"malformed JSON line ({e.msg}, column {e.colno})")
            continue
        except RecursionError:
            yield IngestFailure(where, "malformed JSON line (nested too deeply)")
            continue
        try:
            yield document_from_record(rec, source=where, filename=f"{name}:{lineno}")
        except BadInputError as e:
            yield IngestFailure(where, str(e).removeprefix(where + ": "))


def read_sidecar(path: Path) -> dict[str, Any]:
    """Return the metadata in the ``NAME.meta.json`` next to ``path`` ({} when there is none)."""
    candidates = [path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)]
    for meta_path in candidates:
        if meta_path.is_file():
            try:
                with meta_path.open("rb") as fh:
                    raw = fh.read(SIDECAR_MAX_BYTES + 1)
                if len(raw) > SIDECAR_MAX_BYTES:
                    raise BadInputError(f"{meta_path}: metadata over {SIDECAR_MAX_BYTES >> 20} MB")
                meta = json.loads(raw.decode("utf-8-sig"))
            except (OSError, UnicodeDecodeError) as e:
                raise BadInputError(f"{meta_path}: cannot read metadata ({e})") from None
            except json.JSONDecodeError as e:
                raise BadInputError(f"{meta_path}:{e.lineno}: malformed JSON ({e.msg})") from None
            except RecursionError:
                raise BadInputError(f"{meta_path}: malformed JSON (nested too deeply)") from None
            if not isinstance(meta, dict):
                raise BadInputError(f"{meta_path}: metadata must be a JSON object")
            src = str(meta_path)
            return {"title": _meta_str(meta, "title", src), "url": _meta_str(meta, "url", src),
                    "publisher": _meta_str(meta, "publisher", src),
                    "published": parse_published(meta.get("published"), source=src),
                    "fictional": _meta_bool(meta, "fictional", src)}
    return {}


def _meta_bool(rec: dict[str, Any], key: str, source: str) -> bool | None:
    v = rec.get(key)
    if v is None or isinstance(v, bool):
        return v
    raise BadInputError(f"{source}: {key} must be true or false, got {v!r}")


# ---------------------------------------------------------------- files
def expand_paths(paths: Iterable[str | Path], report: IngestReport) -> list[Path]:
    """Return the files to read under ``paths`` (folders recursively, sorted); record missing paths and skips."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                files = sorted(f for f in p.rglob("*") if not f.is_dir())
            except OSError as e:
                report.failed.append(IngestFailure(str(p), f"cannot read folder ({e.strerror or e})"))
                continue
            for f in files:
                if f.name.endswith(SIDECAR_SUFFIX) or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if not f.is_file():  # say why it was left out: a dangling symlink, a FIFO, a device
                    what = "a dangling symlink" if f.is_symlink() and not f.exists() else "not a regular file"
                    report.skipped.append(IngestFailure(str(f), what))
                    continue
                if _extension(f.name) not in EXTENSIONS:
                    report.skipped.append(IngestFailure(str(f), f"not a supported file type "
                                                                f"({', '.join(EXTENSIONS)})"))
                    continue
                if f.resolve() not in seen:
                    seen.add(f.resolve())
                    out.append(f)
        elif p.exists() or p.is_symlink():
            if p.name.endswith(SIDECAR_SUFFIX):
                continue  # metadata, read with its text file
            if _extension(p.name) not in EXTENSIONS:
                report.failed.append(IngestFailure(str(p), f"unknown file type {_extension(p.name) or '(none)'!r} "
                                                           f"(want {', '.join(EXTENSIONS)})"))
                continue
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
        else:
            report.failed.append(IngestFailure(str(p), "no such file or folder"))
    return out


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BadInputError(f"{path}: cannot read ({e.strerror or e})") from None
    if size > limit:
        raise BadInputError(f"{path}: {size / 1048576:.1f} MB is over the {limit / 1048576:g} MB limit "
                            "(raise CLAIMS_MAX_FILE_MB, or split it into JSONL, which is read line by line)")
    try:
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as e:
        raise BadInputError(f"{path}: cannot read ({e.strerror or e})") from None


def _check_regular(path: Path) -> None:
    """Refuse anything but a regular file (a FIFO would block the run, /dev/zero never ends)."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise BadInputError(f"{path}: a dangling symlink (its target does not exist)") from None
        raise BadInputError(f"{path}: no such file") from None
    except OSError as e:
        raise BadInputError(f"{path}: cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError(f"{path}: not a regular file (a FIFO, device or socket cannot be ingested)")


def iter_file_documents(path: Path) -> Iterator[DocumentIn | IngestFailure]:
    """Yield the documents in one file (or failures for its bad records); raise BadInputError if unusable."""
    from claims.jsonstream import iter_lines

    source = str(path)
    ext = _extension(path.name)
    limit = max_file_bytes()
    _check_regular(path)
    if ext == ".jsonl":
        # read line by line, each line bounded, so a big JSONL file needs memory for one record at a time
        try:
            fh = path.open("rb")
        except OSError as e:
            raise BadInputError(f"{path}: cannot read ({e.strerror or e})") from None
        with fh:
            any_line = False
            for item in _jsonl_docs((line for _, line in iter_lines(fh, source, limit=limit)), source):
                any_line = True
                yield item
            if not any_line:
                raise BadInputError(f"{path}: empty file")
        return
    data = _read_bytes(path, limit)
    if ext == ".json":
        yield from _json_docs(_decode(data, source), source)
        return
    if ext in HTML_EXTENSIONS:
        doc = read_html(data, source)
    else:
        text = _decode(data, source)
        doc = DocumentIn(text=text, title=title_from_text(text) if ext == ".md" else None)
    doc.filename = path.name
    side = read_sidecar(path)
    for k in META_FIELDS:
        if side.get(k) is not None:
            setattr(doc, k, side[k])
    yield doc


# ---------------------------------------------------------------- storing
def _apply_overrides(doc: DocumentIn, *, title: str | None, url: str | None, publisher: str | None,
                     published: dt.date | None) -> DocumentIn:
    # explicit options win over file metadata: the user said so for this run
    if title:
        doc.title = title
    if url:
        doc.url = url
    if publisher:
        doc.publisher = publisher
    if published:
        doc.published = published
    return doc


def store_document(store: Store, doc: DocumentIn, *, source: str, report: IngestReport,
                   added_by: str | None = None) -> None:
    """Extract and store one document (recording ``added_by`` as who added it) and note the outcome in ``report``.

    Never raises for bad input: failures are listed in ``report.failed``.
    """
    store_batch(store, [(source, doc)], report=report, added_by=added_by)


def store_batch(store: Store, items: list[tuple[str, DocumentIn]], *, report: IngestReport,
                added_by: str | None = None) -> None:
    """Extract and store ``(source, document)`` pairs, several per transaction; note each outcome in ``report``.

    A transaction holds whole documents only, so a killed run leaves each
    document with all its claims or none; a document that fails is retried
    alone and leaves nothing behind. Never raises for bad input.
    """
    todo = new_documents(store, items, report=report, added_by=added_by)
    if todo:
        found, version = extract_documents([doc for _, doc in todo])
        write_documents(store, [(source, doc, f) for (source, doc), f in zip(todo, found)],
                        extractor_version=version, report=report, added_by=added_by)


def new_documents(store: Store, items: list[tuple[str, DocumentIn]], *, report: IngestReport,
                  added_by: str | None = None) -> list[tuple[str, DocumentIn]]:
    """Return the documents whose text is not stored yet; record the rest (unchanged, appeared, failed) in ``report``."""
    ok: list[tuple[str, DocumentIn]] = []
    for source, doc in items:
        try:
            _check_text(doc.text, source)
            ok.append((source, doc))
        except ClaimsError as e:
            report.failed.append(IngestFailure(source, str(e).removeprefix(source + ": ")))
    if not ok:
        return []
    try:
        stored = store.document_ids_for_hashes([doc.content_hash for _, doc in ok])
    except ClaimsError as e:  # the database is unreachable: every document of the batch failed, none half-stored
        report.failed.extend(IngestFailure(source, str(e)) for source, _ in ok)
        return []
    todo = []
    for source, doc in ok:
        existing = stored.get(doc.content_hash)
        if existing is None:
            todo.append((source, doc))
        else:
            _guarded(_seen_again, store, existing, doc, source=source, report=report, added_by=added_by)
    return todo


def extract_documents(docs: list[DocumentIn]) -> tuple[list[list[Claim] | Exception], str]:
    """Return (each document's claims, or the exception extracting it raised; the extractor version)."""
    from claims.extract import EXTRACTOR_VERSION, extract

    out: list[list[Claim] | Exception] = []
    for doc in docs:
        try:
            out.append(extract(doc.text, published=doc.published))
        except Exception as e:  # an extractor bug in one document must not stop the others
            out.append(e)
    return out, EXTRACTOR_VERSION


def write_documents(store: Store, items: list[tuple[str, DocumentIn, list[Claim] | Exception]], *,
                    extractor_version: str, report: IngestReport, added_by: str | None = None) -> None:
    """Store extracted documents, up to BATCH_DOCUMENTS (and BATCH_CLAIMS) per transaction; note outcomes in ``report``.

    Each document's previous version (a changed page at a stored address) is
    looked up just before its transaction; two documents of one address go to
    separate transactions, in order, so the second becomes the first's next version.
    """
    batch: list[tuple[str, DocumentIn, list[Claim]]] = []
    keys: set[str] = set()
    claims_in_batch = 0
    for source, doc, found in items:
        if isinstance(found, Exception):
            report.failed.append(_failure(source, found))
            continue
        urls = {u for u in (doc.canonical_url, *doc.addresses) if u}
        if batch and (urls & keys or len(batch) >= BATCH_DOCUMENTS or claims_in_batch + len(found) > BATCH_CLAIMS):
            _write_batch(store, batch, extractor_version=extractor_version, report=report, added_by=added_by)
            batch, keys, claims_in_batch = [], set(), 0
        batch.append((source, doc, found))
        keys |= urls
        claims_in_batch += len(found)
    if batch:
        _write_batch(store, batch, extractor_version=extractor_version, report=report, added_by=added_by)


def _write_batch(store: Store, batch: list[tuple[str, DocumentIn, list[Claim]]], *, extractor_version: str,
                 report: IngestReport, added_by: str | None) -> None:
    previous: list[int | None] = []
    for source, doc, _ in batch:
        urls = [doc.canonical_url, *doc.addresses]
        try:
            prev = store.latest_document_for_url(urls) if any(urls) else None
        except ClaimsError:
            prev = None  # the write below names the problem
        previous.append(prev.id if prev else None)
    items = [(doc, found, prev) for (_, doc, found), prev in zip(batch, previous)]
    try:
        results: list[StoredDocument | Exception] = list(
            store.add_documents(items, extractor_version=extractor_version, added_by=added_by))
    except Exception:
        # one document the store refuses must not cost the others: store them one by one, so it alone fails
        results = []
        for item in items:
            try:
                results.extend(store.add_documents([item], extractor_version=extractor_version, added_by=added_by))
            except Exception as e:
                results.append(e)
    for (source, doc, _), prev, res in zip(batch, previous, results):
        if isinstance(res, Exception):
            report.failed.append(_failure(source, res))
        elif not res.created:  # stored meanwhile (earlier in this run, or by another writer)
            _guarded(_seen_again, store, res.document_id, doc, source=source, report=report, added_by=added_by)
        elif prev is not None:
            report.updated.append(IngestedDoc(source, res.document_id, res.claims, previous_id=prev,
                                              carried=res.carried))
        else:
            report.ingested.append(IngestedDoc(source, res.document_id, res.claims))


def _seen_again(store: Store, existing: int, doc: DocumentIn, *, source: str, report: IngestReport,
                added_by: str | None) -> None:
    """Record a document whose text is stored already: unchanged, or another appearance of it."""
    from claims.documents import add_appearance

    d = store.get_document(existing)
    # a web page whose canonical address is stored already, from the same outlet, is the same
    # article fetched again (through a tracking, AMP or mobile link): not another appearance
    refetched = bool(doc.canonical_url and store.known_urls([doc.canonical_url])
                     and (not doc.publisher or (d is not None and doc.publisher == d.publisher)))
    store.add_document_urls(existing, [doc.canonical_url, *doc.addresses])  # reached through another address
    # the same text from another outlet (or url, or date) is another appearance of it: a report,
    # and a wire copy, not "nothing changed"
    seen_again = not refetched and add_appearance(store, existing, doc, added_by=added_by)
    (report.appeared if seen_again else report.unchanged).append(
        IngestedDoc(source, existing, d.claim_count if d else 0))


def _guarded(fn: Any, *args: Any, source: str, report: IngestReport, **kwargs: Any) -> None:
    """Run ``fn``; record any error as the failure of ``source`` instead of stopping the run."""
    try:
        fn(*args, source=source, report=report, **kwargs)
    except Exception as e:
        report.failed.append(_failure(source, e))


def _failure(source: str, e: BaseException) -> IngestFailure:
    if isinstance(e, ClaimsError):
        return IngestFailure(source, str(e).removeprefix(source + ": "))
    return IngestFailure(source, f"{type(e).__name__}: {e}")  # an extractor or driver bug


def reextract_document(store: Store, doc_id: int, *, report: IngestReport, source: str | None = None) -> None:
    """Re-run the current extractor over one stored document, keeping its reviews."""
    from claims.extract import EXTRACTOR_VERSION, extract

    doc = store.get_document(doc_id)
    if doc is None:
        report.failed.append(IngestFailure(source or f"document {doc_id}", "no such document"))
        return
    try:
        found = extract(doc.text, published=doc.published)
        report.reextracted.append(store.replace_claims(doc_id, found, extractor_version=EXTRACTOR_VERSION))
    except ClaimsError as e:
        report.failed.append(IngestFailure(source or doc.filename or f"document {doc_id}", str(e)))
    except Exception as e:
        report.failed.append(IngestFailure(source or doc.filename or f"document {doc_id}", f"{type(e).__name__}: {e}"))


def ingest_paths(store: Store, paths: Iterable[str | Path], *, publisher: str | None = None,
                 published: dt.date | None = None, url: str | None = None, title: str | None = None,
                 reextract: bool = False, progress: bool = False, added_by: str | None = None) -> IngestReport:
    """Ingest files and folders into ``store``; with ``reextract``, re-extract the stored documents they hold.

    With ``reextract`` and no paths, every stored document is re-extracted.
    New documents record ``added_by`` as who added them.
    Returns a report; bad files and records are listed in ``report.failed``.
    """
    report = IngestReport()
    paths = list(paths)
    if reextract and not paths:
        ids = [d.id for d in store.iter_documents()]
        for doc_id in _progress(ids, progress, "re-extract"):
            reextract_document(store, doc_id, report=report)
        return report
    files = expand_paths(paths, report)
    try:
        _ingest_files(store, files, report, publisher=publisher, published=published, url=url, title=title,
                      reextract=reextract, progress=progress, added_by=added_by)
    finally:
        changed = len(report.ingested) + len(report.reextracted)
        if changed and changed * 10 >= store.count_documents():
            store.analyze()  # the store grew by a tenth or more: the planner's statistics are stale
    return report


def _ingest_files(store: Store, files: list[Path], report: IngestReport, *, publisher: str | None,
                  published: dt.date | None, url: str | None, title: str | None, reextract: bool,
                  progress: bool, added_by: str | None = None) -> None:
    overrides = {"title": title, "url": url, "publisher": publisher, "published": published}
    batch: list[tuple[str, DocumentIn]] = []
    for source, item in file_documents(_progress(files, progress, "ingest"), report, overrides=overrides):
        if not reextract:
            batch.append((source, item))
            if len(batch) >= BATCH_DOCUMENTS:
                store_batch(store, batch, report=report, added_by=added_by)
                batch = []
            continue
        doc_id = store.document_id_for_hash(item.content_hash)
        if doc_id is None:
            store_document(store, item, source=source, report=report, added_by=added_by)
        else:
            reextract_document(store, doc_id, report=report, source=source)
    if batch:
        store_batch(store, batch, report=report, added_by=added_by)


def file_documents(files: Iterable[Path], report: IngestReport, *,
                   overrides: dict[str, Any]) -> Iterator[tuple[str, DocumentIn]]:
    """Yield (source, document) for every readable record, options applied; record unreadable ones in ``report``.

    A file is read as it is consumed (a JSONL file line by line), so memory holds one record at a time.
    """
    for path in files:
        try:
            for item in iter_file_documents(path):
                if isinstance(item, IngestFailure):
                    report.failed.append(item)
                    continue
                _apply_overrides(item, **overrides)
                yield (f"{path.parent / item.filename}" if item.filename and item.filename != path.name
                       else str(path)), item
        except BadInputError as e:
            msg, src = str(e), str(path)
            report.failed.append(IngestFailure(src, msg.removeprefix(src + ": ")))


def ingest_text(store: Store, text: str, *, title: str | None = None, url: str | None = None,
                publisher: str | None = None, published: dt.date | None = None,
                filename: str | None = None, added_by: str | None = None) -> IngestReport:
    """Ingest one text (the dashboard's paste box), recording ``added_by`` as who added it; return the report."""
    report = IngestReport()
    doc = DocumentIn(text=text if isinstance(text, str) else "", title=title, url=url, publisher=publisher,
                     published=parse_published(published), filename=filename)
    store_document(store, doc, source=filename or title or "pasted text", report=report, added_by=added_by)
    return report


def ingest_documents(store: Store, docs: Iterable[DocumentIn], *, source: str = "upload",
                     added_by: str | None = None) -> IngestReport:
    """Store already-parsed documents (e.g. from :func:`read_upload`), recording ``added_by``; return the report."""
    report = IngestReport()
    items = [(doc.filename or f"{source}[{i}]", doc) for i, doc in enumerate(docs)]
    for i in range(0, len(items), BATCH_DOCUMENTS):
        store_batch(store, items[i:i + BATCH_DOCUMENTS], report=report, added_by=added_by)
    return report


def _progress(items: list, enabled: bool, desc: str) -> Iterable:
    import sys

    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    # only when a person watches: a pipe or log file gets the summary alone
    return tqdm(items, desc=desc, unit="file", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
