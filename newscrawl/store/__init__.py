"""The SQLite store: schema, migrations and deduplicating upserts (see docs/schema.md)."""

from .db import Store, open_store, resolve_db_path
from .schema import SCHEMA_VERSION, migrate

__all__ = ["SCHEMA_VERSION", "Store", "migrate", "open_store", "resolve_db_path"]
