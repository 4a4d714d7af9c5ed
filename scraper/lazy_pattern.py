"""Regular expressions compiled when first used.

`re.compile` runs in Python (0.5–4 ms a pattern of a few hundred characters), and a module-level pattern is paid
for by every process at import. A pattern only some pages need (a fallback, a rare page kind, a spam check that
only a suspicious page reaches) is compiled by the first page that does instead.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Generic

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern(Generic[AnyStr]):
    """`re.compile(pattern, flags)`, compiled at the first call of one of its methods, which then are the compiled
    pattern's own (no cost per call after the first)."""

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # reached only while the methods are not yet set (and for names a pattern does not have)
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
