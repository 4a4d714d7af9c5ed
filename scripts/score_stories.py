"""How well stories group reposts: every corpus post (../shared/corpus/*/truth.jsonl) re-posted twice on other
sites with a few words changed, stored in a fresh archive; prints how many reposts joined their original's story
and which stories hold several different corpus posts (to read: near-identical template posts, or false merges).

    .venv/bin/python scripts/score_stories.py [--edits 3] [--copies 2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from archive.db import open_archive  # noqa: E402
from archive.store import save_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3, help="words replaced in each repost")
    parser.add_argument("--copies", type=int, default=2, help="reposts of each post")
    args = parser.parse_args()
    posts = [json.loads(line) for path in sorted(CORPUS.glob("*/truth.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chooser = random.Random(3)
    records, original = list(posts), {post["url"]: index for index, post in enumerate(posts)}
    for copy in range(args.copies):
        for index, post in enumerate(posts):
            words = post["body"].split(" ")
            for _ in range(args.edits):
                words[chooser.randrange(len(words))] = f"Kata{chooser.randrange(1000)}"
            site = f"repost{copy}-{index % 7}.sch.id"
            url = f"https://{site}/berita/{index}"
            records.append(dict(post, url=url, source_url=url, site=site, body=" ".join(words)))
            original[url] = index
    with tempfile.TemporaryDirectory() as folder:
        db = open_archive(Path(folder) / "archive.db")
        save_articles(db, records)
        story = dict(db.conn.execute("SELECT url, story_id FROM articles"))
        db.close()
    reposts = [url for url in original if url != posts[original[url]]["url"]]
    joined = sum(story[url] == story[posts[original[url]]["url"]] for url in reposts)
    print(f"{len(posts)} corpus posts, {len(reposts)} reposts with {args.edits} words changed")
    print(f"reposts that joined their original's story: {joined} of {len(reposts)} ({joined / len(reposts):.1%})")
    members: dict[str, set[int]] = defaultdict(set)
    for url, story_id in story.items():
        members[story_id].add(original[url])
    shared = [indexes for indexes in members.values() if len(indexes) > 1]
    print(f"stories holding several corpus posts: {len(shared)}")
    for indexes in shared:
        print("  " + " | ".join(sorted(f"{posts[index]['site']}: {posts[index]['title'][:60]}" for index in indexes)))


if __name__ == "__main__":
    main()
