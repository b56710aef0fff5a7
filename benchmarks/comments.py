"""Reader-comment figures on the shared corpus: `python benchmarks/comments.py [CORPUS]`.

For the trafilatura set's pages with `comments` gold it prints three figures, all pooled over
pages and matched after collapsing whitespace (`benchmarks.evaluation`, the corpus README's
metric):

- *found, all*: gold comment snippets contained in our comment texts, over all snippets;
- *found, present*: the same over the snippets *present* in the saved HTML, i.e. contained in
  the page's visible text (text nodes outside ``script``/``style``/``template``, whitespace
  collapsed, nodes joined as they run or with a space between them). The other snippets come
  with JavaScript (Disqus and the like) and no HTML extractor can find them;
- *leaked*: gold comment snippets contained in the article body; those that the page shows
  more than once (an article sentence a reader quotes) are counted apart, since the body
  rightly holds them.

Pages that miss a present snippet or leak one are listed first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lxml.html

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402
from newscrawl.extract import extract_page  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def visible_texts(html: str) -> tuple[str, str]:
    """The page's visible text, its nodes joined as they run and joined by spaces."""
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return "", ""
    for node in tree.xpath("//script | //style | //template"):
        node.drop_tree()
    nodes = [t for t in tree.itertext() if isinstance(t, str)]
    return ev.collapse_ws("".join(nodes)), ev.collapse_ws(" ".join(nodes))


def is_present(snippet: str, texts: tuple[str, str]) -> bool:
    """Whether a gold snippet is in the saved HTML's visible text (see the module docstring)."""
    wanted = ev.collapse_ws(snippet)
    return bool(wanted) and any(wanted in text for text in texts)


def main(corpus: Path) -> None:
    found = total = present = found_present = leaked = quoted = 0
    for page in ev.load_trafilatura(corpus):
        if not page.comment_snippets:
            continue
        result = extract_page(page.html, page.url, False).to_dict()
        comments = ev.comment_texts(result)
        body = ev.collapse_ws(ev.body_text(result))
        texts = visible_texts(page.html)
        here = [s for s in page.comment_snippets if is_present(s, texts)]
        f, t = ev.comment_snippets_found(comments, page.comment_snippets)
        fp, _ = ev.comment_snippets_found(comments, here)
        leaks = [s for s in page.comment_snippets if s.strip() and ev.collapse_ws(s) in body]
        twice = [s for s in leaks if texts[0].count(ev.collapse_ws(s)) > 1]
        found, total, found_present, present = (
            found + f,
            total + t,
            found_present + fp,
            present + len(here),
        )
        leaked, quoted = leaked + len(leaks), quoted + len(twice)
        if fp < len(here) or leaks:
            print(f"  {fp}/{len(here)} found, {len(leaks)} leaked ({len(twice)} quoted): {page.id}")
    print(f"comment snippets found: {found}/{total} = {found / total:.3f}")
    print(
        f"of those present in the HTML: {found_present}/{present} = {found_present / present:.3f}"
    )
    print(
        f"comment snippets in article bodies: {leaked} ({quoted} of them shown twice on the page)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS)
