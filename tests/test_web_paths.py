"""Site paths stay inside the output folder; the final swap is atomic under SIGKILL; leftovers go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzcorpus import paths

from ip5graph.errors import UsageError
from ip5graph.web import paths as site_paths


@pytest.mark.parametrize("case", paths(), ids=lambda c: c.name)
def test_every_hostile_iri_path_stays_inside_the_target(tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "site"
    root.mkdir()
    page = site_paths.confined(root, ["entity", *str(case.payload).split("/"), "index.html"])
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("x")
    assert os.path.commonpath([root, page.resolve()]) == str(root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing written beside it


def test_segments_are_encoded_not_dropped() -> None:
    assert site_paths.segment("..") == "%2E%2E"
    assert site_paths.segment("a/b") == "a%2Fb"
    assert site_paths.segment("jpo") == "jpo"


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
from ip5graph.web import paths
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
