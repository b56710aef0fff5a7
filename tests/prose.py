"""Story text for the small fixture pages: paragraphs long enough for any extractor to read
as the article's prose, so what a test is about (blocks, links) stands apart from it."""

from __future__ import annotations


def story_paragraphs(subject: str, sentence: str, count: int = 8) -> str:
    """`count` ``<p>`` paragraphs about `subject`, each ending with `sentence`."""
    return "".join(
        f"<p>Paragraph {i} of the {subject} story, with enough words in it to read as prose. "
        f"{sentence}</p>"
        for i in range(count)
    )
