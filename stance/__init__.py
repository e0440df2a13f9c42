"""stance: who said what in the news, and are they for or against it.

``import stance`` is all a saved model needs to load with ``transformers.AutoModelForSequenceClassification``
or ``transformers.pipeline``: the package's own model type (``stance-pooled-encoder``) is registered with the Auto
classes as soon as transformers is imported (at once when it already is), without importing torch before then.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
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


# -- the Auto-class registration of our model types, done when transformers is imported ----------------------

_MODEL_TYPES_MODULE = "stance.model.pooling"


def _register_model_types() -> None:
    """Register the package's model types with transformers' Auto classes (idempotent)."""
    try:
        import_module(_MODEL_TYPES_MODULE)  # registers on import
    except Exception as err:  # noqa: BLE001 - a broken torch must not break the user's own `import transformers`
        import warnings

        warnings.warn(f"stance: could not register its model types with transformers ({err})", stacklevel=2)


class _RegisterWhenTransformersLoads(MetaPathFinder):
    """Runs :func:`_register_model_types` right after the ``transformers`` package has been imported, so that
    ``import stance`` stays free of torch and transformers (the quote extractor needs neither) while a saved model
    still loads with the Auto classes in either import order."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != "transformers":
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_register(module: Any) -> None:
            exec_module(module)
            _register_model_types()

        spec.loader.exec_module = exec_and_register  # type: ignore[method-assign] - this spec's own loader
        return spec


if "transformers" in sys.modules:
    _register_model_types()
elif not any(isinstance(f, _RegisterWhenTransformersLoads) for f in sys.meta_path):
    sys.meta_path.insert(0, _RegisterWhenTransformersLoads())
