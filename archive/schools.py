"""Official school lists (Dapodik / Data Referensi exports, Kemenag madrasah lists, provincial spreadsheets) into
`sites`, one row per school with its identity (DESIGN §12). No HTTP here.

A list is CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or JSON lines. Headers are matched by their
letters only (`Nama Sekolah`, `nama_sekolah` and `NAMA-SEKOLAH` are one name); title rows above the header row
are skipped. Each row is cleaned (website, NPSN, status, province → time zone) or rejected with
`FILE:LINE: reason`. Re-importing updates the rows it finds, by NPSN when the row has one, else by host.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.db import transaction
from archive.errors import ArchiveUserError
from archive.provinces import province
from archive.store import IDENTITY_COLUMNS
from archive.websites import NoWebsite, clean_website

# Each field and the headers lists give it (compared by their letters and digits only, see `_header_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "npsn": ("npsn", "no npsn", "nomor npsn", "nomor pokok sekolah nasional"),
    "name": ("nama", "nama sekolah", "nama satuan pendidikan", "satuan pendidikan", "sekolah", "nama madrasah",
             "madrasah", "nama lembaga", "school name", "name"),
    "level": ("bentuk pendidikan", "jenjang", "bentuk", "jenjang pendidikan", "jenis sekolah", "tingkat"),
    "ownership": ("status", "status sekolah", "status satuan pendidikan", "status madrasah", "negeri swasta",
                  "status kepemilikan"),
    "province": ("provinsi", "propinsi", "nama provinsi", "nama propinsi", "prov", "province"),
    "regency": ("kabupaten", "kabupaten kota", "nama kabupaten", "nama kabupaten kota", "kab kota", "kota kabupaten",
                "kab", "kota", "kabupaten kotamadya"),
    "district": ("kecamatan", "nama kecamatan", "kec"),
    "website": ("website", "url", "situs", "situs web", "web", "alamat website", "alamat web", "website sekolah",
                "laman", "laman web", "homepage", "alamat situs"),
}
REQUIRED = ("name", "province", "website")
SITE_COLUMNS = ("host", "name", "url", "timezone", "region", "npsn", "level", "ownership", "province", "regency",
                "district")
LIST_COLUMNS = ("host", "npsn", "name", "level", "ownership", "province", "regency", "district", "timezone", "url",
                "state", "state_detail", "state_since")
REGISTERED_COLUMNS = ("host", "name", "url", "timezone", "region")    # what the crawler needs of a site
HEADER_SEARCH_ROWS = 10      # title rows an export may put above its header row
_NPSN = re.compile(r"^\d{8}$")
_LEVEL_IN_NAME = re.compile(r"^(SMK|SMA|SMP|SDLB|SMPLB|SMALB|SLB|SD|MTs|MA|MI|MAK)(N\b|\s|$)", re.IGNORECASE)
_NEGERI_IN_NAME = re.compile(r"\bnegeri\b|^(?:SMKN|SMAN|SMPN|SDN|SLBN|MTsN|MAN|MIN)\b|^(?:SMK|SMA|SMP|SD)\s+N\b",
                             re.IGNORECASE)
_LEVELS = {name.casefold(): name for name in ("SMK", "SMA", "SMP", "SD", "SLB", "SDLB", "SMPLB", "SMALB", "MTs",
                                               "MA", "MI", "MAK")}


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", header.casefold())


_FIELD_OF_HEADER = {_header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(slots=True)
class ImportResult:
    """What an import did: schools added, changed, already as listed; one `FILE:LINE: reason` per row not stored
    (`rejected`) and per school sharing its website with another (`shared`, not stored either)."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class School:
    """One school of a list, cleaned: its `sites` row and the line it came from."""

    line: int
    row: dict[str, str | None]

    @property
    def host_key(self) -> str:
        return str(self.row["host"]).removeprefix("www.")


class RowProblem(ValueError):
    """Why one row of a list is not imported."""


