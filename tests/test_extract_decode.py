"""Charset choice on hand-written byte strings: lying declarations, BOMs, UTF-8 pages with stray bytes."""

import codecs

from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html, decode_html_source

TEXT = "Siswa meraih juara “Lomba Cerdas Cermat” – für Café Müller"


def _html(charset: str, body: bytes) -> bytes:
    return b'<html><head><meta charset="' + charset.encode() + b'"><title>Berita</title></head><body><p>' + body + \
        b"</p></body></html>"


def test_valid_utf8_wins_over_a_meta_that_names_a_single_byte_charset():
    for lie in ("windows-1252", "iso-8859-1", "ISO-8859-2"):
        assert TEXT in decode_html(_html(lie, TEXT.encode("utf-8")))


def test_valid_utf8_wins_over_a_header_that_names_windows_1252():
    assert TEXT in decode_html(_html("utf-8", TEXT.encode("utf-8")), "text/html; charset=windows-1252")


def test_a_true_windows_1252_declaration_still_decodes_as_windows_1252():
    assert TEXT in decode_html(_html("windows-1252", TEXT.encode("cp1252")))
    assert TEXT in decode_html(_html("utf-8", TEXT.encode("cp1252")))      # the declaration lies the other way


def test_a_utf8_page_with_a_few_stray_latin1_bytes_stays_utf8():
    body = TEXT.encode("utf-8") * 5 + b" Gr\xfc\xdfe aus M\xfcnchen"
    text = decode_html(_html("utf-8", body))
    assert TEXT in text and "Grüße aus München" in text and "Ã" not in text


def test_a_latin1_page_with_one_utf8_looking_pair_stays_windows_1252():
    body = "Gemüse, Käse, Brötchen für die Schüler".encode("cp1252") * 3 + "é".encode()
    assert "Gemüse, Käse, Brötchen für die Schüler" in decode_html(_html("iso-8859-1", body))


def test_bom_decides_before_any_declaration():
    assert TEXT in decode_html(b"\xef\xbb\xbf" + _html("windows-1252", TEXT.encode("utf-8")))
    assert decode_html("\ufeffé".encode("utf-16-le")) == "é"


def test_a_declared_utf16_page_without_bom_is_not_read_as_utf8():
    assert decode_html("<p>é</p>".encode("utf-16-le"), "text/html; charset=utf-16le") == "<p>é</p>"


def test_the_bytes_are_handed_on_only_when_they_are_the_texts_utf8():
    cases = [
        (_html("windows-1252", TEXT.encode("utf-8")), None, True),                  # valid UTF-8 beyond ASCII
        (_html("utf-8", b"Berita sekolah"), None, True),                           # ASCII, declared UTF-8
        (_html("iso-8859-2", b"Berita sekolah"), "text/html; charset=cp1252", True),  # ASCII, ASCII-safe codecs
        (b"<p>Berita sekolah</p>", None, True),                                     # ASCII, nothing declared
        (_html("windows-1252", TEXT.encode("cp1252")), None, False),               # decoded from cp1252
        (_html("utf-8", "Café ".encode() * 20 + b"\xe9t\xe9"), None, False),      # stray bytes read as cp1252
        (codecs.BOM_UTF8 + _html("utf-8", TEXT.encode()), None, False),            # the BOM is not in the text
        (_html("cp037", b"Berita sekolah"), None, False),                          # EBCDIC reads ASCII otherwise
    ]
    for content, header, handed_on in cases:
        text, utf8 = decode_html_source(content, header)
        assert text == decode_html(content, header)
        assert (utf8 is content) is handed_on, content[:60]
        if utf8 is not None:
            assert text.encode("utf-8") == utf8


def test_a_tree_parsed_from_the_handed_on_bytes_is_the_tree_of_the_text():
    content = _html("windows-1252", TEXT.encode("utf-8"))
    text, utf8 = decode_html_source(content)
    assert parse_bounded(text, utf8).html == parse_bounded(text).html
    assert TEXT in parse_bounded(text, utf8).body.text()


def test_markup_the_attribute_bound_changed_is_parsed_from_the_bounded_text_not_the_bytes():
    crowded = "<p " + " ".join(f"a{n}" for n in range(1_001)) + ">Café</p>"
    content = crowded.encode("utf-8")
    text, utf8 = decode_html_source(content)
    assert utf8 is content
    tree = parse_bounded(text, utf8)
    assert len(tree.css_first("p").attributes) == 1_000


def test_a_page_of_many_tags_is_parsed_from_the_bytes_and_a_too_deep_one_from_the_flattened_text():
    many = ("<html><body>" + "<p>Café</p>" * 3_500 + "</body></html>").encode("utf-8")
    text, utf8 = decode_html_source(many)
    assert utf8 is many and parse_bounded(text, utf8).html == parse_bounded(text).html
    deep = ("<html><body>" + "<div>" * 5_000 + "Café" + "</div>" * 5_000 + "</body></html>").encode("utf-8")
    text, utf8 = decode_html_source(deep)
    tree = parse_bounded(text, utf8)
    assert tree.html == parse_bounded(text).html
    assert len(tree.css("div")) < 5_000
