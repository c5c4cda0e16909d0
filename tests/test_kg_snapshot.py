"""The cache key and the loaded bytes come from one read; the memo is not fooled by restored mtimes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ip5graph.errors import DataError
from ip5graph.kg import snapshot


def _old(path: Path) -> None:
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # long ago, so the memo trusts it


@pytest.fixture(autouse=True)
def _trust_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the memo normally distrusts files changed in the last 2 s; these tests need it to trust them
    monkeypatch.setattr(snapshot, "RACY_NS", 0)


def test_a_same_size_same_mtime_rewrite_is_seen(tmp_path: Path) -> None:
    f = tmp_path / "a.ttl"
    f.write_text("VERSION-A")
    _old(f)
    snap, fresh = snapshot.digest_files((f,), {}, keep_bytes=False)
    first = snap.digests[f]
    st = os.stat(f)
    f.write_text("VERSION-B")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old mtime put back, as cp -p does
    assert os.stat(f).st_mtime_ns == st.st_mtime_ns and os.stat(f).st_size == st.st_size
    again, _ = snapshot.digest_files((f,), fresh, keep_bytes=True)
    assert again.digests[f] != first
    assert again.bytes_of(f) == b"VERSION-B"


def test_the_bytes_loaded_are_the_bytes_hashed(tmp_path: Path) -> None:
    f = tmp_path / "a.ttl"
    f.write_text("VERSION-A")
    snap, _ = snapshot.digest_files((f,), {}, keep_bytes=True)
    f.write_text("VERSION-B")  # rewritten between hashing and building
    assert snap.bytes_of(f) == b"VERSION-A"


def test_a_memo_hit_that_changed_since_is_caught(tmp_path: Path) -> None:
    f = tmp_path / "a.ttl"
    f.write_text("VERSION-A")
    _old(f)
    _, fresh = snapshot.digest_files((f,), {}, keep_bytes=False)
    snap, _ = snapshot.digest_files((f,), fresh, keep_bytes=True)
    assert f not in snap.data  # from the memo, not read
    f.write_text("VERSION-B")
    with pytest.raises(DataError, match="changed while"):
        snap.bytes_of(f)


def test_the_memo_round_trips(tmp_path: Path) -> None:
    f = tmp_path / "a.ttl"
    f.write_text("x")
    _old(f)
    _, fresh = snapshot.digest_files((f,), {}, keep_bytes=False)
    memo = tmp_path / "memo"
    snapshot.write_memo(memo, fresh)
    assert snapshot.read_memo(memo) == fresh


def _answer(inputs, cache: Path) -> str:  # type: ignore[no-untyped-def]
    from ip5graph.kg.store import open_store

    store = open_store(inputs, cache)
    rows = list(store.query("SELECT ?o WHERE { <http://e/s> <http://e/p> ?o }"))
    return rows[0]["o"].value if rows else ""


def test_the_store_answers_fresh_after_a_same_size_same_mtime_rewrite(tmp_path: Path) -> None:
    from ip5graph.kg.inputs import Inputs

    data = tmp_path / "data"
    data.mkdir()
    f = data / "a.ttl"
    f.write_text('<http://e/s> <http://e/p> "VERSION-A" .\n')
    _old(f)
    inputs = Inputs((f,))
    cache = tmp_path / "cache"
    assert _answer(inputs, cache) == "VERSION-A"
    assert _answer(inputs, cache) == "VERSION-A"  # now from the memo
    st = os.stat(f)
    f.write_text('<http://e/s> <http://e/p> "VERSION-B" .\n')
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _answer(inputs, cache) == "VERSION-B"


def test_a_rewrite_between_hashing_and_loading_cannot_put_new_data_under_the_old_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ip5graph.kg.inputs import Inputs

    monkeypatch.setattr(snapshot, "RACY_NS", 2_000_000_000)  # as shipped: a fresh file is always hashed
    f = tmp_path / "a.ttl"
    version_a = '<http://e/s> <http://e/p> "VERSION-A" .\n'
    f.write_text(version_a)
    inputs = Inputs((f,))
    real = snapshot.digest_files

    def racing(files, memo, keep_bytes):  # type: ignore[no-untyped-def]
        out = real(files, memo, keep_bytes)
        if keep_bytes:  # the build's read: the file changes right after it was hashed
            f.write_text('<http://e/s> <http://e/p> "VERSION-B" .\n')
        return out

    monkeypatch.setattr("ip5graph.kg.inputs.digest_files", racing)
    cache = tmp_path / "cache"
    _answer(inputs, cache)  # builds the store for VERSION-A's key while the file turns into B
    monkeypatch.setattr("ip5graph.kg.inputs.digest_files", real)
    assert _answer(inputs, cache) == "VERSION-B"  # the file holds B now
    f.write_text(version_a)  # back to A: A's key must hold A, not the B read during its build
    assert _answer(inputs, cache) == "VERSION-A"
