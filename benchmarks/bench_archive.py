"""Archive benchmark: import speed with stemming, memory, search latency and file size.

Synthetic articles are drawn from the corpus vocabulary (word frequencies of ../shared/corpus truth files, plus a
bounded set of made-up names so the vocabulary is as open as real news). Baselines measured in the same run:
plain sqlite-utils `insert_all` without FTS or stemming, and the Sastrawi stemmer without a cache.

    .venv/bin/python benchmarks/bench_archive.py            # 200,000 articles
    .venv/bin/python benchmarks/bench_archive.py --full     # 1,000,000 articles
    .venv/bin/python benchmarks/bench_archive.py --n 20000  # quick look
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from archive.db import connect, open_archive  # noqa: E402
from archive.exchange import import_jsonl  # noqa: E402
from archive.search import search  # noqa: E402
from archive.stemming import WORD_RE, _stemmer, stem_text  # noqa: E402

SITES = [f"smk{number}.sch.id" for number in range(500)]
CATEGORIES = ["Berita", "Prestasi", "Kegiatan", "Hubungan Industri", "PPDB", "Artikel", "Pengumuman"]
MADE_UP_NAMES = 50_000
NAME_SHARE = 0.04


def corpus_vocabulary() -> Counter[str]:
    """Word frequencies of every article body and title in the corpus ground truth."""
    counts: Counter[str] = Counter()
    for truth in CORPUS.glob("*/truth.jsonl"):
        for line in truth.read_text(encoding="utf-8").splitlines():
            if line.strip():
                article = json.loads(line)
                counts.update(WORD_RE.findall(f"{article['title']} {article['body']}".lower()))
    if not counts:
        sys.exit(f"no corpus truth files under {CORPUS}; the benchmark draws its words from them")
    return counts


class ArticleFactory:
    """Reproducible synthetic articles with the corpus' word frequencies."""

    def __init__(self, vocabulary: Counter[str], seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.words = list(vocabulary)
        self.cumulative = list(itertools.accumulate(vocabulary[word] for word in self.words))
        syllables = ["ka", "ri", "su", "to", "wa", "ni", "ba", "da", "ng", "ra", "lu", "me", "yo", "har", "tin"]
        self.names = ["".join(self.random.choices(syllables, k=3)).capitalize() for _ in range(MADE_UP_NAMES)]

    def text(self, count: int) -> str:
        words = self.random.choices(self.words, cum_weights=self.cumulative, k=count)
        for index in range(0, count, int(1 / NAME_SHARE)):
            words[index] = self.random.choice(self.names)
        return " ".join(words)

    def article(self, number: int) -> dict:
        site = self.random.choice(SITES)
        day = f"{self.random.randint(2015, 2025)}-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}"
        paragraphs = [self.text(self.random.randint(30, 90)) + "." for _ in range(self.random.randint(2, 5))]
        return {
            "url": f"https://{site}/read/{number}/berita", "site": site, "title": self.text(8).capitalize(),
            "published": f"{day}T08:00:00+07:00", "published_source": "label", "published_text": day,
            "modified": None, "categories": self.random.sample(CATEGORIES, self.random.randint(1, 2)),
            "tags": [], "author": "Humas", "body": "\n\n".join(paragraphs), "language": "id",
            "cms": "sekolahku", "source_url": f"https://{site}/read/{number}/berita",
            "fetched_at": "2025-06-01T00:00:00+00:00",
        }

    def articles(self, count: int) -> Iterator[dict]:
        return (self.article(number) for number in range(count))


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def write_jsonl(vocabulary: Counter[str], count: int, path: Path) -> float:
    """Write `count` synthetic Article JSON lines to `path` (what `warta import` reads); returns seconds."""
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as out:
        for article in ArticleFactory(vocabulary).articles(count):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def read_jsonl(path: Path, limit: int) -> Iterator[dict]:
    with open(path, encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit):
            yield json.loads(line)


def bench_baseline_insert(source: Path, count: int, folder: Path) -> float:
    """Articles/s of a plain sqlite-utils insert_all of the same JSON lines into a file with the archive's pragmas
    (WAL, synchronous=NORMAL): no FTS, no stemming, no versions."""
    db = connect(folder / "baseline.db")
    start = time.perf_counter()
    db["articles"].insert_all(read_jsonl(source, count), pk="url", batch_size=1000)
    return rate(count, time.perf_counter() - start)


def bench_stemming(vocabulary: Counter[str], count: int) -> tuple[float, float]:
    """Articles/s of stemming title+body: Sastrawi without a cache, and `stem_text` (cached, warm)."""
    sample = list(ArticleFactory(vocabulary, seed=11).articles(count))
    stemmer = _stemmer()
    start = time.perf_counter()
    for article in sample:
        for word in WORD_RE.findall(f"{article['title']} {article['body']}".lower()):
            stemmer.stem_word(word)
    uncached = rate(count, time.perf_counter() - start)
    for _warm_up_then_measure in range(2):
        start = time.perf_counter()
        for article in sample:
            stem_text(article["title"]), stem_text(article["body"])
    return uncached, rate(count, time.perf_counter() - start)


def bench_queries(vocabulary: Counter[str], names: list[str]) -> dict[str, list[str]]:
    """Query groups: what researchers ask (the issue's examples), rare names (people, places, companies), content
    words below the 100 most frequent, and those 100 most frequent words (near stop words) as the worst case."""
    chooser = random.Random(3)
    ranked = [word for word, _ in vocabulary.most_common() if len(word) > 3 and word.isalpha()]
    return {
        "researcher": ['"kerja sama"', "kerja sama industri", "penandatanganan", "pembelajaran", "perlombaan",
                       "pelatihan", "kunjungan", "lomb*", "pelatihan guru", "kunjungan industri", "mou", "juara"],
        "names": [name.lower() for name in chooser.sample(names, 20)],
        "content": chooser.sample(ranked[100:], 40),
        "top-100": chooser.sample(ranked[:100], 20),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="articles to import (default 200,000)")
    parser.add_argument("--full", action="store_true", help="import 1,000,000 articles")
    parser.add_argument("--dir", type=Path, help="where to put the archive (default: a temporary folder)")
    args = parser.parse_args()
    count = 1_000_000 if args.full else args.n
    vocabulary = corpus_vocabulary()
    with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
        folder = Path(temporary)
        print(f"corpus vocabulary: {len(vocabulary)} words, plus {MADE_UP_NAMES} made-up names; {count} articles")

        source = folder / "articles.jsonl"
        seconds = write_jsonl(vocabulary, count, source)
        print(f"input     {source.stat().st_size / 1e6:,.0f} MB of Article JSON lines generated in {seconds:.0f} s")
        baseline_count = min(count, 100_000)
        baseline = bench_baseline_insert(source, baseline_count, folder)
        print(f"baseline  sqlite-utils insert_all, no FTS/stemming ({baseline_count}): {baseline:,.0f} articles/s")
        uncached, cached = bench_stemming(vocabulary, 2000)
        print(f"baseline  Sastrawi stem_word uncached (2000 articles): {uncached:,.0f} articles/s")
        print(f"stemming  stem_text with word cache (warm, same 2000): {cached:,.0f} articles/s "
              f"= {cached / uncached:.1f}x the uncached stemmer")

        db_path = folder / "archive.db"
        db = open_archive(db_path)
        start, writer_cpu, reader_cpu = (time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF),
                                         cpu_seconds(resource.RUSAGE_CHILDREN))
        result = import_jsonl(db, source)
        seconds = time.perf_counter() - start
        writer_cpu = cpu_seconds(resource.RUSAGE_SELF) - writer_cpu
        reader_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - reader_cpu  # the reader process, once it has ended
        imported = rate(result.new, seconds)
        print(f"import    import_jsonl with exact + stemmed FTS ({result.new} new, {len(result.errors)} errors): "
              f"{imported:,.0f} articles/s in {seconds:.0f} s = {imported / baseline:.2f}x the plain insert; "
              f"CPU per article: writer {writer_cpu / count * 1000:.3f} ms, reader {reader_cpu / count * 1000:.3f} ms;"
              f" peak RSS {peak_rss_mb():.0f} MB (reader {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB)")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(path.stat().st_size for path in folder.glob("archive.db*"))
        print(f"size      {size / 1e6:,.0f} MB in all = {size / count * 100_000 / 1e6:,.0f} MB per 100k articles")

        groups = bench_queries(vocabulary, ArticleFactory(vocabulary).names)
        for stem in (True, False):
            timings: dict[str, list[float]] = {}
            for group, queries in groups.items():
                for query in queries:
                    start = time.perf_counter()
                    search(db, query, limit=20, stem=stem)
                    timings.setdefault(group, []).append((time.perf_counter() - start) * 1000)
            mixed = [ms for group in ("researcher", "names", "content") for ms in timings[group]]
            print(f"search    in-process, {'stemmed' if stem else 'exact'}, limit 20: researcher+names+content "
                  f"({len(mixed)} queries) p50 {percentile(mixed, 0.5):.1f} ms, p95 {percentile(mixed, 0.95):.1f} ms; "
                  + "; ".join(f"{group} p50 {percentile(values, 0.5):.1f} ms" for group, values in timings.items()))
        queries = [query for group in ("researcher", "names", "content") for query in groups[group]]
        warta = Path(sys.executable).parent / "warta"
        walls = []
        for query in queries[:15]:
            start = time.perf_counter()
            subprocess.run([str(warta), "search", query, "--db", str(db_path), "--format", "jsonl"],
                           check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([str(warta), "--help"], check=True, stdout=subprocess.DEVNULL)
        startup = time.perf_counter() - start
        print(f"command   `warta search` whole process, 15 queries: median {statistics.median(walls):.2f} s, "
              f"max {max(walls):.2f} s (baseline `warta --help`: {startup:.2f} s)")


if __name__ == "__main__":
    main()
