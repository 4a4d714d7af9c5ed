"""Pages/s and peak memory of the whole crawl pipeline (discover → fetch → WARC → extract → store), delay 0.

A demo server (scraper/demo.py) runs in its own process on 127.0.0.1 and serves H synthetic WordPress-like school
sites of P posts each (home and category pagination, sitemaps, feed, REST API, post pages). Each variant runs in a
fresh process so its peak RSS is its own:
- `httpx` (baseline): a bare `httpx.AsyncClient` loop fetching exactly the URLs the pipeline fetched (GETs), one
  coroutine per host, 16 hosts at a time like the crawler: no robots, no extraction, no storage;
- `warta crawl`: the real CLI (its click command, in a child process), pointed at the server through HTTP_PROXY.
It prints pages/s of each, the ratio pipeline/baseline, the CPU time per request of each (whole process) and the
peak RSS of each, and where the crawl's CPU went, per stage. The stages are measured with each thread's own CPU
clock (`time.thread_time`) around the functions that do them, wrapped from outside for the benchmark only:
startup (the interpreter and the imports, until the crawl command starts), capture (`WarcWriter.write`),
extraction (`extract_page`, in worker threads), discovery parsing (`discover.parse_*`), storage (all the archive
thread does: saving articles, the crawl state, and the commits of the shared transactions); fetch is the rest of
the process's CPU (httpx, the event loop and the crawl's own bookkeeping).

    .venv/bin/python benchmarks/bench_crawl.py [--hosts 20] [--posts 100]   (≈ 5,800 pages; full size: --hosts 50)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PARALLEL = 16
SENTENCES = ("Siswa SMK melaksanakan praktik kerja lapangan di industri mitra sekolah selama tiga bulan.",
             "Kepala sekolah menandatangani nota kesepahaman dengan perusahaan untuk kelas industri.",
             "Para guru produktif mendampingi siswa selama kegiatan berlangsung di bengkel praktik.",
             "Kegiatan ini diharapkan meningkatkan kompetensi lulusan sesuai kebutuhan dunia kerja.")


def synthetic_sites(hosts: int, posts: int) -> list[dict]:
    """`hosts` WordPress-like sites with `posts` posts each, in the demo server's format."""
    sites = []
    for h in range(hosts):
        items = []
        for n in range(posts):
            day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{8 + n % 9:02d}:00:00"
            body = [" ".join(SENTENCES[(n + k) % 4] for k in range(3)) + f" Berita nomor {n}." for _ in range(6)]
            items.append({"id": 100 + n, "slug": f"berita-sekolah-nomor-{n}", "title": f"Berita Sekolah Nomor {n}",
                          "date": day, "modified": day, "categories": [["berita", "prestasi", "kerja-sama"][n % 3]],
                          "author": "Humas", "body": body})
        sites.append({"host": f"bench-{h:03d}.test", "name": f"Sekolah {h}", "cms": "wordpress",
                      "timezone": "Asia/Jakarta", "region": None, "pages": [],
                      "categories": {"berita": "Berita", "prestasi": "Prestasi", "kerja-sama": "Kerja Sama"},
                      "posts": items})
    return sites


def serve(hosts: int, posts: int, urls: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    """Child process: the demo server with the synthetic sites, until told to stop."""
    from scraper.demo import DemoServer

    with DemoServer(synthetic_sites(hosts, posts)) as server:
        urls.put(server.url)
        stop.wait()


def write_config(directory: Path, hosts: int) -> Path:
    sites = "".join(f'\n[[site]]\nname = "Sekolah {h}"\nurl = "http://bench-{h:03d}.test/"\ntimezone = "Asia/Jakarta"\n'
                    for h in range(hosts))
    path = directory / "config.toml"
    path.write_text(f'[archive]\npath = "archive.db"\ncaptures = "captures/"\n[crawl]\ndelay = 0\n'
                    f"hosts_in_parallel = {PARALLEL}\nmax_pages_per_site = 100000\n{sites}")
    return path


class StageClocks:
    """CPU seconds per crawl stage, each call timed by its own thread's CPU clock."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def timed(self, stage: str, function: Callable) -> Callable:
        @wraps(function)
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.thread_time() - started
                with self._lock:
                    self.seconds[stage] += spent
        return timed_call

    def install(self) -> None:
        """Wrap the functions of each stage (in this benchmark's process only)."""
        from archive.store import save_labelled
        from scraper.crawl import capture, discover, pages, writer

        capture.WarcWriter.write = self.timed("capture", capture.WarcWriter.write)
        pages.extract_page = self.timed("extraction", pages.extract_page)
        for name in [name for name in vars(discover) if name.startswith("parse_")]:
            setattr(discover, name, self.timed("discovery", getattr(discover, name)))
        run = writer.ArchiveWorker._run
        timed_articles, timed_state = self.timed("storage: articles", run), self.timed("storage: crawl state", run)

        def timed_run(worker: Any, function: Callable, args: tuple, kwargs: dict) -> Any:
            # The whole call in the archive thread: the savepoint of the shared transaction too.
            return (timed_articles if function is save_labelled else timed_state)(worker, function, args, kwargs)

        writer.ArchiveWorker._run = timed_run
        writer.ArchiveWorker._commit = self.timed("storage: commits", writer.ArchiveWorker._commit)


def crawl_with_clocks(config: str, out: str) -> None:
    """Child process: `warta crawl --config CONFIG` with the stage clocks on; writes their figures to OUT."""
    import scraper.crawl.progress
    import scraper.crawl.registry
    import scraper.crawl.run  # noqa: F401 - what the crawl command imports, counted in its startup
    from scraper.cli import cli

    clocks = StageClocks()
    clocks.install()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    clocks.seconds["startup (interpreter, imports)"] = usage.ru_utime + usage.ru_stime
    try:
        cli.main(["crawl", "--config", config])      # exits with the command's exit code
    finally:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        Path(out).write_text(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss,
                                         "stages": clocks.seconds}))


