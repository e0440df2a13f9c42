"""Stance as entailment: hypothesis templates per kind of target, and stance rows recast into NLI pairs.

A stance row (text, target, label) becomes premise/hypothesis pairs: the text is the premise, a hypothesis
is a template filled with the target ("The speaker supports {target}."), and the label follows from the stance
and the template's polarity: a ``favor`` text entails the supporting hypothesis and contradicts the opposing
one, an ``against`` text the reverse, a ``none`` text is neutral to both. Which templates apply depends on the
kind of target: a person or organisation, a policy or topic, or a claim (a whole sentence, as in Perspectrum or
IBM ArgQ). The same templates score targets at prediction time (:mod:`stance.model.nli`), so they are saved with
the model (``config.stance_hypotheses``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from stance.errors import ConfigError

NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")
TARGET_KINDS: tuple[str, ...] = ("person", "topic", "claim")
POLAR_LABELS: tuple[str, ...] = ("favor", "against")

#: kind -> stance label -> template; ``{target}`` is the target as written, ``{claim}`` the target as a clause
DEFAULT_HYPOTHESES: dict[str, dict[str, str]] = {
    "person": {"favor": "The speaker supports {target}.", "against": "The speaker opposes {target}."},
    "topic": {"favor": "The speaker supports {target}.", "against": "The speaker opposes {target}."},
    "claim": {"favor": "The speaker agrees that {claim}.", "against": "The speaker disagrees that {claim}."},
}

#: what a stance label entails for a hypothesis of each polarity
_ENTAILMENT = {
    ("favor", "favor"): "entailment", ("favor", "against"): "contradiction",
    ("against", "favor"): "contradiction", ("against", "against"): "entailment",
    ("none", "favor"): "neutral", ("none", "against"): "neutral",
}
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|[A-Z]{2,}|de|da|del|van|von|al|bin|la|le)$")


def target_kind(target: str) -> str:
    """``claim`` for a sentence (ends like one, or six words or more), ``person`` for a short run of
    capitalised words (a name: "Juan Guaido", "Hillary Clinton", "NATO"), else ``topic``."""
    text = target.strip()
    words = text.split()
    if _SENTENCE_END.search(text) or len(words) >= 6:
        return "claim"
    if 1 <= len(words) <= 4 and words[0][:1].isupper() and all(_NAME_WORD.match(w) for w in words):
        return "person"
    return "topic"


def as_clause(target: str) -> str:
    """A claim sentence as a clause after "that": no final full stop, the first letter lowercased unless the
    first word is a name or an acronym ("Animals should have rights." -> "animals should have rights")."""
    text = target.strip().rstrip(".!? ")
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and not (first[1:2].isupper() or first in ("I", "I'm", "I've")):
        # a capitalised common word starts most claims; names usually recur capitalised inside text too
        first = first[:1].lower() + first[1:]
    return f"{first} {rest}".strip()


def check_hypotheses(raw: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Hypothesis templates, kind -> label -> template, with the defaults for what ``raw`` leaves out.

    ``raw`` may also be one mapping of label -> template (the same for every kind). Raises ConfigError on an
    unknown kind or label or a template without ``{target}`` / ``{claim}``.
    """
    raw = dict(raw or {})
    if raw and set(raw) <= set(POLAR_LABELS):
        raw = {kind: dict(raw) for kind in TARGET_KINDS}
    unknown = sorted(set(raw) - set(TARGET_KINDS))
    if unknown:
        raise ConfigError(f"hypotheses: unknown target kinds {unknown} (kinds: {list(TARGET_KINDS)}; or give "
                          f"one mapping of {list(POLAR_LABELS)} -> template for all kinds)")
    out: dict[str, dict[str, str]] = {}
    for kind in TARGET_KINDS:
        given = {str(k): str(v) for k, v in dict(raw.get(kind) or {}).items()}
        bad = sorted(set(given) - set(POLAR_LABELS))
        if bad:
            raise ConfigError(f"hypotheses.{kind}: labels must be among {list(POLAR_LABELS)}, got {bad}")
        templates = {**DEFAULT_HYPOTHESES[kind], **given}
        for label, text in templates.items():
            if "{target}" not in text and "{claim}" not in text:
                raise ConfigError(f"hypotheses.{kind}.{label}: {text!r} has neither {{target}} nor {{claim}}")
        out[kind] = templates
    return out


def hypothesis(target: str, label: str, hypotheses: Mapping[str, Mapping[str, str]], kind: str | None = None) -> str:
    """The ``label`` (favor/against) hypothesis about ``target``, from the templates of its kind."""
    kind = kind or target_kind(target)
    text = target.strip()
    if kind == "topic" and text.split(" ", 1)[0] in ("The", "A", "An"):  # "opposes the merger of ..."
        text = text[:1].lower() + text[1:]
    return hypotheses[kind][label].format(target=text, claim=as_clause(target))


def recast(rows: Sequence[Mapping[str, Any]], hypotheses: Mapping[str, Mapping[str, str]], *,
           polarities: str = "both", kind: str | None = None, rng: random.Random | None = None) -> list[dict]:
    """Stance rows -> NLI rows (``text`` = premise, ``target`` = hypothesis, ``label`` in NLI_LABELS).

    ``polarities``: ``both`` makes two pairs a row (the supporting and the opposing hypothesis); ``sample``
    one, either polarity with equal chance (half the compute; both polarities still occur across rows).
    ``kind`` forces the target kind of every row (a dataset of claims); None guesses it per target.
    """
    if polarities not in ("both", "sample"):
        raise ConfigError(f"recast polarities must be both or sample, got {polarities!r}")
    if kind is not None and kind not in TARGET_KINDS:
        raise ConfigError(f"recast kind must be one of {list(TARGET_KINDS)} or null, got {kind!r}")
    rng = rng or random.Random(0)
    out = []
    for row in rows:
        label = row["label"]
        if label not in ("favor", "against", "none"):
            raise ConfigError(f"recast: stance label {label!r} is not favor, against or none")
        chosen = POLAR_LABELS if polarities == "both" else (rng.choice(POLAR_LABELS),)
        for polarity in chosen:
            out.append({**row, "target": hypothesis(row["target"], polarity, hypotheses, kind),
                        "label": _ENTAILMENT[(label, polarity)], "stance_target": row["target"]})
    return out


def swapped_neutrals(rows: Sequence[Mapping[str, Any]], share: float, hypotheses: Mapping[str, Mapping[str, str]],
                     rng: random.Random) -> list[dict]:
    """``share`` of ``rows`` again, each with a hypothesis about a target of another source: ``neutral``
    (a text about one thing says nothing about an unrelated one)."""
    if share <= 0:
        return []
    by_source: dict[str, list[str]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row["stance_target"])
    if len(by_source) < 2:
        return []
    out = []
    for i in rng.sample(range(len(rows)), min(len(rows), round(share * len(rows)))):
        row = rows[i]
        other = rng.choice([s for s in by_source if s != row["source"]])
        target = rng.choice(by_source[other])
        out.append({**row, "target": hypothesis(target, rng.choice(POLAR_LABELS), hypotheses), "label": "neutral",
                    "stance_target": target, "group": "swapped"})
    return out
