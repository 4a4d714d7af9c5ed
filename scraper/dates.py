"""Read the dates Indonesian school pages print: `Jum’at, 3 Oktober 2025`, `20/05/2025 16:45 WIB`, ISO, RFC 822
(and the open web's: other languages' months, `2020年7月3日`).

The common forms go through compiled regular expressions (fast, and they find dates inside running text);
dateparser is imported lazily and only tried on a short whole string that looks like a date the fast path
could not read. Explicit zones in the text (`WIB`, `+07:00`, `GMT`) win over the `tz` argument and are kept as
written; year-less and relative forms resolve only against a reference date (`ref`), and a year-less one never
after `anchor` (the article's own latest possible day) when one is given. A relative word that is part of a name
(`USA TODAY`, `Info Hari Ini`) or labels a counter (`Pengunjung hari ini: 57`) is no date. Numeric dates are day
first unless the caller knows the site writes month first (`month_first`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scraper.lazy_pattern import LazyPattern

DEFAULT_TZ = "Asia/Jakarta"

MONTHS: dict[str, int] = {
    # Indonesian, with the abbreviations and old spellings schools use
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
    "agst": 8, "agus": 8, "agust": 8, "febuari": 2, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "nop": 11, "des": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "december": 12, "aug": 8, "oct": 10, "dec": 12,
    # The open web's other Latin-script languages (German, Dutch, French, Spanish, Portuguese, Italian), so
    # their dates are read inside running text too; dateparser stays the fallback for every other language.
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3, "mai": 5, "dezember": 12,
    "dez": 12, "maart": 3,
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4, "juin": 6,
    "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "déc": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9, "outubro": 10,
    "novembro": 11, "dezembro": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
    # Russian and Ukrainian (Cyrillic: no word of a Latin-script page is one), the open web's most common after
    # those; read here because dateparser's first call costs ~1.5 s of a process.
    "января": 1, "январь": 1, "янв": 1, "февраля": 2, "февраль": 2, "фев": 2, "февр": 2, "марта": 3, "март": 3,
    "апреля": 4, "апрель": 4, "апр": 4, "мая": 5, "май": 5, "июня": 6, "июнь": 6, "июн": 6, "июля": 7, "июль": 7,
    "июл": 7, "августа": 8, "август": 8, "авг": 8, "сентября": 9, "сентябрь": 9, "сен": 9, "сент": 9,
    "октября": 10, "октябрь": 10, "окт": 10, "ноября": 11, "ноябрь": 11, "ноя": 11, "нояб": 11, "декабря": 12,
    "декабрь": 12, "дек": 12,
    "січня": 1, "січень": 1, "лютого": 2, "лютий": 2, "березня": 3, "березень": 3, "квітня": 4, "квітень": 4,
    "травня": 5, "травень": 5, "червня": 6, "червень": 6, "липня": 7, "липень": 7, "серпня": 8, "серпень": 8,
    "вересня": 9, "вересень": 9, "жовтня": 10, "жовтень": 10, "листопада": 11, "листопад": 11, "грудня": 12,
    "грудень": 12,
    # Polish and Czech (their genitives, as dates print them; no Indonesian or English word is one)
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7, "sierpnia": 8,
    "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7, "srpna": 8,
    "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    # Arabic (the Gregorian names Arabic-script pages print; Hijri months are not these)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}

WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3,
    "jumat": 4, "jum'at": 4, "jum’at": 4, "jum`at": 4, "jum‘at": 4, "jumʼat": 4, "jum´at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
    "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6, "mgg": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}

_HOURS = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "ut": 0, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
          "msk": 3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
NAMED_ZONES: dict[str, dt.tzinfo] = {
    name: dt.timezone(dt.timedelta(hours=hours)) for name, hours in _HOURS.items()
}

_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
                 "sembilan": 9, "sepuluh": 10, "se": 1, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3,
                 "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_UNITS = {"detik": "seconds", "second": "seconds", "sec": "seconds", "menit": "minutes", "minute": "minutes",
          "min": "minutes", "jam": "hours", "hour": "hours", "hari": "days", "day": "days", "minggu": "weeks",
          "pekan": "weeks", "week": "weeks", "bulan": "months", "month": "months", "tahun": "years",
          "year": "years"}
_DAYS_BACK = {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1, "kemarin lusa": 2, "kemarin dulu": 2}


def _alternation(words) -> str:
    """A regex matching any of `words`, factored into a trie so the engine tries a few letters, not every word.

    Optional endings are greedy, so the longest word wins (`Maret` over `Mar`).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return pattern(trie)


