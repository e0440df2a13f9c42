"""Quiet model loading: transformers' load reports, notes and weight-loading bars silenced inside our own loading
calls only (the user's own ``from_pretrained`` calls, and transformers' errors, are left as they are)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_transformers(bars_only: bool = False) -> Iterator[None]:
    """Inside: transformers logs errors only (unless ``bars_only``) and shows no progress bars of its own (the
    Trainer's training bar is not one of them); both settings are restored after.

    What it hides is expected when we load: the backbone's unused pooler ("LOAD REPORT ... UNEXPECTED"), a new
    classification head ("newly initialized"), the "Loading weights" and "Writing model shards" bars of a model
    that loads or saves in a blink."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    if not bars_only:
        hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
