"""Quiet model loading: transformers' load reports, notes and weight-loading bars silenced inside our own loading
calls only (the user's own ``from_pretrained`` calls, and transformers' errors, are left as they are)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Inside: transformers logs errors only and shows no progress bars; both settings are restored after.

    What it hides is expected when we load: the backbone's unused pooler ("LOAD REPORT ... UNEXPECTED"), a new
    classification head ("newly initialized"), the "Loading weights" bar of a model that loads in a blink."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
