"""Hand-written school sites in the style of older Indonesian school CMSes, served by a FaultServer (no
robots.txt, no sitemap, no feed), for the long-tail discovery tests (tests/test_crawl_long_tail.py).

- `table_site(door)`: a root that is only a door (`door` is one of DOORS: the script forms and a meta refresh) to
  `/html/index.php`, menus in tables, `?hal=` pagination, categories printed only as `Kategori: …` headings of
  the category listings, a side widget of latest posts on every page, a `pengumuman` module with its own listing
  behind a menu link whose page is itself a script redirect.
- `frames_site()`: a frameset root (a menu frame made of an image map, a content frame), `/halaman/N` pagination,
  dates printed only on the listing cards, categories only as the category pages' names (URL `/kategori/…`).
- `portal_site()`: an iframe root holding `/portal/`, a "load more" button whose data attributes give the POST
  (answered with HTML cards, the last page with JSON rows),
  a POST form paginating the announcements, categories named only by the category page's `<title>`.

Each builder fills the server and returns the posts it holds (path → Post): what a crawl must archive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from servers.faults import FaultServer

DOORS = {
    "window.location": '<script type="text/javascript">window.location = "html/index.php";</script>',
    "location.href": "<script>\n  location.href='/html/index.php';\n</script>",
    "location.replace": '<script language="javascript">location.replace("/html/index.php")</script>',
    "location.assign": "<script>window.location.assign('/html/index.php');</script>",
    "meta refresh": '<meta http-equiv="Refresh" content="0; URL=/html/index.php">',
    "splash link": '<center><a href="html/index.php"><img src="masuk.gif" alt="Masuk"></a></center>',
}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
TITLES = (
    "Siswa Kelas XI Juara Lomba Cerdas Cermat Tingkat Kabupaten",
    "Kegiatan Bakti Sosial OSIS di Panti Asuhan Harapan",
    "Tim Futsal Sekolah Melaju ke Babak Final Porseni",
    "Pelatihan Jurnalistik untuk Pengurus Majalah Dinding",
    "Kunjungan Industri Kelas XII ke Pabrik Pengolahan Teh",
    "Upacara Peringatan Hari Pendidikan Nasional Berlangsung Khidmat",
    "Pentas Seni Akhir Semester Menampilkan Tari Daerah",
    "Penanaman Seribu Pohon Bersama Warga Sekitar Sekolah",
    "Regu Pramuka Penggalang Raih Juara Umum Jambore",
    "Siswa Belajar Membatik Bersama Perajin Setempat",
    "Donor Darah Bersama Palang Merah Remaja",
    "Tim Debat Bahasa Inggris Wakili Provinsi",
    "Pameran Karya Ilmiah Remaja di Aula Sekolah",
    "Sosialisasi Bahaya Narkoba oleh Kepolisian Sektor",
    "Lomba Kebersihan Kelas Dimenangkan Kelas X IPA 2",
)
SENTENCES = (
    "Kegiatan ini diikuti oleh puluhan siswa yang didampingi para guru pembimbing sejak pagi hari.",
    "Kepala sekolah menyampaikan apresiasi kepada seluruh panitia yang telah bekerja keras menyiapkan acara.",
    "Para peserta tampak antusias mengikuti setiap rangkaian kegiatan hingga selesai pada siang hari.",
    "Orang tua siswa juga hadir untuk memberikan dukungan dan menyaksikan langsung jalannya kegiatan.",
    "Menurut guru pembina, persiapan dilakukan selama tiga minggu dengan latihan rutin setiap sore.",
    "Sekolah berharap kegiatan serupa dapat terus dilaksanakan untuk menumbuhkan semangat belajar siswa.",
    "Hasil yang diraih menjadi motivasi bagi adik kelas untuk berprestasi di tahun-tahun mendatang.",
    "Acara ditutup dengan foto bersama dan pembagian piagam penghargaan kepada para peserta terbaik.",
)


@dataclass(frozen=True, slots=True)
class Post:
    """A post of a test site: what the archive must hold for it."""

    title: str
    day: str                       # YYYY-MM-DD
    categories: tuple[str, ...] = ()


def body(number: int) -> str:
    """Three paragraphs, a different selection for each post."""
    picked = [SENTENCES[(number + step * 3) % len(SENTENCES)] for step in range(3)]
    return "".join(f"<p>{sentence} {SENTENCES[(number + 5) % len(SENTENCES)]}</p>" for sentence in picked)


def indonesian(day: str) -> str:
    year, month, date = day.split("-")
    return f"{int(date)} {MONTHS[int(month) - 1]} {year}"


def day_of(number: int) -> str:
    return f"2025-{(number % 9) + 2:02d}-{(number * 3) % 27 + 1:02d}"


def pages_of(items: list, size: int) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)] or [[]]


# -- the table-layout site --------------------------------------------------------------------------------------

TABLE_CATEGORIES = {"1": "Prestasi", "2": "Kegiatan Siswa"}


def _table_page(title: str, content: str, latest: list[tuple[str, Post]]) -> str:
    categories = "".join(f'<tr><td><a href="index.php?mod=berita&amp;kat={key}">{name}</a></td></tr>'
                         for key, name in TABLE_CATEGORIES.items())
    widget = "".join(f'<tr><td><a href="{path.removeprefix("/html/")}">{post.title}</a>'
                     f"<br><small>{indonesian(post.day)}</small></td></tr>" for path, post in latest)
    return f"""<html><head><title>{title} - SMP Negeri 2 Sukamaju</title></head>
