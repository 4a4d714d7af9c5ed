"""Import speed of `warta sites import`: a messy official list of N schools (default 100,000) into a fresh archive,
then the same list again (every row unchanged). The bar (issue 13) is 100,000 rows in under 30 s.

    .venv/bin/python benchmarks/bench_schools.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from test_schools_import import write_big_list  # noqa: E402  (the messy list the tests import)

from archive.db import open_archive  # noqa: E402
from archive.schools import import_schools  # noqa: E402

BAR_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "schools.csv"
        expected = write_big_list(path, rows)
        db = open_archive(Path(directory) / "archive.db")
        for label in ("first import", "re-import"):
            started = time.perf_counter()
            result = import_schools(db, path)
            elapsed = time.perf_counter() - started
            print(f"{label}: {rows:,} rows in {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s): {result.new} new, "
                  f"{result.updated} updated, {result.unchanged} unchanged, {len(result.rejected)} rejected "
                  f"(bar: {BAR_SECONDS:.0f} s for 100,000)")
        assert result.unchanged == expected["stored"]


if __name__ == "__main__":
    main()
