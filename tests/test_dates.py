"""The date normalizer on every form Indonesian school pages print, the traps, and arbitrary text."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.dates import (
    MONTHS,
    ParsedDate,
    find_dates,
    json_line,
    parse_date,
    parse_ref,
    parse_to_json,
    resolve_zone,
    to_zone,
)

REPO = Path(__file__).resolve().parents[1]
REF = dt.date(2025, 6, 1)  # a Sunday

# (text, date, datetime) with the default zone (Asia/Jakarta, WIB) and no ref.
CASES = [
    # Indonesian day + day + month + year, every day name, any case, with and without comma
    ("Senin, 22 September 2025", "2025-09-22", None),
    ("Selasa, 25 Juni 2024", "2024-06-25", None),
    ("Rabu, 2 Juli 2025", "2025-07-02", None),
    ("Kamis, 28 September 2025.", "2025-09-28", None),
    ("Jumat, 27 November 2015", "2015-11-27", None),
    ("Jum'at, 3 Oktober 2025", "2025-10-03", None),
    ("Jum’at 31 Januari 2025 –", "2025-01-31", None),
    ("JUM’AT, 31 JANUARI 2025", "2025-01-31", None),
    ("Sabtu 5 April 2025", "2025-04-05", None),
    ("Minggu, 08 Sep 2024", "2024-09-08", None),
    ("Ahad, 28 April 2024", "2024-04-28", None),
    ("senin, 14 februari 2022", "2022-02-14", None),
    ("Sab, 5 Apr 2025", "2025-04-05", None),
    # every Indonesian month and abbreviation
    ("1 Januari 2024", "2024-01-01", None), ("1 Februari 2024", "2024-02-01", None),
    ("1 Pebruari 2024", "2024-02-01", None), ("1 Maret 2024", "2024-03-01", None),
    ("1 April 2024", "2024-04-01", None), ("1 Mei 2024", "2024-05-01", None),
    ("1 Juni 2024", "2024-06-01", None), ("1 Juli 2024", "2024-07-01", None),
    ("1 Agustus 2024", "2024-08-01", None), ("1 September 2024", "2024-09-01", None),
    ("1 Oktober 2024", "2024-10-01", None), ("1 November 2024", "2024-11-01", None),
    ("1 Nopember 2024", "2024-11-01", None), ("1 Desember 2024", "2024-12-01", None),
    ("17 Jan 2021", "2021-01-17", None), ("17 Feb 2021", "2021-02-17", None),
    ("17 Mar 2021", "2021-03-17", None), ("17 Apr 2021", "2021-04-17", None),
    ("17 Jun 2021", "2021-06-17", None), ("17 Jul 2021", "2021-07-17", None),
    ("17 Agu 2021", "2021-08-17", None), ("17 Agt 2021", "2021-08-17", None),
    ("17 Ags 2021", "2021-08-17", None), ("17 Agst 2021", "2021-08-17", None),
    ("5 Sep 2022", "2022-09-05", None), ("5 Sept 2022", "2022-09-05", None),
    ("5 Sept. 2022", "2022-09-05", None), ("14 Okt 2023", "2023-10-14", None),
    ("10 Nov 2018", "2018-11-10", None), ("10 Nop 2018", "2018-11-10", None),
    ("12 Des 2022", "2022-12-12", None), ("12 DES 2022", "2022-12-12", None),
    # English months, days and orders
    ("26 March 2025", "2025-03-26", None),
    ("26 Nov 2022", "2022-11-26", None),
    ("Aug 25, 2024", "2024-08-25", None),
    ("Monday, July 5, 2021 | July 05, 2021 WIB", "2021-07-05", None),
    ("Friday, 18-04-2025", "2025-04-18", None),
    ("2nd of July, 2025", "2025-07-02", None),
    ("December 1st, 2024", "2024-12-01", None),
    ("5-Oct-2023", "2023-10-05", None),
    # numeric, day first
    ("16/5/2025", "2025-05-16", None),
    ("16-05-2025", "2025-05-16", None),
    ("16.05.2025", "2025-05-16", None),
    ("(16/5/2025)", "2025-05-16", None),
    ("05/06/2025", "2025-06-05", None),
    ("5/6/25", "2025-06-05", None),
    ("21-12-2025", "2025-12-21", None),
    ("2025/05/16", "2025-05-16", None),
    ("05/16/2025", "2025-05-16", None),  # month first only because day first is impossible
    # ISO 8601, RFC 822 and the raw MySQL datetime of CMS Sekolahku feeds
    ("2023-08-17", "2023-08-17", None),
    ("2023-08-17T08:00:00+07:00", "2023-08-17", "2023-08-17T08:00:00+07:00"),
    ("2021-07-05T11:50:35Z", "2021-07-05", "2021-07-05T11:50:35+00:00"),
    ("2024-01-02T03:04:05.123+0800", "2024-01-02", "2024-01-02T03:04:05+08:00"),
    ("Last Updated 2021-07-05T11:50:35Z", "2021-07-05", "2021-07-05T11:50:35+00:00"),
    ("2025-05-20 16:45:00", "2025-05-20", "2025-05-20T16:45:00+07:00"),
    ("Thu, 05 Jun 2025 10:15:00 +0700", "2025-06-05", "2025-06-05T10:15:00+07:00"),
    ("Wed, 04 Jun 2025 23:15:00 GMT", "2025-06-04", "2025-06-04T23:15:00+00:00"),
    ("Tue, 3 Jun 2025 08:00:00 -0500", "2025-06-03", "2025-06-03T08:00:00-05:00"),
    # times and zones
    ("Senin, 14 Februari 2022 | 23:17 WIB", "2022-02-14", "2022-02-14T23:17:00+07:00"),
    ("Senin, 14 Februari 2022 pukul 08.00 WITA", "2022-02-14", "2022-02-14T08:00:00+08:00"),
    ("14 Februari 2022 08:00 WIT", "2022-02-14", "2022-02-14T08:00:00+09:00"),
    ("14 Februari 2022 08:00 wita", "2022-02-14", "2022-02-14T08:00:00+08:00"),
    ("14 Februari 2022 pkl. 13.30", "2022-02-14", "2022-02-14T13:30:00+07:00"),
    ("Senin, 19 Desember 2022 | 09:00 WIB", "2022-12-19", "2022-12-19T09:00:00+07:00"),
    ("20/05/2025 16:45", "2025-05-20", "2025-05-20T16:45:00+07:00"),
    ("20/05/2025 16:45 - Admin Sekolah", "2025-05-20", "2025-05-20T16:45:00+07:00"),
    ("Aug 25, 2024 - 22:27", "2024-08-25", "2024-08-25T22:27:00+07:00"),
    ("July 5, 2021 at 9:05 pm", "2021-07-05", "2021-07-05T21:05:00+07:00"),
    ("Juli 4, 2023 pada 10:07 am", "2023-07-04", "2023-07-04T10:07:00+07:00"),
    ("Dibuat: Selasa, 04 Juli 2023 10.07.12 WITA", "2023-07-04", "2023-07-04T10:07:12+08:00"),
    ("14 Februari 2022 25:70", "2022-02-14", None),
    ("08.00 WIB, Senin 14 Februari 2022", "2022-02-14", "2022-02-14T08:00:00+07:00"),
    ("Pukul 08.00 WITA | 14 Februari 2022", "2022-02-14", "2022-02-14T08:00:00+08:00"),
    ("Rp 1.500 14 Juni 2025", "2025-06-14", None),
    ("10 Oktober 2025 pukul 08.00 - 12.00 WITA", "2025-10-10", "2025-10-10T08:00:00+08:00"),
    ("14 Feb 2022 08.00 s.d. selesai WITA", "2022-02-14", "2022-02-14T08:00:00+08:00"),
    ("Tue May 20 2025 16:45:00 GMT+0700 (Western Indonesia Time)", "2025-05-20", "2025-05-20T16:45:00+07:00"),
    ("2025-05-20 16:45 UTC+8", "2025-05-20", "2025-05-20T16:45:00+08:00"),
    ("2025-05-20T16:45:00+07", "2025-05-20", "2025-05-20T16:45:00+07:00"),
    ("Kemarin ada 22-24 September 2025", "2025-09-22", None),   # a range is read as its first day
    ("22 s/d 24 September 2025", "2025-09-22", None),
    ("Hari/Tanggal : Senin/14 Februari - 16 Maret 2022", "2022-02-14", None),
    ("14 Februari 2022, Pukul : 08.00 WITA", "2022-02-14", "2022-02-14T08:00:00+08:00"),
    ("Jum‘at, 3 Oktober 2025", "2025-10-03", None),
    ("Senin (27/11/2017) 08.00 WITA", "2017-11-27", "2017-11-27T08:00:00+08:00"),
    ("5/6/98", "1998-06-05", None),
    ("Senin | 14 Februari 2022", "2022-02-14", None),
    # embedded in running text
    ("Balikpapan, Jum’at 31 Januari 2025 – SMK Negeri 7 menggelar", "2025-01-31", None),
    ("Pada hari Kamis, tanggal 19 Juni 2025, telah dilaksanakan", "2025-06-19", None),
    ("Kompas.com - 22/09/2023, 17:45 WIB", "2023-09-22", "2023-09-22T17:45:00+07:00"),
    ("Tim Media (Selasa, 25 Juni 2024) – Kegiatan", "2024-06-25", None),
    ("Surakarta, 18 September 2025–Siswa", "2025-09-18", None),
    ("Palembang—(01/10/2020)", "2020-10-01", None),
    ("Martapura – Martapura – Senin (27/11/2017)", "2017-11-27", None),
    ("Diterbitkan: Senin, 7 Juli 2025", "2025-07-07", None),
    ("Diposting pada 12 Mei 2024 oleh Admin", "2024-05-12", None),
    ("1 Syawal 1446 H / 31 Maret 2025 M", "2025-03-31", None),
    # two-digit years after dots, as German and Dutch news sites print them (both parts padded)
    ("02.12.19", "2019-12-02", None),
    ("Party, 30.10.23", "2023-10-30", None),
    ("28.09.19 12:44", "2019-09-28", "2019-09-28T12:44:00+07:00"),
]

NON_DATES = [
    "pukul 10.00 WIB", "08:00", "08.00 WITA", "Tahun Pelajaran 2024/2025", "TP 2024/2025", "© 2024 SMK Negeri 1",
    "Copyright 2025", "1 Ramadhan 1446 H", "12 Rabiul Awal 1446 H", "10 kali dibaca", "0 Komentar",
    "0 komentar", "88 Views", "Dilihat 294", "Dilihat: 1.204 kali", "Diterbitkan : -", "31/02/2025",
    "30-02-2024", "29/02/2025", "32 Januari 2025", "NPSN 30401234", "Telp. (0542) 861234", "0812-3456-7890",
    "+62 812 3456 7890", "versi 1.16.05.2025", "v2.10.2025", "Versi 10.12.2024", "Juli 2025",
    "Arsip Oktober 2025", "", "   ",
    "Kamis (31/12)", "Selasa, 10 Oktober", "(15/8)", "3 hari yang lalu", "kemarin", "Senin", "Senin lalu",
    "Minggu lalu",
    "1.2.25", "Skor 3/1/2 poin", "1.02.20", "IP 10.11.12.13", "08.00.00", "Rp 12.500.00",
]


@pytest.mark.parametrize(("text", "date", "datetime"), CASES)
def test_forms(text: str, date: str, datetime: str | None) -> None:
    found = parse_date(text)
    assert found is not None, text
    assert (found.date.isoformat(), found.datetime.isoformat() if found.datetime else None) == (date, datetime)
    assert text[found.start:found.end] == found.text


@pytest.mark.parametrize("text", NON_DATES)
def test_non_dates(text: str) -> None:
    assert parse_date(text) is None
    assert find_dates(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Kamis (31/12)", "2020-12-31"),        # the most recent 31 December that was a Thursday
    ("(31/12)", "2024-12-31"),
    ("(15/8)", "2024-08-15"),
    ("Minggu (26/6)", "2022-06-26"),
    ("Kam, 31/12", "2020-12-31"),
    ("Selasa, 10 Oktober", "2023-10-10"),
    ("10 Oktober", "2024-10-10"),
    ("1 Juni", "2025-06-01"),                # the reference day itself is not after the reference
    ("2 Juni", "2024-06-02"),
    ("(29/2)", "2024-02-29"),
    ("3 hari yang lalu", "2025-05-29"),
    ("3 hari lalu", "2025-05-29"),
    ("kemarin", "2025-05-31"),
    ("Kemarin lusa", "2025-05-30"),
    ("Sabtu kemarin", "2025-05-31"),
    ("Senin kemarin", "2025-05-26"),
    ("Minggu kemarin", "2025-05-25"),   # the reference is a Sunday: the one before it
    ("Jumat lalu", "2025-05-30"),
    ("hari ini", "2025-06-01"),
    ("2 minggu lalu", "2025-05-18"),
    ("seminggu yang lalu", "2025-05-25"),
    ("sebulan lalu", "2025-05-01"),
    ("2 tahun yang lalu", "2023-06-01"),
    ("dua hari yang lalu", "2025-05-30"),
    ("5 days ago", "2025-05-27"),
    ("yesterday", "2025-05-31"),
    ("16/5/2025", "2025-05-16"),             # a full date ignores the reference
])
def test_yearless_and_relative_with_ref(text: str, expected: str) -> None:
    found = parse_date(text, ref=REF)
    assert found is not None and found.date.isoformat() == expected


def test_relative_hours_use_a_reference_datetime_in_its_zone() -> None:
    ref = dt.datetime(2025, 6, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    found = parse_date("3 jam yang lalu", ref=ref)
    assert found is not None and found.iso == "2025-05-31T22:30:00+08:00"
    assert parse_date("3 jam yang lalu", ref=REF).iso == "2025-06-01"


def test_months_back_clamps_to_the_end_of_month() -> None:
    assert parse_date("sebulan lalu", ref=dt.date(2025, 3, 31)).date == dt.date(2025, 2, 28)


def test_yearless_date_with_time_takes_the_time() -> None:
    found = parse_date("Kamis (31/12) 08.00 WITA", ref=REF)
    assert found is not None and found.iso == "2020-12-31T08:00:00+08:00"


def test_explicit_zone_wins_and_is_kept_as_written() -> None:
    found = parse_date("14 Februari 2022 08:00 WIB", tz="Asia/Makassar")
    assert found.iso == "2022-02-14T08:00:00+07:00"
    assert to_zone(found, "Asia/Makassar") == "2022-02-14T09:00:00+08:00"


def test_tz_argument_applies_to_times_without_zone() -> None:
    assert parse_date("20/05/2025 16:45", tz="Asia/Makassar").iso == "2025-05-20T16:45:00+08:00"
    assert parse_date("20/05/2025 16:45", tz="Asia/Jayapura").iso == "2025-05-20T16:45:00+09:00"
    assert parse_date("20/05/2025 16:45", tz=dt.UTC).iso == "2025-05-20T16:45:00+00:00"
    assert parse_date("20/05/2025 16:45").iso == "2025-05-20T16:45:00+07:00"


def test_to_zone_converts_across_midnight_and_leaves_dates_alone() -> None:
    found = parse_date("2025-05-20T23:30:00Z")
    assert found.date == dt.date(2025, 5, 20)  # the date as written
    assert to_zone(found, "Asia/Jakarta") == "2025-05-21T06:30:00+07:00"
    assert to_zone(parse_date("20 Mei 2025"), "Asia/Jakarta") == "2025-05-20"


def test_date_is_local_calendar_date_as_written() -> None:
    found = parse_date("Thu, 05 Jun 2025 23:15:00 -0500")
    assert found.date == dt.date(2025, 6, 5) and found.datetime.utcoffset() == dt.timedelta(hours=-5)


def test_unknown_zone_and_bad_reference_raise_value_error() -> None:
    with pytest.raises(ValueError, match="Mars/Base"):
        resolve_zone("Mars/Base")
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_ref("kemarin")
    assert parse_ref("2025-06-01") == dt.date(2025, 6, 1)
    assert parse_ref("2025-06-01T10:00+08:00").utcoffset() == dt.timedelta(hours=8)


def test_iso_property_keeps_seconds() -> None:
    found = parse_date("23 Juni 2025 09.12 WITA")
    assert found.iso == "2025-06-23T09:12:00+08:00"
    assert isinstance(found, ParsedDate)


def test_find_dates_reads_every_mention_in_order() -> None:
    body = ("Balikpapan, Jum’at 31 Januari 2025 – Pendaftaran PKL Tahun Pelajaran 2024/2025 dibuka pukul 08.00 "
            "WITA dan ditutup paling lambat 20 Februari 2025. Info: 0812-3456-7890, aplikasi versi 1.2.3, "
            "10 kali dibaca, 0 Komentar. Palembang—(01/10/2020) Senin (27/11/2017)")
    found = find_dates(body)
    assert [f.date.isoformat() for f in found] == ["2025-01-31", "2025-02-20", "2020-10-01", "2017-11-27"]
    assert [f.text for f in found] == ["Jum’at 31 Januari 2025", "20 Februari 2025", "01/10/2020",
                                       "Senin (27/11/2017)"]
    assert all(body[f.start:f.end] == f.text for f in found)


def test_find_dates_resolves_yearless_only_with_ref() -> None:
    text = "Kegiatan Minggu (26/6) dan 3 hari yang lalu"
    assert find_dates(text) == []
    assert [f.date.isoformat() for f in find_dates(text, ref=REF)] == ["2022-06-26", "2025-05-29"]


def test_parse_to_json_shape() -> None:
    assert parse_to_json("Jum’at, 3 Oktober 2025 pukul 07.30 WITA") == {
        "text": "Jum’at, 3 Oktober 2025 pukul 07.30 WITA", "date": "2025-10-03",
        "datetime": "2025-10-03T07:30:00+08:00"}
    assert parse_to_json("0 Komentar") == {"text": "0 Komentar", "date": None, "datetime": None}


def test_every_month_name_is_read() -> None:
    for name, number in MONTHS.items():
        found = parse_date(f"9 {name} 2024")
        assert found is not None and found.date == dt.date(2024, number, 9), name


def test_dev_set(corpus: Path) -> None:
    rows = [json.loads(line) for line in (corpus / "dates_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert rows
    wrong = [(row, got) for row in rows
             if (got := parse_to_json(row["text"])) != {k: row[k] for k in ("text", "date", "datetime")}]
    assert wrong == []


def _imports_dateparser(lines: list[str]) -> bool:
    """Whether parsing the lines over and over imports dateparser, in a fresh process."""
    script = (
        "import sys\n"
        "from scraper.dates import parse_date\n"
        f"lines = {lines!r}\n"
        "for i in range(10_000):\n"
        "    parse_date(lines[i % len(lines)])\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    return result.stdout.strip() != "False"


def test_common_lines_never_import_dateparser() -> None:
    assert not _imports_dateparser(['Jum’at, 3 Oktober 2025', '20/05/2025 16:45 WIB', '2025-05-20 16:45:00',
                                    '0 Komentar', 'Tahun Pelajaran 2024/2025', 'Thu, 05 Jun 2025 10:15:00 +0700',
                                    'Juli 2025', '(15/8)'])


@pytest.mark.parametrize(("text", "expected"), [
    # C's ctime and Java's Date.toString, with Central/Eastern European and Moscow zones
    ("Tue Jan 28 15:28:56 CET 2020", "2020-01-28T15:28:56+01:00"),
    ("Mon Oct 11 14:57:21 CEST 2021", "2021-10-11T14:57:21+02:00"),
    ("Jan 04 09:34 2021", "2021-01-04T09:34:00+07:00"),
    ("Diperbarui Tue Jan 28 2020 15:28:56 GMT+0100 (CET)", "2020-01-28T15:28:56+01:00"),
    ("Rapat 20 Mei 2025 14:00 MSK", "2025-05-20T14:00:00+03:00"),
    # Cyrillic and Arabic months inside running text (Arabic-script pages of Islamic schools, the open web)
    ("Опубликовано 15 августа 2016, 13:43", "2016-08-15T13:43:00+07:00"),
    ("3 травня 2021 року", "2021-05-03"),
    ("Opublikowano: 15 sierpnia 2016 r.", "2016-08-15"), ("Vydáno 3. září 2020 v 10:15", "2020-09-03"),
    ("الأربعاء، 07 أكتوبر 2020 - 09:09 م", "2020-10-07T21:09:00+07:00"),
    ("07 أكتوبر 2020 - 09:09 ص", "2020-10-07T09:09:00+07:00"),
])
def test_forms_of_the_open_web_are_read_without_dateparser(text: str, expected: str) -> None:
    found = find_dates(text)
    assert found and found[0].iso == expected


def test_open_web_forms_never_import_dateparser() -> None:
    lines = ["Tue Jan 28 15:28:56 CET 2020", "15 августа 2016, 13:43", "الأربعاء، 07 أكتوبر 2020 - 12:09 م",
             "Jan 04 09:34 2021"]
    assert all(parse_date(line) for line in lines)
    assert not _imports_dateparser(lines)


def test_dateparser_answers_are_kept_per_string() -> None:
    first, again = parse_date("July the 4th, 2025"), parse_date("July the 4th, 2025")
    assert first is again  # the second call is the cached answer, not a second dateparser run


def test_dateparser_fallback_reads_what_the_regexes_do_not() -> None:
    found = parse_date("July the 4th, 2025")
    assert found is not None and found.date == dt.date(2025, 7, 4) and found.text == "July the 4th, 2025"


@pytest.mark.parametrize("text", ["USA TODAY", "Baca USA TODAY edisi cetak", "Info Hari Ini", "Berita Hari Ini",
                                  "Pengunjung hari ini: 57", "Hari ini : 120", "Visitors today 35",
                                  "Kunjungan Hari Ini 12"])
def test_relative_words_in_names_and_counters_are_no_dates(text: str) -> None:
    assert parse_date(text, ref=REF) is None and find_dates(text, ref=REF) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("hari ini", "2025-06-01"), ("Today", "2025-06-01"), ("Hari ini, 08:30 WIB", "2025-06-01T08:30:00+07:00"),
    ("Diposting hari ini", "2025-06-01"), ("kemarin", "2025-05-31"),
])
def test_relative_words_that_are_the_date_still_are(text: str, expected: str) -> None:
    found = parse_date(text, ref=REF)
    assert found is not None and found.iso == expected


def test_a_yearless_date_never_lands_after_the_anchor_or_the_reference() -> None:
    assert parse_date("15 Agustus", ref=REF).date == dt.date(2024, 8, 15)
    assert parse_date("15 Agustus", ref=REF, anchor=dt.date(2020, 3, 1)).date == dt.date(2019, 8, 15)
    assert parse_date("(15/8)", anchor=dt.date(2019, 8, 31)).date == dt.date(2019, 8, 15)   # anchor alone
    assert parse_date("(15/8)") is None                                                      # nothing to go by
    assert parse_date("15 Agustus", ref=dt.date(2019, 1, 1), anchor=dt.date(2030, 1, 1)).date == dt.date(2018, 8, 15)


def test_a_month_first_site_reads_ambiguous_numbers_month_first() -> None:
    assert parse_date("11/05/2026").date == dt.date(2026, 5, 11)
    assert parse_date("11/05/2026", month_first=True).date == dt.date(2026, 11, 5)
    assert parse_date("23/11/2026", month_first=True).date == dt.date(2026, 11, 23)   # impossible month-first
    assert find_dates("Rapat (11/5) di aula", ref=REF, month_first=True)[0].date == dt.date(2024, 11, 5)


@pytest.mark.parametrize(("text", "expected"), [
    ("March 15th, 2021", "2021-03-15"), ("Posted on March 3, 2021 at 10:00 am", "2021-03-03T10:00:00+07:00"),
    ("15 March 2021", "2021-03-15"), ("Wednesday, September 3, 2025", "2025-09-03"),
    ("3rd of May 2024", "2024-05-03"),
    ("Am Mittwoch, 20. Februar 2019, 14:45 Uhr", "2019-02-20T14:45:00+07:00"),
    ("publié le 27 juin 2019 par la rédaction", "2019-06-27"), ("7 de mayo de 2020", "2020-05-07"),
    ("Lübeck, 31. März 2003", "2003-03-31"),
])
def test_english_and_other_latin_script_dates_inside_running_text(text: str, expected: str) -> None:
    found = find_dates(text)
    assert found and found[0].iso == expected


def test_dateparser_reads_other_languages_only_for_a_foreign_month_form() -> None:
    found = parse_date("15 Ogos 2016")   # Malay: no Indonesian or English month, one of dateparser's other languages
    assert found is not None and found.date == dt.date(2016, 8, 15)
    for text in ("15 августа 2016", "15 sierpnia 2016", "15 Ağustos 2016"):  # the open web's further neighbours
        found = parse_date(text)
        assert found is not None and found.date == dt.date(2016, 8, 15), text
    assert parse_date("Tahun Pelajaran 2024/2025 semester 1") is None


# Property tests: arbitrary text never breaks the parser, and what it returns is real.
_DATEISH = st.lists(st.sampled_from(list("0123456789/.-:,() ") + ["Mei", "Jum’at", "WIB", "Agt", "2025",
                                                                  "lalu", "hari", "T", "Z", "pukul", "jam",
                                                                  "kemarin", "0001", "9999", "+0700"]))


_REFS = st.sampled_from([None, REF, dt.datetime(1, 1, 1), dt.date(9999, 12, 31),
                         dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12)))])


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _DATEISH.map("".join)), ref=_REFS)
def test_never_raises_and_spans_are_real(text: str, ref: dt.date | None) -> None:
    for found in find_dates(text, ref=ref):
        assert text[found.start:found.end] == found.text
        assert isinstance(found.date, dt.date)
        assert found.datetime is None or found.datetime.tzinfo is not None
        assert to_zone(found, "Etc/GMT+12")
    single = parse_date(text, ref=ref)
    if single is not None:
        assert text[single.start:single.end] == single.text


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
       hour=st.integers(0, 23), minute=st.integers(0, 59), zone=st.sampled_from(["WIB", "WITA", "WIT"]))
def test_written_dates_round_trip(day: dt.date, hour: int, minute: int, zone: str) -> None:
    month_name = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                  "Oktober", "November", "Desember"][day.month - 1]
    offset = {"WIB": 7, "WITA": 8, "WIT": 9}[zone]
    for text in (f"{day.day} {month_name} {day.year} pukul {hour:02d}.{minute:02d} {zone}",
                 f"{day.day:02d}/{day.month:02d}/{day.year} {hour:02d}:{minute:02d} {zone}"):
        found = parse_date(f"Dimuat {text}.")
        assert found is not None and found.date == day
        assert found.datetime == dt.datetime(day.year, day.month, day.day, hour, minute,
                                             tzinfo=dt.timezone(dt.timedelta(hours=offset)))


@pytest.mark.parametrize("text", ["Minggu lalu", "yang lalu", "lalu", "Senin", "pukul 08.00 WIB", "Juli 2025"])
def test_not_dates_even_with_ref(text: str) -> None:
    assert parse_date(text, ref=REF) is None


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _DATEISH.map("".join), st.sampled_from(['"quoted" \\ back\tslash', "Jum’at\x00"])))
def test_json_line_is_exactly_json_dumps(text: str) -> None:
    row = parse_to_json(text, ref=REF)
    assert json_line(row) == json.dumps(row, ensure_ascii=False)
