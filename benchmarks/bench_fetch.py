"""Throughput and memory of warta's polite fetcher against a plain httpx loop, delay 0, on a local server.

A fault server (tests/servers/faults.py) runs in its own process on 127.0.0.1 and serves H hosts' worth of 30 KB
HTML pages (each port is a host). Each variant runs in a fresh process so its peak RSS is its own:
- `httpx`   (baseline): one `httpx.AsyncClient`, one coroutine per host looping `client.get` over its pages;
- `warta`:  `Fetcher` + one `HostSession` per host (robots.txt first, the per-host turn, size caps, checks);
- `warta+warc`: the same, capturing every exchange to a WARC file.
It prints requests/s and the client's CPU time per request, each with its ratio to the baseline, and peak RSS per
variant. The limit should be the CPU (client and server share this machine's cores), not waiting inside the
fetcher; the CPU per request is the fetcher's own cost, whatever the server's speed.

    .venv/bin/python benchmarks/bench_fetch.py [--hosts 4] [--pages 300] [--full]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

PAGE = ("<!doctype html><html lang='id'><head><title>Berita {n}</title></head><body><h1>Berita {n}</h1>"
        + "<p>Siswa SMK melaksanakan praktik kerja lapangan di industri mitra sekolah. </p>" * 400
        + "</body></html>")


def serve(hosts: int, pages: int, ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    """Child process: run `hosts` fault servers with `pages` pages each until told to stop."""
    from contextlib import ExitStack

    from servers.faults import FaultServer

    with ExitStack() as stack:
        for _ in range(hosts):
            server = stack.enter_context(FaultServer(robots="User-agent: *\nDisallow: /private/\n"))
            for n in range(pages):
                server.add(f"/berita/{n}", PAGE.format(n=n))
            ports.put(server.port)
        stop.wait()


async def run_httpx(bases: list[str], pages: int) -> int:
    import httpx

    async with httpx.AsyncClient(timeout=30, trust_env=False) as client:

        async def one_host(base: str) -> int:
            done = 0
            for n in range(pages):
                response = await client.get(f"{base}/berita/{n}")
                done += response.status_code == 200
            return done

        return sum(await asyncio.gather(*(one_host(b) for b in bases)))


async def run_warta(bases: list[str], pages: int, capture_dir: str | None) -> int:
    from scraper.config import CrawlConfig, SiteConfig
    from scraper.crawl.capture import WarcWriter
    from scraper.crawl.fetch import Fetcher

    config = CrawlConfig(delay=0.0, hosts_in_parallel=len(bases))
    writer = WarcWriter(Path(capture_dir)) if capture_dir else None
    try:
        async with Fetcher(config, capture=writer) as fetcher:

            async def one_host(base: str) -> int:
                session = fetcher.session(SiteConfig(name=base, url=base + "/"))
                done = 0
                for n in range(pages):
                    done += (await session.fetch(f"{base}/berita/{n}")).ok
                return done

            return sum(await asyncio.gather(*(one_host(b) for b in bases)))
    finally:
        if writer:
            writer.close()


def variant(name: str, bases: list[str], pages: int) -> dict:
    """Run one variant in this process; return its figures."""
    with tempfile.TemporaryDirectory() as capture_dir:
        started, cpu_started = time.perf_counter(), time.process_time()
        if name == "httpx":
            ok = asyncio.run(run_httpx(bases, pages))
        else:
            ok = asyncio.run(run_warta(bases, pages, capture_dir if name == "warta+warc" else None))
        seconds = time.perf_counter() - started
        cpu_ms = (time.process_time() - cpu_started) * 1000
        warc_mb = sum(p.stat().st_size for p in Path(capture_dir).iterdir()) / 1e6
    return {"variant": name, "ok": ok, "seconds": seconds, "rps": ok / seconds, "warc_mb": warc_mb,
            "cpu_ms_per_request": cpu_ms / max(ok, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--pages", type=int, default=300, help="pages per host")
    parser.add_argument("--full", action="store_true", help="16 hosts x 1000 pages")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--bases", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:                                  # a child run: print one JSON line
        print(json.dumps(variant(args.variant, args.bases.split(","), args.pages)))
        return
    hosts, pages = (16, 1000) if args.full else (args.hosts, args.pages)

    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(hosts, pages, ports, stop), daemon=True)
    server.start()
    try:
        bases = ",".join(f"http://127.0.0.1:{ports.get(timeout=60)}" for _ in range(hosts))
        print(f"{hosts} hosts x {pages} pages of {len(PAGE) // 1000} KB, delay 0, server in its own process")
        results = []
        for name in ("httpx", "warta", "warta+warc"):
            line = subprocess.run([sys.executable, __file__, "--variant", name, "--bases", bases,
                                   "--pages", str(pages)], capture_output=True, text=True, check=True).stdout
            results.append(json.loads(line))
    finally:
        stop.set()
        server.join(timeout=10)
    baseline = results[0]["rps"]
    cpu_baseline = results[0]["cpu_ms_per_request"]
    print(f"{'variant':<12} {'pages':>6} {'seconds':>8} {'req/s':>8} {'vs httpx':>9} {'client CPU/req':>15} "
          f"{'vs httpx':>9} {'peak RSS':>9} {'WARC':>8}")
    for r in results:
        cpu = r["cpu_ms_per_request"]
        print(f"{r['variant']:<12} {r['ok']:>6} {r['seconds']:>8.2f} {r['rps']:>8.0f} {r['rps'] / baseline:>8.2f}x "
              f"{cpu:>12.2f} ms {cpu / cpu_baseline:>8.2f}x {r['peak_rss_mb']:>7.0f}MB {r['warc_mb']:>6.1f}MB")


if __name__ == "__main__":
    main()
