"""One spider class per site profile, made by the spider loader (`newscrawl.spiders.loader`).

`scrapy list` shows them by profile name. A malformed profile file gets a warning naming the
file and the key, and no spider: the other profiles' spiders work as before. ``scrapy crawl``
of the broken one says what is wrong with its file (newscrawl/preflight.py).
"""

from __future__ import annotations

from ..profiles import SiteProfile
from .discovery import DiscoverySpider


class ProfileSpider(DiscoverySpider):
    """Crawls one profiled site: feeds, sitemaps, WordPress posts, start and listing pages,
    due revisits, then article links (see newscrawl.spiders.discovery)."""


def spider_class(profile: SiteProfile) -> type[ProfileSpider]:
    """The spider class of one profile, named after it (``larevuedudigital`` →
    ``LarevuedudigitalSpider``)."""
    words = profile.name.replace("-", "_").split("_")
    name = "".join(w.capitalize() for w in words if w) + "Spider"
    if not name[0].isalpha():
        name = "Site" + name
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
