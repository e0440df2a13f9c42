"""Evaluative statements about training targets, built from a sentiment lexicon (``data.lexicon_statements``).

The fixed templates of ``stance.data.templates`` teach "I oppose T." with thirty wordings. These statements
teach polarity at scale: the target is the subject of a positive or negative predicate built from a word of the
VADER lexicon (``vader_predicates.tsv``, built by ``scripts/build_lexicon.py``; MIT licence, see the file's
header), and the predicate sits in one of several frames:

- ``direct``: "T would be a disaster for the region." -- the label follows the word's polarity;
- ``negated``: "T is not shameful." / "I don't think T is a blessing." -- the polarity flips;
- ``hedged``: "I suspect T will prove wasteful." -- the polarity stays;
- ``contrast``: "The goal is admirable, but T is a disaster." -- the label follows the clause about T;
- ``reported``: "Critics say T is reckless; they could not be more wrong." -- endorsed reports keep the
  polarity, rejected ones flip it;
- ``speaker``: "Let me be clear: T means misery." / "We admire T." -- a speaker's own frame, polarity kept;
- ``none`` (only when ``none`` is a label): the polarity is asked about or belongs to another target.

Targets come from the training rows only, so test targets never appear. Every choice is drawn from the ``rng``
passed in: the same seed and rows give the same statements.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_FILE = Path(__file__).with_name("vader_predicates.tsv")

# share of each frame among the generated statements (``none`` is dropped when it is not a label)
FRAMES: dict[str, float] = {"direct": 0.24, "negated": 0.16, "hedged": 0.12, "contrast": 0.16, "reported": 0.14,
                            "speaker": 0.10, "none": 0.08}
FLIP = {"favor": "against", "against": "favor"}

# who or what a predicate is good or bad for; generic, none of them a target of the bundled data
BENEFICIARIES = ("the region", "ordinary families", "working people", "the country", "local communities",
                 "young people", "small firms", "pensioners", "our towns", "the next generation")
# subjects of the other clause of a contrast, when it is not another training target
OTHERS = ("the goal", "the idea behind it", "the old system", "the intention", "the first draft", "the debate itself",
          "the alternative", "the original plan")


@lru_cache(maxsize=4)
def load_lexicon(path: str | Path = LEXICON_FILE) -> dict[str, dict[int, tuple[str, ...]]]:
    """``{pos: {+1: words, -1: words}}`` from the predicate file (``#`` lines are its header)."""
    out: dict[str, dict[int, list[str]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, pos, valence = line.split("\t")
        out.setdefault(pos, {1: [], -1: []})[1 if float(valence) > 0 else -1].append(word)
    return {pos: {s: tuple(sorted(ws)) for s, ws in by.items()} for pos, by in out.items()}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def predicate(pos: str, word: str, negated: bool, rng: random.Random) -> str:
    """A verb phrase saying the subject is (or, negated, is not) ``word``: "would be a disaster for the region"."""
    who = rng.choice(BENEFICIARIES)
    a = _article(word)
    forms = {
        "adj": [("is {w}", "is not {w}"), ("would be {w} for {who}", "would not be {w} for {who}"),
                ("will prove {w}", "will not prove {w}"), ("has been {w} from the start", "has never been {w}"),
                ("looks {w} to anyone who reads the details", "is far from {w}")],
        "noun": [("is {a} {w}", "is not {a} {w}"), ("would be {a} {w} for {who}", "would be no {w} for {who}"),
                 ("has turned out to be {a} {w}", "is hardly {a} {w}"),
                 ("will be remembered as {a} {w}", "will not be remembered as {a} {w}")],
        "mass": [("is a recipe for {w}", "is no recipe for {w}"), ("will bring {w} to {who}",
                 "will not bring {w} to {who}"), ("stands for {w}", "does not stand for {w}"),
                 ("means {w} for {who}", "does not mean {w} for {who}")],
    }[pos]
    plain, neg = rng.choice(forms)
    return (neg if negated else plain).format(w=word, a=a, who=who)


def _clause(target: str, sign: int, negated: bool, lex: dict, rng: random.Random) -> str:
    """"T would be a disaster for the region": a subject-predicate clause with a word of polarity ``sign``."""
    pos = rng.choice([p for p in ("adj", "noun", "mass") if lex.get(p, {}).get(sign)])
    return f"{target} {predicate(pos, rng.choice(lex[pos][sign]), negated, rng)}"


def statement(target: str, label: str, frame: str, lex: dict, rng: random.Random, others: Sequence[str] = ()
              ) -> str:
    """One statement about ``target`` whose stance toward it is ``label`` (favor/against; ``none`` for that frame)."""
    if frame == "none":
        sign = rng.choice((1, -1))
        if others and rng.random() < 0.5:  # the evaluation is about another target
            return _cap(_clause(rng.choice(others), sign, False, lex, rng)) + "."
        ask = rng.choice(("Reporters asked whether {c}.", "The survey asks people if {c}.",
                          "The debate tonight is about whether {c}.", "We will know in a year whether {c}."))
        return ask.format(c=_clause(target, sign, False, lex, rng))
    sign = 1 if label == "favor" else -1
    if frame == "direct":
        return _cap(_clause(target, sign, False, lex, rng)) + "."
    if frame == "negated":
        if rng.random() < 0.5:
            return _cap(_clause(target, -sign, True, lex, rng)) + "."
        wrap = rng.choice(("I don't think {c}.", "It is simply not true that {c}.", "Nobody can seriously claim {c}."))
        return wrap.format(c=_clause(target, -sign, False, lex, rng))
    if frame == "hedged":
        wrap = rng.choice(("I suspect {c}.", "It seems to me that {c}.", "Perhaps {c}.", "{C}, I think.",
                           "I may be wrong, but {c}."))
        c = _clause(target, sign, False, lex, rng)
        return wrap.format(c=c, C=_cap(c))
    if frame == "contrast":
        other = rng.choice(others) if others and rng.random() < 0.5 else rng.choice(OTHERS)
        first = _clause(other, -sign, False, lex, rng)
        second = _clause(target, sign, False, lex, rng)
        wrap = rng.choice(("{a}, but {b}.", "{a}; {b}, though.", "While {a0}, {b}."))
        return wrap.format(a=_cap(first), a0=first, b=second)
    if frame == "reported":
        keep = rng.random() < 0.5
        c = _clause(target, sign if keep else -sign, False, lex, rng)
        wrap = rng.choice(("As many have said, {c}.", "My colleagues say {c}, and they are right.",
                           "Everyone I meet tells me {c}.") if keep else
                          ("Critics say {c}; they could not be more wrong.", "Some claim {c}. I disagree.",
                           "My opponents keep saying {c}, but the facts say otherwise."))
        return wrap.format(c=c)
    # speaker frames: a verb of the lexicon in the first person, or a speaker's framing of a clause
    verbs = lex.get("verb", {}).get(sign)
    if verbs and rng.random() < 0.4:
        return rng.choice(("I {v} {t}.", "We {v} {t}, and we always will.", "Frankly, I {v} {t}.")).format(
            v=rng.choice(verbs), t=target)
    wrap = rng.choice(("Let me be clear: {c}.", "I believe {c}.", "We have said it before and we will say it again: "
                       "{c}.", "Frankly, {c}.", "My position is simple: {c}."))
    return wrap.format(c=_clause(target, sign, False, lex, rng))


def lexicon_rows(rows: Sequence[dict[str, Any]], n: int, labels: Sequence[str], rng: random.Random,
                 lexicon: str | Path = LEXICON_FILE) -> list[dict[str, Any]]:
    """``n`` statements about the distinct targets of ``rows`` (training rows), favor and against in equal numbers
    (plus ``none`` statements when ``none`` is a label), shaped like ``rows`` (other fields copied from the target's
    first row, ``group`` set to ``lexicon``)."""
    if n <= 0 or not rows or not {"favor", "against"} <= set(labels):
        return []
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(row["target"], row)
    targets = sorted(first)
    lex = load_lexicon(str(lexicon))
    frames = {f: w for f, w in FRAMES.items() if f != "none" or "none" in labels}
    names, weights = list(frames), list(frames.values())
    out = []
    for i in range(n):
        target = targets[i % len(targets)] if i < len(targets) else rng.choice(targets)
        frame = rng.choices(names, weights)[0]
        label = "none" if frame == "none" else ("favor", "against")[i % 2]
        others = [t for t in targets if t != target]
        text = statement(target, label, frame, lex, rng, others)
        out.append({**first[target], "text": text, "target": target, "label": label, "group": "lexicon"})
    return out