def _first_letters(words) -> str:
    """A lookahead on the words' first letters: the engine rejects most positions with one set test instead of
    trying every branch of the alternation."""
    return "(?=[" + "".join(sorted({re.escape(word[0]) for word in words})) + "])"


_MONTH = rf"{_first_letters(MONTHS)}(?:{_alternation(MONTHS)})(?![^\W\d_])\.?"
_WEEKDAY = rf"{_first_letters(WEEKDAYS)}(?:{_alternation(WEEKDAYS)})(?![^\W\d_])\.?"
_NAMED_ZONE = rf"(?:{_alternation(NAMED_ZONES)})(?![^\W\d_])"
_OFFSET = r"(?:(?:gmt|utc|ut)\s?)?[+-]\d{2}:?\d{2}(?!\d)|(?:gmt|utc)[+-]\d{1,2}(?![\d:])"
_ZONE = rf"{_OFFSET}|{_NAMED_ZONE}"
_NOT_AFTER_NUMBER = r"(?<![\w./])(?<!\d[.,/:-])(?<!versi\s)(?<!version\s)"
_UNTIL = r"\s*(?:[-–—]|s[./]?\s?d\.?|sampai|hingga|to)\s*"
_NUMERIC_END = r"(?![^\W_]|[./:-]\d)"

