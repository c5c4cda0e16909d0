"""scripts/vendor.py --check: the committed vendored files are exactly the pinned ones (no network)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "vendor.py"
VENDOR = ROOT / "ip5graph" / "web" / "vendor"


def run_check(manifest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--manifest", str(manifest)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_files_match_the_manifest():
    proc = run_check(VENDOR / "manifest.json")
    assert proc.returncode == 0, proc.stderr
    assert "match" in proc.stdout


def test_every_package_is_pinned_with_a_licence():
    doc = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    names = {p["name"]: p for p in doc["packages"]}
    assert "oxigraph" in names
    for p in doc["packages"]:
        assert p["version"][0].isdigit() and not set(p["version"]) & set("^~*<> ")
        assert p["integrity"].startswith("sha512-")
        assert p["licence"]
        licence_paths = list(p["licence_files"]) + list(p.get("licence_texts", {}))
        assert licence_paths and all((VENDOR / p["name"] / f).is_file() for f in licence_paths)


@pytest.fixture()
def copy(tmp_path):
    dest = tmp_path / "vendor"
    shutil.copytree(VENDOR, dest)
    return dest


def test_a_changed_file_fails_the_check(copy):
    target = copy / "oxigraph" / "web.js"
    target.write_bytes(target.read_bytes() + b"\n// tampered\n")
    proc = run_check(copy / "manifest.json")
    assert proc.returncode == 1
    assert "oxigraph: web.js does not match its sha256" in proc.stderr


def test_a_missing_or_unlisted_file_fails_the_check(copy):
    (copy / "oxigraph" / "LICENSE-MIT.txt").unlink()
    (copy / "oxigraph" / "extra.js").write_text("x", encoding="utf-8")
    proc = run_check(copy / "manifest.json")
    assert proc.returncode == 1
    assert "missing LICENSE-MIT.txt" in proc.stderr and "extra.js is not in the manifest" in proc.stderr


def test_a_range_version_is_refused(copy):
    doc = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    doc["packages"][0]["version"] = "^0.5.11"
    (copy / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    proc = run_check(copy / "manifest.json")
    assert proc.returncode == 1 and "not an exact version" in proc.stderr
