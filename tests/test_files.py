"""The one place the project writes user files: whole or not at all, with umask permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ip5graph import files
from ip5graph.errors import UsageError


def test_write_replaces_the_whole_file_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old")
    old = os.umask(0o022)
    try:
        files.atomic_write_text(target, "new ✓")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(files.MissingFolderError, match="no such directory") as caught:
        files.atomic_write_bytes(tmp_path / "nope" / "x.ttl", b"data")
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2  # one line, exit 2 in the CLI
    assert not (tmp_path / "nope").exists()
