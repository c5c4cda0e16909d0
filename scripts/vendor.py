#!/usr/bin/env python3
"""Fetch the pinned npm packages the site ships into ip5graph/web/vendor/, or check them offline.

Why a script and a manifest: the JavaScript/WebAssembly files the pages load are committed and
shipped in the wheel (so `pip install .` and `ip5graph build` need neither Node nor a network),
and this is the one way they get there: `npm pack NAME@VERSION` of an exact version, the tarball
checked against the registry integrity recorded in the manifest, each kept file against its
sha256, and the package's licence files copied beside it.

    python scripts/vendor.py            # fetch every package of the manifest (needs npm + network)
    python scripts/vendor.py --only oxigraph
    python scripts/vendor.py --update   # a new or bumped entry: record the hashes found (review the diff!)
    python scripts/vendor.py --check    # no network: the committed files match the manifest exactly

Manifest (ip5graph/web/vendor/manifest.json), one entry per package:
    {"name": "oxigraph", "version": "0.5.11", "licence": "MIT OR Apache-2.0",
     "integrity": "sha512-... (npm's tarball integrity)",
     "files": {"web.js": "<sha256>", ...},            # paths inside the package, kept as they are
     "licence_files": ["README.md"],                  # of those, the ones that state the licence
     "licence_texts": {"LICENSE-MIT.txt": {"package": "spdx-license-list@6.10.0",
                       "path": "licenses/MIT.json", "key": "licenseText", "sha256": "..."}}}
`licence_texts` is for a package that names its licence but ships no licence text: the standard
text is taken from another pinned npm package (spdx-license-list, CC0) and checked the same way.
Everything lands in vendor/<name>/; a file there that the manifest does not list is an error.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "ip5graph" / "web" / "vendor"
MANIFEST = VENDOR / "manifest.json"


class VendorError(Exception):
    """A fetch or check failed: printed as one line, exit 1."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(path: Path) -> list[dict]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise VendorError(f"{path}: cannot read the manifest: {e}") from None
    packages = doc.get("packages")
    if not isinstance(packages, list):
        raise VendorError(f"{path}: expected {{'packages': [...]}}")
    for p in packages:
        for key in ("name", "version", "licence", "files", "licence_files"):
            if key not in p:
                raise VendorError(f"{path}: package {p.get('name', '?')} has no '{key}'")
        if not p["licence_files"] and not p.get("licence_texts"):
            raise VendorError(f"{path}: package {p['name']} lists no licence file")
        for f in p["licence_files"]:
            if f not in p["files"]:
                raise VendorError(f"{path}: {p['name']}: licence file {f} must also be in 'files'")
        if any(c in p["version"] for c in "^~*<> x") or not p["version"][:1].isdigit():
            raise VendorError(f"{path}: {p['name']}: version {p['version']!r} is not an exact version")
        for rel in list(p["files"]) + list(p.get("licence_texts", {})):
            if rel.startswith("/") or ".." in Path(rel).parts or "\\" in rel:
                raise VendorError(f"{path}: {p['name']}: unsafe path {rel!r}")
    return packages


def expected_files(pkg: dict) -> dict[str, str]:
    """Relative path in vendor/<name>/ -> sha256, for every file the package must have there."""
    out = dict(pkg["files"])
    for name, spec in pkg.get("licence_texts", {}).items():
        out[name] = spec.get("sha256", "")
    return out


# ---------------------------------------------------------------- check (offline)


def check(packages: list[dict], vendor: Path) -> list[str]:
    """Every listed file present with its hash, and nothing else in each package folder."""
    problems = []
    for pkg in packages:
        folder = vendor / pkg["name"]
        want = expected_files(pkg)
        for rel, digest in sorted(want.items()):
            path = folder / rel
            if not path.is_file():
                problems.append(f"{pkg['name']}: missing {rel}")
            elif sha256(path.read_bytes()) != digest:
                problems.append(f"{pkg['name']}: {rel} does not match its sha256 in the manifest")
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and rel not in want:
                    problems.append(f"{pkg['name']}: {rel} is not in the manifest")
    names = {p["name"].split("/")[0] for p in packages}  # a scoped package lives in vendor/@scope/name/
    for path in sorted(vendor.iterdir()) if vendor.is_dir() else []:
        if path.is_dir() and path.name not in names and path.name != "__pycache__":
            problems.append(f"{path.name}/: a folder the manifest does not list")
    return problems


# ---------------------------------------------------------------- fetch (npm + network)


