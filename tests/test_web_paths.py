"""Site paths stay inside the output folder; the final swap is atomic under SIGKILL; leftovers go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzcorpus import paths
from fuzzcorpus import paths as hostile_paths

from ip5graph.errors import UsageError
from ip5graph.web import paths as page_paths
from ip5graph.web import publish as site_paths


@pytest.mark.parametrize("case", paths(), ids=lambda c: c.name)
def test_every_hostile_iri_path_stays_inside_the_target(tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "site"
    root.mkdir()
    rel = page_paths.page_path("https://w3id.org/ip5graph/id/office/" + str(case.payload))
    page = site_paths.inside(root, rel)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("x")
    assert os.path.commonpath([root, page.resolve()]) == str(root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing written beside it


@pytest.mark.parametrize("rel", ["../x", "/etc/x", "a/../../b", "a\\b", "", "a//b", "./a"])
def test_inside_refuses_paths_that_could_leave(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UsageError):
        site_paths.inside(tmp_path, rel)


def test_a_device_is_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a regular file"):
        site_paths.check_output(Path("/dev/null"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError):
        site_paths.publish(tmp_path / "new", fifo)
    assert fifo.is_fifo()


_CHILD = """
import os, signal, sys, shutil
from pathlib import Path
from ip5graph.web import publish as paths
step = int(sys.argv[3]); calls = [0]
def tick():
    calls[0] += 1
    if calls[0] == step:
        os.kill(os.getpid(), signal.SIGKILL)
for name, mod in (("rename", os), ("rmtree", shutil)):
    orig = getattr(mod, name)
    def wrapped(*a, _orig=orig, **k):
        tick(); r = _orig(*a, **k); tick(); return r
    setattr(mod, name, wrapped)
orig_x = paths._exchange
def exchange(a, b):
    tick(); r = orig_x(a, b); tick(); return r
paths._exchange = exchange
work = paths.new_build_folder(Path(sys.argv[2]))
(work / "index.html").write_text(sys.argv[1])
paths.publish(work, Path(sys.argv[2]))
"""


@pytest.mark.parametrize("step", range(1, 9))
def test_sigkill_at_every_step_of_the_swap_leaves_a_complete_site(tmp_path: Path, step: int) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("OLD")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run([sys.executable, "-c", _CHILD, "NEW", str(target), str(step)], env=env)
    assert proc.returncode in (0, -signal.SIGKILL)
    assert (target / "index.html").read_text() in ("OLD", "NEW")
    # the next build cleans up what the killed one left
    site_paths.new_build_folder(target).rmdir()
    left = [p.name for p in tmp_path.iterdir() if p.name != "site"]
    assert left == []


def test_a_site_build_with_hostile_iris_writes_nothing_outside_the_target(tmp_path: Path) -> None:
    import shutil

    from netgraph import FIXTURE

    import ip5graph
    from ip5graph.web import site

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data) if Path(FIXTURE).is_dir() else (data.mkdir(), shutil.copy(FIXTURE, data))
    ids = "https://w3id.org/ip5graph/id/"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#label"
    lines = []
    for i, case in enumerate(hostile_paths()):
        iri = f"{ids}office/{case.payload}"
        if any(c in iri for c in ' <>"{}|^`\\'):
            continue
        lines.append(f'<{iri}> <{rdfs}> "Hostile {i}"@en .')
        lines.append(f"<{iri}> a <https://w3id.org/ip5graph/ontology#Office> .")
    (data / "hostile.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "site"
    (tmp_path / "out").mkdir()
    before = sorted(str(p) for p in tmp_path.rglob("*") if "out" not in p.parts)
    report = site.build_site(ip5graph.open(data=[data]), out)
    after = sorted(str(p) for p in tmp_path.rglob("*") if "out" not in p.parts)
    assert after == before  # nothing new beside the site, nothing under data/
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]
    for rel in report.files:
        assert os.path.commonpath([out, (out / rel).resolve()]) == str(out)
