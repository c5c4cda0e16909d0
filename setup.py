"""Build step: copy ontology/, graph_data/ and queries/ into the wheel as ip5graph/_bundled.

Why a build step: those folders live at the top of the repository (where the other tools and
the acceptance harness expect them), but an installed package must carry them.
ip5graph/kg/resources.py finds them in either place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = {"ontology": "*.ttl", "graph_data": "*.ttl", "queries": "*.rq"}


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "ip5graph" / "_bundled"
        for folder, pattern in BUNDLED.items():
            dest = target / folder
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir(parents=True, exist_ok=True)
            for src in sorted((HERE / folder).glob(pattern)):
                shutil.copy2(src, dest / src.name)


setup(cmdclass={"build_py": BuildWithData})
