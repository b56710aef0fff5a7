"""Datasette plugin loaded by `newscrawl browse` (--plugins-dir).

- Links: ids and titles in canned-query results and in newscrawl's views link to their rows.
  Datasette links foreign keys on table pages only; a canned query's ``article_id`` or ``title``
  and a view's ``source_id`` were plain text. Which column points where is fixed by newscrawl's
  schema (docs/schema.md); a title links to the row of the id column beside it.
- Forgiving search: the tables whose search box promises FTS5 syntax (``searchmode: raw`` in
  metadata.yml: ``rust OR engie``, ``NEAR(a b)``, ``electri*``) would answer ordinary words that
  are not FTS5 syntax (``l'etat``, ``prix-electricite``) with an "Invalid SQL" page. Such a
  search is run as plain words instead (``_searchmode=escaped``), as Datasette's default does.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

# column -> table its integer value is the id of
ID_COLUMNS = {
    "article_id": "articles", "source_id": "articles", "target_id": "articles",
    "comment_id": "comments", "parent_id": "comments", "root_id": "comments",
    "link_id": "related_links",
}  # fmt: skip
# title column -> the id column whose row it names
TITLE_COLUMNS = {
    "title": "article_id", "article_title": "article_id",
    "source_title": "source_id", "target_title": "target_id",
}  # fmt: skip
VIEWS = {"article_overview", "comment_threads", "link_graph"}


def _id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A link for an id or title cell of a canned query (table None) or a newscrawl view."""
    if (table is not None and table not in VIEWS) or value in (None, ""):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column in ID_COLUMNS and (row_id := _id(value)) is not None:
        target = ID_COLUMNS[column]
    elif column in TITLE_COLUMNS and TITLE_COLUMNS[column] in keys:
        row_id = _id(row[TITLE_COLUMNS[column]])
        target = ID_COLUMNS[TITLE_COLUMNS[column]]
        if row_id is None:
            return None
    else:
        return None
    url = datasette.urls.row(database, target, str(row_id))
    return Markup(f'<a href="{escape(url)}">{escape(str(value))}</a>')


def is_fts5_query(text: str) -> bool:
    """Whether SQLite's FTS5 parser accepts `text` as a MATCH expression."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("create virtual table probe using fts5(body)")
        conn.execute("select * from probe where probe match ?", (text,)).fetchall()
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def forgiving_query_string(query_string: bytes) -> bytes:
    """The query string, with ``_searchmode=escaped`` added when its ``_search`` is not FTS5."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = {name for name, _ in pairs}
    search = next((value for name, value in pairs if name == "_search"), None)
    if not search or "_searchmode" in names or is_fts5_query(search):
        return query_string
    return urlencode([*pairs, ("_searchmode", "escaped")]).encode("latin-1")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def forgiving_search(scope, receive, send):
            if scope.get("type") == "http" and b"_search=" in scope.get("query_string", b""):
                scope = {**scope, "query_string": forgiving_query_string(scope["query_string"])}
            await app(scope, receive, send)

        return forgiving_search

    return wrap
