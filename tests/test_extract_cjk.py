"""A page written in Japanese, Chinese or Korean is the keyword hack only where what surrounds it says so: the
hacked site's template in another script, an Indonesian domain with no template to tell, a page sharing nothing
of its site's template, or the counterfeit goods the hack sells. A site written in that language is read.

Hand-written pages in tests/data/pages/cjk: a hacked Indonesian school post (the theme's Indonesian menus around
Japanese keyword text), the hack's bare page, a Japanese blog post and a Chinese news page."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import classify, extract_page
from scraper.extract.site_profile import SiteProfile, learn, page_fingerprint
from scraper.extract.verdicts import Setting, spam_reason

CJK = Path(__file__).parent / "data" / "pages" / "cjk"
BLOG_TITLE = "京都の紅葉を見に嵐山へ行ってきました"
SPAM = "spam: injected keyword page (written in Japanese or Chinese)"


def extract(name: str, url: str, profile: SiteProfile | None = None):
    return extract_page((CJK / name).read_bytes(), url, with_links=False, profile=profile)


@pytest.mark.parametrize(("name", "url"), [
    # the school's theme (Indonesian menus and footer, lang id-ID) around injected Japanese text and its JSON-LD
    ("hacked_school_template.html", "https://smpn4contoh.sch.id/louis-vuitton-saifu/"),
    # the hack's own bare page, declared Japanese, on a school's Indonesian domain
    ("standalone_hack.html", "https://smpn4contoh.sch.id/kqzmwv/1181.html"),
    # the hacked template is the evidence, not the domain
    ("hacked_school_template.html", "https://smpn4contoh.com/louis-vuitton-saifu/"),
])
def test_the_keyword_hack_is_refused(name: str, url: str):
    page = extract(name, url)
    assert page.article is None and page.reason == SPAM


@pytest.mark.parametrize(("name", "url", "title"), [
    ("japanese_blog.html", "https://tabi-shashin.example.jp/entry/2023/11/26/arashiyama", BLOG_TITLE),
    ("chinese_news.html", "https://news.example.com/edu/2024-10/15/c_1130.htm", "全国中小学开展秋季读书月活动"),
    # a site written in Japanese keeps its articles on an Indonesian domain too: its whole template is Japanese
    ("japanese_blog.html", "https://tabi-shashin.example.id/entry/arashiyama", BLOG_TITLE),
])
def test_a_site_written_in_the_language_keeps_its_articles(name: str, url: str, title: str):
    page = extract(name, url)
    assert page.article is not None, page.reason
    assert page.article.title == title and len(page.article.body) > 100


HEADLINES = {"hacked_school_template.html": "ルイヴィトン 財布 新作 人気 ランキング 公式",
             "japanese_blog.html": BLOG_TITLE}


def profile_of(name: str, pages: int) -> SiteProfile:
    """The profile of a site's own pages: the page's template around other stories (and headlines) of the site."""
    shell = (CJK / name).read_text(encoding="utf-8")
    start, end = shell.index('<div class="entry-content">'), shell.index("</article>")
    profile = None
    for number in range(pages):
        story = f'<div class="entry-content"><p>Kegiatan ke-{number} / 第{number}回の記事です。</p></div>'
        page = (shell[:start] + story + shell[end:]).replace(HEADLINES[name], f"Berita {number} / 記事{number}")
        profile = learn(profile, page_fingerprint(page.encode()))
    assert profile is not None
    return profile


def test_a_page_sharing_nothing_of_its_sites_template_is_the_hack_on_any_domain():
    url = "https://smpn4contoh.com/kqzmwv/1181.html"
    assert extract("standalone_hack.html", url).article is not None       # alone, nothing tells
    page = extract("standalone_hack.html", url, profile=profile_of("hacked_school_template.html", 8))
    assert page.article is None and page.reason == SPAM
    too_little = profile_of("hacked_school_template.html", 3)
    assert extract("standalone_hack.html", url, profile=too_little).article is not None
    # a Japanese site's own post shares its site's template
    blog = "https://tabi-shashin.example.jp/entry/2023/11/26/arashiyama"
    assert extract("japanese_blog.html", blog, profile=profile_of("japanese_blog.html", 8)).article is not None


def test_what_the_hack_sells_is_spam_whatever_the_site():
    japanese_site = Setting("ホーム 旅行記 カメラと写真 このブログについて お問い合わせ", "ja", "shop.example.jp")
    assert spam_reason("ブランド 財布 スーパーコピー 激安 通販", "人気のブランド財布を激安価格で販売しています。" * 3,
                       japanese_site) == SPAM
    assert spam_reason("京都の紅葉を見に嵐山へ行ってきました", "週末に京都の嵐山へ紅葉を見に行ってきました。" * 3,
                       japanese_site) is None


@pytest.mark.parametrize(("setting", "spam"), [
    (None, True),                                                     # nothing known: as on a school site
    (Setting("Beranda Profil Sekolah Berita Galeri Kontak", "ja", "example.jp"), True),   # a Latin template
    (Setting("", "ja", "example.jp"), False),                         # no template: the declared language
    (Setting("", "id-ID", "example.com"), True),                      # … which is not the page's
    (Setting("", None, "example.com"), False),
    (Setting("", "ja", "smpn1contoh.sch.id"), True),                  # no template on an Indonesian domain
])
def test_the_setting_decides_a_page_written_in_japanese(setting: Setting | None, spam: bool):
    reason = spam_reason("京都の紅葉を見に嵐山へ", "週末に京都の嵐山へ紅葉を見に行ってきました。" * 3, setting)
    assert (reason == SPAM) is spam


def test_a_dateless_japanese_story_reads_as_one_without_full_stops():
    # casual Japanese ends its sentences in a verb's kana, not 。, and says in 40 characters what takes 80 letters
    page = extract("japanese_diary_dateless.html", "https://yamaaruki.example.jp/entry/asa-no-sanpo")
    assert page.article is not None, page.reason
    assert page.article.published is None and page.article.title == "朝の散歩で見つけた小さな神社の話"
    assert classify.is_story("いつもより少し早く目が覚めたので川沿いの道を歩いてみることにしました\n\n"
                             "橋を渡って細い坂道を上っていくと木々の間に古い鳥居が見えてきました")
    assert not classify.is_story("校長\n\n教頭\n\n事務室")
    assert not classify.is_story("Siswa kelas tujuh mengikuti lomba\n\nGuru pendamping hadir")   # short, no stops
