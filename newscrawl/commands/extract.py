"""`scrapy extract FILE_OR_URL [--url URL] [--profile NAME]`: the extraction as JSON."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "FILE_OR_URL [--url URL] [--profile NAME]"

    def short_desc(self) -> str:
        return "Print newscrawl's extraction (article, related blocks, comments) as JSON"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the page's URL, when extracting a saved file")
        parser.add_argument(
            "--profile", help="site profile name (default: chosen by the URL's host)"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.cli import main

        if len(args) != 1:
            raise SystemExit(f"usage: scrapy extract {self.syntax()}")
        argv = ["extract", args[0]]
        if opts.url:
            argv += ["--url", opts.url]
        if opts.profile:
            argv += ["--profile", opts.profile]
        self.exitcode = main(argv)