def read_list(path: str | Path) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    """(line number, {field: value}) for each row of a CSV or JSON-lines list, or a RowProblem for a line that
    cannot be read. Raises ArchiveUserError for a file that cannot be read or whose layout is unknown."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveUserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ArchiveUserError(f"{path}: an Excel workbook, not CSV: save it as CSV (File → Save As → CSV UTF-8) "
                               "or export JSON lines")
    text = _decode(data)
    if text.lstrip().startswith("{"):
        return _json_lines(path, text)
    return _csv_rows(path, text)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):        # Excel's "Unicode Text" export
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _columns(headers: list[str]) -> dict[int, str]:
    """Position → field for a header row (the first header naming a field wins)."""
    found: dict[int, str] = {}
    for position, header in enumerate(headers):
        name = _FIELD_OF_HEADER.get(_header_key(header))
        if name and name not in found.values():
            found[position] = name
    return found


def _layout_error(path: Path, headers: list[str], found: dict[int, str]) -> ArchiveUserError:
    missing = [name for name in REQUIRED if name not in found.values()]
    names = {"name": "school name (nama / nama_sekolah / nama_satuan_pendidikan)",
             "province": "province (provinsi / propinsi / nama_provinsi)", "website": "website (website / url / situs)"}
    return ArchiveUserError(f"{path}: unknown layout: no column for {', '.join(names[m] for m in missing)}; "
                            f"columns found: {', '.join(h for h in headers if h.strip()) or 'none'}")


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    text = text.replace("\x00", "")                  # NUL bytes mean nothing in a list and stop the csv module
    delimiter = max(",;\t|", key=text[:20_000].count)   # Excel writes `;` where the decimal mark is `,`
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    best: tuple[list[str], dict[int, str]] = ([], {})
    try:
        for _ in range(HEADER_SEARCH_ROWS):
            headers = next(reader, None)
            if headers is None:
                break
            columns = _columns(headers)
            if all(name in columns.values() for name in REQUIRED):
                return _csv_records(reader, columns)
            best = max(best, (headers, columns), key=lambda candidate: len(candidate[1]))
    except csv.Error as exc:
        raise ArchiveUserError(f"{path}:{reader.line_num}: not readable as CSV ({exc})") from None
    raise _layout_error(path, *best)


def _csv_records(reader: Any, columns: dict[int, str]) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:                   # a field over the csv module's size limit
            start, line = line + 1, reader.line_num
            yield start, RowProblem(f"not readable as CSV ({exc})")
            continue
        start, line = line + 1, reader.line_num
        if any(value.strip() for value in values):
            yield start, {name: values[position] for position, name in columns.items() if position < len(values)}


def _json_lines(path: Path, text: str) -> Iterator[tuple[int, dict[str, str] | RowProblem]]:
    checked = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield number, RowProblem(f"not JSON ({exc})")
            continue
        if not isinstance(record, dict):
            yield number, RowProblem("not a JSON object")
            continue
        fields = {_FIELD_OF_HEADER.get(_header_key(str(key))): value for key, value in record.items()}
        fields.pop(None, None)
        if not checked:
            found = dict(enumerate(fields))
            if not all(name in fields for name in REQUIRED):
                raise _layout_error(path, [str(key) for key in record], found)
            checked = True
        yield number, {name: "" if value is None else str(value) for name, value in fields.items() if name}


def clean_school(fields: dict[str, str]) -> dict[str, str | None]:
    """The `sites` row of one list row; raises RowProblem saying why the row cannot be imported."""
    name = " ".join((fields.get("name") or "").split())
    if not name:
        raise RowProblem("no school name")
    try:
        npsn = _npsn(fields.get("npsn"))
    except RowProblem as exc:
        raise RowProblem(f"{name}: {exc}") from None
    who = f"{name}" + (f" (NPSN {npsn})" if npsn else "")
    website = clean_website(fields.get("website"))
    if isinstance(website, NoWebsite):
        raise RowProblem(f"{who}: {website.reason}")
    place = province(fields.get("province"))
    if place is None:
        written = (fields.get("province") or "").strip()
        raise RowProblem(f"{who}: unknown province {written!r}, so no time zone" if written
                         else f"{who}: no province, so no time zone")
    level = " ".join((fields.get("level") or "").split()) or _level_from_name(name)
    return {
        "host": website.host, "name": name, "url": website.url, "timezone": place[1], "region": place[0],
        "npsn": npsn, "level": level, "ownership": _ownership(fields.get("ownership"), name),
        "province": place[0], "regency": " ".join((fields.get("regency") or "").split()) or None,
        "district": " ".join((fields.get("district") or "").split()) or None,
    }


def _npsn(raw: str | None) -> str | None:
    text = re.sub(r"\s+", "", raw or "").removesuffix(".0")
    if not text or text in ("-", "0"):
        return None
    if not _NPSN.match(text):
        raise RowProblem(f"NPSN {raw.strip()!r} is not 8 digits")
    return text


def _ownership(raw: str | None, name: str) -> str | None:
    text = (raw or "").strip().casefold()
    if text.startswith("n"):
        return "negeri"
    if text.startswith("s"):
        return "swasta"
    return "negeri" if not text and _NEGERI_IN_NAME.search(name) else None


def _level_from_name(name: str) -> str | None:
    found = _LEVEL_IN_NAME.match(name)
    return _LEVELS[found.group(1).casefold()] if found else None


def import_schools(db: sqlite_utils.Database, path: str | Path) -> ImportResult:
    """Import an official school list into `sites` in one transaction; see the module docstring."""
    label = str(path)
    result = ImportResult()
    schools: list[School] = []
    for line, fields in read_list(path):
        result.rows += 1
        try:
            if isinstance(fields, RowProblem):
                raise fields
            schools.append(School(line, clean_school(fields)))
        except RowProblem as exc:
            result.rejected.append(f"{label}:{line}: {exc}")
    with transaction(db) as conn:
        _Registry(conn, label, result).store(schools)
        if result.new or result.updated:
            give_articles_their_identity(conn)
    result.rejected.sort(key=lambda message: int(message[len(label) + 1:].split(":", 1)[0]))
    return result


def give_articles_their_identity(conn: Any) -> None:
    """Copy each site's school identity onto its articles (those stored before the school was registered)."""
    conn.execute(
        f"UPDATE articles SET {', '.join(f'{name} = sites.{name}' for name in IDENTITY_COLUMNS)}, "
        "region = coalesce(articles.region, sites.region) FROM sites "
        "WHERE articles.site IN (sites.host, 'www.' || sites.host, "
        "CASE WHEN sites.host LIKE 'www.%' THEN substr(sites.host, 5) END) AND ("
        + " OR ".join(f"articles.{name} IS NOT sites.{name}" for name in IDENTITY_COLUMNS) + ")")


