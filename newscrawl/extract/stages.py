"""Extraction stages run in isolation: one failing stage never costs the rest of the page.

Why: a page is worth keeping even when one extractor trips over it (a related block inside a
namespaced element, a comment area nested a thousand deep). `Stages.run` calls a stage, and on
an exception logs one warning naming the URL and the stage, records a `StageError` and returns
the stage's empty result; `extract_page` then goes on with the other stages. The crawler counts
the errors (``newscrawl/extract_errors/<stage>``) and keeps a page whose article stage failed
in ``page_failures``, to be extracted again later (``newscrawl reextract --failed``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from .result import StageError

logger = logging.getLogger("newscrawl.extract")
T = TypeVar("T")

# The stages, in the order `extract_page` runs them. "article" covers parsing and the body.
STAGES = ("article", "metadata", "comments", "related")


class Stages:
    """Runs the stages of one page; `isolate=False` lets exceptions through (tests, fuzzing)."""

    def __init__(self, url: str, isolate: bool = True) -> None:
        self.url = url
        self.isolate = isolate
        self.errors: list[StageError] = []

    def run(self, stage: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if not self.isolate:
            return call()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 (the point: any bug in a stage is contained)
            error = StageError(stage, type(exc).__name__, str(exc)[:500])
            self.errors.append(error)
            logger.warning(
                "Extraction stage %r failed on %s (%s: %s); the rest of the page is kept",
                stage, self.url, error.type, error.message,
            )  # fmt: skip
            return fallback()
