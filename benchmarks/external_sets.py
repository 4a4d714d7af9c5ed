"""Public extraction evaluation sets, read from a path outside the repository, and their scores.

Two layouts are recognised by the file at the set's root:

- `evaldata.json`: trafilatura's evaluation set (its repository's tests/ folder: evaldata.json with the HTML
  files under eval/ and cache/). Each page has up to six text segments the body must contain (`with`) and must
  not (`without`); precision, recall and F1 count segments over the whole set, as trafilatura's evaluate.py does.
- `ground-truth.json`: scrapinghub's article-extraction-benchmark (gzipped pages under html/), or any set converted
  to its layout (mozilla/readability's test pages, postlight's parser fixtures). Each page has a gold
  `articleBody`; precision and recall are means over pages of 4-word shingle matches (its evaluate.py), and the
  mean bag-of-words token F1 (tests/extract_scoring.py) is printed beside them. Pages whose gold body is empty
  are left out (and counted): a set without any gold body is refused.

warta is scored two ways from one extraction: "as archived" (the body of the pages it takes as articles, an
empty body for the rest: what the archive keeps) and "main text of every page" (also the body it read on pages
it refused as static pages, listings, dateless pages or spam: what `warta extract --all` prints for them).

    .venv/bin/python benchmarks/external_sets.py PATH [PATH ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from extract_scoring import token_f1  # noqa: E402

from scraper.extract import extract_page  # noqa: E402

LARGE_PAGE = 100_000   # bytes: the "large pages"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Sample:
    """One page of a set and what its truth says."""

    url: str
    html: bytes
    with_segments: list[str] = field(default_factory=list)
    without_segments: list[str] = field(default_factory=list)
    gold_body: str | None = None


@dataclass(slots=True)
class EvalSet:
    name: str
    kind: str           # "segments" or "gold"
    samples: list[Sample]


def load_set(path: Path) -> EvalSet:
    """The set at `path` (a folder); ValueError naming the path when it is neither layout."""
    if (path / "evaldata.json").is_file():
        data = json.loads((path / "evaldata.json").read_text(encoding="utf-8"))
        samples = []
        for url, item in sorted(data.items()):
            found = next((path / sub / item["file"] for sub in ("cache", "eval")
                          if (path / sub / item["file"]).is_file()), None)
            if found is not None:
                samples.append(Sample(url, found.read_bytes(), item["with"], item["without"]))
        return EvalSet(f"trafilatura evaluation set ({path.name})", "segments", samples)
    if (path / "ground-truth.json").is_file():
        data = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
        gold = {key: item for key, item in data.items() if (item.get("articleBody") or "").strip()}
        if not gold:
            raise ValueError(f"{path}: ground-truth.json gives no articleBody for any page, nothing to score")
        samples = [Sample(item.get("url") or f"https://example.org/{key}",
                          gzip.decompress((path / "html" / f"{key}.html.gz").read_bytes()),
                          gold_body=item["articleBody"])
                   for key, item in sorted(gold.items()) if (path / "html" / f"{key}.html.gz").is_file()]
        unscored = f", {len(data) - len(gold)} pages without a gold body left out" if len(gold) < len(data) else ""
        return EvalSet(f"article-extraction-benchmark layout ({path.name}{unscored})", "gold", samples)
    raise ValueError(f"{path}: neither evaldata.json (trafilatura set) nor ground-truth.json "
                     "(article-extraction-benchmark) found there")


def warta_texts(sample: Sample) -> dict[str, str]:
    """warta's body two ways from one extraction: as archived (articles only) and the main text of every page
    (the title and body extraction read on a page it did not take as an article, too)."""
    page = extract_page(sample.html, sample.url, with_links=False)
    return {"warta": page.article.body if page.article is not None else "", "warta, every page": page.body or ""}


def trafilatura_body(sample: Sample) -> dict[str, str]:
    import trafilatura

    return {"trafilatura": trafilatura.extract(sample.html, url=sample.url, include_comments=False,
                                               include_tables=True) or ""}


def resiliparse_body(sample: Sample) -> dict[str, str]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    html = bytes_to_str(sample.html, detect_encoding(sample.html))
    return {"resiliparse": extract_plain_text(html, main_content=True)}


# each tool gives one or more bodies a page, each scored on its own line (warta: as archived, and every page's)
EXTRACTORS: dict[str, Callable[[Sample], dict[str, str]]] = {
    "warta": warta_texts, "trafilatura": trafilatura_body, "resiliparse": resiliparse_body,
}
LINES = {"warta": ("warta", "warta, every page"), "trafilatura": ("trafilatura",), "resiliparse": ("resiliparse",)}
LABELS = {"warta": "warta, as archived", "warta, every page": "warta, main text of every page"}


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def segment_scores(samples: list[Sample], bodies: list[str]) -> dict[str, float]:
    """trafilatura's scoring: segments found (`with`) and wrongly kept (`without`), summed over the set."""
    tp = fp = fn = tn = 0
    for sample, body in zip(samples, bodies, strict=True):
        text = _norm(body)
        hits = sum(_norm(segment) in text for segment in sample.with_segments) if text else 0
        wrong = sum(_norm(segment) in text for segment in sample.without_segments) if text else 0
        tp, fn = tp + hits, fn + len(sample.with_segments) - hits
        fp, tn = fp + wrong, tn + len(sample.without_segments) - wrong
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}