# The date forms, tried in this order at each position; each alternative has its own group names.
# A bare `31/12` (daymonth) counts only after a weekday (`Kamis, 31/12`): alone it may be a score or a fraction.
_DATE = rf"""
  (?P<iso>(?<![\w.:/+-])
     (?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})
     (?:[T\s](?P<iso_hh>\d{{2}}):(?P<iso_mm>\d{{2}})(?::(?P<iso_ss>\d{{2}})(?:[.,]\d+)?)?
        \s*(?P<iso_zone>Z(?![^\W\d_])|[+-]\d{{2}}(?!:?\d)|{_ZONE})?)?
     (?![\w:]|[-/.]\d))
| (?P<ymd>{_NOT_AFTER_NUMBER}(?P<ymd_y>\d{{4}})(?P<ymd_sep>[/.])(?P<ymd_m>\d{{1,2}})(?P=ymd_sep)(?P<ymd_d>\d{{1,2}})
     {_NUMERIC_END})
| (?P<cjk>(?<!\d)(?P<cjk_y>\d{{4}})\s?[年년]\s?(?P<cjk_m>\d{{1,2}})\s?[月월]\s?(?P<cjk_d>\d{{1,2}})\s?[日号일])
| (?P<num>{_NOT_AFTER_NUMBER}(?P<num_d>\d{{1,2}})(?P<num_sep>[/.-])(?P<num_m>\d{{1,2}})(?P=num_sep)
     (?P<num_y>\d{{4}}|\d{{2}}(?<=[/-]\d\d)|\d{{2}}(?<=\d\d\.\d\d\.\d\d)){_NUMERIC_END})
| (?P<dmy>(?<![\w.])(?<!\d[.,/:-])(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?(?:{_UNTIL}\d{{1,2}}(?!\d))?
     (?:\s+(?:of|de))?(?:\s*[-/.]\s*|\s+)(?P<dmy_m>{_MONTH})(?:{_UNTIL}\d{{1,2}}\s+{_MONTH})?
     (?:(?:\s*[-/.,]\s*|\s+(?:de\s+)?)(?P<dmy_y>\d{{4}}|'\d{{2}})(?!\d))?)
| (?P<mdy>(?<![\w])(?P<mdy_m>{_MONTH})\s*(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)
     (?:,?\s+(?P<mdy_y>\d{{4}})(?!\d)
     # C's ctime: the time (and zone) between the day and the year
     |\s+(?P<ctime_hh>\d{{1,2}}):(?P<ctime_mm>\d{{2}})(?::(?P<ctime_ss>\d{{2}}))?(?:\s+(?P<ctime_zone>{_ZONE}))?
        \s+(?P<ctime_y>\d{{4}})(?!\d)))
| (?P<paren>\(\s*(?P<paren_d>\d{{1,2}})/(?P<paren_m>\d{{1,2}})\s*\))
| (?P<daymonth>(?(weekday)|(?!))(?P<daymonth_d>\d{{1,2}})/(?P<daymonth_m>\d{{1,2}})(?![\w/]|[.,:-]\d))
| (?P<rel>(?<![\w])(?:(?P<rel_n>\d{{1,3}})\s*|(?P<rel_w>{_alternation(set(_NUMBER_WORDS) - {"se"})})\s+|se)
     (?P<rel_unit>{_alternation(_UNITS)})s?\s+(?:(?:yang|yg)\s+)?(?:lalu|silam|ago)(?![^\W\d_]))
| (?P<word>(?<![\w])(?:{_alternation(_DAYS_BACK)}|(?(weekday)(?:lalu|last)|(?!)))(?![^\W\d_]))
"""
# Chinese, Japanese and Korean letters (kana, CJK ideographs, Hangul), as a regex class's inside: running text has
# no spaces, so a date may follow one directly (`于2020年`).
CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
# Maybe a time first (`08.00 WIB, `), a weekday (`Jum’at, `, `Senin (`, `hari Kamis, tanggal `), then the date,
# then maybe a time and zone.
# The leading lookbehind (no letter before, except a CJK one) lets the engine skip positions inside words
# cheaply; every form starts a word anyway. It is case-sensitive because its class has no cased letter: the same
# compiled code, but re compiles a class under IGNORECASE one code point at a time (9 ms of every start-up).
_MENTION = re.compile(
    rf"""
    (?-i:(?<![^\W{CJK_LETTERS}]))
    (?:(?:(?:pukul|pkl\.?|jam)\s*:?\s*)?(?<![\d.,:])(?P<pre_hh>\d{{1,2}})[:.](?P<pre_mm>\d{{2}})(?![\d])(?![.,:]\d)
       (?:\s*(?P<pre_zone>{_ZONE}))?(?:\s*[,|–—-]\s*|\s+))?
    (?:(?<![\w’'`])(?P<weekday>{_WEEKDAY})\s*(?:(?P<paren_open>\()\s*|[,|/–—-]\s*)?(?:(?:tanggal|tgl\.?)\s*)?)?
    (?:{_DATE})(?(paren_open)(?:\s*(?P<paren_close>\)))?)
    (?:(?:\s*[,|@–—-]\s*|\s+)(?:(?:pukul|pkl\.?|jam|pada|at)\s*:?\s*)?
       (?P<hh>\d{{1,2}})[:.](?P<mm>\d{{2}})(?:[:.](?P<ss>\d{{2}}))?(?![\d])(?![.,:]\d)
       (?:\s*(?:(?P<ampm>[ap])\.?m\.?|(?P<ampm_ar>[صم]))(?![^\W\d_]))?
       (?:{_UNTIL}(?:\d{{1,2}}[:.]\d{{2}}(?![\d])|selesai)(?:\s*[ap]\.?m\.?(?![^\W\d_]))?)?
       (?:\s*(?P<zone>{_ZONE}))?)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# What makes a short string worth handing to dateparser: a month name and a day-sized number.
_DAY_NUMBER = LazyPattern(r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?(?!\d)", re.IGNORECASE)
# A month name as a word (7 ms to compile): only strings no date form reads need it.
_MONTH_WORD = LazyPattern(rf"(?<![^\W\d_]){_MONTH}", re.IGNORECASE)
# A date in another language for dateparser: a word (maybe its month) before or after a day and a year.
_FOREIGN_MONTH = LazyPattern(r"(?<!\d)\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?(?:19|20)\d\d(?!\d)"
                             r"|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+(?:19|20)\d\d(?!\d)")
# Languages dateparser tries after Indonesian and English: neighbours' and the web's most common.
_OTHER_LANGUAGES = ["ms", "ar", "de", "fr", "nl", "es", "pt", "it", "ru", "uk", "pl", "tr", "cs"]
_OFFSET_PARTS = re.compile(r"(?P<sign>[+-])(?P<hours>\d{1,2}?):?(?P<minutes>\d{2})?$")
_FORMS = ("iso", "ymd", "cjk", "num", "dmy", "mdy", "paren", "daymonth", "word", "paren_close")
_TIME = LazyPattern(r"(?<![\d.:])(\d{1,2})[:.](\d{2})(?![\d])")
_DATEPARSER_MAX_LEN = 64


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from text: the calendar date as written, and the aware datetime when a time was given."""

    date: dt.date
    datetime: dt.datetime | None
    text: str
    start: int
    end: int

    @property
    def iso(self) -> str:
        """`2025-06-23T09:12:00+08:00` when a time is known, else `2025-06-23`."""
        return self.datetime.isoformat() if self.datetime is not None else self.date.isoformat()


@lru_cache(maxsize=256)
def _zone_named(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Makassar)") from exc


def resolve_zone(tz: str | dt.tzinfo | None) -> dt.tzinfo:
    """The tzinfo for an IANA name, a tzinfo, or None (Asia/Jakarta, WIB); ValueError for an unknown name."""
    if tz is None:
        return _zone_named(DEFAULT_TZ)
    if isinstance(tz, dt.tzinfo):
        return tz
    return _zone_named(tz)


def parse_ref(value: str) -> dt.date | dt.datetime:
    """A reference date or datetime from ISO 8601 text (`2025-06-01`, `2025-06-01T10:00+08:00`)."""
    try:
        if len(value) <= 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 date or datetime: {value!r}") from exc


def _ref_date(ref: dt.date | dt.datetime | None, zone: dt.tzinfo) -> dt.date | None:
    if isinstance(ref, dt.datetime):
        try:
            return ref.astimezone(zone).date() if ref.tzinfo else ref.date()
        except OverflowError:  # within hours of year 1 or 9999
            return ref.date()
    return ref


def _ref_datetime(ref: dt.date | dt.datetime | None, zone: dt.tzinfo) -> dt.datetime | None:
    if isinstance(ref, dt.datetime):
        return ref if ref.tzinfo else ref.replace(tzinfo=zone)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    digits = text.lstrip("'")
    if len(digits) != 2:
        return int(digits)
    return int(digits) + (2000 if int(digits) < 70 else 1900)  # the POSIX strptime pivot


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _yearless(month: int, day: int, weekday: int | None, ref: dt.date | None,
              anchor: dt.date | None = None) -> dt.date | None:
    """The most recent (month, day) not after `ref` nor `anchor`, preferring one that falls on `weekday`."""
    if anchor is not None:
        ref = anchor if ref is None else min(ref, anchor)
    if ref is None:
        return None
    candidates = [d for y in range(ref.year, ref.year - 29, -1)
                  if (d := _safe_date(y, month, day)) is not None and d <= ref]
    if weekday is not None:
        for candidate in candidates:
            if candidate.weekday() == weekday:
                return candidate
    return candidates[0] if candidates else None


def _relative(match: re.Match, zone: dt.tzinfo, ref) -> tuple[dt.date, dt.datetime | None] | None:
    """`3 hari yang lalu`, `seminggu lalu`, `2 hours ago` against `ref`."""
    ref_day = _ref_date(ref, zone)
    if ref_day is None:
        return None
    word = match["rel_w"]
    amount = int(match["rel_n"]) if match["rel_n"] else _NUMBER_WORDS[word.lower()] if word else 1
    unit = _UNITS[match["rel_unit"].lower()]
    try:
        if unit in ("seconds", "minutes", "hours"):
            ref_moment = _ref_datetime(ref, zone)
            if ref_moment is None:
                return ref_day, None
            moment = ref_moment - dt.timedelta(**{unit: amount})
            return moment.date(), moment.replace(microsecond=0)
        if unit in ("days", "weeks"):
            return ref_day - dt.timedelta(**{unit: amount}), None
        return _months_back(ref_day, amount * 12 if unit == "years" else amount), None
    except (OverflowError, ValueError):  # a reference near year 1
        return None


def _calendar_date(match: re.Match, zone: dt.tzinfo, ref, anchor: dt.date | None,
                   month_first: bool) -> dt.date | None:
    """The calendar date a match names; None when it is impossible or needs a `ref` that is missing."""
    weekday = WEEKDAYS[match["weekday"].lower().rstrip(".")] if match["weekday"] else None
    if match["iso"]:
        return _safe_date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"]))
    if match["ymd"]:
        return _safe_date(int(match["ymd_y"]), int(match["ymd_m"]), int(match["ymd_d"]))
    if match["cjk"]:
        return _safe_date(int(match["cjk_y"]), int(match["cjk_m"]), int(match["cjk_d"]))
    if match["num"]:
        day, month, year = int(match["num_d"]), int(match["num_m"]), _full_year(match["num_y"])
        if month_first:
            day, month = month, day
        # The site's order first; the other is read only when the first is impossible and the other is not.
        return _safe_date(year, month, day) or (_safe_date(year, day, month) if month > 12 else None)
    if match["dmy"]:
        month = MONTHS[match["dmy_m"].lower().rstrip(".")]
        day = int(match["dmy_d"])
        if match["dmy_y"]:
            return _safe_date(_full_year(match["dmy_y"]), month, day)
        return _yearless(month, day, weekday, _ref_date(ref, zone), anchor)
    if match["mdy"]:
        month = MONTHS[match["mdy_m"].lower().rstrip(".")]
        return _safe_date(int(match["mdy_y"] or match["ctime_y"]), month, int(match["mdy_d"]))
    if match["paren"] or match["daymonth"]:
        first, second = (int(match["paren_d"]), int(match["paren_m"])) if match["paren"] else (
            int(match["daymonth_d"]), int(match["daymonth_m"]))
        day, month = (second, first) if month_first else (first, second)
        return _yearless(month, day, weekday, _ref_date(ref, zone), anchor)
    ref_day = _ref_date(ref, zone)
    if not match["word"] or ref_day is None or ref_day < dt.date.min + dt.timedelta(days=7) or _names(match):
        return None
    word = " ".join(match["word"].lower().split())
    if word == "lalu" and match["weekday"].lower() == "minggu":
        return None  # `minggu lalu` is last week, not a day
    days_back = _DAYS_BACK.get(word, 1)
    if weekday is not None and days_back:
        # `Sabtu kemarin`, `Sabtu lalu` are the last Saturday before the reference, not yesterday.
        days_back = (ref_day.weekday() - weekday - 1) % 7 + 1
    return ref_day - dt.timedelta(days=days_back)


# A relative word in a name is written capitalised after a capitalised word (`USA TODAY`, `Info Hari Ini`);
# one that labels a counter is followed by a bare number (`Hari ini: 57`) or follows a visitor word.
_CAPITALISED_BEFORE = LazyPattern(r"(?:^|[^\w\s])?\s*\b([^\W\d_][\w.&'’-]*)\s+$")
_COUNT_AFTER = LazyPattern(r"\s*[:=]?\s*\d+(?![\d.:/-]|\s*(?:wib|wita|wit)\b)", re.IGNORECASE)
_COUNTER_BEFORE = LazyPattern(r"\b(?:pengunjung|kunjungan|visitors?|visits?|hits|dilihat|online|views?|statistik)\W*$",
                              re.IGNORECASE)


def _names(match: re.Match) -> bool:
    """Whether a relative word (`hari ini`, `today`) is part of a name or a counter's label, not a date."""
    word, text = match["word"], match.string
    if match["weekday"]:
        return False
    before = text[max(0, match.start("word") - 40): match.start("word")]
    if _COUNTER_BEFORE.search(before) or _COUNT_AFTER.match(text, match.end("word")):
        return True
    preceding = _CAPITALISED_BEFORE.search(before)
    capitalised = all(part[:1].isupper() for part in word.split())
    return capitalised and preceding is not None and preceding[1][:1].isupper()


_ARABIC_HALVES = {"ص": "a", "م": "p"}  # صباحًا, مساءً


def _clock(match: re.Match) -> dt.time | None:
    """The time of day of a date: the ISO part, a trailing `08.00`/`16:45:00 pm` or a leading `08.00 WIB, `."""
    if match["iso_hh"]:
        hour, minute, second = match["iso_hh"], match["iso_mm"], match["iso_ss"]
    elif match["ctime_hh"]:
        hour, minute, second = match["ctime_hh"], match["ctime_mm"], match["ctime_ss"]
    elif match["hh"]:
        hour, minute, second = match["hh"], match["mm"], match["ss"]
    elif match["pre_hh"]:
        hour, minute, second = match["pre_hh"], match["pre_mm"], None
    else:
        return None
    hour_number = int(hour)
    half = (match["ampm"] or "").lower() or _ARABIC_HALVES.get(match["ampm_ar"] or "")
    if half and 1 <= hour_number <= 12:
        hour_number = hour_number % 12 + (12 if half == "p" else 0)
    try:
        return dt.time(hour_number, int(minute), int(second or 0))
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _explicit_zone(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text.upper() == "Z":
        return dt.UTC
    named = NAMED_ZONES.get(text.lower())
    if named is not None:
        return named
    offset = _OFFSET_PARTS.search(text)
    if offset is None:
        return None
    hours, minutes = int(offset["hours"]), int(offset["minutes"] or 0)
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone((-1 if offset["sign"] == "-" else 1) * dt.timedelta(hours=hours, minutes=minutes))


def _from_match(match: re.Match, zone: dt.tzinfo, ref, anchor: dt.date | None = None,
                month_first: bool = False) -> ParsedDate | None:
    if match["rel"]:
        resolved = _relative(match, zone, ref)
        if resolved is None:
            return None
        return ParsedDate(resolved[0], resolved[1], match[0], match.start(), match.end())
    day = _calendar_date(match, zone, ref, anchor, month_first)
    if day is None:
        return None
    clock = _clock(match)
    if clock is None:
        # The span ends with the date itself when no valid time of day follows it.
        end = max(match.end(form) for form in _FORMS if match[form])
        return ParsedDate(day, None, match.string[match.start():end], match.start(), end)
    if match["ctime_hh"]:
        written = match["ctime_zone"]
    else:
        written = match["iso_zone"] or match["zone"] if match["iso_hh"] or match["hh"] else match["pre_zone"]
    moment = dt.datetime.combine(day, clock, tzinfo=_explicit_zone(written) or zone)
    return ParsedDate(day, moment, match[0], match.start(), match.end())


def find_dates(text: str, tz: str | dt.tzinfo | None = None, ref: dt.date | dt.datetime | None = None, *,
               anchor: dt.date | None = None, month_first: bool = False) -> list[ParsedDate]:
    """Every date mention in running text, in order of position (fast path only, never dateparser)."""
    zone = resolve_zone(tz)
    return [found for match in _MENTION.finditer(text)
            if (found := _from_match(match, zone, ref, anchor, month_first)) is not None]


def parse_date(text: str, tz: str | dt.tzinfo | None = None, ref: dt.date | dt.datetime | None = None, *,
               anchor: dt.date | None = None, month_first: bool = False) -> ParsedDate | None:
    """The date in `text` (a whole date string or a date embedded in running text); None if there is none."""
    zone = resolve_zone(tz)
    candidates = 0
    for match in _MENTION.finditer(text):
        candidates += 1
        found = _from_match(match, zone, ref, anchor, month_first)
        if found is not None:
            return found
    if candidates == 0 and len(text.strip()) <= _DATEPARSER_MAX_LEN and _DAY_NUMBER.search(text) and (
            _MONTH_WORD.search(text) or _FOREIGN_MONTH.search(text)):
        return _parse_with_dateparser(text, zone, month_first)
    return None


@lru_cache(maxsize=1024)
def _parse_with_dateparser(text: str, zone: dt.tzinfo, month_first: bool = False) -> ParsedDate | None:
    """The slow fallback for whole short strings the regexes cannot read (`2nd of July, 2025`, `19 juillet
    2014`): Indonesian and English first, then other languages only when the string has a foreign month form."""
    import dateparser  # imported here: it costs ~0.5 s and most inputs never need it

    stripped = text.strip()
    settings = {"DATE_ORDER": "MDY" if month_first else "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_DATES_FROM": "past"}
    try:
        parsed = dateparser.parse(stripped, languages=["id", "en"], settings=settings)
        if parsed is None and _FOREIGN_MONTH.search(stripped) and not _MONTH_WORD.search(stripped):
            parsed = dateparser.parse(stripped, languages=_OTHER_LANGUAGES, settings=settings)
    except (ValueError, OverflowError, TypeError):  # dateparser raises these on some odd inputs
        return None
    if parsed is None:
        return None
    start = text.index(stripped)
    moment = None
    if _TIME.search(stripped):
        moment = parsed.replace(microsecond=0) if parsed.tzinfo else parsed.replace(microsecond=0, tzinfo=zone)
    return ParsedDate(parsed.date(), moment, stripped, start, start + len(stripped))


def to_zone(value: ParsedDate, tz: str | dt.tzinfo | None) -> str:
    """ISO string in zone tz: a datetime with explicit offset is converted to tz; a date stays a date."""
    if value.datetime is None:
        return value.date.isoformat()
    try:
        return value.datetime.astimezone(resolve_zone(tz)).isoformat()
    except OverflowError:  # within hours of year 1 or 9999: keep it as written
        return value.datetime.isoformat()


def parse_to_json(text: str, tz: str | dt.tzinfo | None = None,
                  ref: dt.date | dt.datetime | None = None) -> dict:
    """`{"text", "date", "datetime"}` for one input, as `warta parse-date` prints it."""
    found = parse_date(text, tz, ref)
    return {
        "text": text,
        "date": found.date.isoformat() if found else None,
        "datetime": found.datetime.isoformat() if found and found.datetime else None,
    }


_JSON_STRING = json.encoder.encode_basestring  # the string encoder json.dumps(..., ensure_ascii=False) uses


def json_line(row: dict) -> str:
    """A `parse_to_json` row exactly as json.dumps(row, ensure_ascii=False) writes it, about 4x faster."""
    text, date, moment = ("null" if value is None else _JSON_STRING(value) for value in row.values())
    return f'{{"text": {text}, "date": {date}, "datetime": {moment}}}'


def write_json_lines(inputs: Iterable[str], out: TextIO, tz: str | dt.tzinfo | None = None,
                     ref: dt.date | dt.datetime | None = None, flush_each: bool = False) -> int:
    """Write one `parse_to_json` line per input to `out` as the inputs arrive; returns how many were written."""
    zone = resolve_zone(tz)
    count = 0
    for text in inputs:
        out.write(json_line(parse_to_json(text, zone, ref)) + "\n")
        if flush_each:
            out.flush()
        count += 1
    return count
