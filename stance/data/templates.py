"""Explicit stance statements built from templates: training rows and a held-out check.

A quotation that says "I oppose T." is the easiest case there is, yet a sentence-similarity backbone
fine-tuned on implicit news quotations can get it wrong (docs/zero_shot.md). These templates state a stance
toward a target in so many words, so that

- ``template_rows`` adds such statements about the *training* targets to the training rows
  (``data.polarity_templates``: statements per target and label), and
- ``checklist_pairs`` builds statements with *other* wordings (no template is shared with the training set)
  about any targets, e.g. the test split's unseen ones: ``scripts/checklist.py`` scores a model on them, a
  minimum-functionality test in the sense of CheckList (Ribeiro et al., 2020).

The statements are written for this project; a target is inserted as given (a noun phrase or a name).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

# {t}: the target as given; {T}: the same with its first letter capitalised (sentence start)
TRAIN_TEMPLATES: dict[str, tuple[str, ...]] = {
    "favor": (
        "I fully support {t}.",
        "We stand behind {t}, and we will keep saying so.",
        "{T} is the right thing to do, and it is long overdue.",
        "I am proud to back {t}.",
        "{T} deserves our support, plain and simple.",
        "{T} will make people's lives better.",
        "We have campaigned for {t} for years and we will not stop now.",
        "Those who attack {t} are simply wrong.",
        "I have always been a champion of {t}.",
        "Let me be clear: {t} has my full backing.",
    ),
    "against": (
        "I firmly oppose {t}.",
        "{T} would be a disaster for ordinary people.",
        "We will fight {t} every step of the way.",
        "{T} is a mistake, and history will judge it harshly.",
        "There is no justification whatsoever for {t}.",
        "Anyone who still backs {t} has learned nothing.",
        "{T} will only make things worse.",
        "We reject {t} outright.",
        "I cannot support {t}; it is dangerous.",
        "Let me be clear: {t} is the wrong path.",
    ),
    "none": (
        "We will discuss {t} at the meeting next week.",
        "The committee has not yet taken a position on {t}.",
        "I haven't read the details of {t} yet, so I can't comment.",
        "The debate about {t} will go on after the summer.",
        "There are good arguments on both sides of {t}.",
        "Reporters asked about {t}, but the briefing was about the budget.",
        "A vote on {t} is expected in March.",
        "People have strong feelings about {t}, and we respect all of them.",
        "I'll leave {t} to the experts.",
        "The report describes how {t} came about.",
    ),
}

# disjoint wordings, for checking a model only
CHECK_TEMPLATES: dict[str, tuple[str, ...]] = {
    "favor": (
        "{T} is exactly what this country needs.",
        "I welcome {t} wholeheartedly.",
        "Count me among the supporters of {t}.",
        "{T} is a victory for common sense.",
        "We are delighted by {t} and will defend it.",
        "Nothing would please me more than seeing {t} succeed.",
    ),
    "against": (
        "{T} is a terrible idea.",
        "I condemn {t} in the strongest terms.",
        "Count me among the opponents of {t}.",
        "{T} is an insult to everyone who works for a living.",
        "We are appalled by {t} and will resist it.",
        "Nothing would please me more than seeing {t} fail.",
    ),
    "none": (
        "The minister will travel to Brussels on Monday.",
        "I have no view on {t} at this stage.",
        "{T} was mentioned twice in the report.",
        "Our reporter has more on {t} after the break.",
        "The weather in the capital was mild this week.",
        "Whether {t} goes ahead is for the parliament to decide.",
    ),
}


def fill(template: str, target: str) -> str:
    """``template`` with ``target`` inserted (``{T}``: capitalised at a sentence start)."""
    cap = target[:1].upper() + target[1:]
    return template.replace("{T}", cap).replace("{t}", target)


def _rows(targets: Iterable[str], templates: dict[str, Sequence[str]], labels: Sequence[str], per: int | None,
          rng: random.Random | None) -> list[dict[str, Any]]:
    out = []
    for target in targets:
        for label in labels:
            pool = list(templates.get(label, ()))
            chosen = pool if per is None or rng is None else rng.sample(pool, min(per, len(pool)))
            out += [{"text": fill(t, target), "target": target, "label": label} for t in chosen]
    return out


def template_rows(rows: Sequence[dict[str, Any]], per_label: int, labels: Sequence[str],
                  rng: random.Random) -> list[dict[str, Any]]:
    """Training rows: for each distinct target of ``rows``, ``per_label`` statements per label of ``labels``
    that has templates, as rows shaped like ``rows`` (their other fields copied from the target's first row,
    ``group`` set to ``template``)."""
    if per_label <= 0 or not rows:
        return []
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(row["target"], row)
    made = _rows(sorted(first), TRAIN_TEMPLATES, [lab for lab in labels if lab in TRAIN_TEMPLATES], per_label, rng)
    return [{**first[r["target"]], **r, "group": "template"} for r in made]


def checklist_pairs(targets: Iterable[str], labels: Sequence[str] = ("favor", "against", "none")
                    ) -> list[dict[str, Any]]:
    """Every check template filled with every target, for the labels given: ``{"text", "target", "label"}``."""
    return _rows(sorted(set(targets)), CHECK_TEMPLATES, [lab for lab in labels if lab in CHECK_TEMPLATES],
                 None, None)
