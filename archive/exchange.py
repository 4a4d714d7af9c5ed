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
from typing import Any, BinaryIO, TextIO

import sqlite_utils

from archive.errors import ArchiveUserError
from archive.filters import Filters
from archive.records import EXPORT_FIELDS, EXPORT_FORMATS, STORED_LIST_FIELDS, RecordError
from archive.store import SaveResult, iter_rows, save_labelled


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
    """Save the Article JSON lines of `path` (`-` for stdin) into the archive.

    A line that is not a valid record is reported as `path:line: problem` in the result's errors and skipped.
    A missing file raises `ArchiveUserError`.
    """
    if str(path) == "-":
        return _import_lines(db, sys.stdin.buffer, "<stdin>")
    try:
        with open(path, "rb") as lines:
            return _import_lines(db, lines, str(path))
    except FileNotFoundError:
        raise ArchiveUserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArchiveUserError(f"{path}: is a directory, expected a .jsonl file") from None


def _import_lines(db: sqlite_utils.Database, lines: BinaryIO, name: str) -> SaveResult:
    def records() -> Iterator[tuple[str, Any]]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield f"{name}:{number}", json.loads(line.decode("utf-8").rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                yield f"{name}:{number}", RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})")
            except UnicodeDecodeError as exc:
                yield f"{name}:{number}", RecordError(f"not UTF-8 text ({exc.reason})")

    return save_labelled(db, records())
