"""Verifiable bundles: a zip of the data (CSV and JSON), a codebook, and a manifest of hashes and counts.

``manifest.json`` records the filters used, who exported and when, the tool
and extractor versions, row counts, and the sha256 and size of every other
file in the zip. :func:`verify_bundle` recomputes all of them and raises
:class:`~claims.errors.VerifyError` naming the first file that disagrees.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Iterator

from claims.errors import VerifyError
from claims.export.fields import FIELD_NAMES, codebook_markdown
from claims.export.writers import CsvRowWriter, ExportSource, write_json

BUNDLE_FORMAT = "claims-bundle"
BUNDLE_VERSION = 1
MANIFEST = "manifest.json"
CSV_NAME = "data/claims.csv"
JSON_NAME = "data/claims.json"
CODEBOOK_NAME = "codebook.md"
_CHUNK = 1 << 20


def _sha256(f) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    for block in iter(lambda: f.read(_CHUNK), b""):
        h.update(block)
        size += len(block)
    return h.hexdigest(), size


class _TeeSource:
    """Hand rows to the JSON writer and write each to the CSV as it passes: one pass over the store."""

    def __init__(self, source: ExportSource, csv_writer: CsvRowWriter) -> None:
        self.source = source
        self.csv = csv_writer
        self.extractor_versions: set[str] = set()
        self.reviewed = 0

    def rows(self) -> Iterator[dict[str, Any]]:
        for row in self.source.rows():
            self.csv.write(row)
            if row.get("extractor_version"):
                self.extractor_versions.add(row["extractor_version"])
            if row.get("verdict") not in (None, "unreviewed"):
                self.reviewed += 1
            yield row

    def document(self, document_hash: str) -> dict[str, Any] | None:
        return self.source.document(document_hash)

    def history(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        return self.source.history(row)


def write_bundle(source: ExportSource, path: str | Path, *, meta: dict[str, Any],
                 tool: dict[str, Any]) -> dict[str, Any]:
    """Write the bundle zip to ``path`` and return its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="claims-bundle-") as tmp:
        tmpd = Path(tmp)
        csv_path, json_path, book_path = tmpd / "claims.csv", tmpd / "claims.json", tmpd / "codebook.md"
        with open(csv_path, "w", encoding="utf-8", newline="") as cf, \
                open(json_path, "w", encoding="utf-8", newline="\n") as jf:
            tee = _TeeSource(source, CsvRowWriter(cf, bom=True))
            n_claims, n_docs = write_json(tee, jf, meta=meta)
        book_path.write_text(codebook_markdown(), encoding="utf-8", newline="\n")
        files: dict[str, dict[str, Any]] = {}
        for name, p in ((CSV_NAME, csv_path), (JSON_NAME, json_path), (CODEBOOK_NAME, book_path)):
            with open(p, "rb") as f:
                digest, size = _sha256(f)
            files[name] = {"sha256": digest, "bytes": size}
        files[CSV_NAME]["rows"] = tee.csv.rows
        files[JSON_NAME]["rows"] = n_claims
        files[JSON_NAME]["documents"] = n_docs
        manifest = {
            "format": BUNDLE_FORMAT,
            "format_version": BUNDLE_VERSION,
            "exported_at": meta.get("exported_at"),
            "exported_by": meta.get("exported_by"),
            "filters": meta.get("filters", {}),
            "tool": tool,
            "extractor_versions": sorted(tee.extractor_versions),
            "counts": {"claims": n_claims, "documents": n_docs, "reviewed": tee.reviewed},
            "fields": list(FIELD_NAMES),
            "files": files,
        }
        part = path.with_name(path.name + ".part")
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            for name, p in ((CSV_NAME, csv_path), (JSON_NAME, json_path), (CODEBOOK_NAME, book_path)):
                z.write(p, name)
        part.replace(path)  # never leave a half-written bundle under the real name
    return manifest


