"""Scoring topics and organisations against labelled articles (shared by the tests and scripts/score_topics.py).

Labels: ../shared/corpus/topics_dev.jsonl and tests/data/topics/corpus_labels.jsonl name corpus posts by URL
(their text is read from the corpus truth files, never copied here); tests/data/topics/written.jsonl holds
articles written for warta in the style of school news, with their text. Every label has a `split`: `dev` (the
rules were tuned on it) or `holdout` (never looked at while tuning; the figures that count).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data" / "topics"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass(frozen=True)
class Labelled:
    """One labelled article: its text and the topics and organisations a reader gave it."""

    url: str
    title: str
    body: str
    topics: frozenset[str]
    organisations: tuple[str, ...]
    split: str


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_texts(corpus: Path = CORPUS) -> dict[str, dict]:
    """Corpus truth rows by URL."""
    return {row["url"]: row for path in sorted(corpus.glob("*/truth.jsonl")) for row in _jsonl(path)}


def load_labels(corpus: Path = CORPUS) -> list[Labelled]:
    """Every labelled article; corpus posts need the corpus (absent: only the written articles)."""
    texts = corpus_texts(corpus) if corpus.is_dir() else {}
    rows = [dict(row, split="dev") for row in _jsonl(corpus / "topics_dev.jsonl")] if texts else []
    rows += _jsonl(DATA / "corpus_labels.jsonl") if texts else []
    labelled = []
    for row in rows + _jsonl(DATA / "written.jsonl"):
        text = row if "body" in row else texts[row["url"]]
        labelled.append(Labelled(row["url"], text["title"], text["body"], frozenset(row["topics"]),
                                 tuple(row["organisations"]), row["split"]))
    return labelled


@dataclass
class Tally:
    """True positives, false positives and false negatives, and the measures made of them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class TopicScore:
    """Per-topic and micro tallies, with the articles that went wrong."""

    per_topic: dict[str, Tally] = field(default_factory=dict)
    micro: Tally = field(default_factory=Tally)
    errors: list[tuple[Labelled, frozenset[str]]] = field(default_factory=list)


def score_topics(labelled: Iterable[Labelled], predict: Callable[[str, str], list[str]]) -> TopicScore:
    """Compare `predict(title, body)` with the labels."""
    score = TopicScore()
    for item in labelled:
        predicted = frozenset(predict(item.title, item.body))
        for topic in predicted | item.topics:
            tally = score.per_topic.setdefault(topic, Tally())
            hit = (topic in predicted, topic in item.topics)
            for target in (tally, score.micro):
                target.tp += hit == (True, True)
                target.fp += hit == (True, False)
                target.fn += hit == (False, True)
        if predicted != item.topics:
            score.errors.append((item, predicted))
    return score


def organisation_match_key(name: str) -> str:
    """A name as the issue compares them: case, punctuation and a PT / PT. prefix ignored."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", folded)
    return " ".join(words[1:] if words[:1] == ["pt"] else words)


def score_organisations(labelled: Iterable[Labelled], predict: Callable[[str, str], list[str]]
                        ) -> tuple[Tally, list[tuple[Labelled, list[str]]]]:
    """Precision and recall of predicted organisation names (once per article) against the labels."""
    tally, errors = Tally(), []
    for item in labelled:
        predicted = Counter(organisation_match_key(name) for name in predict(item.title, item.body))
        expected = Counter(organisation_match_key(name) for name in item.organisations)
        common = sum((predicted & expected).values())
        tally.tp += common
        tally.fp += sum(predicted.values()) - common
        tally.fn += sum(expected.values()) - common
        if predicted != expected:
            errors.append((item, sorted(predicted)))
    return tally, errors
