"""A WARC archive of every response the crawl reads (ISO 28500, written with warcio).

- `writer`: `WarcArchive`, request + response records, one gzip member each, in files rotated
  by size under ``<NEWSCRAWL_WARC_DIR>/<site>/``; files a killed writer left unfinished are
  repaired (their truncated last record cut) the next time the folder is written to.
- `reader`: read one record back from a (file, offset, length) pointer, or every response of
  any WARC file, skipping a truncated last record.
- `middleware`: the downloader middleware that archives each response before the spider (and
  so the store) sees it, and the one that answers requests from the archive (`reextract`).
"""

from .reader import ArchivedResponse, iter_responses, read_response, resolve_warc_path
from .writer import WarcArchive, WarcPointer, repair_file

__all__ = [
    "ArchivedResponse",
    "WarcArchive",
    "WarcPointer",
    "iter_responses",
    "read_response",
    "repair_file",
    "resolve_warc_path",
]
