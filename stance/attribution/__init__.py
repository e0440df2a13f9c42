"""Attributions by the rules and a trained tagger together.

``stance.quotes`` (model-free rules) finds direct quotations and their speakers; the attribution tagger (a token
classifier over source / cue / content, trained on PolNeAR: ``stance-train --config-name attribution``) finds
reported speech and mixed quotations. :class:`StatementExtractor` combines them (``mode``: ``both``, ``rules`` or
``tagger``); the tagger shipped with the package is loaded offline from ``stance/resources/models/attribution``.
See ``docs/quotes.md``.

Layers: ``windows`` and ``corpus`` at the bottom, ``tagger``, ``decode``, ``statements`` on top.
"""

from __future__ import annotations

from stance.attribution.statements import MODES, StatementExtractor, combine, extract_statements, from_config

__all__ = ["MODES", "StatementExtractor", "combine", "extract_statements", "from_config"]
