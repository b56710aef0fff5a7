"""`scrapy crawl`, with an exit status that tells a run that lost pages from a good one.

Scrapy's own command exits 1 only when the crawl could not start. Here a run whose pages could
not all be stored (they went to the spool: stat ``newscrawl/store/failed``, see
newscrawl.store.pages) exits with `STORE_FAILED`, so cron and systemd notice.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

STORE_FAILED = 3


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider: scrapy crawl SPIDER")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats and crawler.stats.get_value("newscrawl/store/failed"):
            self.exitcode = STORE_FAILED
