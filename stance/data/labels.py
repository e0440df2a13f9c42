"""The label scheme shared by every dataset, model and output of the package."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stance.errors import ConfigError, UnknownLabelError

#: Canonical labels, in the order used for ``label2id`` when a config does not say otherwise.
LABELS: tuple[str, ...] = ("favor", "against", "none")

#: Spellings met in public datasets and user files, mapped to the canonical label.
ALIASES: dict[str, str] = {
    "favor": "favor",
    "favour": "favor",
    "for": "favor",
    "pro": "favor",
    "support": "favor",
    "supports": "favor",
    "positive": "favor",
    "agree": "favor",
    "against": "against",
    "con": "against",
    "anti": "against",
    "oppose": "against",
    "refute": "against",
    "refutes": "against",
    "negative": "against",
    "disagree": "against",
    "none": "none",
    "neutral": "none",
    "neither": "none",
    "observing": "none",
    "comment": "none",
    "discuss": "none",
    "unrelated": "none",
}



def normalize_label(value: object, allowed: Sequence[str] = LABELS) -> str:
    """Map ``value`` (any case, an alias or an integer index into ``allowed``) to a label in ``allowed``.

    Raises :class:`UnknownLabelError` when it maps to nothing in ``allowed``.
    """
    if isinstance(value, bool):
        raise UnknownLabelError(f"label {value!r} is not one of {list(allowed)}")
    if isinstance(value, int):
        if 0 <= value < len(allowed):
            return allowed[value]
        raise UnknownLabelError(f"label index {value} is outside 0..{len(allowed) - 1} ({list(allowed)})")
    if not isinstance(value, str):
        raise UnknownLabelError(f"label {value!r} is not a string")
    key = value.strip().lower()
    if key in allowed:  # a label scheme of its own (NLI's `neutral`) before the stance aliases
        return key
    canonical = ALIASES.get(key, key)
    if canonical in allowed:
        return canonical
    raise UnknownLabelError(f"label {value!r} is not one of {list(allowed)}")


def label_maps(labels: Iterable[str]) -> tuple[dict[str, int], dict[int, str]]:
    """``label2id`` and ``id2label`` for an ordered label list."""
    labels = list(labels)
    if len(set(labels)) != len(labels) or not labels:
        raise ConfigError(f"labels must be a non-empty list without repeats, got {labels}")
    return {lab: i for i, lab in enumerate(labels)}, {i: lab for i, lab in enumerate(labels)}
