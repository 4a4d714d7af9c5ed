"""`warta parse-date` through a real subprocess: one JSON line per input, flags, stdin streaming, user errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

WARTA = Path(sys.executable).with_name("warta")
REPO = Path(__file__).resolve().parents[1]

COMMON_LINES = [
    "Jum’at, 3 Oktober 2025", "Senin, 14 Februari 2022 | 23:17 WIB", "20/05/2025 16:45", "2025-05-20 16:45:00",
    "Thu, 05 Jun 2025 10:15:00 +0700", "Balikpapan, Jum’at 31 Januari 2025 – SMK Negeri 7", "0 Komentar",
    "Tahun Pelajaran 2024/2025", "(16/5/2025)", "pukul 10.00 WIB", "Arsip Juli 2025", "10 kali dibaca",
]


def run_warta(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(WARTA), *args], input=stdin, capture_output=True, cwd=REPO, timeout=60,
                          text=isinstance(stdin, str))


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_stdin_gives_one_json_line_per_input_line() -> None:
    lines = ["Jum’at, 3 Oktober 2025", "", "0 Komentar", "Senin, 14 Februari 2022 pukul 08.00 WITA"]
    result = run_warta("parse-date", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert json_lines(result.stdout) == [
        {"text": "Jum’at, 3 Oktober 2025", "date": "2025-10-03", "datetime": None},
        {"text": "", "date": None, "datetime": None},
        {"text": "0 Komentar", "date": None, "datetime": None},
        {"text": "Senin, 14 Februari 2022 pukul 08.00 WITA", "date": "2022-02-14",
         "datetime": "2022-02-14T08:00:00+08:00"},
    ]
    assert "Jum’at" in result.stdout  # not escaped to \u2019


def test_arguments_stdin_tz_and_ref_together() -> None:
    result = run_warta("parse-date", "--tz", "Asia/Makassar", "--ref", "2025-06-01", "20/05/2025 16:45", "-",
                       "Kamis (31/12)", stdin="kemarin\r\n3 hari yang lalu\n")
    assert result.returncode == 0, result.stderr
    assert [(row["text"], row["date"], row["datetime"]) for row in json_lines(result.stdout)] == [
        ("20/05/2025 16:45", "2025-05-20", "2025-05-20T16:45:00+08:00"),
        ("kemarin", "2025-05-31", None),
        ("3 hari yang lalu", "2025-05-29", None),
        ("Kamis (31/12)", "2020-12-31", None),
    ]


def test_without_ref_yearless_is_null_and_default_zone_is_wib() -> None:
    result = run_warta("parse-date", "Kamis (31/12)", "20/05/2025 16:45")
    assert [row["date"] for row in json_lines(result.stdout)] == [None, "2025-05-20"]
    assert json_lines(result.stdout)[1]["datetime"] == "2025-05-20T16:45:00+07:00"


def test_bad_tz_is_one_line_naming_the_flag() -> None:
    result = run_warta("parse-date", "--tz", "Mars/Base", "1 Mei 2025")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "--tz" in result.stderr and "Mars/Base" in result.stderr


def test_bad_ref_is_one_line_naming_the_flag() -> None:
    result = run_warta("parse-date", "--ref", "kemarin", "1 Mei 2025")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--ref" in result.stderr and "Traceback" not in result.stderr


def test_undecodable_bytes_do_not_crash() -> None:
    result = run_warta("parse-date", "-", stdin=b"\xff\xfe 17 Agustus 2021\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["date"] == "2021-08-17"


def test_ten_thousand_common_lines_stream_fast_without_dateparser() -> None:
    lines = [COMMON_LINES[i % len(COMMON_LINES)] for i in range(10_000)]
    # -X importtime lists every module the real CLI imports, on stderr.
    command = [sys.executable, "-X", "importtime", "-c", "from scraper.cli import cli; cli()", "parse-date", "-"]
    started = time.perf_counter()
    result = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json_lines(result.stdout)
    assert len(rows) == 10_000 and rows[0]["date"] == "2025-10-03" and rows[6]["date"] is None
    assert "scraper.dates" in result.stderr and "dateparser" not in result.stderr
    assert elapsed < 30



def test_reader_leaving_early_is_not_a_traceback() -> None:
    pipeline = f'yes "1 Mei 2025" | head -n 200000 | "{WARTA}" parse-date - | head -n 1'
    result = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert json.loads(result.stdout)["date"] == "2025-05-01"
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_json_is_utf8_whatever_the_locale() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = subprocess.run([str(WARTA), "parse-date", "-"], input="Jum’at, 3 Oktober 2025\n".encode(),
                            capture_output=True, cwd=REPO, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8")) == {"text": "Jum’at, 3 Oktober 2025", "date": "2025-10-03",
                                                         "datetime": None}


def test_help_lists_the_command_and_its_flags() -> None:
    assert "parse-date" in run_warta("--help").stdout
    usage = run_warta("parse-date", "--help").stdout
    assert "--tz" in usage and "--ref" in usage and "Asia/Jakarta" in usage


def test_undecodable_argument_does_not_crash() -> None:
    result = subprocess.run([str(WARTA), "parse-date", b"\xff 1 Mei 2025"], capture_output=True, cwd=REPO,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["date"] == "2025-05-01"
