"""Extraction throughput and accuracy: `warta extract --all` (whole process) vs trafilatura vs a bare parse.

    .venv/bin/python benchmarks/bench_extract.py [--repeat N] [--rounds N] [--set PATH ...]
                                                 (or WARTA_BENCH_REPEAT/_ROUNDS)

Every HTML 200 response of the corpus WARCs (../shared/corpus) is extracted by one `warta extract --all`
subprocess (process start and WARC reading included; the WARC list is passed N times so start-up does not
dominate), and in this process by `trafilatura.bare_extraction(html, url=..., with_metadata=True)` and by a
bare selectolax parse. Throughput is pages per CPU second (user+sys; the machine is shared, so wall time is
printed too but is noisy; each variant keeps its best of --rounds); the baseline for the ratio is trafilatura
measured in the same run. warta runs with `--jobs 1` (one process, as trafilatura here), and once more with its
default `--jobs` (one worker process a core), whose line compares wall time, the CPU of its workers included
in its CPU column. Accuracy comes from untimed runs, one per site with its --tz.

Each `--set PATH` is an external evaluation set kept outside the repository (trafilatura's evaluation set, the
article-extraction-benchmark: see benchmarks/external_sets.py): warta, trafilatura and resiliparse are scored on
it, timed in this process, and its pages of 100 KB or more are extracted by one `warta extract --all` subprocess
(whole process, peak RSS) against `trafilatura.bare_extraction` on the same pages.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

import external_sets  # noqa: E402
from extract_scoring import load_truth, published_right, site_zone, token_f1, warc_paths  # noqa: E402
from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from archive.warc import iter_html_responses  # noqa: E402
from scraper.extract.decode import decode_html  # noqa: E402
from scraper.extract_files import default_jobs  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
WARTA = Path(sys.executable).with_name("warta")


def cpu_of(usage_before: resource.struct_rusage, usage_after: resource.struct_rusage) -> float:
    return (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)


def run_warta(args: list[str]) -> tuple[str, float, float]:
    """(stdout, CPU seconds, wall seconds) of one `warta extract` subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([str(WARTA), "extract", *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"warta extract failed ({result.returncode}): {result.stderr[-500:]}")
    return result.stdout, cpu_of(before, after), wall


# A small launcher reports the peak RSS of warta alone: measured from this (large) process, a forked child's
# maximum would include the pages this process had before the exec.
_PEAK_RSS = ("import resource, subprocess, sys; result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(result.returncode)")


def peak_rss_kib(args: list[str]) -> int:
    """Peak resident memory (KiB) of one `warta extract` run."""
    result = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(WARTA), "extract", *args],
                            capture_output=True, text=True, check=True)
    return int(result.stdout.split()[-1])


def records_per_site(paths: list[Path], zones: list[str]) -> list[dict]:
    """Every record of `warta extract --all --tz ZONE` run once per site (for accuracy, untimed)."""
    records = []
    for path, zone in zip(paths, zones, strict=True):
        stdout = run_warta(["--all", "--tz", zone, str(path)])[0]
        records.extend(json.loads(line) for line in stdout.splitlines())
    return records


def timed(function, pages) -> tuple[list, float, float]:
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    results = [function(page) for page in pages]
    wall = time.perf_counter() - started
    return results, cpu_of(before, resource.getrusage(resource.RUSAGE_SELF)), wall


def trafilatura_extract(response):
    import trafilatura

    document = trafilatura.bare_extraction(decode_html(response.body, response.content_type), url=response.url,
                                           with_metadata=True)
    if document is None:
        return None
    return {"title": document.title or "", "published": document.date, "body": document.text or ""}


