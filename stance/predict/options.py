"""The values of ``stance-predict``'s options, checked before any model is loaded (one line each, exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stance.errors import ConfigError, PredictConfigError
from stance.runtime.checks import as_bool, as_float, as_int, check_device
from stance.runtime.hardware import PRECISIONS

#: what ``input_format=`` may name (null: by extension, else by content)
INPUT_FORMATS = ("jsonl", "txt", "html", "parquet", "csv")
ENGINES = ("local", "ray")


def prefilter_spec(spec: Any) -> dict[str, Any] | None:
    """``prefilter`` as ``{threshold, model, batch_size}`` (or None: off), checked."""
    if spec is None or spec is False:
        return None
    if spec is True:
        return {}
    if isinstance(spec, (int, float)):
        spec = {"threshold": spec}
    try:
        spec = dict(spec)
    except (TypeError, ValueError):
        raise PredictConfigError(f"prefilter={spec!r}: expected a threshold (prefilter=0.1) or "
                                 "{threshold: 0.1, model: DIR}") from None
    unknown = set(spec) - {"threshold", "model", "batch_size"}
    if unknown:
        raise PredictConfigError(f"prefilter: unknown keys {sorted(unknown)} (known: threshold, model, batch_size)")
    if spec.get("threshold") is not None:  # a cosine similarity
        spec["threshold"] = _checked(as_float, spec["threshold"], "prefilter.threshold", -1.0, 1.0)
    if spec.get("batch_size") is not None:
        spec["batch_size"] = _checked(as_int, spec["batch_size"], "prefilter.batch_size", 1)
    if spec.get("model") is not None and not Path(str(spec["model"])).expanduser().is_dir():
        raise PredictConfigError(f"prefilter.model {str(spec['model'])!r} is not a directory")
    return spec


def _checked(check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except ConfigError as e:
        raise PredictConfigError(str(e)) from None


def check_options(cfg: Any) -> None:
    """Raise :class:`PredictConfigError` for the first option whose value cannot be used."""
    engine = cfg.get("engine") or "local"
    if engine not in ENGINES:
        raise PredictConfigError(f"engine={engine!r}: expected local or ray")
    _checked(as_int, cfg.get("batch_size"), "batch_size", 1)
    _checked(as_int, cfg.get("max_tokens"), "max_tokens", 1, True)
    _checked(as_float, cfg.get("min_fill"), "min_fill", 0.0, 1.0, True)
    if (cfg.get("precision") or "auto") not in PRECISIONS:
        raise PredictConfigError(f"precision={cfg.get('precision')!r}: expected one of {', '.join(PRECISIONS)}")
    for key in ("resume", "progress"):
        _checked(as_bool, cfg.get(key), key)
    fmt = cfg.get("input_format")
    if fmt is not None and str(fmt).lower() not in INPUT_FORMATS:
        raise PredictConfigError(f"input_format={fmt!r}: expected one of {', '.join(INPUT_FORMATS)} (or null: by "
                                 "the file's extension, else its content)")
    prefilter_spec(cfg.get("prefilter"))
    if engine == "ray":
        rcfg = cfg.get("ray") or {}
        for key, minimum in (("actors", 1), ("threads_per_actor", 1), ("articles_per_batch", 1), ("num_cpus", 1),
                             ("object_store_memory", 1)):
            _checked(as_int, rcfg.get(key), f"ray.{key}", minimum, True)
        for key in ("gpus_per_actor", "cpus_per_actor"):
            _checked(as_float, rcfg.get(key), f"ray.{key}", 0.0, None, True)
    else:
        _checked(check_device, cfg.get("device"), "device")
