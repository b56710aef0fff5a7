"""The language a page is written in when it does not say so, guessed from its text.

One page in twenty declares no language (no `<html lang>`, `og:locale`, JSON-LD
`inLanguage`). Dates written in words on such a page were read by dateparser in every one of
its ~200 languages: seconds the first time (it builds each language's tables), milliseconds
a date after that. The page's language, guessed by py3langid (the identifier trafilatura
uses) from its title, headline and paragraphs, narrows that to two languages, and fills the
article's `language` field as well. A guess below `LANGUAGE_GUESS_MIN_CONFIDENCE`, or from
too little text, is no guess: the page keeps every language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from lxml.html import HtmlElement

from .thresholds import (
    LANGUAGE_GUESS_MIN_CHARS,
    LANGUAGE_GUESS_MIN_CONFIDENCE,
    LANGUAGE_GUESS_SAMPLE_CHARS,
)

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

_SAMPLE = "//title//text() | //h1//text() | //p//text()"


def guess_language(tree: HtmlElement) -> str | None:
    """The ISO 639-1 code of the language most of the page's running text is in, or None."""
    text = sample_text(tree)
    if len(text) < LANGUAGE_GUESS_MIN_CHARS:
        return None
    code, confidence = _identifier().classify(text)
    return code if confidence >= LANGUAGE_GUESS_MIN_CONFIDENCE else None


def sample_text(tree: HtmlElement) -> str:
    """The page's title, headline and paragraph text, whitespace collapsed, cut to
    `LANGUAGE_GUESS_SAMPLE_CHARS` (more text no longer changes the guess, only its cost)."""
    parts: list[str] = []
    size = 0
    for piece in tree.xpath(_SAMPLE):
        words = " ".join(piece.split())
        if words:
            parts.append(words)
            size += len(words) + 1
            if size >= LANGUAGE_GUESS_SAMPLE_CHARS:
                break
    return " ".join(parts)[:LANGUAGE_GUESS_SAMPLE_CHARS]


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's model with normalised probabilities, loaded once per process (~2 s, so
    only when a page without a declared language comes)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
