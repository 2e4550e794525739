"""Verifiable bundles: a zip of the data (CSV and JSON), a codebook, and a manifest of hashes and counts.

``manifest.json`` records the filters used, who exported and when, the tool
and extractor versions, row counts, and the sha256 and size of every other
file in the zip; with ``CLAIMS_BUNDLE_KEY`` set, ``manifest.sig`` holds an
HMAC-SHA256 of the manifest's bytes and the key's id. :func:`verify_bundle`
checks the signature, recomputes every hash and count, reads the CSV against
the JSON row by row, and raises :class:`~claims.errors.VerifyError` naming the
first file that disagrees; decompression is capped (``CLAIMS_MAX_UNZIPPED_MB``)
and nothing is read whole.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Iterator

from claims.errors import BadInputError, VerifyError
from claims.export.atomic import atomic_file
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
    # the CSV and JSON are staged in unnamed temporary files (nothing left behind if the process is killed)
    with tempfile.TemporaryFile() as cbin, tempfile.TemporaryFile() as jbin:
        cf = io.TextIOWrapper(cbin, encoding="utf-8", newline="")
        jf = io.TextIOWrapper(jbin, encoding="utf-8", newline="\n")
        tee = _TeeSource(source, CsvRowWriter(cf, bom=True))
        n_claims, n_docs = write_json(tee, jf, meta=meta)
        cf.flush()
        jf.flush()
        book = codebook_markdown().encode("utf-8")
        staged = ((CSV_NAME, cbin), (JSON_NAME, jbin), (CODEBOOK_NAME, io.BytesIO(book)))
        files: dict[str, dict[str, Any]] = {}
        for name, f in staged:
            f.seek(0)
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
        with atomic_file(path, binary=True) as out, \
                zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            raw_manifest = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
            z.writestr(MANIFEST, raw_manifest)
            key = signing_key()
            if key is not None:  # HMAC over the manifest's exact bytes, which hash every other file
                z.writestr(SIGNATURE, json.dumps(sign_manifest(raw_manifest, key), indent=2) + "\n")
            for name, f in staged:
                f.seek(0)
                with z.open(name, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(f, dst, _CHUNK)
        cf.detach()  # the wrappers must not close the files the with-statement owns
        jf.detach()
    return manifest


def read_manifest(z: zipfile.ZipFile, label: str, *, raw: bytes | None = None) -> dict[str, Any]:
    """Return the parsed manifest of an open bundle, or raise VerifyError saying what is wrong."""
    if raw is None:
        raw = _read_capped(z, MANIFEST, label, limit=16 << 20)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise VerifyError(f"{label}: {MANIFEST} is not valid JSON ({e})") from None
    except RecursionError:
        raise VerifyError(f"{label}: {MANIFEST} is not valid JSON (nested too deeply)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise VerifyError(f"{label}: {MANIFEST} is not a {BUNDLE_FORMAT} manifest")
    if not isinstance(manifest.get("files"), dict):
        raise VerifyError(f"{label}: {MANIFEST} has no 'files' table")
    return manifest


class _Capped(io.RawIOBase):
    """A zip member's decompressed bytes, refused past a cap (the member's and the bundle's running total)."""

    def __init__(self, raw, name: str, label: str, budget: list[int], cap: int) -> None:
        self.raw, self.name, self.label, self.budget, self.cap = raw, name, label, budget, cap
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(min(len(b), _CHUNK))
        n = len(data)
        self.read_bytes += n
        self.budget[0] -= n
        if self.read_bytes > self.cap or self.budget[0] < 0:
            raise VerifyError(f"{self.label}: {self.name} decompresses to more than the "
                              f"{unzipped_limit() / 1048576:g} MB limit (CLAIMS_MAX_UNZIPPED_MB); not read further")
        b[:n] = data
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def unzipped_limit() -> int:
    """Return the most a bundle may decompress to, per member and in total (CLAIMS_MAX_UNZIPPED_MB), in bytes."""
    from claims.settings import setting

    try:
        mb = float(setting("CLAIMS_MAX_UNZIPPED_MB"))
    except ValueError:
        mb = 0
    return int((mb if mb > 0 else 1024) * 1048576)


@contextlib.contextmanager
def open_member(z: zipfile.ZipFile, name: str, label: str, *, budget: list[int] | None = None) -> Iterator[Any]:
    """Yield a buffered reader of one member that raises VerifyError past the decompression cap."""
    cap = unzipped_limit()
    try:
        info = z.getinfo(name)
    except KeyError:
        raise VerifyError(f"{label}: {name} is missing from the bundle") from None
    if info.file_size > cap:  # the declared size already says no (a lying header is caught while reading)
        raise VerifyError(f"{label}: {name} declares {info.file_size / 1048576:.0f} MB uncompressed, over the "
                          f"{cap / 1048576:g} MB limit (CLAIMS_MAX_UNZIPPED_MB)")
    with z.open(name) as raw:
        yield io.BufferedReader(_Capped(raw, name, label, budget if budget is not None else [cap], cap), _CHUNK)


