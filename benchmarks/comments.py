"""Reader-comment figures on the shared corpus: `python benchmarks/comments.py [CORPUS]`.

Prints, for the trafilatura set's pages with `comments` gold: snippets found in our comment
texts (all, and of those present in the page's visible text: the rest load with JavaScript),
snippets leaked into the article body, and the pages that miss any. Scoring uses
`newscrawl.evaluation` (the corpus README's metric).
"""

from __future__ import annotations

import sys
from pathlib import Path

import lxml.html

from newscrawl import evaluation as ev
from newscrawl.extract import extract_page

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def visible_text(html: str) -> str:
    """The page's text without scripts and styles (what any HTML extractor could find)."""
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return ""
    for node in tree.xpath("//script | //style"):
        node.drop_tree()
    return ev.collapse_ws(tree.text_content())


def main(corpus: Path) -> None:
    found = total = present = found_present = leaked = 0
    for page in ev.load_trafilatura(corpus):
        if not page.comment_snippets:
            continue
        result = extract_page(page.html, page.url, False).to_dict()
        texts = ev.comment_texts(result)
        text = visible_text(page.html)
        here = [s for s in page.comment_snippets if s.strip() and ev.collapse_ws(s) in text]
        f, t = ev.comment_snippets_found(texts, page.comment_snippets)
        fp, _ = ev.comment_snippets_found(texts, here)
        leak, _ = ev.comment_snippets_found(ev.body_text(result), page.comment_snippets)
        found, total, found_present, present = (
            found + f,
            total + t,
            found_present + fp,
            present + len(here),
        )
        leaked += leak
        if fp < len(here) or leak:
            print(f"  {fp}/{len(here)} found, {leak} leaked: {page.id}")
    print(f"comment snippets found: {found}/{total} = {found / total:.3f}")
    print(
        f"of those in the visible HTML: {found_present}/{present} = {found_present / present:.3f}"
    )
    print(f"comment snippets leaked into bodies: {leaked}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS)
