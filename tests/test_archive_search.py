"""Search: Indonesian morphology over the real corpus, phrases, prefixes, filters and malformed queries."""

from __future__ import annotations

import re
import sqlite3

import pytest
from archive_samples import corpus_articles, make_article
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.db import open_archive
from archive.errors import ArchiveUserError
from archive.search import parse_query, search, to_fts
from archive.stemming import WORD_RE, words_of
from archive.store import save_articles

# Each family: the query a researcher types, and a regex over the surface forms of every word with that stem
# (nasal prefixes drop the stem's first letter: pe+tanda → penanda, meng+kunjung → mengunjung).
WORD_FAMILIES = {
    "penandatanganan": r"\b\w*[tn]anda\s*-?tangan\w*",
    "pembelajaran": r"\b(?:ajar|belajar|pelajar|pembelajaran|mempelajari|dipelajari|mengajar|diajar|pengajar"
                    r"|terpelajar)\w*",
    "perlombaan": r"\b(?:ber|per|di|me)?lomba\w*",
    "pelatihan": r"\b(?:me|di|pe|ber|ter)?latih\w*",
    "kunjungan": r"\b(?:ber|di)?kunjung\w*|\b(?:meng|peng)unjung\w*",
}
MIN_RECALL = MIN_PRECISION = 0.9


@pytest.fixture(scope="module")
def corpus_archive(corpus, tmp_path_factory):
    articles = corpus_articles(corpus)
    db = open_archive(tmp_path_factory.mktemp("corpus") / "corpus.db")
    assert save_articles(db, articles).new == len(articles)
    return db, articles


@pytest.mark.parametrize("query", WORD_FAMILIES)
def test_each_word_family_is_found_with_high_recall_and_precision(corpus_archive, query):
    db, articles = corpus_archive
    family = re.compile(WORD_FAMILIES[query], re.IGNORECASE)
    relevant = {article["url"] for article in articles if family.search(f"{article['title']}\n{article['body']}")}
    found = {row["url"] for row in search(db, query, limit=len(articles))}
    assert len(relevant) >= 2, "the corpus should hold several articles of each family"
    hits = len(relevant & found)
    assert hits / len(relevant) >= MIN_RECALL, f"recall {hits}/{len(relevant)}; missed {relevant - found}"
    assert hits / len(found) >= MIN_PRECISION, f"precision {hits}/{len(found)}; wrong {found - relevant}"


def test_exact_search_finds_only_the_word_as_written(corpus_archive):
    db, _ = corpus_archive
    exact = search(db, "penandatanganan", stem=False, limit=200)
    stemmed = search(db, "penandatanganan", limit=200)
    assert 0 < len(exact) < len(stemmed)
    assert all(re.search(r"\bpenandatanganan\b", row["title"] + row["body"], re.IGNORECASE) for row in exact)


@pytest.fixture
def small_archive(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [
        make_article(1, title="Penandatanganan MoU", body="SMK menjalin kerja sama dengan PT Maju.",
                     published="2024-03-01", categories=["Hubungan Industri"]),
        make_article(2, title="Lomba robot", body="Siswa berlomba. Sama-sama kerja keras.",
                     published="2025-05-20", site="smkn5bjm.sch.id", categories=["Prestasi"]),
        make_article(3, title="Perlombaan futsal", body="Tim kami menjadi juara perlombaan futsal.",
                     published=None, categories=["Prestasi"]),
    ])
    return db


def urls(results):
    return [row["url"].rsplit("=", 1)[1] for row in results]


def test_phrase_queries_match_words_in_order(small_archive):
    assert urls(search(small_archive, '"kerja sama"')) == ["1"]
    assert urls(search(small_archive, '"kerja sama"', stem=False)) == ["1"]
    assert urls(search(small_archive, '"kerjasama"')) == ["1"]  # the compound written as one word


def test_unquoted_compounds_are_searched_as_one_word(small_archive):
    # Article 2 has both words apart ("Sama-sama kerja keras"); article 1 has the compound.
    assert urls(search(small_archive, "kerja sama")) == ["1"]
    assert urls(search(small_archive, "menjalin kerja sama")) == ["1"]
    assert sorted(urls(search(small_archive, "kerja sama", stem=False))) == ["1", "2"]
    assert to_fts(parse_query("tanda tangan MoU"), stem=True) == '"tandatangan" AND "mou"'