def _csv_reader(raw) -> Iterator[list[str]]:
    return csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _check_csv_against_json(z: zipfile.ZipFile, label: str, fields: list[str]) -> tuple[int, int, int]:
    """Read the CSV and the JSON side by side; return (csv rows, json claims, json documents).

    Every CSV row must be exactly what the exporter writes for the JSON claim
    in the same position (rendered again through the same CSV writer), so a
    bundle whose CSV says something its JSON does not is refused even when
    its manifest was recomputed to match.
    """
    from claims.jsonstream import iter_object

    n_docs = 0
    json_claims = 0
    rows = 0
    with open_member(z, CSV_NAME, label) as craw, open_member(z, JSON_NAME, label) as jraw:
        reader = _csv_reader(craw)
        try:
            header = next(reader)
        except StopIteration:
            raise VerifyError(f"{CSV_NAME}: empty file (no header)") from None
        except csv.Error as e:
            raise VerifyError(f"{CSV_NAME}: not readable as CSV ({e})") from None
        if header != list(fields):
            raise VerifyError(f"{CSV_NAME}: header does not match the manifest's fields")
        buf = io.StringIO(newline="")
        again = CsvRowWriter(buf, bom=False)
        buf.seek(0)
        buf.truncate()
        try:
            for key, value in iter_object(jraw, f"{label}!{JSON_NAME}", stream_keys=("claims", "documents")):
                if key == "documents":
                    n_docs += 1
                    continue
                if key != "claims":
                    continue
                json_claims += 1
                if not isinstance(value, dict):
                    raise VerifyError(f"{JSON_NAME}: claims[{json_claims - 1}] is not an object")
                try:
                    row = next(reader)
                except StopIteration:
                    raise VerifyError(f"{CSV_NAME}: {rows} rows, but {JSON_NAME} has more claims") from None
                rows += 1
                again.write(value)
                want = next(csv.reader(io.StringIO(buf.getvalue(), newline="")))
                buf.seek(0)
                buf.truncate()
                if row != want:
                    col = next((f for f, a, b in zip(fields, row, want) if a != b), "a column")
                    raise VerifyError(f"{CSV_NAME}: row {rows} ({col}) does not match claims[{rows - 1}] in "
                                      f"{JSON_NAME} (one of them was changed after export)")
            rows += sum(1 for _ in reader)
        except csv.Error as e:
            raise VerifyError(f"{CSV_NAME}: not readable as CSV at line {reader.line_num} ({e})") from None
        except BadInputError as e:
            raise VerifyError(f"{JSON_NAME}: not valid JSON ({e})") from None
    return rows, json_claims, n_docs


# ---------------------------------------------------------------- signatures
SIGNATURE = "manifest.sig"
SIGNATURE_ALG = "HMAC-SHA256"


def signing_key() -> bytes | None:
    """Return the bundle signing key (CLAIMS_BUNDLE_KEY), or None when bundles are not signed."""
    from claims.settings import setting

    key = setting("CLAIMS_BUNDLE_KEY")
    return key.encode("utf-8") if key else None


def key_id(key: bytes) -> str:
    """Return the public name of a signing key: the first 16 hex digits of its sha256 (the key stays secret)."""
    return hashlib.sha256(b"claims-bundle-key\0" + key).hexdigest()[:16]


def sign_manifest(manifest_bytes: bytes, key: bytes) -> dict[str, str]:
    """Return the signature record of ``manifest_bytes`` under ``key``."""
    mac = hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()
    return {"alg": SIGNATURE_ALG, "key_id": key_id(key), "signature": mac}