def run_pipeline(directory: Path, proxy: str, hosts: int) -> tuple[float, int, dict]:
    """`warta crawl` in a child process: seconds, pages fetched, and its CPU, peak RSS (KiB) and stages."""
    env = {**os.environ, "HTTP_PROXY": proxy, "NO_PROXY": ""}
    figures = directory / "crawl-figures.json"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--crawl-child", str(write_config(directory, hosts)),
                             str(figures)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"warta crawl failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-2000:]}")
    with sqlite3.connect(directory / "archive.db") as conn:
        pages = conn.execute("SELECT pages_fetched FROM crawl_runs").fetchone()[0]
    return seconds, pages, json.loads(figures.read_text())


BASELINE = """
import asyncio, json, resource, sys, time
import httpx
urls_by_host, proxy, parallel = json.loads(sys.stdin.read())
async def main():
    gate = asyncio.Semaphore(parallel)
    async with httpx.AsyncClient(proxy=proxy, timeout=30, trust_env=False) as client:
        async def host(urls):
            async with gate:
                for url in urls:
                    await client.get(url)
        started = time.perf_counter()
        await asyncio.gather(*(host(urls) for urls in urls_by_host.values()))
        return time.perf_counter() - started
seconds = asyncio.run(main())
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def run_baseline(directory: Path, proxy: str) -> tuple[float, int, float, int]:
    """The same GETs with a bare httpx loop in a child process: seconds, requests, CPU seconds, peak RSS (KiB)."""
    with sqlite3.connect(directory / "archive.db") as conn:
        rows = conn.execute("SELECT url FROM fetches WHERE method = 'GET' ORDER BY id").fetchall()
    by_host: dict[str, list[str]] = {}
    for (url,) in rows:
        by_host.setdefault(url.split("/")[2], []).append(url)
    result = subprocess.run([sys.executable, "-c", BASELINE], input=json.dumps([by_host, proxy, PARALLEL]),
                            capture_output=True, text=True, check=True)
    seconds, cpu, rss = json.loads(result.stdout)
    return seconds, len(rows), cpu, rss


def main() -> None:
    if sys.argv[1:2] == ["--crawl-child"]:
        crawl_with_clocks(*sys.argv[2:4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=int(os.environ.get("BENCH_HOSTS", 20)))
    parser.add_argument("--posts", type=int, default=int(os.environ.get("BENCH_POSTS", 100)))
    args = parser.parse_args()
    urls: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(args.hosts, args.posts, urls, stop), daemon=True)
    server.start()
    proxy = urls.get(timeout=60)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            seconds, pages, crawl = run_pipeline(directory, proxy, args.hosts)
            base_seconds, requests, base_cpu, base_rss = run_baseline(directory, proxy)
            with sqlite3.connect(directory / "archive.db") as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        stop.set()
        server.join(timeout=10)
    print(f"synthetic sites: {args.hosts} hosts x {args.posts} posts, delay 0, {PARALLEL} hosts in parallel")
    print(f"  httpx loop (baseline): {requests} GETs in {base_seconds:.1f} s = {requests / base_seconds:.0f} pages/s, "
          f"{base_cpu / requests * 1000:.2f} ms CPU/request, peak RSS {base_rss / 1024:.0f} MiB")
    print(f"  warta crawl          : {pages} pages in {seconds:.1f} s = {pages / seconds:.0f} pages/s, "
          f"{crawl['cpu'] / pages * 1000:.2f} ms CPU/request, peak RSS {crawl['rss'] / 1024:.0f} MiB, "
          f"{stored} articles stored")
    print(f"  ratio warta/baseline : {(pages / seconds) / (requests / base_seconds):.2f} of the baseline's pages/s")
    stages = crawl["stages"]
    stages = {"fetch (httpx, event loop, crawl bookkeeping)": crawl["cpu"] - sum(stages.values()), **stages}
    print("  warta crawl's CPU per request, by stage:")
    for stage, cpu in stages.items():
        print(f"    {stage:<46} {cpu / pages * 1000:5.2f} ms  {cpu / crawl['cpu']:4.0%}")

if __name__ == "__main__":
    main()
