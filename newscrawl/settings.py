"""Scrapy settings for newscrawl: polite by default.

newscrawl's own ``NEWSCRAWL_*`` settings are defined once, in `newscrawl.config` (name, default,
type, help; the table is docs/settings.md); this module only takes their defaults from there.
Loosen the politeness settings only for sites you own or may crawl faster, e.g.
``scrapy crawl generic -a start_url=... -s AUTOTHROTTLE_ENABLED=False -s DOWNLOAD_DELAY=0``.
"""

from newscrawl import __version__
from newscrawl.config import scrapy_defaults

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# The spiders of SPIDER_MODULES plus one per site profile (newscrawl/spiders/loader.py).
SPIDER_LOADER_CLASS = "newscrawl.spiders.loader.ProfileSpiderLoader"
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
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's robots.txt middleware, also honouring Crawl-delay and Request-rate per host
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.robots.PoliteRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.RetryAfterMiddleware": 550,
    # `scrapy check`: the contract's request for a sample page is answered from the saved file.
    "newscrawl.contracts.SampleFileMiddleware": 50,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.LoopSafeRedirectMiddleware": 600,  # loops: newscrawl/failed/redirect_loop
    # Every response as it came off the wire (above redirects, retries and decompression):
    # newscrawl/warc/middleware.py. 45: answers reextract/import-warc requests from the archive.
    "newscrawl.warc.middleware.WarcArchiveMiddleware": 650,
    "newscrawl.warc.middleware.ArchivedResponseMiddleware": 45,
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

# `scrapy check` (contracts in newscrawl/contracts.py) reads the bundled sample pages offline;
# newscrawl's check command sets NEWSCRAWL_CHECK, and the store pipeline and the incremental
# middleware switch themselves off under it.
SPIDER_CONTRACTS = {"newscrawl.contracts.SampleArticleContract": 10}

# --- Runs a scheduler can trust (newscrawl/runs.py, docs/scheduling.md) ------------------------
# One summary line per crawl and its exit status; the progress file `newscrawl crawl` reads.
EXTENSIONS = {
    "newscrawl.runs.RunReport": 500,
    "newscrawl.progress.ProgressFile": 510,
    "newscrawl.middlewares.DownloadSizeMonitor": 0,  # chunked bodies over maxsize
}

# --- newscrawl's own settings: defaults from the registry (newscrawl/config.py) ----------------
# Distributed mode (newscrawl/distributed.py, docs/scaling.md) is off unless NEWSCRAWL_REDIS_URL
# is set: workers with the same URL share one crawl (scrapy-redis); 127.0.0.1 only.
globals().update(scrapy_defaults())
ADDONS = {"newscrawl.distributed.DistributedAddon": 0}  # does nothing without the URL
FEED_EXPORT_ENCODING = "utf-8"
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 0

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
