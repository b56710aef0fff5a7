"""Mangled pages for robustness runs: every corpus page, and seeded broken versions of them.

Why: real crawls meet truncated downloads, flipped bytes, stripped or shuffled markup and the
odd shapes listed in issue 14 (namespaced elements, malformed tags, templates that open a new
document, control-character entities, JSON nested a thousand deep, unparsable URLs). The
extractor must read all of them without an exception. The same seed gives the same pages, so
a failure found by the benchmark (``benchmarks/robustness.py``) reproduces in the test suite.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CorpusPage", "MANGLERS", "corpus_pages", "mangle", "mangled_pages"]


@dataclass(frozen=True)
class CorpusPage:
    set: str
    id: str
    url: str
    html: bytes


def _gz(path: Path) -> bytes:
    with gzip.open(path, "rb") as fh:
        return fh.read()


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def corpus_pages(root: str | Path, sets: tuple[str, ...] | None = None) -> Iterator[CorpusPage]:
    """Every visible page of the shared corpus (zyte, fundus, trafilatura, wcxb), read in place."""
    root = Path(root)
    wanted = sets or ("zyte", "fundus", "trafilatura", "wcxb")
    if "zyte" in wanted:
        gold = _json(root / "zyte" / "ground-truth.json")
        for page_id in sorted(gold):
            path = root / "zyte" / "html" / f"{page_id}.html.gz"
            yield CorpusPage("zyte", page_id, gold[page_id].get("url") or "", _gz(path))
    if "fundus" in wanted:
        mapping = _json(root / "fundus" / "html_to_version.json")
        for rel in sorted(mapping):
            path = root / "fundus" / "test_data" / rel
            yield CorpusPage("fundus", rel, mapping[rel].get("url") or "", _gz(path))
    if "trafilatura" in wanted:
        gold = _json(root / "trafilatura" / "evaldata.json")
        for url in sorted(gold):
            path = root / "trafilatura" / gold[url]["html"]
            yield CorpusPage("trafilatura", path.name, url, _gz(path))
    if "wcxb" in wanted:
        files = _json(root / "wcxb" / "metadata.json")["files"]
        for file_id in sorted(files):
            truth = root / "wcxb" / "ground-truth" / f"{file_id}.json"
            url = _json(truth).get("url") if truth.is_file() else None
            path = root / "wcxb" / "html" / f"{file_id}.html.gz"
            if path.is_file():
                yield CorpusPage(
                    "wcxb", file_id, url or f"https://{files[file_id]['domain']}/", _gz(path)
                )


# --- manglers: (page bytes, rng) -> page bytes ------------------------------------------------

_TAG = re.compile(rb"</?[A-Za-z][^<>]{0,200}>")

# Shapes seen in real crawls that broke the extractor (issue 14), inserted at random places.
TRIGGERS: tuple[bytes, ...] = (
    b'<a href="http://[bad/x">Broken IPv6 link in a list</a>',
    b'<a href="http://example.com:abc/x">Port that is not a number</a>',
    b'<a href="http://example.com:99999999/x">Port out of range</a>',
    b'<link rel="canonical" href="http://[bad/canonical">',
    b'<meta property="og:image" content="http://example.com:abc/i.png">',
    b'<o:p><div class="related"><h3>Related</h3><ul><li><a href="/a-b-c-1">One story here</a>'
    b'</li><li><a href="/d-e-f-2">Two story here</a></li></ul></div></o:p>',
    b'<fb:widget><div id="comments"><ol class="commentlist"><li class="comment" id="c1">'
    b"<p>A comment inside a namespaced element.</p></li></ol></div></fb:widget>",
    b'<div"class="wrap"><p>Text after a malformed tag.</p></div>',
    b'<script type="text/template"><html><head></head></html>'
    + b"template text " * 20
    + b"</script>Text after a template",
    b'<script type="text/html"><body><p>'
    + b"a post rendered by script " * 12
    + b"</p></body>"
    + b"</script>",
    b"<p>Control entities &#x1F; &#1; &#xFFFE; &#xFFFF; &#0; &#x80; here.</p>",
    b'<p title="&#1;&#x1F;">&#x1F;</p>&#1;<img alt="&#xFFFE;" src="x.png">&#0;',
    b'<div class="comments"><script type="application/json">'
    + b'{"c":' * 1000
    + b"1"
    + b"}" * 1000
    + b"</script></div>",
    b'<script type="application/ld+json">' + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"</script>",
    b'<script type="application/ld+json">' + b"[" * 1200 + b"]" * 1200 + b"</script>",
    b"<div>" * 300 + b"<p>Deeply nested paragraph text.</p>" + b"</div>" * 300,
    b"<span>" * 3000 + b"Nested beyond libxml2's limit." + b"</span>" * 3000,
    b'<time datetime="-1">-1</time><meta property="article:published_time" content="-1">',
    b"<title>" + b"Very long title " * 2000 + b"</title>",
    b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><o:p></o:p>',
    b"<![CDATA[ odd ]]><?php echo 1; ?><!DOCTYPE html><!-->",
    b'<a href="javascript:void(0)">js</a><a href="mailto:x@y">mail</a><a href="//">empty</a>',
    b"\xef\xbb\xbf\xff\xfe\x00\x00",
)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, max(1, len(raw) // 200))):
        if raw:
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def _strip_tags(data: bytes, rng: random.Random) -> bytes:
    share = rng.choice((0.05, 0.2, 0.5, 1.0))
    return _TAG.sub(lambda m: b"" if rng.random() < share else m.group(0), data)


def _chunks(data: bytes, rng: random.Random) -> list[bytes]:
    count = rng.randint(2, 40)
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(count - 1))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def _shuffle_chunks(data: bytes, rng: random.Random) -> bytes:
    parts = _chunks(data, rng)
    rng.shuffle(parts)
    return b"".join(parts)


def _drop_or_repeat_chunks(data: bytes, rng: random.Random) -> bytes:
    out = []
    for part in _chunks(data, rng):
        roll = rng.random()
        if roll < 0.2:
            continue
        out.append(part * (3 if roll > 0.9 else 1))
    return b"".join(out)


def _insert_triggers(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        out = out[:at] + rng.choice(TRIGGERS) + out[at:]
    return out


MANGLERS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncate": _truncate,
    "flip_bytes": _flip_bytes,
    "strip_tags": _strip_tags,
    "shuffle_chunks": _shuffle_chunks,
    "drop_or_repeat_chunks": _drop_or_repeat_chunks,
    "insert_triggers": _insert_triggers,
}


def mangle(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One or two manglers applied to `data`: (their names joined by '+', the result)."""
    names = rng.sample(sorted(MANGLERS), rng.choice((1, 1, 2)))
    for name in names:
        data = MANGLERS[name](data, rng)
    return "+".join(names), data


def mangled_pages(
    pages: list[CorpusPage], count: int, seed: int
) -> Iterator[tuple[CorpusPage, str, bytes]]:
    """`count` mangled versions of randomly chosen `pages`, the same ones for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        page = rng.choice(pages)
        name, data = mangle(page.html, rng)
        yield page, name, data