def accuracy(outputs: list[tuple[str, dict | None]], truth: dict[str, dict]) -> dict[str, float]:
    """Title exact, published day right, exact time where the page shows one, mean body F1 over truth posts."""
    seen: dict[str, dict] = {}
    for url, record in outputs:
        row = truth.get(url) or (truth.get(record.get("url", "")) if record else None)
        if row is not None and record is not None and record.get("article", True) and row["url"] not in seen:
            seen[row["url"]] = {"row": row, "record": record}
    posts = len({row["url"] for row in truth.values()})
    found = list(seen.values())
    n = max(len(found), 1)
    return {
        "found": len(found) / posts,
        "title": sum(item["record"]["title"] == item["row"]["title"] for item in found) / n,
        "day": sum((item["record"].get("published") or "")[:10] == item["row"]["published"][:10]
                   for item in found) / n,
        "exact": sum(published_right(item["record"].get("published"), item["row"]) for item in found) / n,
        "body_f1": sum(token_f1(item["record"].get("body") or "", item["row"]["body"]) for item in found) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("WARTA_BENCH_REPEAT", "5")),
                        help="pass the WARC list this many times to warta (default 5)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("WARTA_BENCH_ROUNDS", "3")),
                        help="measure each variant this many times and keep its best (default 3)")
    parser.add_argument("--set", dest="sets", action="append", type=Path, default=[], metavar="PATH",
                        help="an external evaluation set's folder (repeatable)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    paths = warc_paths(CORPUS)
    pages = [response for path in paths for response in iter_html_responses(path)]
    truth = load_truth(CORPUS)
    print(f"{len(pages)} HTML pages in {len(paths)} WARCs; warta reads the list {args.repeat}x "
          f"({len(pages) * args.repeat} pages)\n")

    # The machine is shared: the variants take turns for --rounds rounds and each keeps its best round.
    warta_cpu = warta_wall = jobs_cpu = jobs_wall = traf_cpu = traf_wall = parse_cpu = parse_wall = float("inf")
    listed = [str(path) for path in paths * args.repeat]
    for _ in range(args.rounds):
        stdout, cpu, wall = run_warta(["--all", "--jobs", "1", *listed])
        assert len(stdout.splitlines()) == len(pages) * args.repeat
        warta_cpu, warta_wall = min(warta_cpu, cpu), min(warta_wall, wall)
        stdout, cpu, wall = run_warta(["--all", *listed])
        assert len(stdout.splitlines()) == len(pages) * args.repeat
        jobs_cpu, jobs_wall = min(jobs_cpu, cpu), min(jobs_wall, wall)
        traf, cpu, wall = timed(trafilatura_extract, pages)
        traf_cpu, traf_wall = min(traf_cpu, cpu), min(traf_wall, wall)
        _, cpu, wall = timed(lambda r: LexborHTMLParser(decode_html(r.body, r.content_type)), pages)
        parse_cpu, parse_wall = min(parse_cpu, cpu), min(parse_wall, wall)
    records = records_per_site(paths, [site_zone(truth, path) for path in paths])
    warta_rss = peak_rss_kib(["--all", "--jobs", "1", *listed])

    warta_rate = len(pages) * args.repeat / warta_cpu
    traf_rate = len(pages) / traf_cpu
    print(f"{'':34s}{'pages/s (CPU)':>15s}{'pages/s (wall)':>16s}{'vs trafilatura':>16s}")
    print(f"{'warta extract --all --jobs 1':34s}{warta_rate:15.0f}"
          f"{len(pages) * args.repeat / warta_wall:16.0f}{warta_rate / traf_rate:15.1f}x")
    jobs_wall_rate = len(pages) * args.repeat / jobs_wall
    print(f"{f'  the same, --jobs {default_jobs()} (wall ratio)':34s}{len(pages) * args.repeat / jobs_cpu:15.0f}"
          f"{jobs_wall_rate:16.0f}{jobs_wall_rate / (len(pages) / traf_wall):15.1f}x")
    print(f"{'trafilatura.bare_extraction':34s}{traf_rate:15.0f}{len(pages) / traf_wall:16.0f}{1.0:15.1f}x")
    print(f"{'bare selectolax parse':34s}{len(pages) / parse_cpu:15.0f}{len(pages) / parse_wall:16.0f}"
          f"{len(pages) / parse_cpu / traf_rate:15.1f}x")
    with tempfile.TemporaryDirectory() as folder:  # a one-page run: imports and start-up only
        blank = Path(folder) / "blank.html"
        blank.write_text("<html></html>")
        startup = min(run_warta(["--all", str(blank)])[1] for _ in range(3))
    kilobytes = sum(len(page.body) for page in pages) * args.repeat / 1000
    print(f"\nstart-up of a warta process: {startup * 1000:.0f} ms CPU (included above, once per run); "
          f"per page: {(warta_cpu - startup) / (len(pages) * args.repeat) * 1000:.2f} ms CPU "
          f"({(warta_cpu - startup) * 1000 / kilobytes:.3f} ms/KB; trafilatura {traf_cpu * 1000 / len(pages):.2f} ms, "
          f"{traf_cpu * 1000 * args.repeat / kilobytes:.3f} ms/KB)")
    print(f"peak memory of the warta subprocess: {warta_rss / 1024:.0f} MiB (ru_maxrss)")

    ours = accuracy([(record["source_url"], record if record.get("article", True) else None)
                     for record in records], truth)
    theirs = accuracy([(page.url, result) for page, result in zip(pages, traf, strict=True)], truth)
    print(f"\naccuracy on {len({row['url'] for row in truth.values()})} truth posts "
          "(found; of found: title exact, published day, exact time+offset where shown, mean body token F1)")
    for name, figures in (("warta", ours), ("trafilatura", theirs)):
        print(f"  {name:12s} found {figures['found']:.3f}  title {figures['title']:.3f}  day {figures['day']:.3f}"
              f"  exact {figures['exact']:.3f}  body F1 {figures['body_f1']:.3f}")
    if not args.sets:
        print("\nno external set given (--set PATH): trafilatura's evaluation set and the "
              "article-extraction-benchmark are not measured in this run")
    for path in args.sets:
        print()
        print("\n".join(external_sets.report(path, list(external_sets.EXTRACTORS))))
        if path.is_dir():
            print(large_pages_whole_process(path))


def large_pages_whole_process(path: Path) -> str:
    """One `warta extract --all` subprocess over the set's pages of >= 100 KB vs trafilatura.bare_extraction."""
    samples = external_sets.load_set(path).samples
    big = [samples[index] for index in external_sets.large(samples)]
    if not big:
        return "  no page of 100 KB or more in this set"
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, sample in enumerate(big):
            files.append(Path(folder) / f"{number}.html")
            files[-1].write_bytes(sample.html)
        _, cpu, _ = run_warta(["--all", "--jobs", "1", *map(str, files)])
        rss = peak_rss_kib(["--all", "--jobs", "1", *map(str, files)])
    before = resource.getrusage(resource.RUSAGE_SELF)
    for sample in big:
        trafilatura_bare(sample.html, sample.url)
    traf_cpu = cpu_of(before, resource.getrusage(resource.RUSAGE_SELF))
    kilobytes = sum(len(sample.html) for sample in big) / 1000
    return (f"  pages >= 100 KB ({len(big)}, mean {kilobytes / len(big):.0f} KB), whole process: warta "
            f"{len(big) / cpu:.1f} pages/s ({cpu * 1000 / kilobytes:.3f} ms/KB, peak RSS {rss / 1024:.0f} MiB) vs "
            f"trafilatura.bare_extraction {len(big) / traf_cpu:.1f} pages/s ({traf_cpu * 1000 / kilobytes:.3f} "
            f"ms/KB): {traf_cpu / cpu:.1f}x")


def trafilatura_bare(html: bytes, url: str) -> None:
    import trafilatura

    with contextlib.suppress(Exception):  # a failure on one page only costs its time
        trafilatura.bare_extraction(html, url=url, with_metadata=True)


if __name__ == "__main__":
    main()
