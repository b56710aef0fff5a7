"""The spider loader (``SPIDER_LOADER_CLASS``): the project's spiders plus one per profile.

Scrapy's loader finds the spider classes written in ``SPIDER_MODULES`` (`article`, `generic`);
this one adds a `ProfileSpider` subclass for every profile of every sites folder
(`newscrawl.profiles.profile_dirs`), so a new TOML file is a new spider with no Python and no
module-level class generation.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from ..profiles import ProfileError, load_profiles
from .sites import spider_class


class ProfileSpiderLoader(SpiderLoader):
    """SpiderLoader that also builds one spider per site profile."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        for profile in load_profiles().values():
            if profile.name in self._spiders:
                raise ProfileError(
                    f"{profile.path}: key 'name': {profile.name!r} is the name of a built-in spider"
                )
            cls = spider_class(profile)
            self._found[cls.name].append((str(profile.path), cls.__name__))
            self._spiders[cls.name] = cls
