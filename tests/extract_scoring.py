"""Scoring extraction against the corpus truth (shared by the corpus test and benchmarks/bench_extract.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_SITES = ("wordpress", "sekolahku")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def load_truth(corpus: Path) -> dict[str, dict]:
    """Truth rows of the recorded sites keyed by every URL that reaches the post (url and alt_urls)."""
    by_url: dict[str, dict] = {}
    for folder in CORPUS_SITES:
        for line in (corpus / folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                for url in [row["url"], *row.get("alt_urls", [])]:
                    by_url[url] = row
    return by_url


def load_non_articles(corpus: Path) -> set[str]:
    urls = set()
    for folder in CORPUS_SITES:
        for line in (corpus / folder / "non_articles.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                urls.add(line.split("\t")[0])
    return urls


def warc_paths(corpus: Path) -> list[Path]:
    return sorted(path for folder in CORPUS_SITES for path in (corpus / folder).glob("*.warc.gz"))


def site_zone(truth: dict[str, dict], warc: Path) -> str:
    """The time zone of the site recorded in `warc` (named after its host), from the truth rows."""
    host = warc.name.removesuffix(".warc.gz")
    return next(row["timezone"] for row in truth.values() if row["site"] == host)


def token_f1(found: str, expected: str) -> float:
    """Bag-of-words F1 between two texts (lower-cased word tokens)."""
    found_tokens, expected_tokens = _TOKEN.findall(found.lower()), _TOKEN.findall(expected.lower())
    if not found_tokens or not expected_tokens:
        return float(found_tokens == expected_tokens)
    counts: dict[str, int] = {}
    for token in expected_tokens:
        counts[token] = counts.get(token, 0) + 1
    common = 0
    for token in found_tokens:
        if counts.get(token, 0) > 0:
            counts[token] -= 1
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(found_tokens), common / len(expected_tokens)
    return 2 * precision * recall / (precision + recall)


def published_right(found: str | None, truth: dict) -> bool:
    """Same day; and the exact time with offset whenever the output or the visible page has a time."""
    if not found:
        return False
    expected = truth["published"]
    shows_time = ":" in (truth.get("date_visible_on_page") or "")
    if "T" in found or shows_time:
        return found == expected
    return found[:10] == expected[:10]


@dataclass
class SiteScore:
    """Figures for one site."""

    posts: int = 0
    found: set[str] = field(default_factory=set)
    false_articles: list[str] = field(default_factory=list)
    title_ok: int = 0
    date_ok: int = 0
    category_checked: int = 0
    category_ok: int = 0
    f1: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        n = max(len(self.found), 1)
        categories = f"{self.category_ok / self.category_checked:.3f}" if self.category_checked else "n/a"
        return (f"{name:28s} posts {len(self.found)}/{self.posts}  false articles {len(self.false_articles)}  "
                f"title {self.title_ok / n:.3f}  date {self.date_ok / n:.3f}  "
                f"categories {categories}  "
                f"body F1 {sum(self.f1) / max(len(self.f1), 1):.3f}")


def score(outputs: Iterable[tuple[str, dict | None]], truth: dict[str, dict], non_articles: set[str]
          ) -> dict[str, SiteScore]:
    """Score (source_url, article dict or None) pairs per site; each truth post counts once."""
    sites: dict[str, SiteScore] = {}
    for row in {id(row): row for row in truth.values()}.values():
        sites.setdefault(row["site"], SiteScore()).posts += 1
    for source_url, article in outputs:
        row = truth.get(source_url) or (truth.get(article["url"]) if article else None)
        if article is None:
            continue
        if row is None:
            if source_url in non_articles or article["url"] in non_articles:
                site = next((name for name in sites if name in source_url), "other")
                sites.setdefault(site, SiteScore()).false_articles.append(source_url)
            continue
        site = sites[row["site"]]
        if row["url"] in site.found:
            continue
        site.found.add(row["url"])
        site.title_ok += article["title"] == row["title"]
        date_ok = published_right(article.get("published"), row)
        site.date_ok += date_ok
        if row.get("categories_on_page", True) is not False:
            site.category_checked += 1
            site.category_ok += article.get("categories") == row["categories"]
        f1 = token_f1(article.get("body") or "", row["body"])
        site.f1.append(f1)
        if article["title"] != row["title"] or not date_ok or f1 < 0.9:
            site.misses.append(f"{row['url']}: title={article['title']!r} published={article.get('published')} "
                               f"want {row['published']} f1={f1:.2f}")
    return sites
