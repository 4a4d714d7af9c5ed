"""Moving articles in and out of the archive: JSON lines import, JSON lines / CSV export.

An export holds the Article fields plus `region`, `first_seen` and `last_seen`, so importing it into an empty
archive gives identical `articles` rows (the history in `article_versions` is not exported); it also carries the
derived `topics`, `organisations` and `story_id`, which the import computes again from the text.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils

from archive.errors import ArchiveUserError
from archive.filters import Filters
from archive.pipeline import fewer_collections, prepared_file, prepared_lines
from archive.records import EXPORT_FIELDS, EXPORT_FORMATS, STORED_LIST_FIELDS
from archive.store import SaveResult, iter_rows, save_prepared
from archive.stories import filtered_elsewhere


def export_records(db: sqlite_utils.Database, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """The archived articles matching `filters` as export records (lists decoded), in archive order."""
    clauses, params = (filters or Filters()).where("articles")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    for row in iter_rows(db, f"SELECT {', '.join(EXPORT_FIELDS)} FROM articles{where} ORDER BY rowid", params):
        for name in STORED_LIST_FIELDS:
            row[name] = json.loads(row[name])
        yield row


def write_records(records: Iterator[dict[str, Any]], out: TextIO, *, fmt: str) -> int:
    """Write records as `jsonl` (one object a line) or `csv` (lists as JSON arrays); returns how many."""
    if fmt not in EXPORT_FORMATS:
        raise ArchiveUserError(f"--format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    count = 0
    writer = None
    for record in records:
        if fmt == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(record))
                writer.writeheader()
            writer.writerow({name: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                             for name, value in record.items()})
        count += 1
    return count


def export_articles(
    db: sqlite_utils.Database, out: TextIO, *, fmt: str = "jsonl", filters: Filters | None = None
) -> int:
    """Write the articles matching `filters` to `out` as `jsonl` or `csv`; returns how many were written."""
    return write_records(export_records(db, filters), out, fmt=fmt)


def import_jsonl(db: sqlite_utils.Database, path: str | Path) -> SaveResult:
    """Save the Article JSON lines of `path` (`-` for stdin) into the archive; a large file is read, parsed and
    stemmed by a second process while this one writes (`archive.pipeline`).

    A line that is not a valid record is reported as `path:line: problem` in the result's errors and skipped.
    A missing file raises `ArchiveUserError`.
    """
    if str(path) == "-":
        with fewer_collections():
            return save_prepared(db, prepared_lines(sys.stdin.buffer, "<stdin>"))
    try:
        # From before the reader starts (it reads story_bands later) to after the last article is placed.
        with fewer_collections(), filtered_elsewhere(db.conn):
            return save_prepared(db, prepared_file(Path(path), db.conn))
    except FileNotFoundError:
        raise ArchiveUserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArchiveUserError(f"{path}: is a directory, expected a .jsonl file") from None
