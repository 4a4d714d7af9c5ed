"""Speed and accuracy of `warta parse-date -` against dateparser on the same realistic date strings.

Builds N strings (default 10,000) the way school pages print dates — Indonesian day and month names with every
abbreviation, numeric day-first dates, feed timestamps, datelines inside running text, times with WIB/WITA/WIT —
plus the non-dates that sit next to them (counters, school years, Hijri dates, phone numbers). Every string is
labelled with the date it names (or none). Baseline: `dateparser.parse(text, languages=['id'])`, timed in the same
run on a sample (it is ~100x slower) and scaled to strings/s.

    .venv/bin/python benchmarks/bench_dates.py [--n 10000] [--dateparser-sample 1000] [--full] [--repeat 3]

Each is timed `--repeat` times and the best run counts (as timeit does), so a busy machine skews both less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO.parent / "shared" / "corpus" / "dates_dev.jsonl"
WARTA = Path(sys.executable).with_name("warta")
WIB = dt.timezone(dt.timedelta(hours=7))
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}

MONTHS_ID = [["Januari", "Jan"], ["Februari", "Feb"], ["Maret", "Mar"], ["April", "Apr"], ["Mei"],
             ["Juni", "Jun"], ["Juli", "Jul"], ["Agustus", "Agu", "Agt", "Ags", "Agst"],
             ["September", "Sep", "Sept"], ["Oktober", "Okt"], ["November", "Nov", "Nop", "Nopember"],
             ["Desember", "Des"]]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
DAYS_ID = [["Senin"], ["Selasa"], ["Rabu"], ["Kamis"], ["Jumat", "Jum'at", "Jum’at"], ["Sabtu"],
           ["Minggu", "Ahad"]]
DAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
PLACES = ["Balikpapan", "Banjarmasin", "Surakarta", "Tebo", "Semarang", "Palembang", "Martapura"]
NON_DATES = ["10 kali dibaca", "0 Komentar", "88 Views", "Dilihat: 1.204 kali", "Tahun Pelajaran 2024/2025",
             "© 2024 SMK Negeri 1", "pukul 10.00 WIB", "Diterbitkan : -", "1 Ramadhan 1446 H",
             "12 Rabiul Awal 1446 H", "NPSN 30401234", "Telp. 0812-3456-7890", "Arsip Juli 2025",
             "Kegiatan PKL siswa kelas XI berjalan lancar"]


def _labelled(rng: random.Random) -> tuple[str, str | None, str | None]:
    """One realistic string with the date (and datetime) it names."""
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4000))
    hour, minute, second = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    month_id = rng.choice(MONTHS_ID[day.month - 1])
    weekday = rng.choice(DAYS_ID[day.weekday()])
    zone = rng.choice(list(ZONES))
    at = dt.datetime.combine(day, dt.time(hour, minute))
    with_zone = at.replace(tzinfo=dt.timezone(dt.timedelta(hours=ZONES[zone]))).isoformat()
    in_wib = at.replace(tzinfo=WIB).isoformat()
    dd, mm, y = f"{day.day:02d}", f"{day.month:02d}", day.year
    forms = [
        (f"{weekday}, {day.day} {month_id} {y}", None),
        (f"{rng.choice(PLACES)}, {weekday} {day.day} {month_id} {y} – SMK Negeri 7 menggelar kegiatan", None),
        (f"Pada hari {weekday}, tanggal {day.day} {month_id} {y}, telah dilaksanakan upacara", None),
        (f"{weekday}, {day.day} {month_id} {y} | {hour:02d}:{minute:02d} {zone}", with_zone),
        (f"{weekday}, {day.day} {month_id} {y} pukul {hour:02d}.{minute:02d} {zone.lower()}", with_zone),
        (f"{dd}/{mm}/{y} {hour:02d}:{minute:02d}", in_wib),
        (f"{day.year}-{mm}-{dd} {hour:02d}:{minute:02d}:{second:02d}", at.replace(second=second, tzinfo=WIB)
         .isoformat()),
        (f"{DAYS_EN[day.weekday()]}, {dd} {MONTHS_EN[day.month - 1][:3]} {y} {hour:02d}:{minute:02d}:00 +0700",
         at.replace(tzinfo=WIB).isoformat()),
        (f"{day.isoformat()}T{hour:02d}:{minute:02d}:00+07:00", in_wib),
        (f"{day.day} {month_id} {y}", None),
        (f"{rng.choice(PLACES)}—({dd}/{mm}/{y})", None),
        (f"Tim Media ({weekday}, {day.day} {month_id} {y}) – Siswa", None),
        (f"Kompas.com - {dd}/{mm}/{y}, {hour:02d}:{minute:02d} WIB", in_wib),
        (f"{MONTHS_EN[day.month - 1]} {day.day}, {y}", None),
        (rng.choice([f"{day.day}/{day.month}/{y}", f"{dd}-{mm}-{y}", f"{dd}.{mm}.{y}", f"({day.day}/{day.month}/{y})"]),
         None),
        (f"Diterbitkan: {weekday}, {day.day} {month_id} {y}", None),
    ]
    text, moment = rng.choice(forms)
    return text, day.isoformat(), moment


def build(n: int, seed: int = 7) -> list[tuple[str, str | None, str | None]]:
    """`n` labelled strings: about 85% dates in the printed forms, 15% non-dates."""
    rng = random.Random(seed)
    return [(rng.choice(NON_DATES), None, None) if rng.random() < 0.15 else _labelled(rng) for _ in range(n)]


def run_warta(texts: list[str], repeat: int) -> tuple[float, list[dict]]:
    """Best seconds of `repeat` runs of the whole `warta parse-date -` process (startup included), its JSON lines."""
    best = float("inf")
    # Files, not pipes, on both ends: the benchmark process then takes no CPU from warta while it runs.
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.txt"), Path(folder, "out.jsonl")
        source.write_text("\n".join(texts) + "\n", encoding="utf-8")
        for _ in range(repeat):
            with source.open("rb") as stdin, target.open("wb") as stdout:
                started = time.perf_counter()
                subprocess.run([str(WARTA), "parse-date", "-"], stdin=stdin, stdout=stdout, check=True)
                best = min(best, time.perf_counter() - started)
        return best, [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def run_dateparser(texts: list[str], repeat: int) -> tuple[float, list[dt.datetime | None]]:
    """Best seconds of `repeat` runs of `dateparser.parse(text, languages=['id'])` over `texts` (import excluded)."""
    import dateparser

    dateparser.parse("1 Januari 2020", languages=["id"])  # warm its caches, like the first line would
    best, results = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        results = [dateparser.parse(text, languages=["id"]) for text in texts]
        best = min(best, time.perf_counter() - started)
    return best, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="strings to build (default 10,000)")
    parser.add_argument("--dateparser-sample", type=int, default=1_000, help="strings timed with dateparser")
    parser.add_argument("--full", action="store_true", help="time dateparser on every string")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts (default 3)")
    args = parser.parse_args()

    rows = build(args.n)
    if DEV_SET.exists():
        dev = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [(row["text"], row["date"], row["datetime"]) for row in dev]
    texts = [text for text, _, _ in rows]
    sample = rows if args.full else random.Random(1).sample(rows, min(args.dateparser_sample, len(rows)))

    warta_seconds, warta_out = run_warta(texts, args.repeat)
    startup_seconds, _ = run_warta(["1 Mei 2025"], args.repeat)
    dp_seconds, dp_out = run_dateparser([text for text, _, _ in sample], args.repeat)

    warta_rate = len(texts) / warta_seconds
    dp_rate = len(sample) / dp_seconds
    date_right = sum(out["date"] == date for out, (_, date, _) in zip(warta_out, rows, strict=True))
    exact_right = sum(out["date"] == date and out["datetime"] == moment
                      for out, (_, date, moment) in zip(warta_out, rows, strict=True))
    dp_right = sum((found.date().isoformat() if found else None) == date
                   for found, (_, date, _) in zip(dp_out, sample, strict=True))
    warta_on_sample = {text: out for text, out in zip(texts, warta_out, strict=True)}
    warta_sample_right = sum(warta_on_sample[text]["date"] == date for text, date, _ in sample)

    print(f"strings: {len(texts)} ({sum(date is None for _, date, _ in rows)} non-dates"
          f"{', incl. dates_dev.jsonl' if DEV_SET.exists() else ''}); dateparser timed on {len(sample)}")
    print(f"warta parse-date -   : {warta_rate:10,.0f} strings/s  ({warta_seconds:.2f} s, whole process; "
          f"{startup_seconds:.2f} s of it is starting warta)")
    print(f"dateparser.parse(id) : {dp_rate:10,.0f} strings/s  ({dp_seconds:.2f} s for {len(sample)})")
    print(f"speed ratio          : {warta_rate / dp_rate:10.1f}x  (goal >= 20x)")
    print(f"accuracy, date       : warta {date_right / len(rows):.1%} of {len(rows)}; "
          f"on the dateparser sample warta {warta_sample_right / len(sample):.1%} vs dateparser "
          f"{dp_right / len(sample):.1%}")
    print(f"accuracy, date+time  : warta {exact_right / len(rows):.1%} (date and ISO datetime with offset)")


if __name__ == "__main__":
    main()
