"""Charset choice on hand-written byte strings: lying declarations, BOMs, UTF-8 pages with stray bytes."""

from scraper.extract.decode import decode_html

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
