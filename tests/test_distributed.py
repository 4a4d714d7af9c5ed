"""Distributed crawling end to end: a real Redis server, real `warta worker` / `warta writer` / `warta crawl`
processes, the corpus recordings replayed on 127.0.0.1 (as in test_crawl_corpus.py)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from servers.redis_server import WARTA, processes, redis_server
from servers.replay import ReplayServer
from test_crawl_corpus import DELAY, JITTER, SITES, articles, crawl_env, load_truth, run_warta, write_config

from scraper.distributed.queues import queue_for

pytestmark = pytest.mark.timeout(180)
HOSTS = [urlsplit(url).hostname for _, url, _ in SITES]
VOLATILE = {"fetched_at", "first_seen", "last_seen"}     # when, not what


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def recordings(corpus: Path) -> dict:
    from servers.replay import load_recordings

    return load_recordings(sorted(corpus.glob("*/*.warc.gz")))


def distributed_config(directory: Path, broker: str, *, visibility: float = 3600, lease: float = 60) -> Path:
    config = write_config(directory)
    config.write_text(config.read_text() + f'\n[distributed]\nbroker = "{broker}"\nqueues = 16\n'
                      f"visibility_timeout = {visibility}\nlease_timeout = {lease}\n", encoding="utf-8")
    return config


def wait_ready(group, names: list[str], timeout: float = 60) -> None:
    """Until every named worker says it is ready (Celery prints `ready.`)."""
    deadline = time.monotonic() + timeout
    while not all("ready." in group.log(name) for name in names):
        assert time.monotonic() < deadline, "worker did not start: " + " | ".join(group.log(n)[-800:] for n in names)
        time.sleep(0.1)


def comparable(db: Path) -> dict[str, dict]:
    return {row["url"]: {k: v for k, v in row.items() if k not in VOLATILE} for row in articles(db)}


@pytest.fixture(scope="module")
def single(recordings: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The single-process crawl of the corpus (no delay: the articles do not depend on it)."""
    directory = tmp_path_factory.mktemp("single")
    with ReplayServer(recordings) as server:
        result = run_warta(["crawl", "--config", str(write_config(directory, 0.0))], server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    return directory / "archive.db"


@pytest.fixture(scope="module")
def distributed(recordings: dict, redis_url: str, tmp_path_factory: pytest.TempPathFactory):
    """Writer + two workers, each owning the queues of some hosts, and `warta crawl` through the broker."""
    directory = tmp_path_factory.mktemp("distributed")
    config = distributed_config(directory, redis_url)
    first_queue = queue_for(HOSTS[0], 16)
    other_queues = sorted({queue_for(h, 16) for h in HOSTS[1:]} - {first_queue})
    with ReplayServer(recordings) as server, processes(directory, crawl_env(server.url)) as group:
        group.start("writer", "writer", "--config", str(config))
        group.start("worker-a", "worker", "--config", str(config), "--queues", first_queue, "--concurrency", "2")
        group.start("worker-b", "worker", "--config", str(config), "--queues", ",".join(other_queues),
                    "--concurrency", "2")
        wait_ready(group, ["worker-a", "worker-b"])
        result = run_warta(["crawl", "--config", str(config)], server.url)
        log = list(server.log)
        group.stop_all()
        logs = {name: group.log(name) for name in ("writer", "worker-a", "worker-b")}
    return directory, result, log, logs


def test_two_workers_and_a_writer_archive_exactly_what_one_process_does(single: Path, distributed, corpus: Path):
    directory, result, _, logs = distributed
    assert result.returncode == 0, result.stderr[-3000:] + logs["writer"][-2000:]
    assert "crawl run" in result.stdout and "pages fetched" in result.stdout
    assert all(f"{host}:" in result.stdout for host in HOSTS)
    mine, reference = comparable(directory / "archive.db"), comparable(single)
    assert len(reference) >= len(load_truth(corpus)) * 0.99
    assert mine.keys() == reference.keys()
    for url, row in reference.items():
        assert mine[url] == row, url
    with sqlite3.connect(directory / "archive.db") as conn:
        status, new, summary_sites = conn.execute(
            "SELECT status, new_articles, json_array_length(summary, '$.sites') FROM crawl_runs").fetchone()
    assert (status, new, summary_sites) == ("ok", len(reference), len(HOSTS))


def test_each_host_is_crawled_by_the_worker_owning_its_queue(distributed) -> None:
    *_, logs = distributed
    assert f"{HOSTS[0]}: " in logs["worker-a"] and f"{HOSTS[0]}: " not in logs["worker-b"]
    for host in HOSTS[1:]:
        assert f"{host}: " in logs["worker-b"] and f"{host}: " not in logs["worker-a"]


def assert_polite(log: list, delay: float = DELAY) -> None:
    """Every gap between two requests to one host is at least the delay (as in test_crawl_corpus: not the gap
    after a session's first request, robots.txt, which also paid for opening the connection)."""
    for host in HOSTS:
        requests = [r for r in log if urlsplit(r.url).hostname == host]
        assert len(requests) > 20
        gaps = [(b.at - a.at, b.url) for a, b in zip(requests, requests[1:], strict=False)
                if urlsplit(a.url).path != "/robots.txt"]
        gap, url = min(gaps)
        assert gap >= delay - JITTER, f"{host}: {url} requested {gap:.3f} s after the request before"


def test_per_host_request_gaps_hold_with_several_workers(distributed) -> None:
    assert_polite(distributed[2])


def test_sigkilled_worker_loses_nothing_and_duplicates_nothing(single: Path, recordings: dict, redis_url: str,
                                                               tmp_path: Path) -> None:
    broker = redis_url.rsplit("/", 1)[0] + "/1"             # a database of its own: no state of the other runs
    config = distributed_config(tmp_path, broker, visibility=3, lease=3)
    with ReplayServer(recordings) as server, processes(tmp_path, crawl_env(server.url)) as group:
        group.start("writer", "writer", "--config", str(config))
        doomed = group.start("worker-a", "worker", "--config", str(config), "--concurrency", "3")
        wait_ready(group, ["worker-a"])
        crawl = subprocess.Popen([WARTA, "crawl", "--config", str(config)], env=crawl_env(server.url),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        group.started.append(crawl)
        deadline = time.monotonic() + 60
        while len(server.log) < 60:                          # every site well under way
            assert time.monotonic() < deadline and crawl.poll() is None, "crawl did not get going"
            time.sleep(0.05)
        doomed.kill()                                         # SIGKILL: no goodbye, tasks unacknowledged
        doomed.wait()
        group.start("worker-b", "worker", "--config", str(config), "--concurrency", "3")
        stdout, stderr = crawl.communicate(timeout=120)
        log = list(server.log)
    assert crawl.returncode == 0, stderr[-3000:] + group.log("writer")[-2000:]
    db = tmp_path / "archive.db"
    mine, reference = comparable(db), comparable(single)
    assert mine.keys() == reference.keys()
    for url, row in reference.items():
        assert mine[url] == row, url
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [row[0] for row in conn.execute("SELECT url FROM articles")]
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("ok",)]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert not [url for url, n in Counter(stored).items() if n > 1]
    assert versions == 0, "a redone page was stored as a new version"
    assert "crawl run" in stdout
    assert_polite(log)


# -- the parts, one at a time ------------------------------------------------------------------------------------

def test_hosts_map_to_one_stable_queue_each_and_spread_over_all() -> None:
    assert queue_for("smkn7balikpapan.sch.id", 16) == queue_for("SMKN7Balikpapan.sch.id", 16) == "warta.q.0"
    counts = Counter(queue_for(f"sekolah-{n}.sch.id", 16) for n in range(1600))
    assert len(counts) == 16 and max(counts.values()) < 2 * min(counts.values())


def test_distributed_config_is_validated(tmp_path: Path) -> None:
    from scraper.config import ConfigError, parse_config

    config = parse_config({"distributed": {"broker": "redis://10.0.0.5:6379/0", "queues": 64}}, tmp_path / "c.toml")
    assert (config.distributed.broker, config.distributed.queues) == ("redis://10.0.0.5:6379/0", 64)
    assert parse_config({}, tmp_path / "c.toml").distributed.broker is None
    for table, problem in [({"broker": "http://x"}, "broker: not a Redis URL"), ({"queues": 0}, "queues: must be"),
                           ({"visibility_timeout": 0}, "visibility_timeout: must be more than 0"),
                           ({"brokr": "redis://x"}, "brokr: unknown key (did you mean 'broker'?)")]:
        with pytest.raises(ConfigError, match=re.escape(f"[distributed] {problem}")):
            parse_config({"distributed": table}, tmp_path / "c.toml")


def test_user_mistakes_are_one_line_and_exit_2(redis_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    cases = [
        (["crawl", "--config", str(config), "--broker", "http://127.0.0.1:1/"], "--broker: not a Redis URL"),
        (["crawl", "--config", str(config), "--broker", redis_url, "--db", "x.db"], "--db: in a distributed crawl"),
        (["crawl", "--config", str(config), "--broker", redis_url.rsplit("/", 1)[0] + "/5"],
         "no writer is running there"),
        (["worker", "--config", str(config), "--broker", redis_url, "--queues", "16"], "--queues: no queue '16'"),
        (["writer", "--config", str(config)], "--broker: no broker given"),
    ]
    for args, message in cases:
        result = subprocess.run([WARTA, *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_writer_applies_each_entry_once_and_answers_only_after_commit(redis_url: str, tmp_path: Path) -> None:
    import threading

    import redis

    from archive import crawl_state
    from archive.db import open_archive
    from scraper.distributed.remote_archive import STREAM, ArchiveClient, WriterError, encode_call
    from scraper.distributed.writer import _ensure_position, apply_batch, run_writer

    broker = redis_url.rsplit("/", 1)[0] + "/6"
    client = redis.Redis.from_url(broker, decode_responses=True)
    db_path = tmp_path / "archive.db"
    # A batch committed, then Redis gone before the answers and the clean-up: the entry stays in the stream.
    _, entry = encode_call(crawl_state.begin_run, (["a.sch.id"], "2025-01-01T00:00:00+00:00"), {})
    entry_id = client.xadd(STREAM, entry)
    db = open_archive(db_path)
    _ensure_position(db)
    unreachable = redis.Redis(host="127.0.0.1", port=1, decode_responses=True)
    with pytest.raises(redis.ConnectionError):
        apply_batch(db, unreachable, [(entry_id, entry)])
    db.close()
    stop = threading.Event()
    writer = threading.Thread(target=run_writer, args=(db_path, broker), kwargs={"stop": stop})
    writer.start()
    try:
        archive = ArchiveClient(client, timeout=20)
        assert archive.call(crawl_state.begin_run, ["b.sch.id"], "2025-01-02T00:00:00+00:00") == 2
        with pytest.raises(WriterError, match="could not apply save_urls"):
            archive.call(crawl_state.save_urls, [{"url": {"not": "a string"}}])
        assert archive.call(crawl_state.load_urls, "b.sch.id") == {}
    finally:
        stop.set()
        writer.join(10)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT sites FROM crawl_runs ORDER BY id").fetchall() == [
            ('["a.sch.id"]',), ('["b.sch.id"]',)]
    assert client.xrange(STREAM) == []


def test_one_writer_per_broker_and_no_single_machine_crawl_beside_it(redis_url: str, tmp_path: Path) -> None:
    import redis

    from scraper.distributed.remote_archive import WRITER_KEY

    broker = redis_url.rsplit("/", 1)[0] + "/7"
    config = distributed_config(tmp_path, broker)
    client = redis.Redis.from_url(broker, decode_responses=True)
    with processes(tmp_path) as group:
        group.start("writer", "writer", "--config", str(config))
        deadline = time.monotonic() + 30
        while client.get(WRITER_KEY) is None:
            assert time.monotonic() < deadline, group.log("writer")
            time.sleep(0.1)
        second = subprocess.run([WARTA, "writer", "--config", str(config), "--db", str(tmp_path / "other.db")],
                                capture_output=True, text=True, timeout=60)
        plain = write_config(tmp_path)                       # the same archive, no [distributed]: one machine
        single = subprocess.run([WARTA, "crawl", "--config", str(plain)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 1 and "another writer is running" in second.stderr, second.stderr
    assert single.returncode == 1 and "another crawl is running" in single.stderr, single.stderr
    assert client.get(WRITER_KEY) is None, "a stopped writer gives its claim back"