def _check_signature(z: zipfile.ZipFile, label: str, raw_manifest: bytes) -> dict[str, Any]:
    """Return {"signed", "key_id", "checked"}; raise VerifyError when a signature is present and wrong."""
    try:
        info = z.getinfo(SIGNATURE)
    except KeyError:
        return {"signed": False, "key_id": None, "checked": False}
    if info.file_size > 4096:
        raise VerifyError(f"{label}: {SIGNATURE} is too large to be a signature")
    try:
        sig = json.loads(z.read(SIGNATURE).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise VerifyError(f"{label}: {SIGNATURE} is not valid JSON ({e})") from None
    if not isinstance(sig, dict) or sig.get("alg") != SIGNATURE_ALG or not isinstance(sig.get("signature"), str):
        raise VerifyError(f"{label}: {SIGNATURE} is not a {SIGNATURE_ALG} signature")
    kid = str(sig.get("key_id"))
    key = signing_key()
    if key is None:
        return {"signed": True, "key_id": kid, "checked": False}
    if key_id(key) != kid:
        return {"signed": True, "key_id": kid, "checked": False}
    want = sign_manifest(raw_manifest, key)["signature"]
    if not hmac.compare_digest(want, sig["signature"]):
        raise VerifyError(f"{label}: {SIGNATURE}: the signature by key {kid} does not match {MANIFEST} "
                          "(the manifest was changed after signing)")
    return {"signed": True, "key_id": kid, "checked": True}


def verify_bundle(path: str | Path, *, require_signature: bool = False) -> dict[str, Any]:
    """Check a bundle's signature, every hash, size and row count, and its CSV against its JSON.

    Returns the manifest with a ``"signature"`` entry (signed?, key id,
    checked?) or raises VerifyError naming what is wrong. A signature that
    does not match is always an error; ``require_signature`` also refuses an
    unsigned bundle and one signed by a key other than CLAIMS_BUNDLE_KEY.
    Decompressed sizes are capped (CLAIMS_MAX_UNZIPPED_MB), so a zip bomb is
    refused after reading at most that much, in bounded memory.
    """
    label = str(path)
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise VerifyError(f"{label}: no such file") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise VerifyError(f"{label}: not a zip bundle ({e})") from None
    with z:
        raw_manifest = _read_capped(z, MANIFEST, label, limit=16 << 20)
        manifest = read_manifest(z, label, raw=raw_manifest)
        signature = _check_signature(z, label, raw_manifest)
        if require_signature and not signature["checked"]:
            if not signature["signed"]:
                raise VerifyError(f"{label}: not signed (anyone who changes it can recompute its manifest)")
            raise VerifyError(f"{label}: signed by key {signature['key_id']}, which is not this "
                              "CLAIMS_BUNDLE_KEY; cannot check it")
        files: dict[str, dict[str, Any]] = manifest["files"]
        present = [i.filename for i in z.infolist() if not i.is_dir()]
        for extra in sorted(set(present) - set(files) - {MANIFEST, SIGNATURE}):
            raise VerifyError(f"{extra}: in the bundle but not in {MANIFEST} (added after export?)")
        if len(present) != len(set(present)):
            dup = next(n for n in present if present.count(n) > 1)
            raise VerifyError(f"{dup}: appears more than once in the zip")
        budget = [unzipped_limit()]  # the whole bundle's decompressed bytes
        for name, want in files.items():
            if name not in present:
                raise VerifyError(f"{name}: listed in {MANIFEST} but missing from the bundle")
            with open_member(z, name, label, budget=budget) as f:
                digest, size = _sha256(f)
            if digest != want.get("sha256"):
                raise VerifyError(f"{name}: sha256 {digest} does not match the manifest's {want.get('sha256')}")
            if "bytes" in want and size != want["bytes"]:
                raise VerifyError(f"{name}: {size} bytes, manifest says {want['bytes']}")
        counts = manifest.get("counts", {})
        if CSV_NAME not in files or JSON_NAME not in files:
            raise VerifyError(f"{label}: {MANIFEST} must list both {CSV_NAME} and {JSON_NAME}")
        rows, n, d = _check_csv_against_json(z, label, manifest.get("fields") or list(FIELD_NAMES))
        for said, where in ((files[CSV_NAME].get("rows"), "its rows entry"), (counts.get("claims"), "counts.claims")):
            if said is not None and rows != said:
                raise VerifyError(f"{CSV_NAME}: {rows} rows, manifest {where} says {said}")
        for got, said, what in ((n, files[JSON_NAME].get("rows"), "claims"),
                                (n, counts.get("claims"), "claims"),
                                (d, files[JSON_NAME].get("documents"), "documents"),
                                (d, counts.get("documents"), "documents")):
            if said is not None and got != said:
                raise VerifyError(f"{JSON_NAME}: {got} {what}, manifest says {said}")
        if rows != n:
            raise VerifyError(f"{CSV_NAME}: {rows} rows, but {JSON_NAME} has {n} claims")
    return {**manifest, "signature": signature}


def _read_capped(z: zipfile.ZipFile, name: str, label: str, *, limit: int) -> bytes:
    try:
        info = z.getinfo(name)
    except KeyError:
        raise VerifyError(f"{label}: {name} is missing (not a claims bundle)") from None
    if info.file_size > limit:
        raise VerifyError(f"{label}: {name} is over {limit >> 20} MB uncompressed (not a claims manifest)")
    with z.open(name) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise VerifyError(f"{label}: {name} decompresses past {limit >> 20} MB (not a claims manifest)")
    return data