class _Registry:
    """The `sites` rows as they are, matched against a list's schools and updated in place."""

    def __init__(self, conn: Any, label: str, result: ImportResult) -> None:
        self.conn, self.label, self.result = conn, label, result
        cursor = conn.execute(f"SELECT {', '.join(SITE_COLUMNS)} FROM sites")
        rows = [dict(zip(SITE_COLUMNS, values, strict=True)) for values in cursor]
        self.by_npsn = {row["npsn"]: row for row in rows if row["npsn"]}
        self.by_host = {row["host"].removeprefix("www."): row for row in rows}
        self.npsn_lines: dict[str, int] = {}
        self.host_lines: dict[str, School] = {}

    def store(self, schools: list[School]) -> None:
        inserts = []
        for school in schools:
            if self._conflicts(school):
                continue
            existing = self.by_npsn.get(school.row["npsn"]) if school.row["npsn"] else None
            existing = existing or self.by_host.get(school.host_key)
            if existing is None:
                inserts.append([school.row[name] for name in SITE_COLUMNS])
                self._remember(school.row)
                self.result.new += 1
            elif all(existing[name] == school.row[name] for name in SITE_COLUMNS):
                self.result.unchanged += 1
            else:
                self._update(existing, school.row)
        self.conn.executemany(
            f"INSERT INTO sites ({', '.join(SITE_COLUMNS)}) VALUES ({', '.join('?' * len(SITE_COLUMNS))})", inserts)

    def _conflicts(self, school: School) -> bool:
        """Report a school that repeats an NPSN of this list or shares a website with another school."""
        npsn, where = school.row["npsn"], f"{self.label}:{school.line}"
        if npsn and npsn in self.npsn_lines:
            self.result.rejected.append(f"{where}: NPSN {npsn} repeats line {self.npsn_lines[npsn]}")
            return True
        if npsn:
            self.npsn_lines[npsn] = school.line
        other = self.host_lines.get(school.host_key)
        owner = self.by_host.get(school.host_key)
        if other is not None:
            other_name = f"{other.row['name']} (line {other.line})"
        elif owner is not None and owner["npsn"] and owner["npsn"] != npsn and (
                npsn or owner["name"].casefold() != str(school.row["name"]).casefold()):
            other_name = f"{owner['name']} (NPSN {owner['npsn']}, already registered)"
        else:
            if owner is not None and not npsn:
                school.row["npsn"] = owner["npsn"]        # the same school, listed without its NPSN this time
            self.host_lines[school.host_key] = school
            return False
        self.result.shared.append(f"{where}: {school.row['name']} shares its website {school.row['host']} with "
                                  f"{other_name}; not stored")
        return True

    def _update(self, existing: dict[str, Any], row: dict[str, str | None]) -> None:
        old_host = existing["host"]
        names = [name for name in SITE_COLUMNS if name != "host"]
        self.conn.execute(
            f"UPDATE sites SET host = ?, {', '.join(f'{name} = ?' for name in names)} WHERE host = ?",
            [row["host"], *(row[name] for name in names), old_host])
        self.by_host.pop(old_host.removeprefix("www."), None)
        existing.update(row)
        self._remember(existing)
        self.result.updated += 1

    def _remember(self, row: dict[str, Any]) -> None:
        self.by_host[str(row["host"]).removeprefix("www.")] = row
        if row["npsn"]:
            self.by_npsn[row["npsn"]] = row


def list_sites(db: sqlite_utils.Database, *, state: str | None = None) -> list[dict[str, Any]]:
    """Every site (registered or crawled) with its identity and state, by province, regency and name."""
    where, params = ("WHERE state = ?", [state]) if state else ("", [])
    cursor = db.conn.execute(
        f"SELECT {', '.join(LIST_COLUMNS)} FROM sites {where} "
        "ORDER BY province IS NULL, province, regency, name, host", params)
    return [dict(zip(LIST_COLUMNS, values, strict=True)) for values in cursor]


def registered_sites(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The sites an official list registered (with a time zone and home page), for the crawler to add to the
    config's own; a crawled site that only the config names is not one."""
    cursor = db.conn.execute(f"SELECT {', '.join(REGISTERED_COLUMNS)} FROM sites WHERE npsn IS NOT NULL "
                             "OR level IS NOT NULL OR province IS NOT NULL ORDER BY host")
    return [dict(zip(REGISTERED_COLUMNS, values, strict=True)) for values in cursor if values[2] and values[3]]
