"""Coverage-guided fuzzing of the date parser (atheris): any text, zone and reference date must give dates whose
spans are the text they came from, with offsets when they carry a time, and never an exception.

    .venv/bin/python benchmarks/fuzz_dates.py [--seconds 180] [--findings DIR] [--corpus DIR]
"""

from __future__ import annotations

import datetime as dt

import atheris
from fuzzing import run

with atheris.instrument_imports(include=["scraper"]):
    from scraper.dates import find_dates, parse_date, to_zone

ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC", "Etc/GMT+12", "Etc/GMT-14"]
REFS = [None, dt.date(2025, 6, 1), dt.datetime(1, 1, 1), dt.date(9999, 12, 31),
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12)))]
SEEDS = [text.encode() for text in (
    "\x00\x00Diterbitkan : 31 Januari 2025", "\x01\x01Jum’at, 20/05/2025 16:45 WITA - Admin",
    "\x02\x02Balikpapan, Senin (27/11/2017) –", "\x03\x033 hari yang lalu", "\x04\x042025-05-20 16:45:00",
    "\x05\x00Pada hari Kamis, tanggal 19 Juni 2025 pukul 08.00 WIB", "\x00\x03Tahun Pelajaran 2024/2025",
    "\x01\x042nd of July, 2025", "\x02\x00Sen, 3 Mar 2025 07:00:00 +0700", "\x03\x01kemarin 08:00 WIT",
)]


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    zone = ZONES[provider.ConsumeIntInRange(0, len(ZONES) - 1)]
    ref = REFS[provider.ConsumeIntInRange(0, len(REFS) - 1)]
    text = provider.ConsumeUnicodeNoSurrogates(400)
    for found in [*find_dates(text, zone, ref), parse_date(text, zone, ref)]:
        if found is None:
            continue
        if text[found.start:found.end] != found.text:
            raise AssertionError(f"span {found.start}:{found.end} is not {found.text!r}")
        if found.datetime is not None and found.datetime.tzinfo is None:
            raise AssertionError(f"a time without an offset: {found!r}")
        to_zone(found, zone)


if __name__ == "__main__":
    run(__doc__, test_one_input, SEEDS, max_len=512, per_input_seconds=10)
