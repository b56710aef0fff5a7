"""Scrapy commands added by newscrawl (COMMANDS_MODULE): `scrapy extract FILE_OR_URL`."""