def read_manifest(z: zipfile.ZipFile, label: str) -> dict[str, Any]:
    """Return the parsed manifest of an open bundle, or raise VerifyError saying what is wrong."""
    try:
        raw = z.read(MANIFEST)
    except KeyError:
        raise VerifyError(f"{label}: {MANIFEST} is missing (not a claims bundle)") from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise VerifyError(f"{label}: {MANIFEST} is not valid JSON ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise VerifyError(f"{label}: {MANIFEST} is not a {BUNDLE_FORMAT} manifest")
    if not isinstance(manifest.get("files"), dict):
        raise VerifyError(f"{label}: {MANIFEST} has no 'files' table")
    return manifest


def _csv_rows(z: zipfile.ZipFile, name: str, fields: list[str]) -> int:
    with z.open(name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            raise VerifyError(f"{name}: empty file (no header)") from None
        except csv.Error as e:
            raise VerifyError(f"{name}: not readable as CSV ({e})") from None
        if header != list(fields):
            raise VerifyError(f"{name}: header does not match the manifest's fields")
        try:
            return sum(1 for _ in reader)
        except csv.Error as e:
            raise VerifyError(f"{name}: not readable as CSV at line {reader.line_num} ({e})") from None


def _json_counts(z: zipfile.ZipFile, name: str) -> tuple[int, int]:
    with z.open(name) as raw:
        try:
            data = json.load(io.TextIOWrapper(raw, encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise VerifyError(f"{name}: not valid JSON ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list) \
            or not isinstance(data.get("documents"), list):
        raise VerifyError(f"{name}: not a claims export (no 'claims' and 'documents' lists)")
    return len(data["claims"]), len(data["documents"])


def verify_bundle(path: str | Path) -> dict[str, Any]:
    """Check every hash, size and row count in a bundle's manifest; return the manifest or raise VerifyError."""
    label = str(path)
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise VerifyError(f"{label}: no such file") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise VerifyError(f"{label}: not a zip bundle ({e})") from None
    with z:
        manifest = read_manifest(z, label)
        files: dict[str, dict[str, Any]] = manifest["files"]
        present = [i.filename for i in z.infolist() if not i.is_dir()]
        for extra in sorted(set(present) - set(files) - {MANIFEST}):
            raise VerifyError(f"{extra}: in the bundle but not in {MANIFEST} (added after export?)")
        if len(present) != len(set(present)):
            dup = next(n for n in present if present.count(n) > 1)
            raise VerifyError(f"{dup}: appears more than once in the zip")
        for name, want in files.items():
            if name not in present:
                raise VerifyError(f"{name}: listed in {MANIFEST} but missing from the bundle")
            with z.open(name) as f:
                digest, size = _sha256(f)
            if digest != want.get("sha256"):
                raise VerifyError(f"{name}: sha256 {digest} does not match the manifest's {want.get('sha256')}")
            if "bytes" in want and size != want["bytes"]:
                raise VerifyError(f"{name}: {size} bytes, manifest says {want['bytes']}")
        counts = manifest.get("counts", {})
        if CSV_NAME in files:
            rows = _csv_rows(z, CSV_NAME, manifest.get("fields") or list(FIELD_NAMES))
            for said, where in ((files[CSV_NAME].get("rows"), "its rows entry"), (counts.get("claims"), "counts.claims")):
                if said is not None and rows != said:
                    raise VerifyError(f"{CSV_NAME}: {rows} rows, manifest {where} says {said}")
        if JSON_NAME in files:
            n, d = _json_counts(z, JSON_NAME)
            for got, said, what in ((n, files[JSON_NAME].get("rows"), "claims"),
                                    (n, counts.get("claims"), "claims"),
                                    (d, files[JSON_NAME].get("documents"), "documents"),
                                    (d, counts.get("documents"), "documents")):
                if said is not None and got != said:
                    raise VerifyError(f"{JSON_NAME}: {got} {what}, manifest says {said}")
    return manifest
