"""`scrapy check`: Scrapy's contract runner, telling newscrawl's components through the
``NEWSCRAWL_CHECK`` setting (not an environment variable) that nothing is to be written and no
fetch state read."""

from __future__ import annotations

import argparse

from scrapy.commands.check import Command as ScrapyCheckCommand


class Command(ScrapyCheckCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Above settings.py's default (project priority), as Scrapy sets ITEM_PIPELINES here.
        self.settings.set("NEWSCRAWL_CHECK", True, priority="cmdline")
