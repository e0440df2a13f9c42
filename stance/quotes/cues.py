"""Cue-verb patterns shared by the rules: any cue verb, any reported-speech cue, a cue of a partial quotation, and
auxiliaries before a verb."""

from __future__ import annotations

import re

from .lexicon import (
    AUX,
    INDIRECT_VERBS,
    INVERTED_VERBS,
    LABEL_VERBS,
    SPEECH_VERBS,
    VERB_ALT,
    WEAK_VERBS,
    alternation,
)

AUX_END_RE = re.compile(rf"\s+{AUX}{{1,3}}\Z")
IND_ANY_RE = re.compile(rf"\b(?:{alternation(set(INDIRECT_VERBS) | set(INVERTED_VERBS))}|[Aa]ccording to)\b")
VERB_ANY_RE = re.compile(rf"\b(?:{VERB_ALT})\b")
PARTIAL_CUE_RE = re.compile(
    rf"(?<![\w-])(?:{alternation(set(LABEL_VERBS) | set(SPEECH_VERBS) - WEAK_VERBS - {'went', 'shot', 'fired', 'read', 'reads', 'chimed', 'pointed', 'points'})})\b"
)
