"""Page verdicts (scraper/extract/verdicts.py) on hand-written pages, and the site state they lead to
(scraper/crawl/site_state.py) for the answers a fleet test cannot cheaply stage (403 everywhere, 5xx, TLS)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scraper.config import ConfigError, parse_config
from scraper.crawl.fetch import FetchResult
from scraper.crawl.robots import Robots
from scraper.crawl.site_state import SiteEvidence
from scraper.extract import extract_page, verdicts
from scraper.extract.verdicts import placeholder_reason, spam_reason

FLEET = Path(__file__).parent / "data" / "fleet"


def page(title: str, paragraphs: list[str], *, kind: str = "NewsArticle") -> bytes:
    ld = json.dumps({"@context": "https://schema.org", "@type": kind, "headline": title,
                     "datePublished": "2025-06-01T08:00:00+07:00"})
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f"<html lang=id><head><title>{title}</title><script type='application/ld+json'>{ld}</script></head>"
            f"<body><article><h1>{title}</h1><div class=entry-content>{body}</div></article></body></html>").encode()


REAL = ["Siswa kelas XII mengikuti uji kompetensi keahlian di bengkel sekolah bersama asesor dari industri.",
        "Sebanyak 96 siswa dinyatakan kompeten dan menerima sertifikat dari lembaga sertifikasi profesi.",
        "Kepala sekolah berterima kasih kepada industri mitra yang menyediakan asesor dan bahan praktik."]


def test_an_injected_gambling_page_is_no_article_whatever_its_markup() -> None:
    spam = page("Link Slot Gacor Maxwin Hari Ini", ["Daftar situs slot gacor terpercaya bonus new member."] * 3)
    result = extract_page(spam, "http://sekolah.test/slot-gacor/")
    assert result.article is None and result.reason.startswith("spam:")


def test_pharma_spam_and_doorway_titles() -> None:
    assert spam_reason("Jual Obat Aborsi Cytotec Asli", "Hubungi kami untuk obat penggugur kandungan.")
    assert spam_reason("Situs Toto Macau Resmi", "")             # a listing or doorway page: its title says it


def test_a_news_item_about_gambling_and_a_real_post_with_an_injected_line_stay_articles() -> None:
    warning = page("Sosialisasi Bahaya Judi Online dan Slot Gacor", [
        "Kepolisian memberikan sosialisasi bahaya judi online kepada siswa, termasuk iklan slot gacor di media "
        "sosial yang menjanjikan maxwin.", "Siswa diajak menolak ajakan taruhan dan melapor kepada guru BK."])
    assert extract_page(warning, "http://sekolah.test/berita/sosialisasi/").article is not None
    injected = page("Uji Kompetensi Keahlian Kelas XII", [*REAL, "slot gacor maxwin bonus new member"])
    assert extract_page(injected, "http://sekolah.test/berita/ukk/").article is not None


@pytest.mark.parametrize("html", [
    "<html><body><h1>contoh.sch.id</h1><p>This domain has expired. Renew this domain now.</p></body></html>",
    "<html><body><p>Domain ini telah kedaluwarsa. Hubungi registrar anda.</p></body></html>",
    "<html><body><h1>Account Suspended</h1><p>This Account has been suspended.</p></body></html>",
    "<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>",
])
def test_parked_and_placeholder_pages(html: str) -> None:
    assert placeholder_reason(html).startswith("parked:")


@pytest.mark.parametrize("html", [
    "<html><body><p>Parked at <a href='http://SedoParking.com/x'>SEDOPARKING.COM</a> \u2014 caf\u00e9</p></body>",
    "<html><body><p>\u00c9 /CGI-SYS/SUSPENDEDPAGE.CG\u0130</p></body></html>",   # İ lowers to i + a dot above
    "<html><body><p>\u00e9 DOMAINMARKET.COM</p></body></html>",
    "<html><body><p>sedopar\u212aing.com</p></body></html>",                     # the Kelvin sign lowers to k
])
def test_parking_service_addresses_are_found_in_any_letter_case(html: str) -> None:
    assert placeholder_reason(html).startswith("parked: the page comes from a domain parking service")


@pytest.mark.parametrize("html", ["<p>boédis.com</p>" * 2, "<p>bodis\u00e9.com \u00e9</p>"])
def test_a_parking_address_broken_by_another_letter_is_not_one(html: str) -> None:
    assert placeholder_reason(html) is None


@pytest.mark.parametrize(("links", "shell"), [(3, True), (4, False)])
def test_a_large_page_with_more_than_three_links_is_never_read_as_a_shell(links: int, shell: bool) -> None:
    html = ("<html><body>" + "<a href='/x'>x</a> " * links + "<script src='/app.js'></script>"
            + "<!-- padding -->" * 2000 + "</body></html>")
    assert len(html) > verdicts.SMALL_PAGE
    assert (placeholder_reason(html) or "").startswith("script-only") is shell


def test_the_promotion_words_match_as_one_plain_alternation_would() -> None:
    plain = re.compile(r"\b(?:" + "|".join(verdicts._PROMOTION_WORDS) + r")\b", re.IGNORECASE)
    words = [word.replace(" ?", " ").replace("?", "").replace("\\d+", "25") for word in verdicts._PROMOTION_WORDS]
    text = " ".join(words + [word.upper() for word in words] + ["xslot gacor", "\u017flot gacor", "situs togel gacor",
                                                               "bandar q", "depo 10k", "obat kuat", "slotgacor"])
    found = [(match.span(), match.group(0)) for match in verdicts._PROMOTION.finditer(text)]
    assert len(verdicts._PROMOTION_WORDS) > 50 and len(found) > 100
    assert found == [(match.span(), match.group(0)) for match in plain.finditer(text)]


def test_app_shells_are_script_only_and_small_pages_are_not() -> None:
    next_shell = ('<html><head><script src="/_next/static/chunks/main-1a2b.js" defer></script></head>'
                  '<body><div id="__next"></div></body></html>')
    assert placeholder_reason(next_shell).startswith("script-only:")
    assert "root element <div id=\"__next\">" in placeholder_reason(next_shell)
    small = ("<html><body><h1>Kontak</h1><p>Jl. Merdeka 1, Balikpapan. Telepon 0542-123456.</p>"
             "<script src='/js/app.js'></script></body></html>")
    assert placeholder_reason(small) is None
    article = (FLEET / "sma-sehat.test" / "berita" / "lomba-debat-bahasa-indonesia" / "index.html").read_text()
    assert placeholder_reason(article) is None


def evidence_with_home(status: int | None, error: str | None = None) -> SiteEvidence:
    evidence = SiteEvidence("https://sekolah.test/")
    evidence.saw_robots(Robots.allow_all("warta", "robots.txt answered HTTP 404"), None)
    evidence.saw_home(FetchResult("https://sekolah.test/", "https://sekolah.test/", status=status, error=error))
    return evidence


def test_states_from_the_home_page_answer() -> None:
    assert evidence_with_home(403, "HTTP 403").state() == ("blocked", "home page https://sekolah.test/ answered "
                                                           "HTTP 403")
    assert evidence_with_home(503, "HTTP 503 after 4 tries").state()[0] == "unreachable"
    assert evidence_with_home(None, "TLS error: certificate has expired").state() == (
        "unreachable", "home page https://sekolah.test/: TLS error: certificate has expired")
    assert evidence_with_home(200).state()[0] == "ok"
    unreachable = SiteEvidence("https://sekolah.test/")
    unreachable.saw_robots(Robots.disallow_all("warta", "robots.txt unreachable (HTTP 503 after 4 tries)"),
                           FetchResult("https://sekolah.test/robots.txt", "", status=503,
                                       error="HTTP 503 after 4 tries"))
    assert unreachable.state() == ("unreachable", "robots.txt: HTTP 503 after 4 tries")


def test_connect_timeout_is_a_crawl_key() -> None:
    config = parse_config({"crawl": {"connect_timeout": 3}}, Path("config.toml"))
    assert config.crawl.connect_timeout == 3.0
    with pytest.raises(ConfigError, match="connect_timeout: must be more than 0"):
        parse_config({"crawl": {"connect_timeout": 0}}, Path("config.toml"))


def test_links_to_gambling_sites_mark_a_page_but_one_odd_link_does_not() -> None:
    from scraper.extract.metadata import Link
    from scraper.extract.verdicts import injected_links

    hidden = [Link("https://gacor88.example/", "slot gacor", ""), Link("https://x.example/", "bonus new member", ""),
              Link("http://sekolah.test/berita/", "Berita", "")]
    assert injected_links(hidden, "http://sekolah.test/").startswith("spam links: 2 links")
    assert injected_links(hidden[1:], "http://sekolah.test/") is None
    same_site = [Link("http://sekolah.test/slot-gacor/", "slot gacor", ""),
                 Link("http://sekolah.test/togel/", "togel online", "")]
    assert injected_links(same_site, "http://sekolah.test/") is None     # spam pages of its own: judged as pages


def home_answer(evidence: SiteEvidence, html: str) -> tuple[str, str]:
    evidence.saw_robots(Robots.allow_all("warta", "robots.txt answered HTTP 404"), None)
    evidence.saw_home(FetchResult("https://sekolah.test/", "https://sekolah.test/", status=200, content=html.encode()))
    return evidence.state()


@pytest.mark.parametrize(("target", "state"), [
    ("https://www.hugedomains.com/domain_profile.cfm?d=sekolah.test", "parked"),
    ("https://gacor-maxwin.example/", "compromised"),
    ("https://sekolah-baru.sch.id/", "moved"),
    ("https://smkn88.sch.id/", "moved"),
])
def test_where_a_home_page_sends_its_visitors(target: str, state: str) -> None:
    redirected = SiteEvidence("https://sekolah.test/")
    redirected.saw_robots(Robots.allow_all("warta"), None)
    redirected.saw_home(FetchResult("https://sekolah.test/", "https://sekolah.test/", status=301,
                                    error=f"off-site redirect to {target}"))
    assert redirected.state()[0] == state
    refreshed = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head><body></body></html>'
    assert home_answer(SiteEvidence("https://sekolah.test/"), refreshed)[0] == state
    scripted = f'<html><body><script>window.location.href = "{target}";</script></body></html>'
    assert home_answer(SiteEvidence("https://sekolah.test/"), scripted)[0] == state


def test_a_button_script_on_a_real_home_page_is_no_redirect() -> None:
    home = (FLEET / "sma-sehat.test" / "index.html").read_text()
    links = "".join(f'<a href="/berita/{n}/">Berita {n}</a>' for n in range(10))
    real = home.replace("</body>", f"{links}<script>function ppdb() {{ window.location.href = "
                                   f"'https://ppdb.example.id/'; }}</script>" + "<p>" + "isi " * 2000 + "</p></body>")
    assert home_answer(SiteEvidence("https://sekolah.test/"), real)[0] == "ok"


def test_the_japanese_keyword_hack_is_spam_and_a_japanese_lesson_is_not() -> None:
    assert spam_reason("激安ブランド コピー 通販 専門店", "最新作 ブランド 財布 バッグ 激安 通販 送料無料 " * 5)
    lesson = ("Siswa kelas XI belajar huruf hiragana bersama guru bahasa Jepang. Mereka menulis salam "
              "こんにちは dan ありがとう di papan tulis, lalu mempraktikkannya dalam percakapan sederhana.")
    assert spam_reason("Belajar Bahasa Jepang: こんにちは", lesson) is None


def test_a_parking_page_full_of_gambling_ads_is_parked() -> None:
    parked = ('<html><head><script src="https://www.sedoparking.com/park.js"></script></head><body>'
              '<a href="https://ads.example/slot-gacor">Slot Gacor</a> <a href="https://ads.example/togel">'
              'Togel Online</a> <a href="https://sedo.com/buy">Buy this domain</a></body></html>')
    result = extract_page(parked.encode(), "http://sekolah.test/")
    evidence = SiteEvidence("http://sekolah.test/")
    evidence.saw_robots(Robots.allow_all("warta"), None)
    evidence.saw_home(FetchResult("http://sekolah.test/", "http://sekolah.test/", status=200,
                                  content=parked.encode()))
    evidence.saw_page("http://sekolah.test/", result, home=True)
    assert evidence.state()[0] == "parked"


def test_a_suspended_account_answering_403_or_503_is_parked() -> None:
    suspended = b"<html><body><h1>Account Suspended</h1><p>This Account has been suspended.</p></body></html>"
    for status in (403, 503):
        evidence = SiteEvidence("https://sekolah.test/")
        evidence.saw_robots(Robots.allow_all("warta"), None)
        evidence.saw_home(FetchResult("https://sekolah.test/", "https://sekolah.test/", status=status,
                                      error=f"HTTP {status}", content=suspended))
        assert evidence.state()[0] == "parked"
    evidence = SiteEvidence("https://sekolah.test/")
    evidence.saw_robots(Robots.disallow_all("warta", "robots.txt unreachable (HTTP 503 after 4 tries)"),
                        FetchResult("https://sekolah.test/robots.txt", "", status=503, error="HTTP 503 after 4 tries",
                                    content=suspended))
    assert evidence.state() == ("parked", "robots.txt answered HTTP 503 after 4 tries: the page says "
                                          "'Account Suspended'")
