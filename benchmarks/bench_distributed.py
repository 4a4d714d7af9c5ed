"""Wall time of one crawl of many synthetic sites: the single-process `warta crawl` (baseline) against the
distributed crawl (`warta crawl --broker`, one `warta writer`, 1, 2 and 4 `warta worker`s), in the same run.

The demo server (scraper/demo.py) serves H WordPress-like sites of P posts each from its own process on
127.0.0.1; each variant crawls them into a fresh archive with the same small per-host delay, 16 sites at a time
per process (`hosts_in_parallel` for the baseline, `--concurrency 16` per worker). Workers and the writer are
started and ready before the clock starts. Besides pages/s and the speed-up over the baseline it prints the CPU
seconds each kind of process used during the crawl, which shows where scaling stops on this machine.

    .venv/bin/python benchmarks/bench_distributed.py [--hosts 60] [--posts 30] [--delay 0.05] [--workers 1,2,4]
    full size: --hosts 200 (or BENCH_HOSTS=200)
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(Path(__file__).parent)]

from bench_crawl import serve  # noqa: E402  (the synthetic sites and their server process)
from servers.redis_server import WARTA, processes, redis_server  # noqa: E402

PARALLEL = 16
TICKS = os.sysconf("SC_CLK_TCK")


def write_config(directory: Path, hosts: int, delay: float, broker: str | None) -> Path:
    sites = "".join(f'\n[[site]]\nname = "Sekolah {h}"\nurl = "http://bench-{h:03d}.test/"\ntimezone = "Asia/Jakarta"\n'
                    for h in range(hosts))
    distributed = f'[distributed]\nbroker = "{broker}"\n' if broker else ""
    path = directory / "config.toml"
    path.write_text(f'[archive]\npath = "archive.db"\ncaptures = "captures/"\n[crawl]\ndelay = {delay}\n'
                    f"hosts_in_parallel = {PARALLEL}\nmax_pages_per_site = 100000\n{distributed}{sites}")
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def timed_crawl(config: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run `warta crawl`: wall seconds and its own CPU seconds."""
    started = time.perf_counter()
    process = subprocess.Popen([WARTA, "crawl", "--config", str(config)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"warta crawl failed:\n{process.stdout.read().decode()}\n{process.stderr.read().decode()[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def pages_and_articles(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT pages_fetched FROM crawl_runs").fetchone()[0]
        return pages, conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def run_distributed(directory: Path, env: dict[str, str], broker: str, hosts: int, delay: float,
                    workers: int, watched: dict[str, int]) -> dict[str, float]:
    """One distributed crawl with `workers` workers: wall seconds and CPU seconds per kind of process."""
    config = write_config(directory, hosts, delay, broker)
    with processes(directory, env) as group:
        writer = group.start("writer", "writer", "--config", str(config))
        names = [f"worker-{n}" for n in range(workers)]
        started = [group.start(name, "worker", "--config", str(config), "--concurrency", str(PARALLEL))
                   for name in names]
        deadline = time.monotonic() + 60
        while not all("ready." in group.log(name) for name in names):
            if time.monotonic() > deadline:
                sys.exit("workers did not start:\n" + "\n".join(group.log(n)[-1000:] for n in names))
            time.sleep(0.2)
        pids = {"workers": [p.pid for p in started], "writer": [writer.pid], **{k: [v] for k, v in watched.items()}}
        before = {kind: sum(map(cpu_seconds, ps)) for kind, ps in pids.items()}
        seconds, coordinator = timed_crawl(config, env)
        after = {kind: sum(map(cpu_seconds, ps)) for kind, ps in pids.items()}
    return {"seconds": seconds, "coordinator": coordinator, **{k: after[k] - before[k] for k in pids}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=int(os.environ.get("BENCH_HOSTS", 60)))
    parser.add_argument("--posts", type=int, default=int(os.environ.get("BENCH_POSTS", 30)))
    parser.add_argument("--delay", type=float, default=0.05, help="seconds between requests to one host")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to measure")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    urls: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(args.hosts, args.posts, urls, stop), daemon=True)
    server.start()
    proxy = urls.get(timeout=60)
    env = {**os.environ, "HTTP_PROXY": proxy, "NO_PROXY": ""}
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as broker_url:
            redis_pid = redis.Redis.from_url(broker_url).info("server")["process_id"]
            single = Path(tmp) / "single"
            single.mkdir()
            server_cpu = cpu_seconds(server.pid)
            seconds, cpu = timed_crawl(write_config(single, args.hosts, args.delay, None), env)
            pages, stored = pages_and_articles(single / "archive.db")
            rows.append(("single process (baseline)", seconds, pages, stored,
                         {"crawl": cpu, "server": cpu_seconds(server.pid) - server_cpu}))
            for index, workers in enumerate(counts, start=1):
                directory = Path(tmp) / f"workers-{workers}"
                directory.mkdir()
                broker = broker_url.rsplit("/", 1)[0] + f"/{index}"
                figures = run_distributed(directory, env, broker, args.hosts, args.delay, workers,
                                          {"server": server.pid, "redis": redis_pid})
                pages, stored = pages_and_articles(directory / "archive.db")
                rows.append((f"{workers} worker{'s' if workers > 1 else ''} + writer", figures.pop("seconds"),
                             pages, stored, figures))
    finally:
        stop.set()
        server.join(timeout=10)
    base = rows[0][2] / rows[0][1]
    print(f"synthetic sites: {args.hosts} hosts x {args.posts} posts, delay {args.delay} s per host, "
          f"{PARALLEL} sites at a time per process, {os.cpu_count()} CPUs")
    for name, seconds, pages, stored, cpu in rows:
        rate = pages / seconds
        used = ", ".join(f"{kind} {value:.1f}" for kind, value in cpu.items())
        print(f"  {name:27s}: {pages} pages in {seconds:5.1f} s = {rate:4.0f} pages/s, x{rate / base:.2f} of the "
              f"baseline, {stored} articles; CPU s: {used} (total {sum(cpu.values()) / seconds:.2f} cores busy)")


if __name__ == "__main__":
    main()
