"""newscrawl: crawl tech-news sites into a research-grade SQLite database.

Three kinds of data per article page are kept apart: the article itself, the labelled
related-link blocks around it, and its threaded reader comments.
"""

__version__ = "0.1.0"
