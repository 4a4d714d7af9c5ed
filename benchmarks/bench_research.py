"""Research benchmark: what topics, organisations and stories add to an import, per article.

The same Article JSON lines are imported twice in one run, into two fresh archives: once as warta does it, once
with the research step (archive.research: topics, organisations, story placement) replaced by a stub, so both
sides run under the same load. Articles are bench_archive's synthetic ones (corpus word frequencies), with every
tenth a corpus post re-posted under a new URL with a few words changed, so story lookups find real candidates and
verify them, and topics and organisations have real titles to read.

    .venv/bin/python benchmarks/bench_research.py            # 200,000 articles
    .venv/bin/python benchmarks/bench_research.py --n 20000  # quick look
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_archive import CORPUS, ArticleFactory, corpus_vocabulary, rate  # noqa: E402

from archive import research, store, stories  # noqa: E402
from archive.db import open_archive  # noqa: E402
from archive.exchange import import_jsonl  # noqa: E402

REPOST_EVERY = 10


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
    def describe(conn, row, stems, *, rowid=None):
        return research.Description([], [], stories.Placement(row["url"], ()))

    with mock.patch.object(store, "describe", describe), mock.patch.object(store, "record_links", lambda *a, **k: None):
        yield


def timed_import(path: Path, source: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of importing `source` into a new archive at `path`, and how many were new. CPU time
    is what this process used: on a shared machine it is the fairer measure of what the import costs."""
    db = open_archive(path)
    start, cpu_start = time.perf_counter(), time.process_time()
    result = import_jsonl(db, source)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    db.close()
    return seconds, cpu, result.new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="articles to import (default 200,000)")
    parser.add_argument("--dir", type=Path, help="where to put the archives (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
        folder = Path(temporary)
        source = folder / "articles.jsonl"
        with open(source, "w", encoding="utf-8") as out:
            for article in articles(args.n):
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
        print(f"{args.n} articles, every {REPOST_EVERY}th a re-posted corpus post")
        with research_stubbed():
            plain_seconds, plain_cpu, plain_new = timed_import(folder / "plain.db", source)
        seconds, cpu, new = timed_import(folder / "research.db", source)
        print(f"import without topics/organisations/stories: {rate(plain_new, plain_seconds):,.0f} articles/s "
              f"({plain_seconds:.1f} s wall, {plain_cpu:.1f} s CPU)")
        print(f"import with them:                            {rate(new, seconds):,.0f} articles/s "
              f"({seconds:.1f} s wall, {cpu:.1f} s CPU)")
        print(f"cost per article: {(seconds - plain_seconds) / args.n * 1000:.3f} ms wall, "
              f"{(cpu - plain_cpu) / args.n * 1000:.3f} ms CPU")
        db = open_archive(folder / "research.db")
        grouped = db.conn.execute("SELECT count(*) FROM (SELECT story_id FROM articles GROUP BY story_id"
                                  " HAVING count(*) > 1)").fetchone()[0]
        tagged = db.conn.execute("SELECT count(*) FROM articles WHERE topics != '[]'").fetchone()[0]
        print(f"stories with more than one article: {grouped}; articles with a topic: {tagged}")


if __name__ == "__main__":
    main()
