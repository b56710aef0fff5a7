"""Item pipelines, each doing one thing, in this order (see settings.ITEM_PIPELINES):

normalise (100) → validate (200) → deduplicate within the run (300) → store in SQLite (900).
"""

from .dedupe import DeduplicatePipeline
from .normalize import NormalizePipeline
from .store import SQLiteStorePipeline
from .validate import ValidatePipeline

__all__ = ["DeduplicatePipeline", "NormalizePipeline", "SQLiteStorePipeline", "ValidatePipeline"]
