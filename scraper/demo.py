"""`warta demo`: serve the small sample sites shipped in `scraper/demo_sites/` on 127.0.0.1 and crawl them.

One HTTP server answers for every demo host: the crawler reaches it as an HTTP proxy, so the sites keep their
own host names. The sites imitate a WordPress install (sitemaps, feed, REST API, `?p=ID` redirects, pagination)
and a CMS Sekolahku one (category listings with AJAX "load more", card markup, raw feed dates). Works offline.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx

from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
from scraper.crawl.report import CrawlReport
from scraper.crawl.run import ProgressCallback, run_crawl

Response = tuple[int, list[tuple[str, str]], bytes]
WP_PER_PAGE = 3


def load_demo_sites() -> list[dict[str, Any]]:
    """The sample sites' content (posts, pages, categories) from the package data."""
    text = resources.files("scraper.demo_sites").joinpath("sites.json").read_text(encoding="utf-8")
    return json.loads(text)["sites"]


class LocalServer:
    """A threaded HTTP server on a free port of 127.0.0.1, serving in a background thread while entered."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, usable as a proxy URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class DemoServer(LocalServer):
    """Renders `sites` for every demo host (as a proxy or by Host header); edit `sites` to change what it serves."""

    def __init__(self, sites: list[dict[str, Any]]) -> None:
        self.sites = {site["host"]: site for site in sites}
        super().__init__(_handler(self.respond))

    def respond(self, method: str, url: str, form: dict[str, str], headers: dict[str, str]) -> Response:
        parts = urlsplit(url)
        site = self.sites.get((parts.hostname or "").lower())
        if site is None:
            return _html(404, "<h1>Situs tidak dikenal</h1>")
        render = _render_wordpress if site["cms"] == "wordpress" else _render_sekolahku
        status, extra, body = render(site, method, parts.path or "/", parse_qs(parts.query), form)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if method == "GET" and status == 200 and headers.get("if-none-match") == etag:
            return 304, [("ETag", etag)], b""
        return status, [*extra, ("ETag", etag)] if status == 200 else extra, body


def _handler(respond: Callable[[str, str, dict[str, str], dict[str, str]], Response]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            url = self.path if self.path.startswith("http") else f"http://{self.headers.get('Host')}{self.path}"
            form = {k: v[0] for k, v in parse_qs(body).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = respond(self.command, url, form, headers)
            self.send_response(status)
            for name, value in extra:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

    return Handler


def _html(status: int, body: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return status, [("Content-Type", "text/html; charset=UTF-8"), *(headers or [])], body.encode()


def _local(site: dict[str, Any], stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(site["timezone"]))


def _newest_first(site: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(site["posts"], key=lambda post: post["date"], reverse=True)


def _paragraphs(post: dict[str, Any]) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in post["body"])


# -- WordPress ----------------------------------------------------------------------------------------------------

def _wp_link(site: dict[str, Any], post: dict[str, Any]) -> str:
    day = post["date"][:10].replace("-", "/")
    return f"http://{site['host']}/{day}/{post['slug']}/"


def _wp_page(site: dict[str, Any], title: str, body_class: str, main: str, canonical: str | None = None) -> str:
    home = f"http://{site['host']}/"
    menu = "".join(f'<li><a href="{home}category/{slug}/">{html.escape(name)}</a></li>'
                   for slug, name in site["categories"].items())
    menu += "".join(f'<li><a href="{home}{page["slug"]}/">{html.escape(page["title"])}</a></li>'
                    for page in site["pages"])
    head_canonical = f'<link rel="canonical" href="{canonical}" />' if canonical else ""
    return f"""<!doctype html><html lang="id-ID"><head><meta charset="UTF-8" />
