"""Publication day on htmldate's evaluation set: warta vs htmldate, in one run.

    .venv/bin/python benchmarks/bench_htmldate.py PATH [--warta-only] [--limit N] [--errors]

PATH is a checkout (or copy) of htmldate's `tests/` folder: `eval_default.json` and `eval_mediacloud_2020.json`
(URL → {"file", "date"}) beside the `test_set/`, `cache/` and `eval/` folders of pages. The set stays outside
this repository; it is a check, never development material.

warta: `extract_page(bytes, url)`; the day is the date as the page wrote it (its `published_text` read again,
so a UTC timestamp is not moved into the site's zone). Two figures: "articles" counts only the dates of pages
warta archives as articles (a page it rejects counts as undated); "every page" dates the others too, from
`Page.published` (the evidence found before the verdict) or, for pages rejected before dating ran, from the
page-level evidence alone (metadata, permalink, date-marked elements), i.e. warta's dating, whatever the verdict.
htmldate: `find_date(html, original_date=True, extensive_search=True)`, as its own comparison.py runs it
(without the URL).
A page counts as right when the day equals the label (a page labelled without a date is right when none is given).
The pages dated right but refused are counted by warta's verdict (static page, home, listing, ...): what
separates the two figures. `--errors` lists each page warta gets wrong with its kind of miss (`silent`: no date at
all; `wrong:SOURCE`: a wrong day from that evidence) and whether htmldate got it right, to look at kinds of pages,
not single pages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from scraper.dates import parse_date
from scraper.extract import dating
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html
from scraper.extract.metadata import read_meta
from scraper.extract.page import extract_page

LABEL_FILES = ("eval_mediacloud_2020.json", "eval_default.json")
PAGE_FOLDERS = ("test_set", "cache", "eval")


def load_set(root: Path) -> list[tuple[str, Path, str | None]]:
    """(url, page file, labelled day) for every labelled page whose file is present."""
    labels: dict[str, dict] = {}
    for name in LABEL_FILES:
        labels.update(json.loads((root / name).read_text(encoding="utf-8")))
    pages = []
    for url, label in labels.items():
        for folder in PAGE_FOLDERS:
            if (path := root / folder / label["file"]).is_file():
                pages.append((url, path, label.get("date")))
                break
    return pages


def _page_level(content: bytes, url: str) -> dating.DateEvidence | None:
    tree = parse_bounded(decode_html(content, None))
    published, _ = dating.published_date(read_meta(tree, url), None, None, None, "", url, {url}, "Asia/Jakarta",
                                         root=tree.body)
    return published


def warta_day(content: bytes, url: str) -> tuple[str | None, str, str | None]:
    """(day as written, evidence source or the reason there is none, the verdict: None when archived, else why
    the page was refused)."""
    page = extract_page(content, url, with_links=False)
    evidence = page.article
    if evidence is not None and evidence.published:
        text, value, source = evidence.published_text, evidence.published, evidence.published_source
    elif (found := page.published or _page_level(content, url)) is not None:
        text, value, source = found.text, found.value, found.source
    else:
        return None, page.reason or "no date", page.reason or "no date"
    written = parse_date(text or "") if source != "url" else None
    return (written.date.isoformat() if written else value[:10]), source, page.reason if evidence is None else None


def htmldate_day(content: bytes) -> str | None:
    from htmldate import find_date

    html = content.decode("utf-8", errors="replace")
    try:
        return find_date(html, original_date=True, extensive_search=True)
    except (ValueError, TypeError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="htmldate's tests/ folder (labels and pages)")
    parser.add_argument("--warta-only", action="store_true", help="skip htmldate (it is ~10x slower)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--errors", action="store_true", help="list every page warta misses with its kind of miss")
    args = parser.parse_args()
    if not (args.path / LABEL_FILES[0]).is_file():
        sys.exit(f"no htmldate evaluation set at {args.path} (expected {LABEL_FILES[0]} there): nothing measured")
    pages = load_set(args.path)[: args.limit or None]
    right = {"warta": 0, "htmldate": 0, "articles": 0}
    seconds = {"warta": 0.0, "htmldate": 0.0}
    sources: Counter[str] = Counter()
    wrong_sources: Counter[str] = Counter()
    refused_but_dated: Counter[str] = Counter()   # the day is right but the page is not archived: why
    for url, path, label in pages:
        content = path.read_bytes()
        started = time.perf_counter()
        day, source, refusal = warta_day(content, url)
        seconds["warta"] += time.perf_counter() - started
        sources[source if day else "none"] += 1
        right["warta"] += day == label
        right["articles"] += day == label if refusal is None else label is None
        if refusal is not None and day == label and label is not None:
            refused_but_dated[refusal] += 1
        other = None
        if not args.warta_only:
            started = time.perf_counter()
            other = htmldate_day(content)
            right["htmldate"] += other == label
            seconds["htmldate"] += time.perf_counter() - started
        if day != label:
            wrong_sources[source if day else "none"] += 1
            if args.errors:
                kind = f"wrong:{source}" if day else "silent"
                verdict = "" if args.warta_only else ("htmldate-right" if other == label else "htmldate-wrong")
                print(f"{kind}\t{verdict}\tlabel={label}\twarta={day}\thtmldate={other}\t{path.name}\t{url}")
    print(f"htmldate evaluation set: {len(pages)} labelled pages")
    print(f"  warta     publication day {right['warta'] / len(pages):.3f} every page, "
          f"{right['articles'] / len(pages):.3f} archived articles only  ({seconds['warta']:.1f} s)")
    if not args.warta_only:
        print(f"  htmldate  publication day {right['htmldate'] / len(pages):.3f}  ({seconds['htmldate']:.1f} s)")
    print(f"  warta evidence used: {dict(sources.most_common())}")
    print(f"  warta misses by evidence: {dict(wrong_sources.most_common())}")
    print(f"  dated right but not archived, by verdict: {dict(refused_but_dated.most_common())}")


if __name__ == "__main__":
    main()
