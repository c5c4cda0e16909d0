"""Where the bundled ontology, graph data and queries are.

In a source checkout they are the top-level folders next to the package, so edits show up at
once; in an installed wheel they are copied under ``ip5graph/_bundled`` by the build step in
setup.py. The checkout is recognised by its pyproject.toml, so that an unrelated ``ontology``
folder beside site-packages is never picked up.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # ip5graph/ (this file is ip5graph/kg/resources.py)
SHAPES_NAME = "shapes.ttl"


def root() -> Path:
    """The folder that holds ontology/, graph_data/ and queries/."""
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "ontology").is_dir():
        return checkout
    return _PACKAGE / "_bundled"


def ontology_dir() -> Path:
    return root() / "ontology"


def data_dir() -> Path:
    return root() / "graph_data"


def queries_dir() -> Path:
    return root() / "queries"


def turtle_files(folder: Path) -> list[Path]:
    """The *.ttl files of a folder, sorted by name (a missing folder has none)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ttl") if p.is_file())


def ontology_files() -> list[Path]:
    """The ontology files that go into the queried graph: all but the SHACL shapes."""
    return [p for p in turtle_files(ontology_dir()) if p.name != SHAPES_NAME]


def shapes_file() -> Path | None:
    """ontology/shapes.ttl, or None while it does not exist."""
    path = ontology_dir() / SHAPES_NAME
    return path if path.is_file() else None


def data_files(dirs: list[Path] | None = None) -> list[Path]:
    """The graph data files: the bundled ones, or those under `dirs` (folders or files)."""
    if not dirs:
        return turtle_files(data_dir())
    files: list[Path] = []
    for d in dirs:
        files.extend([d] if d.is_file() else turtle_files(d))
    return files
