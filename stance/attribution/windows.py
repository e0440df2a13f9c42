"""The tagger's input: an article cut into paragraphs, each tokenized into overlapping windows with the
characters of every token, and (for training) the BIO label of every token from PolNeAR's character spans."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The parts of an attribution the tagger marks, in the order a label id is given.
PARTS = ("SOURCE", "CUE", "CONTENT")
LABELS = ("O",) + tuple(f"{p}-{part}" for part in PARTS for p in ("B", "I"))
IGNORE = -100  # the loss ignores special tokens and the overlap a window shares with the one before

_PARAGRAPH_RE = re.compile(r"[^\n]+")
# a paragraph of this many characters or fewer with no letter holds no attribution
_LETTER_RE = re.compile(r"[^\W\d_]")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every line of ``text`` that holds a letter (PolNeAR splits paragraphs by lines)."""
    return [m.span() for m in _PARAGRAPH_RE.finditer(text) if _LETTER_RE.search(m.group())]


@dataclass
class Window:
    """One tokenized window of one paragraph: token ids, each token's character span in the article (None for
    special tokens), and which tokens it owns (the tokens read with the most context, of the windows that share
    them)."""

    article: int
    input_ids: list[int]
    offsets: list[tuple[int, int] | None]
    owned: list[bool] = field(default_factory=list)


def windows(tokenizer: Any, texts: Sequence[str], max_length: int, stride: int) -> list[Window]:
    """Every paragraph of every text as windows of at most ``max_length`` tokens that overlap by ``stride``."""
    units: list[tuple[int, int]] = []  # (article, paragraph start)
    chunks: list[str] = []
    for a, text in enumerate(texts):
        for s, e in paragraphs(text):
            units.append((a, s))
            chunks.append(text[s:e])
    if not chunks:
        return []
    enc = tokenizer(chunks, truncation=True, max_length=max_length, stride=stride, return_overflowing_tokens=True,
                    return_offsets_mapping=True, return_special_tokens_mask=True)
    out: list[Window] = []
    for k, ids in enumerate(enc["input_ids"]):
        a, base = units[enc["overflow_to_sample_mapping"][k]]
        special = enc["special_tokens_mask"][k]
        offsets = [None if sp else (base + s, base + e) for (s, e), sp in zip(enc["offset_mapping"][k], special)]
        out.append(Window(a, list(ids), offsets))
    _own(out, stride)
    return out


def _own(wins: list[Window], stride: int) -> None:
    """Mark each token as owned by the window where it stands furthest from a cut: of two overlapping windows of
    one paragraph, the first owns the first half of the overlap."""
    for k, w in enumerate(wins):
        n = len(w.offsets)
        owned = [o is not None for o in w.offsets]
        prev_cut = k > 0 and wins[k - 1].article == w.article and _continues(wins[k - 1], w)
        next_cut = k + 1 < len(wins) and wins[k + 1].article == w.article and _continues(w, wins[k + 1])
        half = stride // 2  # of the overlap, the earlier window owns this many tokens, the later one the rest
        if prev_cut:
            for i in range(1, min(n, 1 + half)):
                owned[i] = False
        if next_cut:
            for i in range(max(1, n - 1 - stride + half), n - 1):
                owned[i] = False
        w.owned = owned


def _continues(a: Window, b: Window) -> bool:
    """Whether window ``b`` goes on with the paragraph of window ``a`` (they share tokens)."""
    a_last = next((o for o in reversed(a.offsets) if o is not None), None)
    b_first = next((o for o in b.offsets if o is not None), None)
    return a_last is not None and b_first is not None and b_first[0] < a_last[1]


def char_labels(length: int, attributions: Iterable[Mapping[str, Any]]) -> list[int]:
    """Per character of an article: 0 (outside) or 1 + the index of the part in :data:`PARTS`, and a start flag in
    the sign (negative where a span starts). Contents are painted longest first, then cues and sources on top,
    so a nested attribution's source and cue stay visible inside the content that reports it."""
    lab = [0] * length
    atts = list(attributions)
    layers = [(2, sorted((s for a in atts for s in a["content"]), key=lambda s: s[0] - s[1])),
              (1, [s for a in atts for s in a["cue"]]),
              (0, [s for a in atts for s in a["source"]])]
    for part, spans in layers:
        for s, e in spans:
            s, e = max(0, s), min(length, e)
            if s >= e:
                continue
            lab[s:e] = [part + 1] * (e - s)
            lab[s] = -(part + 1)
    return lab


def token_labels(window: Window, chars: list[int]) -> list[int]:
    """The BIO label id of every token of ``window`` from the article's :func:`char_labels`; tokens not owned by
    the window are ignored by the loss."""
    out = []
    prev_part = 0
    for off, own in zip(window.offsets, window.owned):
        if off is None:
            out.append(IGNORE)
            prev_part = 0
            continue
        s, e = off
        vals = chars[s:e] or [0]
        part = max(abs(v) for v in vals)
        begins = any(v < 0 for v in vals) or part != prev_part
        out.append(IGNORE if not own else 0 if part == 0 else 1 + 2 * (part - 1) + (0 if begins else 1))
        prev_part = part
    return out
