"""One spider per site profile, generated from the TOML files at import time.

`scrapy list` shows them by profile name. A malformed profile file gets a warning naming the
file and the key, and no spider: the other profiles' spiders work as before. ``scrapy crawl``
of the broken one says what is wrong with its file (newscrawl/preflight.py).
"""

from __future__ import annotations

import logging

from ..profiles import SiteProfile, load_profiles, profile_errors
from .discovery import DiscoverySpider

logger = logging.getLogger(__name__)


class ProfileSpider(DiscoverySpider):
    """Crawls one profiled site: feeds, sitemaps, WordPress posts, start and listing pages,
    due revisits, then article links (see newscrawl.spiders.discovery)."""


def _spider_class(profile: SiteProfile) -> type[ProfileSpider]:
    name = (
        "".join(part.capitalize() for part in profile.name.replace("-", "_").split("_")) + "Spider"
    )
    return type(
        name,
        (ProfileSpider,),
        {
            "name": profile.name,
            "profile": profile,
            "allowed_domains": list(profile.domains),
            "__module__": __name__,
            "__doc__": f"Spider for {profile.title or profile.name} (profile {profile.path.name}).",
        },
    )


for _profile in load_profiles().values():
    _cls = _spider_class(_profile)
    globals()[_cls.__name__] = _cls
globals().pop("_profile", None)  # keep each class under one module name only (Scrapy lists
globals().pop("_cls", None)  # module globals); pop, not del: there may be no profile at all
for _error in profile_errors():
    logger.warning("Site profile skipped: %s", _error)
globals().pop("_error", None)