def npm_pack(spec: str, dest: Path) -> tuple[Path, str]:
    """`npm pack SPEC` into dest: the tarball and npm's integrity string for it."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed (needed to fetch; `--check` needs no npm)")
    proc = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(dest)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise VendorError(f"npm pack {spec} failed: {last}")
    info = json.loads(proc.stdout)[0]
    return dest / info["filename"], info["integrity"]


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def members(tarball: Path) -> dict[str, bytes]:
    """The regular files of an npm tarball, by path inside the package (the 'package/' folder)."""
    out = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for m in tar.getmembers():
            if not m.isfile():
                continue
            name = m.name.split("/", 1)[1] if "/" in m.name else m.name
            data = tar.extractfile(m)
            if data is not None:
                out[name] = data.read()
    return out


def fetch_package(spec: str, tmp: Path, integrity: str | None) -> tuple[dict[str, bytes], str]:
    tarball, npm_integrity = npm_pack(spec, tmp)
    got = integrity_of(tarball.read_bytes())
    if got != npm_integrity:
        raise VendorError(f"{spec}: tarball does not match npm's own integrity {npm_integrity}")
    if integrity and got != integrity:
        raise VendorError(f"{spec}: tarball integrity {got} differs from the manifest's {integrity}")
    return members(tarball), got


def fetch(pkg: dict, vendor: Path, update: bool) -> dict:
    """Fetch one package into vendor/<name>/ (replacing the folder); the entry, hashes filled in."""
    spec = f"{pkg['name']}@{pkg['version']}"
    entry = json.loads(json.dumps(pkg))
    with tempfile.TemporaryDirectory(prefix="vendor-") as tmp_name:
        tmp = Path(tmp_name)
        files, integrity = fetch_package(spec, tmp, None if update else pkg.get("integrity"))
        entry["integrity"] = integrity
        out: dict[str, bytes] = {}
        for rel, digest in pkg["files"].items():
            if rel not in files:
                raise VendorError(f"{spec}: the package has no {rel} (it has: {', '.join(sorted(files))})")
            data = files[rel]
            if digest != sha256(data) and not update:
                raise VendorError(f"{spec}: {rel} does not match its sha256 in the manifest")
            entry["files"][rel] = sha256(data)
            out[rel] = data
        for name, text_spec in pkg.get("licence_texts", {}).items():
            (tmp / "lt").mkdir(exist_ok=True)
            lt_files, _ = fetch_package(text_spec["package"], tmp / "lt", None)
            raw = lt_files.get(text_spec["path"])
            if raw is None:
                raise VendorError(f"{text_spec['package']} has no {text_spec['path']}")
            data = json.loads(raw)[text_spec["key"]].encode("utf-8") if text_spec.get("key") else raw
            if text_spec.get("sha256") != sha256(data) and not update:
                raise VendorError(f"{name}: licence text does not match its sha256 in the manifest")
            entry["licence_texts"][name]["sha256"] = sha256(data)
            out[name] = data
    folder = vendor / pkg["name"]
    staging = vendor / f".{pkg['name'].replace('/', '__')}.new"
    shutil.rmtree(staging, ignore_errors=True)
    for rel, data in out.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(data)
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(folder)
    return entry


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="verify the committed files; no network, no npm")
    ap.add_argument("--update", action="store_true", help="record the hashes fetched (for a new or bumped entry)")
    ap.add_argument("--only", action="append", default=[], help="fetch only this package (repeatable)")
    ap.add_argument("--manifest", type=Path, default=MANIFEST)
    args = ap.parse_args(argv)
    vendor = args.manifest.parent
    try:
        packages = load_manifest(args.manifest)
        if args.check:
            problems = check(packages, vendor)
            for p in problems:
                print(f"vendor: {p}", file=sys.stderr)
            if problems:
                print("vendor: run `python scripts/vendor.py` to fetch the pinned files again", file=sys.stderr)
                return 1
            print(f"vendor: {len(packages)} package(s) match {args.manifest.name}")
            return 0
        unknown = set(args.only) - {p["name"] for p in packages}
        if unknown:
            raise VendorError(f"not in the manifest: {', '.join(sorted(unknown))}")
        doc = json.loads(args.manifest.read_text(encoding="utf-8"))
        for i, pkg in enumerate(packages):
            if args.only and pkg["name"] not in args.only:
                continue
            doc["packages"][i] = fetch(pkg, vendor, args.update)
            print(f"vendor: {pkg['name']}@{pkg['version']}: {len(expected_files(doc['packages'][i]))} files")
        if args.update:
            args.manifest.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        problems = check(load_manifest(args.manifest), vendor)
        if problems:
            raise VendorError("; ".join(problems))
    except VendorError as e:
        print(f"vendor: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
