"""warta's archive: the SQLite store, search, export/import and Datasette metadata.

The archive receives Article records as plain mappings (see docs/article.md) and never imports `scraper`.
"""

import importlib.machinery
import sys
from types import ModuleType


class _SqliteUtilsWithoutDataframes:
    """Loads `sqlite_utils.db` with pandas and numpy out of sight, when it is first imported.

    sqlite-utils imports both whenever they are installed (the dev extra has pandas); the archive never hands it a
    DataFrame or a numpy value, and they cost ~0.8 s of CPU and ~55 MB in every process that opens an archive. A
    finder rather than an import here keeps sqlite-utils itself out of processes that only extract pages. A
    program that imported pandas already keeps it; one that imports it later gets it as usual. A finder and
    loader by protocol, not by subclassing `importlib.abc`, which would import importlib.resources, tempfile,
    shutil, bz2 and lzma into every process.
    """

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if name != "sqlite_utils.db":
            return None
        sys.meta_path.remove(self)  # once is enough; and the real finder must not find this one again
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None:
            self._real, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
        sys.modules.update(dict.fromkeys(blocked))
        try:
            self._real.exec_module(module)
        finally:
            for name in blocked:
                if sys.modules.get(name, ...) is None:
                    del sys.modules[name]


if "sqlite_utils.db" not in sys.modules:
    sys.meta_path.insert(0, _SqliteUtilsWithoutDataframes())
