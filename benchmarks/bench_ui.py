"""UI benchmark: how long every page, chart, canned query and archived copy of `warta serve` takes on a large archive.

Builds a synthetic archive with bench_archive's article factory (corpus word frequencies), then gives it what the
UI shows: 500 schools with registry identity and crawl states, topics on every article, a `fetches` row per article
and real WARC captures for a sample of them. Pages are requested through the real Datasette app (its ASGI client,
so the time is the server's, without a socket), mutable and `--immutable`, each three times (the worst is kept).

    .venv/bin/python benchmarks/bench_ui.py --db /tmp/ui-200k.db            # build 200,000 once, then time
    .venv/bin/python benchmarks/bench_ui.py --db /tmp/ui-1m.db --n 1000000  # 1,000,000
    .venv/bin/python benchmarks/bench_ui.py --db /tmp/ui-1m.db              # time an archive built before
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_archive import SITES, corpus_vocabulary, write_jsonl  # noqa: E402

from archive.db import connect, open_archive, transaction  # noqa: E402
from archive.exchange import import_jsonl  # noqa: E402

STATES = ["ok"] * 14 + ["unreachable", "parked", "moved", "script-only", "compromised", "blocked"]
TOPICS = ["kerja-sama", "pkl", "ppdb", "prestasi", "kunjungan-industri", "pelatihan-guru"]
CAPTURED = 50  # articles with a real WARC record behind them
REPEATS = 3
BUDGET_S = 1.0
COUNTS_WAIT_S = 120  # how long to wait, after timing the pages, for the background counts of the whole table


def build(db_path: Path, count: int) -> None:
    """Create the synthetic archive at `db_path` (articles, sites, topics, fetches, captures)."""
    source = db_path.with_suffix(".jsonl")
    print(f"build     generating {count:,} articles", flush=True)
    write_jsonl(corpus_vocabulary(), count, source)
    db = open_archive(db_path)
    start = time.perf_counter()
    result = import_jsonl(db, source)
    print(f"build     imported {result.new:,} in {time.perf_counter() - start:.0f} s", flush=True)
    source.unlink()
    chooser = random.Random(5)
    with transaction(db) as conn:
        for number, host in enumerate(SITES):
            conn.execute(
                "INSERT INTO sites (host, name, url, timezone, region, npsn, level, ownership, province, regency, "
                "state, state_detail, state_since, first_crawled, last_crawled) VALUES "
                "(?, ?, ?, 'Asia/Jakarta', 'Jawa Barat', ?, 'SMK', ?, 'Jawa Barat', 'Kota Bandung', ?, ?, "
                "'2025-05-01T00:00:00Z', '2024-01-01T00:00:00Z', '2025-06-01T00:00:00Z') "
                "ON CONFLICT(host) DO NOTHING",
                (host, f"SMK Negeri {number} Bandung", f"https://{host}/", f"{20100000 + number}",
                 chooser.choice(["negeri", "swasta"]), state := chooser.choice(STATES), f"synthetic: {state}"))
        # Topics: one or two ids per article, varying with the rowid so every topic has a share of the months.
        conn.execute(
            "UPDATE articles SET topics = json_array(" + _pick("rowid") + ") "
            "WHERE rowid % 2 = 0")
        conn.execute(
            "UPDATE articles SET topics = json_array(" + _pick("rowid") + ", " + _pick("rowid / 7") + ") "
            "WHERE rowid % 2 = 1")
        conn.execute(
            "INSERT INTO fetches (url, method, status, fetched_at, warc_file, warc_offset, warc_length) "
            "SELECT url, 'GET', 200, fetched_at, 'missing.warc.gz', 0, 0 FROM articles")
    write_captures(db, db_path.parent / "captures")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _pick(expression: str) -> str:
    cases = " ".join(f"WHEN {index} THEN '{topic}'" for index, topic in enumerate(TOPICS))
    return f"CASE ({expression}) % {len(TOPICS)} {cases} END"


def write_captures(db, captures: Path) -> None:
    """Real WARC records (a page with scripts, styles and images to neutralise) for the first CAPTURED articles."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    captures.mkdir(exist_ok=True)
    path = captures / "bench.warc.gz"
    rows = db.conn.execute("SELECT url, title, body, fetched_at FROM articles ORDER BY rowid LIMIT ?", (CAPTURED,))
    with path.open("wb") as out, transaction(db) as conn:
        writer = WARCWriter(out, gzip=True)
        for url, title, body, fetched_at in rows.fetchall():
            html = (f"<html><head><title>{title}</title><script src='https://cdn.example/x.js'></script>"
                    f"<style>body{{background:url(https://cdn.example/bg.png)}}</style></head><body>"
                    f"<h1 onclick='alert(1)'>{title}</h1><img src='https://cdn.example/a.jpg'>"
                    + "".join(f"<p>{paragraph}</p>" for paragraph in body.split("\n\n")) + "</body></html>")
            payload = html.encode()
            offset = out.tell()
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(payload), length=len(payload),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                              protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": fetched_at})
            writer.write_record(record)
            conn.execute("UPDATE fetches SET warc_file = ?, warc_offset = ?, warc_length = ? WHERE url = ?",
                         (path.name, offset, out.tell() - offset, url))


