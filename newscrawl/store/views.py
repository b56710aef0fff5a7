"""Read-only views that answer researchers' usual questions without hand-written joins.

Views hold no data, so they are not a migration: `ensure_views` (re)creates each one whenever a
writable Store opens, and only touches the database when a definition differs from the stored
one, so a crawl opening the store does not take a write lock for nothing. docs/schema.md describes
every column.
"""

from __future__ import annotations

import sqlite3

ARTICLE_OVERVIEW = """
CREATE VIEW article_overview AS
select
  a.id as article_id,
  a.site_id,
  s.name as site,
  a.title,
  a.canonical_url,
  a.published,
  substr(a.published, 1, 7) as month,
  a.modified,
  a.first_seen,
  a.last_seen,
  a.language,
  a.section,
  a.word_count,
  (select count(*) from comments c where c.article_id = a.id) as comment_count,
  (select count(*) from related_links r where r.article_id = a.id) as related_link_count,
  (select count(*) from related_links r where r.url_key = a.url_key) as inbound_link_count,
  a.version_count
from articles a
left join sites s on s.id = a.site_id
"""

# A comment's parent is the comment of the same article whose site id is its `parent_site_id`.
# The root test looks the parent up by `comment_key` ('id:' + site id, see store.db.comment_key):
# that hits the unique (article_id, comment_key) index, about 5x faster than site_comment_id.
# Comments whose parent is not stored (deleted upstream, or on another page) start a thread of
# their own, so every comment appears exactly once. `thread_path` sorts a whole article into
# reading order: each level adds its page position, zero-padded so text order is thread order.
COMMENT_THREADS = """
CREATE VIEW comment_threads AS
with recursive thread(comment_id, article_id, site_comment_id, parent_id, root_id, depth,
                      thread_path) as (
  select c.id, c.article_id, c.site_comment_id, null, c.id, 0,
         printf('%06d.%010d', coalesce(c.position, 0), c.id)
  from comments c
  where c.parent_site_id is null
     or not exists (select 1 from comments p
                    where p.article_id = c.article_id and p.comment_key = 'id:' || c.parent_site_id
                      and p.id != c.id)
  union all
  select c.id, c.article_id, c.site_comment_id, t.comment_id, t.root_id, t.depth + 1,
         t.thread_path || '/' || printf('%06d.%010d', coalesce(c.position, 0), c.id)
  from thread t
  join comments c on c.article_id = t.article_id and c.parent_site_id = t.site_comment_id
  where t.site_comment_id is not null and c.id != t.comment_id and t.depth < 200
)
select
  t.comment_id,
  t.article_id,
  t.parent_id,
  t.root_id,
  t.depth,
  t.thread_path,
  c.position,
  c.site_comment_id,
  c.parent_site_id,
  c.author,
  c.published,
  c.text,
  c.score,
  c.source,
  c.first_seen,
  c.last_seen,
  c.edited_at,
  c.removed_at
from thread t
join comments c on c.id = t.comment_id
"""

# Every related link, with the stored article it points to when there is one (matched on the
# same normalised `url_key` articles use), so links to pages not crawled keep a null target.
LINK_GRAPH = """
CREATE VIEW link_graph AS
select
  r.id as link_id,
  r.article_id as source_id,
  src.title as source_title,
  ss.name as source_site,
  t.id as target_id,
  t.title as target_title,
  ts.name as target_site,
  r.url as target_url,
  r.url_key as target_url_key,
  r.block_label,
  r.block_kind,
  r.block_position,
  r.position,
  r.text,
  r.same_site,
  r.first_seen,
  r.last_seen
from related_links r
join articles src on src.id = r.article_id
left join sites ss on ss.id = src.site_id
left join articles t on t.url_key = r.url_key
left join sites ts on ts.id = t.site_id
"""

VIEWS: dict[str, str] = {
    "article_overview": ARTICLE_OVERVIEW.strip(),
    "comment_threads": COMMENT_THREADS.strip(),
    "link_graph": LINK_GRAPH.strip(),
}  # written as SQLite stores them (it upper-cases "CREATE VIEW"), so unchanged ones compare equal


def ensure_views(conn: sqlite3.Connection) -> list[str]:
    """Create missing views and replace changed ones, in one transaction; return their names."""
    stored = dict(
        conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall()
    )
    changed = [name for name, sql in VIEWS.items() if stored.get(name) != sql]
    if not changed:
        return []
    if conn.in_transaction:
        conn.commit()
    conn.execute("begin immediate")  # DDL would otherwise autocommit statement by statement
    try:
        for name in changed:
            conn.execute(f"drop view if exists {name}")
            conn.execute(VIEWS[name])
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return changed
