"""stance: who said what in the news, and are they for or against it."""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public API, imported lazily so that ``import stance`` stays cheap (the quote extractor needs no torch).
_EXPORTS = {
    "LABELS": "stance.labels",
    "normalize_label": "stance.labels",
    "InputFormat": "stance.encoding",
    "Quote": "stance.quotes",
    "extract_quotes": "stance.quotes",
    "Article": "stance.articles",
    "iter_articles": "stance.articles",
    "StanceClassifier": "stance.inference",
    "predict_articles": "stance.predict",
    "train": "stance.training",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