def pages(db) -> dict[str, str]:
    """Name → path of every page, chart and canned query the UI offers, on real rows of the archive."""
    from datasette.utils import tilde_encode

    url, host = db.conn.execute("SELECT url, site FROM articles ORDER BY rowid LIMIT 1").fetchone()
    name = db_name(db)
    return {
        "home": "/",
        "database": f"/{name}",
        "articles table": f"/{name}/articles",
        # At 1,000,000 synthetic articles: 10,457 and 228,987 matches.
        "articles search 'pelatihan'": f"/{name}/articles?_search=pelatihan",
        "articles search 'penandatanganan'": f"/{name}/articles?_search=penandatanganan",
        "articles of a school": f"/{name}/articles?site={host}",
        "article row": f"/{name}/articles/{tilde_encode(url)}",
        "archived copy": f"/-/capture?{urlencode({'url': url})}",
        "sites table": f"/{name}/sites",
        "school page": f"/{name}/sites/{tilde_encode(host)}",
        "chart: articles per month (all)": f"/{name}/articles_per_month?" + urlencode({"site": "", "topic": ""}),
        "chart: articles per month (school)": f"/{name}/articles_per_month?"
                                              + urlencode({"site": host, "topic": ""}),
        "chart: articles per month (topic)": f"/{name}/articles_per_month?"
                                             + urlencode({"site": "", "topic": "pkl"}),
        "chart: sites by state": f"/{name}/sites_by_state",
        "canned: articles per school per month": f"/{name}/articles_per_school_per_month?"
                                                 + urlencode({"site": host}),
        "canned: search all schools": f"/{name}/search_schools?"
                                      + urlencode({"term": "kerja sama", "since": "", "until": ""}),
        "canned: quiet schools": f"/{name}/quiet_schools",
        "canned: mou partners": f"/{name}/mou_partners",
    }


def db_name(db) -> str:
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2]).stem


def time_pages(db_path: Path, immutable: bool) -> tuple[float, dict[str, list[float]], dict[str, str]]:
    """Seconds Datasette takes to start (warta's startup hook included), the wall times (s) of REPEATS
    requests of every page through the real Datasette app, and what the pages that failed answered."""
    from archive.datasette_plugin.facets import whole_table_facets_counted
    from archive.serve import build_datasette

    paths = pages(connect(db_path))
    ds = build_datasette(db_path, immutable=immutable)

    async def measure() -> tuple[float, dict[str, list[float]], dict[str, str]]:
        began = time.perf_counter()
        await ds.invoke_startup()
        startup = time.perf_counter() - began
        times: dict[str, list[float]] = {}
        failed: dict[str, str] = {}
        for label, path in paths.items():
            for _ in range(REPEATS):
                start = time.perf_counter()
                response = await ds.client.get(path)
                times.setdefault(label, []).append(time.perf_counter() - start)
                if response.status_code != 200:  # e.g. 400 when a query passed sql_time_limit_ms
                    failed[label] = f"answered {response.status_code}"
        mode = "immutable" if immutable else "mutable"
        try:
            await asyncio.wait_for(whole_table_facets_counted(ds), COUNTS_WAIT_S)
            print(f"{mode:9} {'whole-table facets counted (background)':40} "
                  f"{time.perf_counter() - began:7.0f} s after the start", flush=True)
        except TimeoutError:
            print(f"{mode:9} {'whole-table facets counted (background)':40} "
                  f"not yet {time.perf_counter() - began:.0f} s after the start", flush=True)
        return startup, times, failed

    return asyncio.run(measure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the archive to time (built first if missing)")
    parser.add_argument("--n", type=int, default=200_000, help="articles to build (default 200,000)")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.n)
    # Only read an archive built before: opening it with open_archive would migrate it and recompute its topics
    # when the rules changed (most of an hour for 1,000,000 articles), and the synthetic topics with them.
    count = connect(args.db).conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"archive   {args.db.name}: {count:,} articles")
    over = []
    for immutable in (False, True):
        mode = "immutable" if immutable else "mutable"
        startup, times, failed = time_pages(args.db, immutable)
        print(f"{mode:9} {'start (before the first request)':40} {startup * 1000:7.0f} ms")
        for label, seconds in times.items():
            first, then = seconds[0] * 1000, max(seconds[1:]) * 1000
            print(f"{mode:9} {label:40} first {first:6.0f} ms, then worst {then:6.0f} ms  {failed.get(label, '')}",
                  flush=True)
            if max(seconds) > BUDGET_S or label in failed:
                over.append(f"{mode} {label}")
    print(f"budget    {BUDGET_S:.0f} s per page: " + (f"over: {', '.join(over)}" if over else "every page within"))


if __name__ == "__main__":
    main()
