"""The spider loader (``SPIDER_LOADER_CLASS``): the project's spiders plus one per profile.

Scrapy's loader finds the spider classes written in ``SPIDER_MODULES`` (`article`, `generic`);
this one adds a `ProfileSpider` subclass for every profile of every sites folder
(`newscrawl.profiles.profile_dirs`), so a new TOML file is a new spider with no Python and no
module-level class generation.
"""

from __future__ import annotations

import logging

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from ..profiles import load_profiles, profile_errors
from .sites import spider_class

logger = logging.getLogger(__name__)


class ProfileSpiderLoader(SpiderLoader):
    """SpiderLoader that also builds one spider per site profile. A malformed profile file
    gets a warning naming the file and the key, and no spider: the other profiles' spiders
    work as before (``scrapy crawl`` of the broken one says what is wrong: `preflight`)."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        for error in profile_errors():
            logger.warning("Site profile skipped: %s", error)
        for profile in load_profiles().values():
            if profile.name in self._spiders:
                logger.warning(
                    "Site profile skipped: %s: key 'name': %r is the name of a built-in spider",
                    profile.path,
                    profile.name,
                )
                continue
            cls = spider_class(profile)
            self._found[cls.name].append((str(profile.path), cls.__name__))
            self._spiders[cls.name] = cls
