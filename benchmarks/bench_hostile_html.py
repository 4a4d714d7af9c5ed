"""Worst cases of extraction on hostile markup: seconds and peak memory per page, against an ordinary article page of
the same size (the baseline, measured in the same run), so the ratio says what the hostility costs.

Cases: 100,000 nested `<div>`s, `<ul><li>`s and distinct formatting tags, table/list/inline nesting, a million
attributes in one tag, a 20 MB data: URI, 100,000 links, a 10 MB word and a 10 MB script. Each case runs in a fresh
process (peak RSS is the process's own). Also printed: the share of extraction time the markup bounds
(`scraper/extract/bounds.py`) take on the corpus pages, when ../shared/corpus is present.

    .venv/bin/python benchmarks/bench_hostile_html.py [--scale 1.0]     (--scale 0.1 for a quick look)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

URL = "https://sman1contoh.sch.id/berita/kegiatan-sekolah/"
HEAD = ("<html><head><title>Uji | SMAN 1</title></head><body><h1>Uji</h1>"
        "<div class='meta'>Diposting: Senin, 3 Maret 2025</div>")
PARAGRAPH = "<p>Siswa melaksanakan praktik kerja lapangan di industri mitra sekolah selama tiga bulan penuh.</p>"


def case(name: str, scale: float) -> str:
    """The markup of case `name` at `scale` (1.0: the sizes named in the docstring)."""
    n = max(1, int(100_000 * scale))
    cases = {
        "nested div": lambda: HEAD + "<div>" * n + PARAGRAPH + "</div>" * n,
        "nested ul/li": lambda: HEAD + "<ul><li>" * n + PARAGRAPH,
        "distinct formatting tags": lambda: HEAD + "".join(f"<b id={i}>x" for i in range(n)) + PARAGRAPH,
        "table/list/inline nesting": lambda: HEAD + "<table><tr><td><ul><li><b><i><a href='/x'>" * (n // 8)
        + PARAGRAPH,
        "1M attributes": lambda: HEAD + "<p " + " ".join(f"a{i}=x" for i in range(10 * n)) + ">x</p>" + PARAGRAPH,
        "20 MB data URI": lambda: HEAD + "<img src='data:image/png;base64," + "A" * (200 * n) + "'>" + PARAGRAPH,
        "100k links": lambda: HEAD + "".join(f"<a href='/berita/{i}'>berita {i}</a>" for i in range(n)) + PARAGRAPH,
        "10 MB word": lambda: HEAD + "<p>" + "a" * (100 * n) + "</p>",
        "10 MB script": lambda: HEAD + "<script>" + "var a=1;" * (12 * n) + "</script>" + PARAGRAPH,
    }
    return cases[name]()


def baseline(size: int) -> str:
    """An ordinary article page of about `size` characters."""
    return HEAD + PARAGRAPH * max(1, size // len(PARAGRAPH)) + "</body></html>"


CASES = ["nested div", "nested ul/li", "distinct formatting tags", "table/list/inline nesting", "1M attributes",
         "20 MB data URI", "100k links", "10 MB word", "10 MB script"]
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
sys.path.insert(0, {bench!r})
from bench_hostile_html import URL, baseline, case
from scraper.extract import extract_page
markup = (case({name!r}, {scale}) if {hostile} else baseline(len(case({name!r}, {scale})))).encode()
started = time.perf_counter()
page = extract_page(markup, URL)
print(json.dumps({{"seconds": time.perf_counter() - started, "mb": len(markup) / 1e6,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "result": "article" if page.article else page.reason}}))
"""


def measure(name: str, scale: float, hostile: bool) -> dict:
    code = CHILD.format(repo=str(REPO), bench=str(REPO / "benchmarks"), name=name, scale=scale, hostile=hostile)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=900)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bounds_share() -> str:
    """Share of extraction time spent in the markup bounds over the corpus pages: what `parse_bounded` (the parse
    extraction uses) costs beyond a bare lexbor parse of the same text."""
    import time

    from selectolax.lexbor import LexborHTMLParser

    from archive.warc import iter_html_responses
    from scraper.extract import extract_page
    from scraper.extract.bounds import parse_bounded

    pages = [(r.body, r.url) for w in sorted((REPO.parent / "shared" / "corpus").glob("*/*.warc.gz"))
             for r in iter_html_responses(w)]
    if not pages:
        return "corpus absent: bounds share not measured"
    bare = bounded = extraction = 0.0
    for body, url in pages:
        text = body.decode("utf-8", "replace")
        started = time.perf_counter()
        LexborHTMLParser(text)
        bare += time.perf_counter() - started
        started = time.perf_counter()
        parse_bounded(text)
        bounded += time.perf_counter() - started
        started = time.perf_counter()
        extract_page(body, url)
        extraction += time.perf_counter() - started
    bounds = bounded - bare
    return (f"{len(pages)} corpus pages: bounds (parse_bounded minus a bare lexbor parse) "
            f"{bounds / len(pages) * 1000:.2f} ms/page, {bounds / extraction:.0%} of extraction time "
            f"({extraction / len(pages) * 1000:.2f} ms/page)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor of every case (default 1.0)")
    scale = parser.parse_args().scale
    print(f"{'case':28s} {'MB':>6s} {'s':>7s} {'baseline s':>10s} {'ratio':>6s} {'RSS MB':>7s} {'base RSS':>8s}"
          "  result")
    for name in CASES:
        hostile, ordinary = measure(name, scale, True), measure(name, scale, False)
        ratio = hostile["seconds"] / max(ordinary["seconds"], 1e-6)
        print(f"{name:28s} {hostile['mb']:6.1f} {hostile['seconds']:7.2f} {ordinary['seconds']:10.2f} {ratio:6.1f} "
              f"{hostile['rss']:7.0f} {ordinary['rss']:8.0f}  {hostile['result']}", flush=True)
    print(bounds_share())


if __name__ == "__main__":
    main()
