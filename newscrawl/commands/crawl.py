"""`scrapy crawl SPIDER`: Scrapy's command, with checks first and an exit status that says how
the crawl went.

Scrapy's own exits 0 whatever happened once the crawl started, and a bad argument or database
path ends in a traceback. This one refuses a crawl that cannot work in one line (exit 2, see
newscrawl/preflight.py), before Scrapy even logs its start-up banner, and exits with the run's
status from newscrawl/runs.py: 0 done, 3 start error, 4 no page answered, 5 every answer an
error, 6 database failure, 7 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from newscrawl.preflight import CrawlRefused, check_crawl
from newscrawl.runs import exit_status


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return (
            "Run a spider of the current project, by name. Exit status: 0 done, 2 usage error,"
            " 3 start error, 4 no page answered, 5 every answer an error, 6 database failure,"
            " 7 interrupted (docs/scheduling.md)."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's option handling, then the preflight checks (the crawler process, which logs
        Scrapy's banner, is only created after this)."""
        super().process_options(args, opts)
        if len(args) != 1:
            return  # run() raises Scrapy's usage error
        assert self.settings is not None
        try:
            check_crawl(get_spider_loader(self.settings), args[0], opts.spargs, self.settings)
        except CrawlRefused as refused:
            print(f"scrapy crawl {args[0]}: {refused}", file=sys.stderr)
            raise SystemExit(refused.exit_status) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage error
            return
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        self.exitcode = 1 if self.crawler_process.bootstrap_failed else exit_status(crawler)