<title>{html.escape(title)} &#8211; {html.escape(site['name'])}</title>
<meta name="generator" content="WordPress 6.1.9" />
<link rel="alternate" type="application/rss+xml" title="Feed" href="{home}feed/" />
<link rel="https://api.w.org/" href="{home}wp-json/" />{head_canonical}
<link rel="stylesheet" href="{home}wp-content/themes/demo/style.css" /></head>
<body class="{body_class}"><header><p class="site-title"><a href="{home}">{html.escape(site['name'])}</a></p>
<nav><ul>{menu}</ul></nav></header><main id="main">{main}</main>
<footer><p>Situs contoh warta. Semua berita fiktif.</p></footer></body></html>"""


def _wp_listing(site: dict[str, Any], posts: list[dict[str, Any]], page: int, base: str, title: str,
                body_class: str) -> Response:
    chunk = posts[(page - 1) * WP_PER_PAGE: page * WP_PER_PAGE]
    if not chunk and page > 1:
        return _html(404, _wp_page(site, "Tidak ditemukan", "error404", "<h1>Halaman tidak ditemukan</h1>"))
    items = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{_wp_link(site, post)}">'
        f'{html.escape(post["title"])}</a></h2><p>{html.escape(post["body"][0][:120])}…</p></article>'
        for post in chunk)
    more = f'<a class="next" href="{base}page/{page + 1}/">Berita sebelumnya</a>' \
        if len(posts) > page * WP_PER_PAGE else ""
    return _html(200, _wp_page(site, title, body_class, f"<h1>{html.escape(title)}</h1>{items}{more}"),
                 [("Link", f'<http://{site["host"]}/wp-json/>; rel="https://api.w.org/"')])


def _render_wordpress(site: dict[str, Any], method: str, path: str, query: dict[str, list[str]],
                      form: dict[str, str]) -> Response:
    host, posts = site["host"], _newest_first(site)
    home = f"http://{host}/"
    if path == "/robots.txt":
        return 200, [("Content-Type", "text/plain; charset=utf-8")], \
            f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {home}wp-sitemap.xml\n".encode()
    if path == "/" and "p" in query:
        post = next((p for p in posts if str(p["id"]) == query["p"][0]), None)
        if post is None:
            return _html(404, _wp_page(site, "Tidak ditemukan", "error404", "<h1>Halaman tidak ditemukan</h1>"))
        return 301, [("Location", _wp_link(site, post))], b""
    if path == "/" or path.startswith("/page/"):
        page = int(path.strip("/").split("/")[-1]) if path.startswith("/page/") else 1
        return _wp_listing(site, posts, page, home, "Berita Terbaru", "home blog")
    if path.startswith("/category/"):
        slug, _, rest = path[len("/category/"):].partition("/")
        if slug not in site["categories"]:
            return _html(404, _wp_page(site, "Tidak ditemukan", "error404", "<h1>Kategori tidak ditemukan</h1>"))
        page = int(rest.strip("/").split("/")[-1]) if rest.startswith("page/") else 1
        chosen = [p for p in posts if slug in p["categories"]]
        return _wp_listing(site, chosen, page, f"{home}category/{slug}/", site["categories"][slug],
                           "archive category")
    if path == "/feed/":
        items = "".join(
            f"<item><title>{html.escape(p['title'])}</title><link>{_wp_link(site, p)}</link>"
            f"<pubDate>{format_datetime(_local(site, p['date']))}</pubDate>"
            f"<description>{html.escape(p['body'][0])}</description></item>" for p in posts[:10])
        return 200, [("Content-Type", "application/rss+xml; charset=UTF-8")], (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{html.escape(site["name"])}'
            f"</title><link>{home}</link>{items}</channel></rss>").encode()
    if path == "/wp-sitemap.xml":
        maps = "".join(f"<sitemap><loc>{home}wp-sitemap-posts-{kind}-1.xml</loc></sitemap>"
                       for kind in ("post", "page"))
        return _xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>')
    if path in ("/wp-sitemap-posts-post-1.xml", "/wp-sitemap-posts-page-1.xml"):
        if "post" in path:
            entries = [(_wp_link(site, p), _local(site, p["modified"]).isoformat()) for p in posts]
        else:
            entries = [(f"{home}{page['slug']}/", None) for page in site["pages"]]
        urls = "".join(f"<url><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>"
                       for loc, mod in entries)
        return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    if path == "/wp-json/wp/v2/categories":
        ids = {slug: number for number, slug in enumerate(site["categories"], start=2)}
        return _json([{"id": ids[slug], "name": name, "slug": slug} for slug, name in site["categories"].items()])
    if path == "/wp-json/wp/v2/posts":
        ids = {slug: number for number, slug in enumerate(site["categories"], start=2)}
        rows = [{"id": p["id"], "date": p["date"], "modified": p["modified"], "link": _wp_link(site, p),
                 "title": {"rendered": p["title"]}, "categories": [ids[c] for c in p["categories"]]}
                for p in posts]
        return _json(rows, [("X-WP-Total", str(len(rows))), ("X-WP-TotalPages", "1")])
    for page in site["pages"]:
        if path == f"/{page['slug']}/":
            main = f'<article class="page"><h1 class="entry-title">{html.escape(page["title"])}</h1>' \
                   f'<div class="entry-content">{_paragraphs(page)}</div></article>'
            return _html(200, _wp_page(site, page["title"], "page-template-default page", main, home + path[1:]))
    for post in posts:
        link = _wp_link(site, post)
        if home + path.lstrip("/") == link:
            categories = ", ".join(f'<a href="{home}category/{c}/" rel="category tag">'
                                   f'{html.escape(site["categories"][c])}</a>' for c in post["categories"])
            published = _local(site, post["date"])
            main = (f'<article class="post type-post"><header class="entry-header">'
                    f'<h1 class="entry-title">{html.escape(post["title"])}</h1>'
                    f'<time class="entry-date published" datetime="{published.isoformat()}">'
                    f'{published:%d/%m/%Y}</time> oleh <span class="author vcard"><span class="fn">'
                    f'{html.escape(post["author"])}</span></span></header>'
                    f'<div class="entry-content">{_paragraphs(post)}</div>'
                    f'<footer class="entry-footer"><span class="cat-links">Kategori: {categories}</span></footer>'
                    f'</article><nav><a href="{home}?p={post["id"]}">Tautan pendek</a></nav>')
            return _html(200, _wp_page(site, post["title"], "post-template-default single single-post", main, link))
    return _html(404, _wp_page(site, "Tidak ditemukan", "error404", "<h1>Halaman tidak ditemukan</h1>"))


def _xml(text: str) -> Response:
    return 200, [("Content-Type", "application/xml; charset=UTF-8")], \
        ('<?xml version="1.0" encoding="UTF-8"?>' + text).encode()


def _json(data: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    return 200, [("Content-Type", "application/json; charset=UTF-8"), *(headers or [])], \
        json.dumps(data, ensure_ascii=False).encode()


# -- CMS Sekolahku ------------------------------------------------------------------------------------------------

def _sk_link(site: dict[str, Any], post: dict[str, Any]) -> str:
    return f"http://{site['host']}/read/{post['id']}/{post['slug']}"


def _sk_card(site: dict[str, Any], post: dict[str, Any]) -> str:
    stamp = datetime.fromisoformat(post["date"])
    return (f'<div class="card rounded-0 border border-secondary mb-3 posts"><div class="card-body p-3">'
            f'<h5 class="card-title"><a href="{_sk_link(site, post)}">{html.escape(post["title"])}</a></h5>'
            f'<p class="card-text mb-0">{html.escape(post["body"][0][:165])}</p>'
            f'<small class="text-muted">{stamp:%d/%m/%Y %H:%M} WIB - {html.escape(post["author"])}</small>'
            f"</div></div>")


def _sk_page(site: dict[str, Any], title: str, main: str) -> str:
    home = f"http://{site['host']}/"
    menu = "".join(f'<li><a href="{home}kategori/{slug}" target="_self">{html.escape(name.upper())}</a></li>'
                   for slug, name in site["categories"].items())
    menu += "".join(f'<li><a href="{home}read/{p["id"]}/{p["slug"]}">{html.escape(p["title"].upper())}</a></li>'
                    for p in site["pages"])
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site['name'])}</title>
<script>var _BASE_URL = '{home}';</script></head><body>
<header><img src="{home}media_library/images/logo.png" alt="logo"><nav><ul>{menu}
<li><a href="{home}feed">RSS</a></li></ul></nav></header>
<section class="content"><div class="container"><div class="row">
<div class="col-lg-8 col-md-8 col-sm-12 ">{main}</div></div></div></section>
<footer><p>Powered by <a href="http://sekolahku.web.id">sekolahku.web.id</a></p></footer></body></html>"""