<body bgcolor="#ffffff"><table width="900" border="0" align="center">
<tr><td colspan="3"><img src="../images/banner.jpg" alt="SMP Negeri 2 Sukamaju"></td></tr>
<tr><td colspan="3" class="menuatas"><table><tr>
<td><a href="index.php">Beranda</a></td><td><a href="index.php?mod=profil">Profil Sekolah</a></td>
<td><a href="index.php?mod=berita">Berita</a></td><td><a href="index.php?mod=info">Pengumuman</a></td>
<td><a href="index.php?mod=kontak">Hubungi Kami</a></td></tr></table></td></tr>
<tr><td width="180" valign="top" class="kiri"><table><tr><th>Kategori</th></tr>{categories}</table></td>
<td valign="top" class="isi">{content}</td>
<td width="200" valign="top" class="kanan"><table><tr><th>Berita Terbaru</th></tr>{widget}</table></td></tr>
<tr><td colspan="3" align="center"><font size="1">Copyright SMP Negeri 2 Sukamaju</font></td></tr>
</table></body></html>"""


def _table_rows(posts: list[tuple[str, Post]]) -> str:
    return "".join(f'<tr><td><a href="{path.removeprefix("/html/")}"><b>{post.title}</b></a><br>'
                   f"<i>{indonesian(post.day)}</i> - {SENTENCES[index % len(SENTENCES)][:60]}...</td></tr>"
                   for index, (path, post) in enumerate(posts))


def _table_pager(query: str, number: int, count: int) -> str:
    base = f"index.php?{query.replace('&', '&amp;')}"
    links = [f'<a href="{base}&amp;hal={n}">{n}</a>' if n != number else f"<b>{n}</b>" for n in range(1, count + 1)]
    if number < count:
        links.append(f'<a href="{base}&amp;hal={number + 1}">Selanjutnya &raquo;</a>')
    return "<p>Halaman: " + " ".join(links) + "</p>"


def table_site(server: FaultServer, door: str) -> dict[str, Post]:
    """The table-layout site behind a `door` root (see DOORS)."""
    news = {f"/html/index.php?mod=berita&id={n}": Post(TITLES[n - 1], day_of(n), (TABLE_CATEGORIES[str(n % 2 + 1)],))
            for n in range(1, 13)}
    notices = {f"/html/index.php?mod=pengumuman&id={n}": Post(f"Pengumuman {TITLES[n + 11]}", day_of(n + 20))
               for n in range(1, 4)}
    latest = sorted(news.items(), key=lambda item: item[1].day, reverse=True)[:3]
    server.add("/", f"<html><head><title>SMP Negeri 2 Sukamaju</title>{DOORS[door]}</head><body></body></html>")
    welcome = ("<h3>Selamat Datang</h3><p>Selamat datang di situs resmi SMP Negeri 2 Sukamaju.</p>"
               "<table><tr><th>Berita Terbaru</th></tr>" + _table_rows(latest) + "</table>")
    server.add("/html/index.php", _table_page("Beranda", welcome, latest))
    server.add("/html/index.php?mod=info", "<html><head><title>Info</title></head><body><p>Memuat...</p><script>"
                                           "location.replace('index.php?mod=pengumuman');</script></body></html>")
    for number, (path, post) in enumerate({**news, **notices}.items()):
        server.add(path, _table_page(post.title, f"<h2>{post.title}</h2><p><i>Ditulis: {indonesian(post.day)} | "
                                                 f"08:30 WIB</i></p>{body(number)}", latest))
    listings = [("mod=berita", "Berita", list(news.items())), ("mod=pengumuman", "Pengumuman", list(notices.items()))]
    listings += [(f"mod=berita&kat={key}", f"Kategori: {name}", [(p, post) for p, post in news.items()
                                                                 if name in post.categories])
                 for key, name in TABLE_CATEGORIES.items()]
    for query, heading, items in listings:
        chunks = pages_of(items, 5)
        for number, chunk in enumerate(chunks, start=1):
            pager = _table_pager(query, number, len(chunks)) if len(chunks) > 1 else ""
            page = _table_page(heading, f"<h3>{heading}</h3><table>{_table_rows(chunk)}</table>{pager}", latest)
            server.add(f"/html/index.php?{query}&hal={number}", page)
            if number == 1:
                server.add(f"/html/index.php?{query}", page)
    for module, text in (("profil", "Sekolah kami berdiri sejak tahun 1982 dan kini memiliki 24 rombongan belajar "
                          "dengan fasilitas laboratorium, perpustakaan dan lapangan olahraga yang memadai."),
                         ("kontak", "Silakan menghubungi tata usaha sekolah pada jam kerja melalui telepon atau "
                          "datang langsung ke kantor sekolah di Jalan Merdeka nomor 12 Sukamaju.")):
        server.add(f"/html/index.php?mod={module}",
                   _table_page(module.title(), f"<h2>{module.title()}</h2><p>{text}</p><p>{text}</p>", latest))
    return {**news, **notices}


FRAME_CATEGORIES = {"prestasi": "Prestasi", "ekstrakurikuler": "Ekstrakurikuler"}


def _frame_page(title: str, content: str) -> str:
    return (f"<html><head><title>{title} — SMA Negeri 9 Tanjung</title>"
            f'<link rel="stylesheet" href="/web/gaya.css"></head><body><div id="isi">{content}</div>'
            '<p class="kaki"><a href="/web/beranda.html" target="utama">Kembali ke beranda</a></p></body></html>')


def _frame_cards(posts: list[tuple[str, Post]]) -> str:
    return "".join(f'<div class="kotak"><h3><a href="{path}" target="utama">{post.title}</a></h3>'
                   f'<span class="tgl">{indonesian(post.day)}</span><p>{SENTENCES[index % 8][:70]}…</p></div>'
                   for index, (path, post) in enumerate(posts))


def _frame_pager(base: str, number: int, count: int) -> str:
    links = [f'<a href="{base}halaman/{n}">{n}</a>' for n in range(1, count + 1) if n != number]
    return '<div class="halaman">' + " | ".join(links) + "</div>"


def frames_site(server: FaultServer) -> dict[str, Post]:
    """A frameset root: an image-map menu frame and a content frame; dates only on the listing cards."""
    slugs = ("lomba", "baksos", "futsal", "jurnalistik", "kunjungan", "upacara", "pentas", "pohon", "pramuka")
    posts = {f"/web/artikel/baca/{n}-{slug}.html": Post(TITLES[n - 1], day_of(n + 3),
                                                         (list(FRAME_CATEGORIES.values())[n % 2],) if n < 8 else ())
             for n, slug in enumerate(slugs, start=1)}
    server.add("/", '<html><head><title>SMA Negeri 9 Tanjung</title></head><frameset cols="210,*" border="0">'
                    '<frame src="/web/menu.html" name="menu"><frame src="/web/beranda.html" name="utama">'
                    "<noframes>Browser Anda tidak mendukung frame.</noframes></frameset></html>")
    areas = "".join(f'<area shape="rect" coords="0,{40 * i},200,{40 * i + 38}" href="{href}" alt="{alt}" '
                    f'target="utama">' for i, (href, alt) in enumerate(
                        [("/web/beranda.html", "Beranda"), ("/web/artikel/", "Artikel"),
                         *((f"/web/kategori/{slug}/", name) for slug, name in FRAME_CATEGORIES.items()),
                         ("/web/profil.html", "Profil")]))
    server.add("/web/menu.html", '<html><body><img src="/web/menu.gif" usemap="#peta" width="200" height="200">'
                                 f'<map name="peta">{areas}</map></body></html>')
    server.add("/web/beranda.html", _frame_page("Beranda", "<h2>Selamat Datang</h2><p>Situs resmi SMA Negeri 9 "
                                                           "Tanjung. Pilih menu di sebelah kiri.</p>"))
    server.add("/web/profil.html", _frame_page("Profil", "<h2>Profil Sekolah</h2><p>" + SENTENCES[0] * 2 + "</p>"))
    for number, (path, post) in enumerate(posts.items()):
        server.add(path, _frame_page(post.title, f"<h2>{post.title}</h2>{body(number)}"))
    listings = [("/web/artikel/", "Artikel Terbaru", list(posts.items()))]
    listings += [(f"/web/kategori/{slug}/", name, [(p, post) for p, post in posts.items() if name in post.categories])
                 for slug, name in FRAME_CATEGORIES.items()]
    for base, heading, items in listings:
        chunks = pages_of(items, 4)
        for number, chunk in enumerate(chunks, start=1):
            page = _frame_page(heading, f"<h2>{heading}</h2>{_frame_cards(chunk)}"
                                        + (_frame_pager(base, number, len(chunks)) if len(chunks) > 1 else ""))
            server.add(f"{base}halaman/{number}", page)
            if number == 1:
                server.add(base, page)
    return posts


PORTAL_CATEGORIES = {"3": "Olahraga", "4": "Seni Budaya"}


def _portal_page(title: str, content: str) -> str:
    menu = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in (
        ("/portal/", "Beranda"), ("/portal/berita", "Berita"), ("/portal/info", "Info"),
        ("/portal/agenda", "Agenda"), *((f"/portal/kategori.php?id={key}", name)
                                         for key, name in PORTAL_CATEGORIES.items()),
        ("/portal/tentang.php", "Tentang Kami")))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f'<div class="kepala"><h1>SMK Negeri 1 Lembah Hijau</h1></div><ul class="menu">{menu}</ul>'
            f'<div class="konten">{content}</div><div class="kaki">Alamat: Jl. Pendidikan 1</div></body></html>')


def _portal_cards(posts: list[tuple[str, Post]]) -> str:
    return "".join(f'<div class="item"><a href="{path}"><img src="/portal/foto/{index}.jpg" alt=""></a>'
                   f'<h4><a href="{path}">{post.title}</a></h4><time datetime="{post.day}">{indonesian(post.day)}'
                   f"</time></div>" for index, (path, post) in enumerate(posts))


def portal_site(server: FaultServer) -> dict[str, Post]:
    """An iframe root holding `/portal/`; a data-attribute "load more" POST and a POST form paginate listings."""
    news = {f"/portal/baca.php?id={n}": Post(TITLES[n + 1], day_of(n + 5),
                                             (PORTAL_CATEGORIES[str(3 + n % 2)],) if n % 3 else ())
            for n in range(1, 9)}
    notices = {f"/portal/baca.php?id={n}": Post(f"Info: {TITLES[n - 10]}", day_of(n)) for n in range(20, 25)}
    server.add("/", '<html><head><title>SMK Negeri 1 Lembah Hijau</title></head><body style="margin:0">'
                    '<iframe src="/portal/" width="100%" height="100%" frameborder="0"></iframe></body></html>')
    server.add("/portal/", _portal_page("Beranda | SMK Negeri 1 Lembah Hijau", "<h2>Selamat datang</h2><p>Portal "
                                        "informasi sekolah.</p>"))
    for path, post in {**news, **notices}.items():
        server.add(path, _portal_page(f"{post.title} | SMK Negeri 1 Lembah Hijau",
                                      f"<h2>{post.title}</h2><div class='tanggal'>Diterbitkan {indonesian(post.day)}"
                                      f"</div>{body(int(path.rsplit('=', 1)[1]))}"))
    items = list(news.items())
    button = ('<button class="btn-more" data-url="/portal/ajax/berita.php" data-page="2" data-total="3">'
              "Muat lebih banyak</button>")
    server.add("/portal/berita", _portal_page("Berita", f"<h2>Berita</h2>{_portal_cards(items[:3])}{button}"))
    server.add("/portal/ajax/berita.php", _portal_cards(items[3:6]), form={"page": "2"})
    rows = [{"id": int(path.rsplit("=", 1)[1]), "url": path, "judul": post.title, "tanggal": f"{post.day} 07:30:00"}
            for path, post in items[6:]]       # the last page answers in JSON
    server.add("/portal/ajax/berita.php", json.dumps({"status": "ok", "data": rows}), form={"page": "3"},
               content_type="application/json")
    notice_items = list(notices.items())
    form = ('<form method="post" action="/portal/info"><input type="hidden" name="hal" value="2">'
            '<button type="submit">Berikutnya</button></form>')
    server.add("/portal/info", _portal_page("Info Sekolah", f"<h2>Info</h2>{_portal_cards(notice_items[:3])}{form}"))
    server.add("/portal/info", _portal_page("Info Sekolah", f"<h2>Info</h2>{_portal_cards(notice_items[3:])}"),
               form={"hal": "2"})
    for key, name in PORTAL_CATEGORIES.items():
        chosen = [(p, post) for p, post in news.items() if name in post.categories]
        server.add(f"/portal/kategori.php?id={key}", _portal_page(f"Arsip Kategori: {name} | SMK Negeri 1",
                                                                  f"<h2>Arsip</h2>{_portal_cards(chosen)}"))
    server.add("/portal/agenda", _portal_page("Agenda", "<h2>Agenda</h2><table><tr><td>12 Mei 2025</td><td>Rapat "
                                              "komite sekolah</td></tr><tr><td>2 Juni 2025</td><td>Ujian akhir "
                                              "semester</td></tr></table>"))
    server.add("/portal/tentang.php", _portal_page("Tentang Kami", "<h2>Tentang Kami</h2><p>" + SENTENCES[1] * 2))
    return {**news, **notices}
