"""JSON from pages and APIs, with a bound on nesting.

Why: a JSON-LD block or a comment-API answer nested ~1,000 deep makes `json.loads` raise
`RecursionError` (not a `ValueError`, so callers' error handling missed it), and a slightly
shallower one parses but breaks every recursive walker after it. Real data is never nested
more than a few dozen levels, so anything deeper is refused as malformed.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100


class JSONTooDeep(ValueError):
    """JSON nested deeper than the bound (a ValueError, like any malformed JSON)."""


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, **kwargs: Any) -> Any:
    """`json.loads`, raising ValueError (never RecursionError) on JSON nested too deep."""
    try:
        data = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep("JSON nested too deep to parse") from None
    if depth(data, max_depth) > max_depth:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels")
    return data


def depth(data: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of lists and objects in `data`, counted without recursion; stops at
    `limit` + 1."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest
