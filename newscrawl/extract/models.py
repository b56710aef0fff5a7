"""The learned models shipped with the package, loaded once per process.

`benchmarks/train_models.py` fits them on the shared corpus and writes them into
`newscrawl/extract/model_files/` (gzipped LightGBM text models and a JSON of thresholds and
feature names). Extraction asks `current()` for them; cross-validation swaps in models fitted on the
other folds with `use()`, so held-out pages are scored by models that never saw their site.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

MODEL_DIR = "model_files"
MANIFEST = "models.json"


@dataclass
class Model:
    """One LightGBM booster with the feature names it was fitted on and its settings."""

    booster: Any
    features: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    classes: tuple[str, ...] = ()

    def predict(self, rows: list[list[float]]) -> Any:
        """Probabilities: one per row (binary) or one row of class probabilities (multiclass)."""
        import numpy as np

        return self.booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)


@dataclass
class ModelBundle:
    """Every model extraction uses; a missing one means "decide by the rules"."""

    models: dict[str, Model] = field(default_factory=dict)
    version: str = ""

    def get(self, name: str) -> Model | None:
        return self.models.get(name)


def best_candidate(model: Model, rows: list[list[float]]) -> int:
    """The index of the candidate row `model` scores highest (the first of equals)."""
    scores = model.predict(rows)
    return max(range(len(rows)), key=lambda i: scores[i])


def booster_from_string(text: str) -> Any:
    import lightgbm

    return lightgbm.Booster(model_str=text)


def load_bundle() -> ModelBundle:
    """The models shipped in the package (an empty bundle if none are there)."""
    folder = resources.files(__package__).joinpath(MODEL_DIR)
    manifest_file = folder.joinpath(MANIFEST)
    if not manifest_file.is_file():
        return ModelBundle()
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    models = {}
    for name, entry in manifest["models"].items():
        text = gzip.decompress(folder.joinpath(entry["file"]).read_bytes()).decode("utf-8")
        models[name] = Model(
            booster=booster_from_string(text),
            features=tuple(entry["features"]),
            settings=dict(entry.get("settings") or {}),
            classes=tuple(entry.get("classes") or ()),
        )
    return ModelBundle(models=models, version=str(manifest.get("version", "")))


_lock = threading.Lock()
_shipped: ModelBundle | None = None
_override: list[ModelBundle] = []


def current() -> ModelBundle:
    """The bundle in force: one set with `use()`, else the shipped one (loaded on first use)."""
    global _shipped
    if _override:
        return _override[-1]
    if _shipped is None:
        with _lock:
            if _shipped is None:
                _shipped = load_bundle()
    return _shipped


@contextlib.contextmanager
def use(bundle: ModelBundle) -> Iterator[ModelBundle]:
    """Extract with `bundle` instead of the shipped models (cross-validation, tests)."""
    _override.append(bundle)
    try:
        yield bundle
    finally:
        _override.pop()
