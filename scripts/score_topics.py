"""Print topic and organisation precision/recall on the labelled articles (tests/topic_scoring.py).

    .venv/bin/python scripts/score_topics.py              # the held-apart split
    .venv/bin/python scripts/score_topics.py --split dev --errors
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.organisations import article_organisations  # noqa: E402
from archive.topics import TOPIC_IDS, article_topics  # noqa: E402
from tests.topic_scoring import load_labels, score_organisations, score_topics  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("holdout", "dev", "all"), default="holdout")
    parser.add_argument("--errors", action="store_true", help="List the articles that went wrong.")
    args = parser.parse_args()
    labelled = [item for item in load_labels() if args.split in ("all", item.split)]
    topics = score_topics(labelled, article_topics)
    print(f"{len(labelled)} articles ({args.split})")
    print(f"{'topic':24} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for topic in TOPIC_IDS:
        tally = topics.per_topic.get(topic)
        if tally:
            print(f"{topic:24} {tally.support:4} {tally.precision:6.3f} {tally.recall:6.3f} {tally.f1:6.3f}")
    micro = topics.micro
    print(f"{'micro':24} {micro.support:4} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f}")
    organisations, organisation_errors = score_organisations(
        labelled, lambda title, body: [name for name, _ in article_organisations(title, body)])
    print(f"organisations: {organisations.support} named, precision {organisations.precision:.3f}, "
          f"recall {organisations.recall:.3f}")
    if args.errors:
        for item, predicted in topics.errors:
            print(f"TOPICS {item.title[:70]!r}: labelled {sorted(item.topics)}, got {sorted(predicted)}")
        for item, names in organisation_errors:
            print(f"ORGS {item.title[:60]!r}: labelled {list(item.organisations)}, got {names}")


if __name__ == "__main__":
    main()