def _shingles(text: str) -> Counter:
    tokens = _WORD.findall(text)
    return Counter(tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i:i + 4])


def gold_scores(samples: list[Sample], bodies: list[str]) -> dict[str, float]:
    """article-extraction-benchmark's scoring (shingle precision/recall means) plus mean token F1."""
    precisions, recalls, f1s = [], [], []
    for sample, body in zip(samples, bodies, strict=True):
        true, pred = _shingles(sample.gold_body or ""), _shingles(body)
        tp = sum((true & pred).values())
        fp, fn = sum(pred.values()) - tp, sum(true.values()) - tp
        if fp == fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
        else:
            if tp + fp:
                precisions.append(tp / (tp + fp))
            if tp + fn:
                recalls.append(tp / (tp + fn))
        f1s.append(token_f1(body, sample.gold_body or ""))
    precision, recall = mean(precisions), mean(recalls)
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "token_f1": mean(f1s)}


def run_extractor(function: Callable[[Sample], dict[str, str]], samples: list[Sample]
                  ) -> tuple[list[dict[str, str]], list[float]]:
    """Bodies and per-page CPU seconds of one extractor over the set (a crash counts as an empty body)."""
    bodies, seconds = [], []
    for sample in samples:
        started = time.process_time()
        try:
            bodies.append(function(sample))
        except Exception:  # noqa: BLE001 - a tool failing on a page scores as missing that page
            bodies.append({})
        seconds.append(time.process_time() - started)
    return bodies, seconds


def large(samples: list[Sample]) -> list[int]:
    """Indexes of the pages of at least LARGE_PAGE bytes."""
    return [index for index, sample in enumerate(samples) if len(sample.html) >= LARGE_PAGE]


def report(path: Path, names: list[str]) -> list[str]:
    """Lines comparing the extractors on the set at `path` (one line saying so when it is absent)."""
    if not path.is_dir():
        return [f"{path}: no such folder, external set skipped"]
    try:
        evaluation = load_set(path)
    except ValueError as exc:
        return [str(exc)]
    samples = evaluation.samples
    kilobytes = sum(len(sample.html) for sample in samples) / 1000
    big = large(samples)
    big_kilobytes = sum(len(samples[index].html) for index in big) / 1000
    lines = [f"{evaluation.name}: {len(samples)} pages, {kilobytes / 1000:.1f} MB; {len(big)} pages of "
             f">= {LARGE_PAGE // 1000} KB (in-process CPU time; scores over every page, an empty body counts)"]
    for name in names:
        outputs, seconds = run_extractor(EXTRACTORS[name], samples)
        cpu, big_cpu = sum(seconds), sum(seconds[index] for index in big)
        for key in LINES[name]:
            bodies = [output.get(key, "") for output in outputs]
            scores = (segment_scores if evaluation.kind == "segments" else gold_scores)(samples, bodies)
            empty = sum(not body.strip() for body in bodies)
            extra = f"  token F1 {scores['token_f1']:.3f}" if "token_f1" in scores else ""
            lines.append(f"  {LABELS.get(key, key):31s} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
                         f"F1 {scores['f1']:.3f}{extra}  no body {empty:4d}  {len(samples) / cpu:6.1f} pages/s "
                         f"{cpu * 1000 / kilobytes:.3f} ms/KB; large pages {len(big) / max(big_cpu, 1e-9):6.1f} "
                         f"pages/s {big_cpu * 1000 / max(big_kilobytes, 1e-9):.3f} ms/KB")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="folders of evaluation sets")
    parser.add_argument("--tools", default=",".join(EXTRACTORS), help="comma-separated: " + ", ".join(EXTRACTORS))
    args = parser.parse_args()
    names = [name for name in args.tools.split(",") if name]
    if unknown := [name for name in names if name not in EXTRACTORS]:
        sys.exit(f"--tools: unknown extractor {unknown[0]!r} (choose from {', '.join(EXTRACTORS)})")
    for path in args.paths:
        print("\n".join(report(path, names)))


if __name__ == "__main__":
    main()
