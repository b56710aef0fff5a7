"""Scrapy settings for newscrawl: polite by default, every newscrawl option in one place.

Loosen the politeness settings only for sites you own or may crawl faster, e.g.
``scrapy crawl generic -a start_url=... -s AUTOTHROTTLE_ENABLED=False -s DOWNLOAD_DELAY=0``.
"""

import os

from newscrawl import __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# --- Politeness ---------------------------------------------------------------------------
USER_AGENT = (
    f"newscrawl/{__version__} (research news crawler; +https://pypi.org/project/newscrawl/)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Scrapy 2.19 opens a code-running localhost port by default; an unattended crawler must not.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Bad input: bounded, retried, logged, counted -----------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bigger bodies are cancelled (stats: download maxsize)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NEWSCRAWL_RETRY_AFTER_MAX = 300  # seconds: longer Retry-After answers are given up on
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.RetryAfterMiddleware": 550,
}
SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.FailureReportMiddleware": 10,
    "newscrawl.incremental.IncrementalMiddleware": 950,  # closest to the spider: see its doc
}
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.mirror.MirrorDownloadHandler",
    "https": "newscrawl.mirror.MirrorDownloadHandler",
}

# --- Items and storage ----------------------------------------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.NormalizePipeline": 100,
    "newscrawl.pipelines.ValidatePipeline": 200,
    "newscrawl.pipelines.DeduplicatePipeline": 300,
    "newscrawl.pipelines.SQLiteStorePipeline": 900,
}
NEWSCRAWL_DB = os.environ.get("NEWSCRAWL_DB", "data/news.db")

# `scrapy check` (contracts in newscrawl/contracts.py) reads the bundled sample pages offline;
# the store pipeline and the incremental middleware switch themselves off under it.
SPIDER_CONTRACTS = {"newscrawl.contracts.SampleArticleContract": 10}
NEWSCRAWL_DB_BUSY_TIMEOUT = 5.0  # seconds one write attempt waits for another process's lock
NEWSCRAWL_DB_RETRIES = 6  # attempts after the first (pauses growing to 5 s): then the spool
NEWSCRAWL_SPOOL = ""  # pages that could not be stored go here (default: <NEWSCRAWL_DB>-spool.jsonl)
NEWSCRAWL_MIRRORS = os.environ.get(
    "NEWSCRAWL_MIRRORS", ""
)  # {"https://site": "http://127.0.0.1:8000"}
NEWSCRAWL_MAX_COMMENT_PAGES = 50  # comment pages (HTML or API) read for one article's thread
NEWSCRAWL_DISCOVER_COMMENT_API = (
    True  # read WordPress REST comments of pages that load them with JS
)

# --- Incremental runs (newscrawl/incremental.py, docs/scheduling.md) -----------------------------
# Known articles get conditional requests (304 → nothing rewritten) and are skipped until due.
# A profile's [revisit] table overrides the three policy numbers for its site.
NEWSCRAWL_INCREMENTAL = True  # False: fetch every discovered page in full (a full re-crawl)
NEWSCRAWL_REVISIT_RECENT_DAYS = 7.0  # articles published less than this long ago are "recent"
NEWSCRAWL_REVISIT_RECENT_HOURS = 0.0  # recent articles are due again after this (0: every run)
NEWSCRAWL_REVISIT_OLDER_DAYS = 30.0  # older articles are due again after this many days
NEWSCRAWL_REVISIT_LIMIT = 0  # at most this many due known articles asked for per run (0: all)

# --- Distributed mode (newscrawl/distributed.py, docs/scaling.md) --------------------------------
# Off unless set: workers with the same URL share one crawl (scrapy-redis); 127.0.0.1 only.
NEWSCRAWL_REDIS_URL = os.environ.get("NEWSCRAWL_REDIS_URL", "")  # redis://127.0.0.1:6379/0
NEWSCRAWL_REDIS_KEY = "newscrawl:%(spider)s"  # prefix of a crawl's keys (requests, dupefilter)
NEWSCRAWL_REDIS_IDLE_SECONDS = 5.0  # a worker closes once the whole crawl was idle this long
NEWSCRAWL_REDIS_WORKER_TIMEOUT = 60.0  # a worker without a heartbeat this long is dead (killed)
NEWSCRAWL_REDIS_ALLOW_REMOTE = False  # True: accept a Redis not on 127.0.0.1 (see the docs)
# Workers on several machines: items go to a Redis stream that `newscrawl store --from-redis`
# (the only SQLite writer) stores; workers read the incremental ledger from Redis, never the DB.
NEWSCRAWL_REDIS_STORE = False
NEWSCRAWL_REDIS_STREAM = "newscrawl:items"  # the item stream (and prefix of its group and epoch)
NEWSCRAWL_REDIS_STATE_KEY = "newscrawl:state"  # prefix of the ledger copy the writer keeps
ADDONS = {"newscrawl.distributed.DistributedAddon": 0}  # does nothing without the URL
FEED_EXPORT_ENCODING = "utf-8"
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 0

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
