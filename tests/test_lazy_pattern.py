"""A LazyPattern compiles at its first use and then answers exactly as `re.compile` of the same source."""

from __future__ import annotations

import re

import pytest

from scraper.lazy_pattern import LazyPattern


def test_nothing_is_compiled_before_the_first_call() -> None:
    lazy = LazyPattern(r"(\d+) (hari|minggu)", re.IGNORECASE)
    assert "search" not in vars(lazy)
    assert lazy.search("3 HARI lalu")[2] == "HARI"
    assert isinstance(vars(lazy)["finditer"].__self__, re.Pattern)


@pytest.mark.parametrize("source", [r"\b(?:judi|slot)\b", rb"\.com(?=/)", r"(?<![\w])(\d{1,2})[:.](\d{2})"])
def test_every_method_answers_as_the_compiled_pattern(source: str | bytes) -> None:
    text = "Slot judi 08.30, 7:15 slot" if isinstance(source, str) else b"a.com/x b.com c.com/"
    lazy, compiled = LazyPattern(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert lazy.pattern == compiled.pattern
    for method in ("search", "match", "fullmatch", "findall", "split"):
        got, expected = getattr(lazy, method)(text), getattr(compiled, method)(text)
        assert (got and got[0] if isinstance(got, re.Match) else got) == (
            expected and expected[0] if isinstance(expected, re.Match) else expected)
    assert [found.span() for found in lazy.finditer(text)] == [found.span() for found in compiled.finditer(text)]
    replacement = "-" if isinstance(source, str) else b"-"
    assert lazy.subn(replacement, text) == compiled.subn(replacement, text)
    assert lazy.sub(replacement, text, count=1) == compiled.sub(replacement, text, count=1)


def test_a_name_no_pattern_has_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        LazyPattern("x").no_such_method  # noqa: B018 - the attribute access is what is tested
    with pytest.raises(AttributeError):
        LazyPattern("x")._private  # noqa: B018
