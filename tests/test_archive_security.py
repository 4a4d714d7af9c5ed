"""Storage and search against hostile input: SQL built only from the code's own names, visitor text escaped for
FTS5, filters validated, Datasette read-only with time limits and page HTML never rendered (SECURITY.md)."""

from __future__ import annotations

import ast
import asyncio
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
from archive_samples import make_article
from browse_sample import BJM, make_sample_archive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.datasette_plugin import stem_query
from archive.db import open_archive
from archive.errors import ArchiveUserError
from archive.search import search
from archive.serve import SETTINGS, build_datasette
from archive.store import save_articles

REPO = Path(__file__).resolve().parents[1]
SQL_CALLS = {"execute", "executemany", "executescript", "iter_rows"}
# Local names the code formats into SQL text, each reviewed: all hold column/table names or clauses built from the
# code's own constants, never a value from a page, a file or a visitor (those go in as `?` parameters).
REVIEWED_NAMES = {
    "names", "updates", "name",          # crawl_state/store: column names picked from URL_COLUMNS, _UPDATE_COLUMNS
    "where",                             # exchange: " WHERE " + the Filters.where() conditions
    "fts_table", "join", "candidates",   # search: one of two FTS table names, a JOIN and subquery built on them
    "clauses", "clause",                 # exchange, search: Filters.where() conditions (values as parameters)
    "version",                           # db: the integer schema version (PRAGMA takes no parameters)
    "matching", "registered",            # stats: " AND "-joined Filters.where() conditions on articles / sites
    "marks",                             # capture: "?, ?, ?" placeholders for an IN list (values as parameters)
    "table",                             # plugin counts: a table name read from sqlite_master, in [brackets]
    "story",                             # search: a constant column expression (--collapse-stories)
    "chosen", "fields", "width",         # panel: a subquery on Filters.where(), IDENTITY's columns, 7 or 4
    "page_sql",                          # facet pass: Datasette's own SQL of the table page (values as parameters)
}
HOSTILE_BODY = ('Siswa berkunjung.</textarea><script>alert("body")</script><img src=x onerror=alert(2)>'
                '<a href="javascript:alert(3)">klik</a> lomba robotik')


def sql_names(path: Path) -> set[str]:
    """Every variable name formatted into the SQL text of an execute-like call in `path` (following the names
    the SQL text was assigned to)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    found: set[str] = set()
    for call in ast.walk(tree):
        name = getattr(call, "func", None)
        name = getattr(name, "attr", getattr(name, "id", ""))
        if not (isinstance(call, ast.Call) and name in SQL_CALLS and call.args):
            continue
        todo, seen = [call.args[1] if name == "iter_rows" else call.args[0]], set()
        while todo:
            sql = todo.pop()
            for node in ast.walk(sql):
                if isinstance(node, ast.Name) and node.id not in seen:
                    seen.add(node.id)
                    todo.extend(assigned.get(node.id, []))
                if isinstance(node, ast.FormattedValue):
                    found |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
    return found


def test_sql_text_interpolates_only_constants_and_reviewed_names() -> None:
    modules = sorted(p for folder in ("archive", "scraper") for p in (REPO / folder).rglob("*.py"))
    unreviewed = {str(p.relative_to(REPO)): sorted(names) for p in modules
                  if (names := {n for n in sql_names(p) if not n.isupper() and n not in REVIEWED_NAMES | {"_", "len"}})}
    assert unreviewed == {}
    assert "fts_table" in sql_names(REPO / "archive" / "search.py")        # the audit does see through names


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_sample_archive(tmp_path_factory.mktemp("hostile-archive") / "archive.db")
    db = open_archive(path)
    url = f"https://{BJM}/read/200/robotik"
    result = save_articles(db, [make_article(url=url, site=BJM, title="Lomba Robotik <i>Regional</i>",
                                             body=HOSTILE_BODY, source_url=url, published="2025-05-01")])
    assert result.new == 1, result.errors
    db.close()
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60) | st.lists(st.sampled_from(['"', "*", "(", ")", "NEAR", "OR", "AND", "NOT", ":", "^",
                                                        "-", "+", "{", "}", "'", "lomba", "title", "\x00"]))
       .map(" ".join))
def test_any_search_text_is_a_result_or_a_one_line_user_error(archive_path: Path, text: str) -> None:
    db = open_archive(archive_path)
    try:
        search(db, text)
    except ArchiveUserError as error:
        assert "\n" not in str(error)
    finally:
        db.close()


def test_filter_values_are_parameters_not_sql(archive_path: Path) -> None:
    db = open_archive(archive_path)
    try:
        assert search(db, "lomba", site="x' OR '1'='1") == []
        assert search(db, "lomba", category="') OR 1=1 --") == []
        with pytest.raises(ArchiveUserError, match="--since"):
            search(db, "lomba", since="2024-01-01' OR '1'='1")
    finally:
        db.close()
    with sqlite3.connect(archive_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


@pytest.fixture(scope="module")
def ds(archive_path: Path):
    return build_datasette(archive_path)


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


@pytest.mark.parametrize("path", [
    "/archive/articles?_search=robotik",
    "/archive/articles/{key}",
    "/archive/search_schools?" + urlencode({"term": "robotik", "since": "", "until": ""}),
])
def test_page_html_is_never_rendered(ds, archive_path: Path, path: str) -> None:
    from datasette.utils import tilde_encode

    response = get(ds, path.format(key=tilde_encode(f"https://{BJM}/read/200/robotik")))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "robotik" in text.lower()
    for raw in ("<script>alert", "<img src=x", 'href="javascript:', "<i>Regional</i>", "</textarea><script>"):
        assert raw not in text


@pytest.mark.parametrize("sql", [
    "UPDATE articles SET title = 'dirusak'", "DELETE FROM articles", "DROP TABLE articles",
    "ATTACH DATABASE '/tmp/x.db' AS x", "PRAGMA writable_schema = 1",
    "INSERT INTO articles (url, site, title, body, source_url) VALUES ('a', 'b', 'c', 'd', 'e')",
])
def test_arbitrary_sql_cannot_write(ds, archive_path: Path, sql: str) -> None:
    response = get(ds, "/archive?" + urlencode({"sql": sql}))
    assert response.status_code in (400, 403)
    with sqlite3.connect(archive_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE title = 'dirusak'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_a_runaway_query_is_stopped_by_the_time_limit(ds) -> None:
    assert ds.setting("sql_time_limit_ms") == SETTINGS["sql_time_limit_ms"] <= 5000
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    response = get(ds, "/archive.json?" + urlencode({"sql": endless, "_timelimit": 200}))
    assert response.status_code == 400 and "too long" in response.text.lower()


@pytest.mark.parametrize("text", ['" OR 1', "NEAR(a b)", "title:x", "*", '"unbalanced', "a AND", ") (", "\x00"])
def test_canned_search_escapes_visitor_text(ds, text: str) -> None:
    assert stem_query(text).count('"') % 2 == 0
    response = get(ds, "/archive/search_schools.json?" + urlencode({"term": text, "since": "", "until": ""}))
    assert response.status_code == 200, response.text[:300]