def _render_sekolahku(site: dict[str, Any], method: str, path: str, query: dict[str, list[str]],
                      form: dict[str, str]) -> Response:
    posts, home, per_page = _newest_first(site), f"http://{site['host']}/", site.get("per_page", 10)
    if method == "POST" and path == "/public/post_categories/get_posts":
        chosen = [p for p in posts if form.get("category_slug") in p["categories"]]
        number = int(form.get("page_number") or 1)
        rows = [{"id": str(p["id"]), "post_title": p["title"], "created_at": p["date"].replace("T", " "),
                 "post_slug": p["slug"], "post_author": p["author"], "post_content": _paragraphs(p)}
                for p in chosen[(number - 1) * per_page: number * per_page]]
        return _json({"rows": rows})
    if path == "/":
        cards = "".join(_sk_card(site, post) for post in posts[:5])
        return _html(200, _sk_page(site, "Beranda", f'<h5 class="page-title mb-3">TULISAN TERBARU</h5>{cards}'))
    if path.startswith("/kategori/"):
        slug = path[len("/kategori/"):].strip("/")
        if slug not in site["categories"]:
            return _html(404, _sk_page(site, "404", "<h1>Halaman tidak ditemukan</h1>"))
        chosen = [p for p in posts if slug in p["categories"]]
        total = max(1, -(-len(chosen) // per_page))
        cards = "".join(_sk_card(site, post) for post in chosen[:per_page])
        script = (f'<script>var page = 1; var total_page = "{total}"; function get_posts() {{ page++; '
                  f"$.post(_BASE_URL + 'public/post_categories/get_posts', {{page_number: page, "
                  f"category_slug: '{slug}'}}, function(r) {{ str += '<a href=\"' + _BASE_URL + 'read/' + row.id "
                  f"+ '\">'; }}); }}</script>")
        title = site["categories"][slug].upper()
        return _html(200, _sk_page(site, title, f'{script}<h5 class="page-title mb-3">{title}</h5>{cards}'
                                   '<button onclick="get_posts()">Tampilkan Lebih Banyak</button>'))
    if path == "/feed":
        items = "".join(f"<item><title>{html.escape(p['title'])}</title><link>{_sk_link(site, p)}</link>"
                        f"<guid>{_sk_link(site, p)}</guid><pubDate>{p['date'].replace('T', ' ')}</pubDate>"
                        f"<description><![CDATA[ {p['body'][0][:200]} ]]></description></item>" for p in posts[:10])
        return 200, [("Content-Type", "text/xml; charset=utf-8")], (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{home}</title>'
            f"<link>{home}feed</link>{items}</channel></rss>").encode()
    if path.startswith("/read/"):
        number = path.split("/")[2]
        entry = next((p for p in [*posts, *site["pages"]] if str(p["id"]) == number), None)
        return _html(200, _sk_page(site, entry["title"] if entry else "", _sk_single(site, entry)))
    return _html(404, _sk_page(site, "404", "<h1>Halaman tidak ditemukan</h1>"))


def _sk_single(site: dict[str, Any], entry: dict[str, Any] | None) -> str:
    """A post or static page in CMS Sekolahku's card markup; an unknown ID gives its empty card (a soft 404)."""
    if entry is None:
        return ('<div class="card"><div class="card-body"><h4 class="card-title"></h4><p class="card-text"></p>'
                '</div><div class="card-footer"><small class="text-muted float-right">01/01/1970 07:00 - '
                "</small></div></div>")
    is_post = "date" in entry
    stamp = f"{datetime.fromisoformat(entry['date']):%d/%m/%Y %H:%M} - {html.escape(entry['author'])}" \
        if is_post else ""
    others = [p for p in (site["posts"] if is_post else site["pages"]) if p is not entry][:5]
    related = "".join(f'<div class="card"><div class="card-body p-3"><h5 class="card-title">'
                      f'<a href="http://{site["host"]}/read/{p["id"]}/{p["slug"]}">{html.escape(p["title"])}</a>'
                      f"</h5></div></div>" for p in others)
    return (f'<div class="card rounded-0 border border-secondary mb-3"><div class="card-body">'
            f'<h4 class="card-title">{html.escape(entry["title"])}</h4><p class="card-text">{_paragraphs(entry)}</p>'
            f'</div><div class="card-footer"><small class="text-muted float-right">{stamp}</small></div></div>'
            f'<h5 class="page-title mt-3 mb-3">{"Tulisan Lainnya" if is_post else "Halaman Lainnya"}</h5>{related}')


# -- the command --------------------------------------------------------------------------------------------------

def demo_config(directory: Path, sites: list[dict[str, Any]]) -> Config:
    """A crawl config for the demo sites, archiving into `directory` (no delay: the server is local)."""
    return Config(
        path=directory / "config.toml",
        archive=ArchiveConfig(path=directory / "archive.db", captures=directory / "captures"),
        crawl=CrawlConfig(delay=0.0, timeout=10.0, retries=1),
        sites=tuple(SiteConfig(name=s["name"], url=f"http://{s['host']}/", timezone=s["timezone"],
                               region=s.get("region")) for s in sites),
    )


def run_demo(directory: Path = Path("demo"), *, on_progress: ProgressCallback | None = None) -> CrawlReport:
    """Serve the bundled sample sites on 127.0.0.1, crawl them into `directory`/archive.db, return the report."""
    sites = load_demo_sites()
    directory.mkdir(parents=True, exist_ok=True)
    with DemoServer(sites) as server:
        # The server is the proxy for every demo host; an explicit transport ignores the user's proxy settings.
        transport = httpx.AsyncHTTPTransport(proxy=server.url)
        return run_crawl(demo_config(directory, sites), on_progress=on_progress, transport=transport)
