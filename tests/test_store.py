"""The cached Oxigraph store: keyed by content, rebuilt only on change, published atomically."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from qhelpers import FIXTURES, ROOT

from ip5graph.errors import DataError
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import load_memory, load_rdflib, parse_errors
from ip5graph.kg.store import build_store, open_store, store_path


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(FIXTURES, d)
    return d


def test_fingerprint_follows_content_only(data_dir: Path) -> None:
    a = Inputs.default([data_dir]).fingerprint()
    assert Inputs.default([data_dir]).fingerprint() == a
    os.utime(data_dir / "people.ttl", (1, 1))  # touching a file does not change the key
    assert Inputs.default([data_dir]).fingerprint() == a
    with open(data_dir / "people.ttl", "a", encoding="utf-8") as f:
        f.write("\n# a comment changes the bytes\n")
    assert Inputs.default([data_dir]).fingerprint() != a


def test_fingerprint_memo_skips_reading_files_unchanged_since_hashed(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "digests"
    for f in data_dir.iterdir():
        os.utime(f, (1_000_000, 1_000_000))  # written long before they are hashed
    inputs = Inputs.default([data_dir])
    a = inputs.fingerprint(memo=memo)
    assert a == inputs.fingerprint()  # the same key with or without the memo
    import ip5graph.kg.inputs as inputs_module

    def no_reading(path: Path) -> bytes:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(inputs_module, "read_file", no_reading)
    assert inputs.fingerprint(memo=memo) == a  # ontology files may be recent: those are re-read
    monkeypatch.undo()
    with open(data_dir / "people.ttl", "a", encoding="utf-8") as f:
        f.write("\n# new bytes, new size and mtime\n")
    assert inputs.fingerprint(memo=memo) != a


def test_fingerprint_memo_does_not_trust_a_file_hashed_right_after_it_changed(data_dir: Path, tmp_path: Path) -> None:
    memo = tmp_path / "digests"
    people = data_dir / "people.ttl"
    os.utime(people)  # just edited
    inputs = Inputs.default([data_dir])
    a = inputs.fingerprint(memo=memo)
    stat = people.stat()
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("a", "b", 1), encoding="utf-8")  # same size
    os.utime(people, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert inputs.fingerprint(memo=memo) != a


def test_store_is_built_once_and_reused(data_dir: Path, tmp_path: Path) -> None:
    inputs = Inputs.default([data_dir])
    store = open_store(inputs, tmp_path / "cache")
    assert len(store) == sum(1 for _ in load_memory(inputs))
    link = store_path(inputs, tmp_path / "cache")
    first = os.readlink(link)
    del store
    open_store(inputs, tmp_path / "cache")
    assert os.readlink(link) == first  # not rebuilt
    leftovers = [p.name for p in link.parent.iterdir() if p.name.startswith(".build-")]
    assert leftovers == []


def test_store_rebuilt_when_data_changes(data_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = Inputs.default([data_dir])
    n_before = len(open_store(before, cache))
    (data_dir / "extra.ttl").write_text(
        '<https://w3id.org/ip5graph/id/place/tokyo> <http://www.w3.org/2000/01/rdf-schema#label> "Tokyo"@en .\n',
        encoding="utf-8",
    )
    after = Inputs.default([data_dir])
    assert after.fingerprint() != before.fingerprint()
    assert len(open_store(after, cache)) == n_before + 1


def test_store_is_read_only(data_dir: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = open_store(Inputs.default([data_dir]), tmp_path / "cache")
    with pytest.raises((OSError, RuntimeError)):
        store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))


def test_malformed_turtle_reports_file_line_column(data_dir: Path, tmp_path: Path) -> None:
    bad = data_dir / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        open_store(Inputs.default([data_dir]), tmp_path / "cache")
    assert str(e.value).startswith(f"{bad}:3:")
    with pytest.raises(DataError) as e2:
        load_rdflib(Inputs.default([data_dir]))
    assert str(e2.value) == str(e.value)
    assert parse_errors([bad]) == [str(e.value)]
    # nothing half-built is published
    stores = tmp_path / "cache" / "stores"
    assert not stores.exists() or not any(p.is_symlink() for p in stores.iterdir())


def test_missing_and_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file or directory"):
        Inputs.default([tmp_path / "nope"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="no .ttl files"):
        Inputs.default([empty])
    if os.geteuid() != 0:  # root reads anything
        f = tmp_path / "secret.ttl"
        f.write_text("", encoding="utf-8")
        f.chmod(0)
        with pytest.raises(DataError, match="cannot read"):
            Inputs.default([f]).fingerprint()


def test_rdflib_loads_the_same_triples(data_dir: Path) -> None:
    inputs = Inputs.default([data_dir])
    assert len(load_rdflib(inputs)) == len(load_memory(inputs))


@pytest.mark.long
def test_concurrent_readers_while_rebuilding(data_dir: Path, tmp_path: Path) -> None:
    """Two processes query the on-disk store in a loop while a third keeps rebuilding it: all succeed.

    The readers open the published store (store="cached") and are not allowed to build one of
    their own: each must always find a complete store, which only an atomic swap with a grace
    period before old stores are removed guarantees.
    """
    cache = tmp_path / "cache"
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(cache))
    reader = textwrap.dedent(f"""
        import ip5graph
        from ip5graph.kg import store

        def must_not_build(*args, **kwargs):
            raise AssertionError("a reader found no complete store to open")

        store.build_store = must_not_build
        for i in range(25):
            kg = ip5graph.open(data=[{str(data_dir)!r}], store="cached")
            n = kg.query("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}").rows[0][0].value
            assert int(n) > 800, n
            r = kg.query("03-meeting-participants", meeting="meeting:heads-2021")
            assert len(r.rows) == 3, r.rows
        print("ok")
    """)
    rebuilder = textwrap.dedent(f"""
        from ip5graph.kg.inputs import Inputs
        from ip5graph.kg.store import build_store
        inputs = Inputs.default([{str(data_dir)!r}])
        for i in range(30):
            build_store(inputs)
        print("ok")
    """)
    build_store(Inputs.default([data_dir]), cache / "ip5graph")  # the readers start on a built store
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for code in (reader, reader, rebuilder)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert out.strip() == "ok"


def test_a_store_found_before_a_rebuild_still_opens_after_it(data_dir: Path, tmp_path: Path) -> None:
    """A reader that has resolved the published store, but not opened it yet, when another process
    publishes a new one can still open what it found: old stores outlive a grace period."""
    import pyoxigraph as ox

    cache = tmp_path / "cache"
    inputs = Inputs.default([data_dir])
    build_store(inputs, cache)
    link = store_path(inputs, cache)
    found = link.parent / os.readlink(link)
    build_store(inputs, cache)
    assert link.parent / os.readlink(link) != found  # a new store is published
    assert len(ox.Store.read_only(str(found))) == len(load_memory(inputs))


def test_old_stores_are_pruned(data_dir: Path, tmp_path: Path) -> None:
    """Stores older than the grace time (an hour) beyond the newest four go when a store is built."""
    cache = tmp_path / "cache"
    links = []
    for i in range(7):
        (data_dir / "extra.ttl").write_text(
            f'<https://w3id.org/ip5graph/id/place/p{i}> <http://www.w3.org/2000/01/rdf-schema#label> "p{i}"@en .\n',
            encoding="utf-8",
        )
        inputs = Inputs.default([data_dir])
        build_store(inputs, cache)
        links.append(store_path(inputs, cache))
        if i == 5:  # six stores, all young: nothing removed yet
            assert all(link.is_symlink() for link in links)
            stores = links[0].parent
            month_ago = time.time() - 30 * 86400
            for j, link in enumerate(links):  # age them, oldest first
                os.utime(link, (month_ago - 10 * (6 - j),) * 2, follow_symlinks=False)
                os.utime(stores / os.readlink(link), (month_ago, month_ago))
    # the seventh build keeps the four newest: itself and the three youngest of the aged ones
    assert [link.is_symlink() for link in links] == [False, False, False, True, True, True, True]
    dirs = [p for p in stores.iterdir() if p.is_dir() and not p.is_symlink()]
    assert sorted(p.name for p in dirs) == sorted(os.readlink(link) for link in links[3:])
    assert len(open_store(Inputs.default([data_dir]), cache)) > 800  # the newest still opens
