"""Tools for people reading the database: Datasette browsing, per-site stats, Parquet export.

None of them write crawl data: they open the database read-only (browse may first bring an older
file's schema and views up to date, as any crawl would).
"""
