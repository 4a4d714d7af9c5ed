"""`warta sites import` over messy official school lists (tests/data/schools/): every header variant, every
website mess, duplicate NPSNs, shared sites, province spellings, 10,000 rows; and the identity on articles."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.db import open_archive
from archive.errors import ArchiveUserError
from archive.exchange import export_records
from archive.filters import Filters
from archive.provinces import ZONE_OF, province
from archive.schools import import_schools, list_sites
from archive.store import save_articles
from archive.websites import NoWebsite, Website, clean_website

DATA = Path(__file__).parent / "data" / "schools"
WARTA = [str(Path(sys.executable).parent / "warta")]


def sites(db_path: Path) -> dict[str, dict]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return {row["host"]: dict(row) for row in conn.execute("SELECT * FROM sites")}


def test_a_dapodik_export_is_imported_with_identity_and_time_zone(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    result = import_schools(db, DATA / "dapodik_kaltim.csv")
    stored = sites(tmp_path / "a.db")
    assert stored["smkn7balikpapan.sch.id"].items() >= {
        "npsn": "30401001", "name": "SMK NEGERI 7 BALIKPAPAN", "url": "https://smkn7balikpapan.sch.id/",
        "level": "SMK", "ownership": "negeri", "province": "Kalimantan Timur", "regency": "Kota Balikpapan",
        "district": "Balikpapan Utara", "timezone": "Asia/Makassar", "region": "Kalimantan Timur"}.items()
    assert stored["www.sman1samarinda.sch.id"]["url"] == "http://www.sman1samarinda.sch.id/"
    assert stored["smpn2bontang.sch.id"]["url"] == "https://smpn2bontang.sch.id/"
    assert stored["sman2penajam.blogspot.com"]["url"] == "https://sman2penajam.blogspot.com/"
    assert stored["www.smaitnurul.sch.id"]["url"] == "http://www.smaitnurul.sch.id/"
    assert stored["www.smaitnurul.sch.id"]["ownership"] == "swasta"
    assert stored["smk-tanpa-npsn.sch.id"]["npsn"] is None
    assert set(stored) == {"smkn7balikpapan.sch.id", "www.sman1samarinda.sch.id", "smpn2bontang.sch.id",
                           "sman2penajam.blogspot.com", "www.smaitnurul.sch.id", "slbnbalikpapan.sch.id",
                           "smk-tanpa-npsn.sch.id"}
    label = str(DATA / "dapodik_kaltim.csv")
    rejected = {int(message.removeprefix(label + ":").split(":", 1)[0]): message for message in result.rejected}
    assert list(rejected) == [6, 7, 8, 9, 10, 12, 13, 16, 19, 20, 21]   # in line order
    expected = {6: "no website", 7: "no website", 8: "an e-mail address", 9: "a social-media page",
                10: "a social-media page", 12: "a social-media page", 13: "not the school's own website",
                16: "NPSN 30401002 repeats line 4", 19: "NPSN '3040101' is not 8 digits", 20: "no school name",
                21: "unknown province 'Prov. Antah Berantah'"}
    for line, reason in expected.items():
        assert reason in rejected[line], rejected[line]
    assert result.shared == [f"{label}:15: SMP SWASTA IT NURUL shares its website smaitnurul.sch.id with "
                             "SMA SWASTA IT NURUL (line 14); not stored"]
    assert (result.rows, result.new, result.updated, result.unchanged) == (19, 7, 0, 0)


def test_reimport_changes_nothing_and_npsn_is_the_key(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    import_schools(db, DATA / "dapodik_kaltim.csv")
    before = sites(tmp_path / "a.db")
    again = import_schools(db, DATA / "dapodik_kaltim.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 7)
    assert sites(tmp_path / "a.db") == before
    moved = tmp_path / "moved.csv"
    moved.write_text("NPSN,Nama Sekolah,Bentuk Pendidikan,Status,Provinsi,Kabupaten,Kecamatan,Website\n"
                     "30401001,SMK NEGERI 7 BALIKPAPAN,SMK,NEGERI,Kalimantan Timur,Kota Balikpapan,"
                     "Balikpapan Utara,https://smkn7bpn.sch.id\n", encoding="utf-8")
    changed = import_schools(db, moved)
    assert (changed.new, changed.updated) == (0, 1)
    after = sites(tmp_path / "a.db")
    assert "smkn7balikpapan.sch.id" not in after and after["smkn7bpn.sch.id"]["npsn"] == "30401001"
    assert len(after) == len(before)


def test_json_lines_with_numbers_nulls_and_a_broken_line(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    result = import_schools(db, DATA / "kemenag_madrasah.jsonl")
    stored = sites(tmp_path / "a.db")
    assert stored["man2banjarmasin.sch.id"]["npsn"] == "60725001"
    assert stored["man2banjarmasin.sch.id"]["timezone"] == "Asia/Makassar"
    assert stored["mtsn1banjar.sch.id"]["level"] == "MTs"
    assert stored["maalfalah.wordpress.com"]["ownership"] == "swasta"
    assert [m.split(":", 2)[1:] for m in result.rejected] == [
        ["3", " MI Swasta Darul Ilmi (NPSN 60725003): no website"],
        ["4", " not JSON (Expecting value: line 1 column 1 (char 0))"]]


def test_province_spellings_and_the_new_papua_provinces(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    import_schools(db, DATA / "provinsi_spellings.csv")
    found = {row["npsn"]: (row["province"], row["timezone"]) for row in list_sites(db)}
    assert found == {
        "10000001": ("DKI Jakarta", "Asia/Jakarta"), "10000002": ("Kepulauan Riau", "Asia/Jakarta"),
        "10000003": ("DI Yogyakarta", "Asia/Jakarta"), "10000004": ("Jawa Barat", "Asia/Jakarta"),
        "10000005": ("Kepulauan Bangka Belitung", "Asia/Jakarta"), "10000006": ("Papua Selatan", "Asia/Jayapura"),
        "10000007": ("Papua Tengah", "Asia/Jayapura"), "10000008": ("Papua Pegunungan", "Asia/Jayapura"),
        "10000009": ("Papua Barat Daya", "Asia/Jayapura"), "10000010": ("Bali", "Asia/Makassar"),
        "10000011": ("Maluku", "Asia/Jayapura"), "10000012": ("Kalimantan Barat", "Asia/Jakarta")}


def test_every_province_has_its_zone() -> None:
    assert len(ZONE_OF) == 38
    for name, zone in ZONE_OF.items():
        assert province(name) == (name, zone)
        assert province(f"Prov. {name.upper()}") == (name, zone)
        assert province(f"Provinsi {name.lower()}") == (name, zone)
    assert province("Daerah Istimewa Yogyakarta") == ("DI Yogyakarta", "Asia/Jakarta")
    assert province("Nusa Tenggara Timur")[1] == "Asia/Makassar"
    assert province("Sulawesi Selatan")[1] == "Asia/Makassar"
    assert province("Kalimantan Tengah")[1] == "Asia/Jakarta"
    assert province("Maluku Utara")[1] == "Asia/Jayapura"
    assert province("Atlantis") is None and province("") is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("smkn1.sch.id", Website("https://smkn1.sch.id/", "smkn1.sch.id")),
    ("http://smkn1.sch.id", Website("http://smkn1.sch.id/", "smkn1.sch.id")),
    ("www.smkn1.sch.id/", Website("https://www.smkn1.sch.id/", "www.smkn1.sch.id")),
    ("smkn1.blogspot.com", Website("https://smkn1.blogspot.com/", "smkn1.blogspot.com")),
    ("- , smkn1.sch.id", Website("https://smkn1.sch.id/", "smkn1.sch.id")),
    ("-", NoWebsite("no website")), ("Tidak Ada", NoWebsite("no website")), ("", NoWebsite("no website")),
])
def test_website_cleaning(raw: str, expected: Website | NoWebsite) -> None:
    assert clean_website(raw) == expected


@pytest.mark.parametrize("raw", ["admin@smkn1.sch.id", "mailto:tu@sman2.sch.id", "fb.com/smkn1",
                                 "https://m.facebook.com/smkn1", "www.instagram.com/smkn1", "youtu.be/x",
                                 "gmail.com", "http://192.168.1.10", "https://dapo.kemdikbud.go.id/sp/1/2",
                                 "smkn1", "blogspot.com"])
def test_websites_that_are_none(raw: str) -> None:
    assert isinstance(clean_website(raw), NoWebsite)


def test_a_tab_separated_list_without_npsn_is_keyed_by_host(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    first = import_schools(db, DATA / "tab_no_npsn.tsv")
    second = import_schools(db, DATA / "tab_no_npsn.tsv")
    assert (first.new, second.unchanged, second.new) == (1, 1, 0)
    assert sites(tmp_path / "a.db")["smatanpanpsn.sch.id"]["province"] == "Jawa Tengah"


def test_cli_import_list_and_an_unknown_layout(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    run = subprocess.run([*WARTA, "sites", "import", str(DATA / "dapodik_kaltim.csv"), "--db", str(db)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert f"warta sites import: {DATA / 'dapodik_kaltim.csv'}:8: SMA SWASTA PGRI (NPSN 30401006): an e-mail" \
        in run.stderr
    assert run.stderr.strip().endswith("19 rows: 7 new, 0 updated, 0 unchanged, 11 rejected, 1 sharing a website")
    listed = subprocess.run([*WARTA, "sites", "list", "--db", str(db), "--format", "json"],
                            capture_output=True, text=True, timeout=60)
    assert {row["npsn"] for row in json.loads(listed.stdout)} >= {"30401001", "30401014"}
    as_csv = subprocess.run([*WARTA, "sites", "list", "--db", str(db), "--format", "csv"],
                            capture_output=True, text=True, timeout=60)
    assert len(list(csv.DictReader(as_csv.stdout.splitlines()))) == 7
    bad = subprocess.run([*WARTA, "sites", "import", str(DATA / "unknown_layout.csv"), "--db", str(db)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1
    assert "unknown layout: no column for province" in bad.stderr and "website" in bad.stderr


def write_big_list(path: Path, rows: int) -> dict[str, int]:
    """A messy list of `rows` schools: a tenth without a usable website, every 500th NPSN repeated; returns
    what an import must find."""
    spelled = ["Prov. Jawa Timur", "D.K.I. Jakarta", "Kep. Riau", "Kalimantan Timur", "Papua Tengah", "BALI"]
    websites = ["-", "tidak ada", "humas@sekolah.sch.id", "facebook.com/sekolah", "instagram.com/sekolah"]
    rng = random.Random(13)
    expected = {"stored": 0, "rejected": 0}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["NPSN", "Nama Sekolah", "Jenjang", "Status Sekolah", "Propinsi", "Kab./Kota", "Kecamatan",
                         "Website"])
        for number in range(rows):
            npsn = 20000000 + (number - 1 if number % 500 == 499 else number)
            if number % 10 == 3:
                website = rng.choice(websites)
            else:
                website = rng.choice(["", "http://", "https://www."]) + f"sekolah{number}.sch.id"
            stored = number % 10 != 3 and number % 500 != 499
            expected["stored" if stored else "rejected"] += 1
            writer.writerow([npsn, f"SMK Negeri {number}", "SMK", rng.choice(["NEGERI", "SWASTA"]),
                             spelled[number % len(spelled)], f"Kota {number % 40}", "Kecamatan", website])
    return expected


def test_ten_thousand_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    expected = write_big_list(path, 10_000)
    db = open_archive(tmp_path / "a.db")
    started = time.monotonic()
    result = import_schools(db, path)
    elapsed = time.monotonic() - started
    assert (result.new, len(result.rejected)) == (expected["stored"], expected["rejected"])
    assert elapsed < 10, f"10,000 rows took {elapsed:.1f} s"
    again = import_schools(db, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, expected["stored"])
    count = db.conn.execute("SELECT count(*), count(DISTINCT npsn) FROM sites").fetchone()
    assert count == (expected["stored"], expected["stored"])


ARTICLE = {"url": "https://smkn7balikpapan.sch.id/berita/pkl/", "site": "smkn7balikpapan.sch.id",
           "title": "Siswa Berangkat PKL", "body": "Siswa kelas XI berangkat praktik kerja lapangan.",
           "published": "2025-01-10"}


def test_articles_carry_their_school_identity_and_filter_by_it(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [ARTICLE])                     # archived before the school was registered
    import_schools(db, DATA / "dapodik_kaltim.csv")
    save_articles(db, [{**ARTICLE, "url": "https://www.sman1samarinda.sch.id/berita/osn/",
                        "site": "www.sman1samarinda.sch.id", "title": "Juara OSN"}])
    rows = {row["site"]: row for row in db.query("SELECT * FROM articles")}
    assert {name: rows["smkn7balikpapan.sch.id"][name] for name in
            ("npsn", "level", "ownership", "province", "regency")} == {
        "npsn": "30401001", "level": "SMK", "ownership": "negeri", "province": "Kalimantan Timur",
        "regency": "Kota Balikpapan"}
    assert rows["www.sman1samarinda.sch.id"]["level"] == "SMA"
    save_articles(db, [{**ARTICLE, "url": "https://www.smpn2bontang.sch.id/berita/x/",
                        "site": "www.smpn2bontang.sch.id"}])
    served_with_www = db.conn.execute("SELECT npsn FROM articles WHERE site = 'www.smpn2bontang.sch.id'").fetchone()
    assert served_with_www == ("30401003",)          # listed as smpn2bontang.sch.id, serving its pages at www.
    assert rows["www.sman1samarinda.sch.id"]["regency"] == "Kota Samarinda"

    def urls(**filters: str) -> set[str]:
        return {record["url"] for record in export_records(db, Filters(**filters))}

    assert urls(level="smk") == {ARTICLE["url"]}
    assert urls(province="Prov. Kalimantan Timur", regency="kota samarinda") == {
        "https://www.sman1samarinda.sch.id/berita/osn/"}
    assert urls(ownership="swasta") == set()
    assert len(urls(province="kaltim")) == 3


def test_datasette_facets_articles_by_school_identity_and_sites_by_state(tmp_path: Path) -> None:
    import asyncio

    from archive.crawl_state import set_site_state
    from archive.serve import build_datasette

    db = open_archive(tmp_path / "archive.db")
    import_schools(db, DATA / "dapodik_kaltim.csv")
    save_articles(db, [ARTICLE])
    set_site_state(db, "smkn7balikpapan.sch.id", "compromised", "2 injected spam page(s)", "2026-01-01T00:00:00Z")
    set_site_state(db, "smpn2bontang.sch.id", "parked", "home page: parked", "2026-01-01T00:00:00Z")
    db.close()
    ds = build_datasette(tmp_path / "archive.db")

    def facets(path: str) -> dict[str, dict]:
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, response.text[:300]
        return {name: {item["value"]: item["count"] for item in facet["results"]}
                for name, facet in response.json()["facet_results"].items()}

    articles = facets("/archive/articles.json")
    assert articles["level"] == {"SMK": 1} and articles["ownership"] == {"negeri": 1}
    assert articles["province"] == {"Kalimantan Timur": 1} and articles["regency"] == {"Kota Balikpapan": 1}
    site_facets = facets("/archive/sites.json")
    assert site_facets["state"] == {"compromised": 1, "parked": 1}
    assert site_facets["level"]["SMA"] == 3


def test_the_crawl_takes_registered_sites_beside_the_configs(tmp_path: Path) -> None:
    from scraper.config import parse_config
    from scraper.crawl.registry import with_registered_sites

    config = parse_config({"archive": {"path": "archive.db"}, "site": [
        {"name": "SMK Negeri 7 (config)", "url": "https://smkn7balikpapan.sch.id/", "timezone": "Asia/Makassar"},
        {"name": "Sekolah Lain", "url": "https://lain.sch.id/"}]}, tmp_path / "config.toml")
    assert with_registered_sites(config) == config                      # no archive yet: nothing registered
    import_schools(open_archive(tmp_path / "archive.db"), DATA / "provinsi_spellings.csv")
    import_schools(open_archive(tmp_path / "archive.db"), DATA / "dapodik_kaltim.csv")
    crawled = with_registered_sites(config)
    hosts = [site.host for site in crawled.sites]
    assert hosts[:2] == ["smkn7balikpapan.sch.id", "lain.sch.id"] and len(hosts) == len(set(hosts)) == 2 + 6 + 12
    assert crawled.sites[0].name == "SMK Negeri 7 (config)"              # the config's entry keeps its hints
    merauke = next(site for site in crawled.sites if site.host == "sman1merauke.sch.id")
    assert (merauke.timezone, merauke.url, merauke.region) == ("Asia/Jayapura", "https://sman1merauke.sch.id/",
                                                               "Papua Selatan")
    chosen = crawled.select_sites(["sman1merauke.sch.id", "SMA Negeri 1 Denpasar", "Sekolah Lain"])
    assert [site.host for site in chosen] == ["lain.sch.id", "sman1denpasar.sch.id", "sman1merauke.sch.id"]


def test_excel_unicode_text_is_read_and_a_workbook_is_refused_in_one_line(tmp_path: Path) -> None:
    unicode_text = tmp_path / "export.txt"
    unicode_text.write_bytes((DATA / "tab_no_npsn.tsv").read_text(encoding="utf-8").encode("utf-16"))
    db = open_archive(tmp_path / "a.db")
    assert import_schools(db, unicode_text).new == 1
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ArchiveUserError, match="an Excel workbook, not CSV: save it as CSV"):
        import_schools(db, workbook)


def test_broken_csv_rows_are_reported_never_a_traceback(tmp_path: Path) -> None:
    header = "npsn,nama,provinsi,website\n"
    broken = tmp_path / "broken.csv"
    broken.write_text(header + "10000001,SMA\x00 Satu,Bali,sma1.sch.id\n"
                      f'10000002,"{"x" * 200_000}",Bali,sma2.sch.id\n' + "10000003,SMA Tiga,Bali,sma3.sch.id\n",
                      encoding="utf-8")
    result = import_schools(open_archive(tmp_path / "a.db"), broken)
    assert result.new == 2
    assert [message.split(":")[1:3] for message in result.rejected] == [["3", " not readable as CSV (field larger "
                                                                         "than field limit (131072))"]]
    titled = tmp_path / "titled.csv"
    titled.write_text("Daftar Sekolah\nnpsn,nama_sekolah,kabupaten\n1,SMA,Kota\n", encoding="utf-8")
    with pytest.raises(ArchiveUserError, match="columns found: npsn, nama_sekolah, kabupaten$"):
        import_schools(open_archive(tmp_path / "a.db"), titled)
