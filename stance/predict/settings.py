"""The settings of ``stance-predict`` turned into what both engines (``command``, ``ray_engine``) use: the targets,
the NLI templates, the relevance prefilter, the quotation extractor and the progress bar."""

from __future__ import annotations

import sys
from typing import Any

from stance.predict.options import prefilter_spec
from stance.predict.pipeline import clean_targets, read_targets_file


def resolve_targets(cfg: Any) -> list[str]:
    """``targets`` (a list or one string) and the lines of ``targets_file``, cleaned and merged."""
    from omegaconf import ListConfig, OmegaConf

    raw = cfg.get("targets")
    if isinstance(raw, ListConfig):
        raw = OmegaConf.to_container(raw)
    targets = clean_targets([raw] if isinstance(raw, str) else (raw or []))
    if cfg.get("targets_file"):
        targets = clean_targets(targets + read_targets_file(cfg.targets_file))
    return targets


def nli_templates(cfg: Any) -> dict[str, Any] | None:
    """``nli_templates`` as a plain mapping (None: the model's own hypotheses)."""
    from omegaconf import DictConfig, OmegaConf

    raw = cfg.get("nli_templates")
    return OmegaConf.to_container(raw) if isinstance(raw, DictConfig) else raw


def build_prefilter(spec: Any, precision: str) -> Any:
    """The relevance prefilter of a ``prefilter`` setting, or None when it is off."""
    spec = prefilter_spec(spec)
    if spec is None:
        return None
    from stance.predict.relevance import DEFAULT_THRESHOLD, RelevanceFilter

    return RelevanceFilter.from_pretrained(spec.get("model"), threshold=spec.get("threshold", DEFAULT_THRESHOLD),
                                           batch_size=spec.get("batch_size") or 64, precision=precision)


def quote_extractor(cfg: Any) -> Any:
    """text -> attributions, by ``cfg.quotes`` (the rules by default; ``quotes.mode=both`` adds the tagger)."""
    from stance.attribution import from_config

    extractor = from_config(cfg.get("quotes") or {})
    return lambda text: extractor.extract(text).quotes


def progress_bar(enabled: bool, total: int | None = None) -> Any:
    """A bar on stderr, with a total where the input's size is known. Articles are scored in batches, so it
    moves in steps of several articles."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="article", desc="stance-predict", file=sys.stderr, dynamic_ncols=True)
