"""Parts of extraction rewritten for speed give exactly what their plain forms give (README "Benchmarks": the
JSON of `warta extract --all` is byte-identical before and after each speed change)."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from scraper.extract import site_profile, verdicts
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html

PAGES = Path(__file__).parent / "data" / "pages"
# The numeric-date order regex as first written: a look-behind, then `[0-3]?\d` as one group.
PLAIN_NUMERIC_DATE = re.compile(rb"(?<![\d/.-])([0-3]?\d)[/.-]([0-3]?\d)[/.-](?:19|20)\d\d(?![\d/.-])")


def plain_dates(raw: bytes) -> list[tuple[tuple[int, int], int, int]]:
    return [(match.span(), int(match[1]), int(match[2])) for match in PLAIN_NUMERIC_DATE.finditer(raw)]


def fast_dates(raw: bytes) -> list[tuple[tuple[int, int], int, int]]:
    return [(match.span(), int(match[1] + (match[2] or b"")), int(match[3]))
            for match in site_profile._NUMERIC_DATE.finditer(raw)]


def test_the_numeric_date_regex_matches_as_its_plain_form() -> None:
    chosen = random.Random(15)
    numbers = [b"1", b"4", b"9", b"03", b"12", b"15", b"31", b"40", b"123", b"1999", b"2021", b"20211"]
    others = [b"/", b".", b"-", b" ", b"x", b"//"]
    texts = [b"".join(chosen.choice(numbers if turn % 2 else others) for turn in range(chosen.randint(1, 9)))
             for _ in range(20_000)]
    separators = [b"/", b".", b"-"]
    texts += [b"".join((chosen.choice(others), chosen.choice(numbers), chosen.choice(separators),
                        chosen.choice(numbers), chosen.choice(separators), chosen.choice(numbers),
                        chosen.choice(others))) for _ in range(20_000)]
    texts += [b"15/03/2021 03/15/2021 1/2/2020 123/4/2020 4/5/20211 x31-12-1999.", b"", b"07.08.2024"]
    found = 0
    for text in texts:
        assert fast_dates(text) == plain_dates(text), text
        found += bool(plain_dates(text))
    assert found > 100                      # the random texts do hold dates


def plain_page_keys(tree, titles) -> site_profile.PageKeys:
    """page_keys as first written: every element in order, its tag and class read through `attrs`."""
    keys = {site_profile.title_key(title): (title, []) for title in titles if title}
    parents: dict[int, str] = {}
    for node in itertools.islice(tree.body.traverse(), site_profile.MAX_ELEMENTS):
        if node.tag in site_profile._SKIP_TAGS:
            continue
        text = node.text(deep=False)
        if not text or text.isspace():
            continue
        line = " ".join(text.split())
        if 3 <= len(line) <= 200:
            parent = node.parent
            if parent.mem_id not in parents:
                parents[parent.mem_id] = re.sub(r"\d+", "", f"{parent.tag}.{parent.attrs.get('class') or ''}")
            own = re.sub(r"\d+", "", node.attrs.get("class") or "")
            key = site_profile._key(f"{parents[parent.mem_id]}>{node.tag}.{own}\x00{line.casefold()}")
            keys.setdefault(key, (line, []))[1].append(node.mem_id)
    return keys


@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.html"))[:12])
def test_page_keys_are_those_of_the_plain_walk(name: str) -> None:
    tree = parse_bounded(decode_html((PAGES / name).read_bytes()))
    titles = ("Judul", "")
    keys = site_profile.page_keys(tree, titles)
    assert len(keys) > 3
    assert keys == plain_page_keys(tree, titles)


@pytest.mark.parametrize("name", verdicts._PARKING_SERVICES)
def test_every_parking_address_passes_the_three_scans(name: str) -> None:
    for page in (f"<p>caf\u00e9 {name.upper()}</p>", f"<p>{name}</p>" + "<p>Berita sekolah</p>" * 50):
        assert verdicts.placeholder_reason(page) == f"parked: the page comes from a domain parking service ({name})"
    assert verdicts.placeholder_reason(f"<p>{name[:-1]} {name[-1]}</p>") is None
