"""Bundles: manifest with hashes and counts; verify passes on an intact bundle and names the file that fails."""
from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from claims.cli import main
from claims.errors import VerifyError
from claims.export import export_to, verify_bundle
from claims.export.bundle import CODEBOOK_NAME, CSV_NAME, JSON_NAME, MANIFEST
from claims.export.fields import codebook_markdown
from claims.model import ClaimFilter
from tests.test_export_fixtures import reviewed_store


FILTER = ClaimFilter(kinds=["casualties", "figure", "force_size"])


@pytest.fixture
def bundle(store, tmp_path):
    reviewed_store(store)
    path = tmp_path / "set.zip"
    export_to(store, FILTER, fmt="bundle", path=path, groups=None, exported_by="ana")
    return path


def _rewrite(src, dst, *, change=None, add=None, drop=None, manifest=None):
    """Copy a bundle, replacing one member's bytes, adding or dropping one, or editing the manifest."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info.filename)
            if change and info.filename == change[0]:
                data = change[1](data)
            if manifest and info.filename == MANIFEST:
                m = json.loads(data)
                manifest(m)
                data = json.dumps(m).encode()
            zout.writestr(info.filename, data)
        if add:
            zout.writestr(add[0], add[1])
    return dst


def test_manifest_records_filters_counts_versions_and_hashes(bundle, store):
    m = verify_bundle(bundle)
    recs = list(store.iter_claims(FILTER))
    assert m["filters"] == {"kinds": ["casualties", "figure", "force_size"]}
    assert m["exported_by"] == "ana" and m["exported_at"]
    assert m["tool"]["name"] == "claims" and m["extractor_versions"] == ["test-1"]
    assert m["counts"] == {"claims": len(recs), "documents": len({r.document_id for r in recs}),
                           "reviewed": sum(r.version > 0 for r in recs)}
    assert (len(recs), m["counts"]["documents"]) == (5, 3)
    with zipfile.ZipFile(bundle) as z:
        assert sorted(z.namelist()) == sorted([MANIFEST, CSV_NAME, JSON_NAME, CODEBOOK_NAME])
        for name, info in m["files"].items():
            assert hashlib.sha256(z.read(name)).hexdigest() == info["sha256"]
        assert z.read(CODEBOOK_NAME).decode() == codebook_markdown()
        data = json.loads(z.read(JSON_NAME))
    assert [c["id"] for c in data["claims"]] == [r.id for r in recs] and len(data["documents"]) == 3


def test_tampered_csv_fails_naming_the_file(bundle, tmp_path):
    bad = _rewrite(bundle, tmp_path / "bad.zip", change=(CSV_NAME, lambda b: b.replace(b"verified", b"false", 1)))
    with pytest.raises(VerifyError, match=CSV_NAME):
        verify_bundle(bad)


def test_row_count_lie_fails_even_with_matching_hashes(bundle, tmp_path):
    bad = _rewrite(bundle, tmp_path / "bad.zip", manifest=lambda m: m["counts"].update(claims=6))
    with pytest.raises(VerifyError, match=f"{CSV_NAME}: 5 rows"):
        verify_bundle(bad)


def test_added_and_missing_files_fail(bundle, tmp_path):
    with pytest.raises(VerifyError, match="extra.csv"):
        verify_bundle(_rewrite(bundle, tmp_path / "a.zip", add=("extra.csv", b"x")))
    with pytest.raises(VerifyError, match=JSON_NAME):
        verify_bundle(_rewrite(bundle, tmp_path / "b.zip", drop=JSON_NAME))
    with pytest.raises(VerifyError, match="manifest.json is missing"):
        verify_bundle(_rewrite(bundle, tmp_path / "c.zip", drop=MANIFEST))


def test_not_a_zip_fails(tmp_path):
    p = tmp_path / "x.zip"
    p.write_text("hello")
    with pytest.raises(VerifyError, match="not a zip"):
        verify_bundle(p)


def test_verify_command_exit_codes(bundle, tmp_path, capsys):
    assert main(["verify", str(bundle)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = _rewrite(bundle, tmp_path / "bad.zip", change=(JSON_NAME, lambda b: b + b" "))
    assert main(["verify", str(bad)]) == 1
    assert JSON_NAME in capsys.readouterr().err
