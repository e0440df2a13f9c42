"""stance: who said what in the news, and are they for or against it."""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public API, imported lazily so that ``import stance`` stays cheap (the quote extractor needs no torch).
_EXPORTS = {
    "LABELS": "stance.data.labels",
    "normalize_label": "stance.data.labels",
    "InputFormat": "stance.model.encoding",
    "Quote": "stance.quotes",
    "extract_quotes": "stance.quotes",
    "extract_statements": "stance.attribution",
    "StatementExtractor": "stance.attribution",
    "Article": "stance.data.articles",
    "iter_articles": "stance.data.articles",
    "StanceClassifier": "stance.model.classifier",
    "predict_articles": "stance.predict.pipeline",
    "train": "stance.train.trainer",
    "StanceError": "stance.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