def test_prefix_queries_match_as_typed_and_by_stem(small_archive):
    assert sorted(urls(search(small_archive, "lomb*", stem=False))) == ["2"]
    assert sorted(urls(search(small_archive, "perlomb*", stem=False))) == ["3"]
    assert sorted(urls(search(small_archive, "lomb*"))) == ["2", "3"]
    assert sorted(urls(search(small_archive, "siswa lomb*"))) == ["2"]
    assert sorted(urls(search(small_archive, "lomb* NOT futsal"))) == ["2"]


def test_operators_and_title_weighting(small_archive):
    assert sorted(urls(search(small_archive, "robot OR futsal"))) == ["2", "3"]
    assert urls(search(small_archive, "lomba NOT robot")) == ["3"]
    # Both mention the stem once in the title; the title match of "perlombaan" article 3 is also in its body.
    assert urls(search(small_archive, "lomba"))[0] in {"2", "3"}


def test_filters_are_exact(small_archive):
    assert urls(search(small_archive, "lomba", site="smkn5bjm.sch.id")) == ["2"]
    assert urls(search(small_archive, "lomba", category="Prestasi", since="2025-01-01")) == ["2"]
    assert urls(search(small_archive, "mou", until="2024-03-01")) == ["1"]
    assert search(small_archive, "lomba", category="prestasi") == []


def test_results_carry_fields_and_a_highlighted_snippet(small_archive):
    (result,) = search(small_archive, "menjalin")
    assert result["categories"] == ["Hubungan Industri"]
    assert result["published_date"] == "2024-03-01"
    assert "[menjalin]" in result["snippet"]


@pytest.mark.parametrize(("query", "message"), [
    ('"kerja sama', "unbalanced double quote"),
    ("AND", "no words to search for"),
    ("lomba AND AND robot", "AND needs a word on each side"),
    ("lomba OR", "OR needs a word on each side"),
    ("NOT lomba", "NOT needs a word on each side"),
    ("*", "'*' must follow a word prefix"),
    ("  ", "no words to search for"),
    ("(-:^)", "no words to search for"),
])
def test_malformed_queries_are_one_line_user_errors(small_archive, query, message):
    with pytest.raises(ArchiveUserError, match=re.escape(message)) as error:
        search(small_archive, query)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("query", ["title:lomba", "lomba^", "(robot", "lomba + robot", "NEAR(lomba robot)",
                                   "-robot", "robot's", "lomba and or robot"])
def test_fts_syntax_in_user_text_is_escaped_not_an_error(small_archive, query):
    search(small_archive, query)


def test_bad_filters_name_the_flag(small_archive):
    with pytest.raises(ArchiveUserError, match="--since: '2024-1-1' is not a date"):
        search(small_archive, "lomba", since="2024-1-1")
    with pytest.raises(ArchiveUserError, match="--until: '2024-02-30' is not a date"):
        search(small_archive, "lomba", until="2024-02-30")


def test_parse_query_keeps_phrases_and_prefixes():
    items = parse_query('"Kerja Sama" lomb* OR robot')
    assert [(item.words, item.prefix) if not isinstance(item, str) else item for item in items] == [
        (("kerja", "sama"), False), (("lomb",), True), "OR", (("robot",), False)]


QUERY_PIECES = st.sampled_from(['"', "*", "AND", "OR", "NOT", "(", ")", ":", "^", "-", "+", "lomba", "kerja sama",
                                "pelatih", "NEAR", "title", " ", "é", "1", "'", "{", "}"])


@settings(max_examples=300, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=8).map(" ".join) | st.text(max_size=30))
def test_any_text_is_a_valid_fts_query_or_a_user_error(text):
    fts = sqlite3.connect(":memory:")
    fts.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    try:
        items = parse_query(text)
    except ArchiveUserError:
        return
    for stem in (True, False):
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", [to_fts(items, stem=stem)]).fetchone()


TEXT_PIECES = st.sampled_from(["Lomba", "PKL", "2025", "Jum’at", "“kerja", "sama”", "—", "…", "\xa0", "_", "é",
                               "Σ", "İ", "-", ".", " ", "\n", "ß"])


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT_PIECES, max_size=12).map("".join) | st.text(max_size=40))
def test_fast_word_splitting_matches_the_regex_it_replaces(text):
    # The stemmed index and stemmed queries both go through words_of; archives built with the regex stay valid.
    assert words_of(text) == WORD_RE.findall(text.lower())
