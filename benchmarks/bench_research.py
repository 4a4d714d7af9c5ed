"""Research benchmark: what topics, organisations and stories add to an import, per article.

The same Article JSON lines are imported twice in one run, into two fresh archives: once as warta does it, once
with the research step (archive.research: the features the import's reader process makes, topics, organisations
and story signature, and the writer's story placement) replaced by a stub, so both sides run under the same load;
the CPU time of the writer (this process) and of the reader process are printed apart. Articles are
bench_archive's synthetic ones (corpus word frequencies), with every tenth a corpus post re-posted under a new URL
with a few words changed, so story lookups find real candidates and verify them, and topics and organisations have
real titles to read. Then each step alone, on `STEP_SAMPLE` of the articles (stems made beforehand, as the import
makes them once for the index): topics, organisations, shingles and MinHash, the story lookups against the full
archive's band index and the band inserts (rolled back).

    .venv/bin/python benchmarks/bench_research.py            # 200,000 articles
    .venv/bin/python benchmarks/bench_research.py --n 20000  # quick look
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_archive import CORPUS, ArticleFactory, corpus_vocabulary, peak_rss_mb, rate  # noqa: E402

from archive import organisations, research, store, stories, topics  # noqa: E402
from archive.db import open_archive  # noqa: E402
from archive.exchange import import_jsonl  # noqa: E402

REPOST_EVERY = 10
STEP_SAMPLE = 5_000


def corpus_posts() -> list[dict]:
    return [json.loads(line) for path in sorted(CORPUS.glob("*/truth.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles(count: int) -> Iterator[dict]:
    """Synthetic articles, every `REPOST_EVERY`th a lightly edited corpus post under a new URL and site."""
    factory = ArticleFactory(corpus_vocabulary())
    posts = corpus_posts()
    chooser = random.Random(5)
    for number in range(count):
        article = factory.article(number)
        if number % REPOST_EVERY == 0:
            post = chooser.choice(posts)
            words = post["body"].split(" ")
            for _ in range(3):
                words[chooser.randrange(len(words))] = chooser.choice(factory.names)
            article |= {"title": post["title"], "body": " ".join(words), "published": post["published"]}
        yield article


@contextmanager
def research_stubbed() -> Iterator[None]:
    """Imports without topics, organisations and stories: every article its own story, nothing derived."""
    def describe(conn, row, stems, *, rowid=None, known=None):
        return research.Description([], [], stories.Placement(row["url"], ()))

    with (mock.patch.object(store, "features", lambda title, body, stems, bands=None: research.Features([], [], ())),
          mock.patch.object(store, "describe", describe),
          mock.patch.object(store, "record_links", lambda *a, **k: None)):
        yield


def _reader_cpu() -> float:
    """CPU seconds of the ended child processes (the import's reader, once it is joined)."""
    times = os.times()
    return times.children_user + times.children_system


def timed_import(path: Path, source: Path) -> tuple[float, float, float, int]:
    """Wall seconds of importing `source` into a new archive at `path`, CPU seconds of the writer (this process)
    and of the reader process, and how many were new. CPU time is the fairer measure on a shared machine."""
    db = open_archive(path)
    start, cpu_start, reader_start = time.perf_counter(), time.process_time(), _reader_cpu()
    result = import_jsonl(db, source)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    reader = _reader_cpu() - reader_start
    db.close()
    return seconds, cpu, reader, result.new


def _cpu_microseconds(step: Callable[[], object], count: int) -> float:
    start = time.process_time()
    step()
    return (time.process_time() - start) / count * 1e6


def step_costs(db_path: Path, sample: list[dict]) -> dict[str, float]:
    """CPU microseconds per article of each research step alone, over `sample` (articles not in the archive at
    `db_path`, whose band index the story lookups read; the band inserts are rolled back)."""
    rows = [{"url": article["url"], "title": article["title"], "body": article["body"],
             "published_date": (article["published"] or "")[:10] or None} for article in sample]
    stems = [research.Stems.of(row["title"], row["body"]) for row in rows]
    signatures = [stories.signature(stem.words) for stem in stems]
    forms = [(topics.TextForms(row["title"], stem.title, stem.title_words),
              topics.TextForms(row["body"], stem.body, stem.body_words)) for row, stem in zip(rows, stems, strict=True)]
    count = len(rows)
    costs = {
        "topics": _cpu_microseconds(lambda: [topics.topic_ids(*pair) for pair in forms], count),
        "organisations": _cpu_microseconds(
            lambda: [organisations.article_organisations(row["title"], row["body"]) for row in rows], count),
        "shingles + MinHash": _cpu_microseconds(lambda: [stories.signature(stem.words) for stem in stems], count),
    }
    db = open_archive(db_path)
    conn = db.conn

    def place_all() -> list[stories.Placement]:
        return [stories.place(conn, url=row["url"], rowid=None, published_date=row["published_date"], keys=keys,
                              words=lambda stem=stem: stem.words, stem=research._stemmed_words)
                for row, stem, keys in zip(rows, stems, signatures, strict=True)]

    placements: list[stories.Placement] = []
    costs["story lookups"] = _cpu_microseconds(lambda: placements.extend(place_all()), count)
    # What an import pays instead: the connection's band filter made first (an import into a small archive makes
    # it at once), so only keys the filter may hold are looked up.
    with mock.patch.object(stories._BandIndex, "BUILD_SHARE", sys.maxsize):  # made at the next placement
        stories.place(conn, url="", rowid=None, published_date=None, keys=signatures[0],
                      words=lambda: stems[0].words, stem=research._stemmed_words)
    costs["story lookups through the band filter"] = _cpu_microseconds(place_all, count)
    (last,) = conn.execute("SELECT max(rowid) FROM articles").fetchone()
    conn.execute("BEGIN")
    costs["band inserts"] = _cpu_microseconds(
        lambda: [stories.record_bands(conn, last + number, placement)
                 for number, placement in enumerate(placements, 1)], count)
    conn.execute("ROLLBACK")
    db.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="articles to import (default 200,000)")
    parser.add_argument("--dir", type=Path, help="where to put the archives (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
        folder = Path(temporary)
        source = folder / "articles.jsonl"
        generated = articles(args.n + STEP_SAMPLE)
        with open(source, "w", encoding="utf-8") as out:
            for article in itertools.islice(generated, args.n):
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
        sample = list(generated)  # the articles after those imported: new to the archive
        print(f"{args.n} articles, every {REPOST_EVERY}th a re-posted corpus post")
        with research_stubbed():
            plain_seconds, plain_cpu, plain_reader, plain_new = timed_import(folder / "plain.db", source)
        seconds, cpu, reader, new = timed_import(folder / "research.db", source)
        print(f"import without topics/organisations/stories: {rate(plain_new, plain_seconds):,.0f} articles/s "
              f"({plain_seconds:.1f} s wall, {plain_cpu:.1f} s CPU + reader {plain_reader:.1f} s)")
        print(f"import with them:                            {rate(new, seconds):,.0f} articles/s "
              f"({seconds:.1f} s wall, {cpu:.1f} s CPU + reader {reader:.1f} s)")
        print(f"cost per article: {(seconds - plain_seconds) / args.n * 1000:.3f} ms wall, "
              f"{(cpu - plain_cpu) / args.n * 1000:.3f} ms CPU (writer), "
              f"{(reader - plain_reader) / args.n * 1000:.3f} ms CPU (reader)")
        db = open_archive(folder / "research.db")
        grouped = db.conn.execute("SELECT count(*) FROM (SELECT story_id FROM articles GROUP BY story_id"
                                  " HAVING count(*) > 1)").fetchone()[0]
        tagged = db.conn.execute("SELECT count(*) FROM articles WHERE topics != '[]'").fetchone()[0]
        print(f"stories with more than one article: {grouped}; articles with a topic: {tagged}")
        db.close()
        costs = step_costs(folder / "research.db", sample)
        filtered = costs.pop("story lookups through the band filter")
        print(f"each step alone ({len(sample):,} articles, CPU µs per article): "
              + ", ".join(f"{name} {cost:.1f}" for name, cost in costs.items())
              + f"; sum {sum(costs.values()):.1f}")
        print(f"story lookups through the band filter (as an import makes them, the filter made first): "
              f"{filtered:.1f} µs per article")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
