"""Speaker mentions: the name, pronoun or noun phrase in a subject chunk, title words and roles, clean names."""

from __future__ import annotations

import re

from .lexicon import (
    CLAUSE_WORDS,
    DETERMINERS,
    HONORIFICS,
    LEAD_SKIP,
    LOWER_TITLES,
    NAME_STOP,
    PERSONAL_PRONOUNS,
    PRONOUNS,
    ROLE_STOP,
    SPEECH_VERB_SET,
    TIME_WORDS,
    TITLE_WORDS,
)
from .marks import MARK_RE
from .text import LETTER_RE, SPACE_RE, TOKEN_RE

UP = r"[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F]"
NAMEWORD = rf"{UP}[^\W\d_]+(?:[-’'][^\W\d_]+)*"
SENT_SUBJECT_RE = re.compile(
    rf"\s*(?:(?:But|And|So|Then|Still|Yet|Later|Earlier|Meanwhile|However),?\s+)?"
    rf"((?:[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)\b|(?:{UP}[\w’'.\-]*\s+){{0,5}}{UP}[\w’'\-]*)"
)
PAREN_TAIL_RE = re.compile(r"\s*\([^()]{1,30}\)\s*\Z")
ROLE_CUT_RE = re.compile(r"\s+(?:who|which|whose|with|where|when|since|after|before|while)\b.*$|\s*,.*$", re.S)
ROLE_LEAD_RE = re.compile(r"^(?:(?:a|an|its|their|his|her)\s+)?(?:\d+-year-old\s+)?", re.I)


def mention_from_chunk(text: str, cs: int, ce: int, from_end: bool = True) -> tuple[int, int, str | None] | None:
    """Find the speaker mention in ``text[cs:ce]`` (a subject or inverted-subject chunk).

    Returns (start, end, role) of the mention, with a role taken from title words before a name. A mention never
    crosses a quotation mark: the chunk is cut after its last mark (before its first one when the subject follows
    the verb)."""
    toks = _chunk_tokens(text, cs, ce, from_end)
    if toks is None:
        return None
    if from_end:
        # The subject ends right before the verb: walk backwards.
        last = toks[-1][2]
        if last.lower() in PRONOUNS and len(toks) <= 3:
            return toks[-1][0], toks[-1][1], None
    else:
        first = toks[0][2]
        if first.lower() in PRONOUNS:
            return (toks[0][0], toks[0][1], None) if len(toks) == 1 else None
    caps = [t for t in toks if t[2][:1].isupper() or t[2][:1].isdigit()]
    lower_words = [t for t in toks if t[2][:1].islower()]
    # A name: the last run of capitalized tokens (particles allowed inside).
    run: list[tuple[int, int, str]] = []
    i = len(toks) - 1
    while i >= 0:
        w = toks[i][2]
        if w[:1].isupper() or (run and w in ("de", "da", "van", "von", "der", "bin", "al", "la", "le", "del", "di")):
            run.insert(0, toks[i])
            i -= 1
        else:
            break
    if run and i < len(toks) - 1 and run[-1] is toks[-1]:
        # Split title words off the front of the run ("Foreign Minister Sergey Lavrov").
        k = 0
        while k < len(run) - 1 and run[k][2].lower() in DETERMINERS:
            k += 1
        titles, _ = split_title([t[2] for t in run[k:]])
        k += len(titles)
        name_toks = run[k:]
        if name_toks and name_toks[0][2] in NAME_STOP and len(name_toks) == 1 and name_toks[0][2] != "I":
            return None
        if name_toks:
            role_toks = toks[: len(toks) - len(name_toks)]
            role = pre_role([t[2] for t in role_toks])
            if len(toks) - len(name_toks) > 8:
                return None
            return name_toks[0][0], name_toks[-1][1], role
    if not caps or lower_words:
        # A common-noun phrase ("a senior official", "the minister", "sources"): the whole chunk.
        first = toks[0][2].lower()
        if first in DETERMINERS or len(toks) <= 2 or toks[0][2][:1].isupper():
            if len(toks) <= 8:
                return toks[0][0], toks[-1][1], None
    return None


def _chunk_tokens(text: str, cs: int, ce: int, from_end: bool) -> list[tuple[int, int, str]] | None:
    """The tokens of a subject chunk that may hold the mention, as (start, end, token); None when the chunk is
    empty, too long, or a clause without a pronoun or name right before the verb."""
    marks = [m.start() for m in MARK_RE.finditer(text, cs, ce)]
    if marks:
        if from_end:
            cs = marks[-1] + (2 if text.startswith("''", marks[-1]) else 1)
        else:
            ce = marks[0]
    pm = PAREN_TAIL_RE.search(text, cs, ce) if from_end else None
    if pm is not None and pm.start() > cs:
        ce = pm.start()  # "Harry M. Reid (D-Nev.) told": the party tag is not part of the name
    chunk = text[cs:ce]
    toks = [(cs + m.start(), cs + m.end(), m.group()) for m in TOKEN_RE.finditer(chunk)]
    # Leading conjunctions and adverbs are not part of the subject ("But Tom Miller argues"), nor trailing times
    # ("Priebus later Thursday told").
    while toks and toks[0][2].lower() in LEAD_SKIP:
        toks = toks[1:]
    if from_end:
        while len(toks) > 1 and toks[-1][2].lower().rstrip(".") in TIME_WORDS:
            toks = toks[:-1]
    if not toks or len(toks) > 14:
        return None
    if any(t[2].lower() in CLAUSE_WORDS for t in toks):
        # A clause rather than a noun phrase: only a pronoun or name right before the verb can be the subject.
        last = toks[-1][2]
        if from_end and (last.lower() in PERSONAL_PRONOUNS or last[:1].isupper()):
            k = len(toks) - 1
            while k > 0 and toks[k - 1][2][:1].isupper() and toks[k - 1][2].lower() not in CLAUSE_WORDS:
                k -= 1
            toks = toks[k:]
        else:
            return None
    return toks


def role_like(phrase: str) -> bool:
    """Whether an apposition reads like a role ("the union's chairman", "regional director of X")."""
    words = phrase.split()
    if not words or not words[0][:1].islower():
        return False
    for w in words[:4]:
        lw = w.lower().strip(",.")
        if lw in CLAUSE_WORDS or lw in SPEECH_VERB_SET:
            return False
    first = words[0].lower()
    if first not in ("the", "a", "an") and (first.endswith("ed") or first.endswith("ing")):
        return False
    return True


def pre_role(words: list[str]) -> str | None:
    """The role words right before a name ("Club chairman", "Turkey's trade minister"), if the last is a title."""
    if not words:
        return None
    last = words[-1].strip(",")
    if not (last in TITLE_WORDS or last.lower() in LOWER_TITLES):
        return None
    out: list[str] = []
    for w in reversed(words):
        if w.lower() in ROLE_STOP or w.lower() in SPEECH_VERB_SET or w.endswith(",") or len(out) >= 4:
            break
        out.insert(0, w)
    role = " ".join(t for t in out if t not in HONORIFICS)
    return role or None


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split "Swiss Environment Minister Sophie Delacroix" into title words and name words, at the last title word."""
    k = -1
    for i, w in enumerate(words[:-1]):
        if w in TITLE_WORDS or w.lower() in LOWER_TITLES:
            k = i
    return words[: k + 1], words[k + 1 :]


def normalize_role(role: str | None) -> str | None:
    """A role as a short noun phrase: no leading article or age, no relative clause or second apposition."""
    if not role:
        return None
    role = SPACE_RE.sub(" ", role).strip(" ,")
    role = ROLE_CUT_RE.sub("", role)
    role = ROLE_LEAD_RE.sub("", role).strip(" ,")
    if not role or not LETTER_RE.search(role) or len(role.split()) > 14:
        return None
    if role.split()[0].lower() in ("who", "which", "whose", "adding", "according", "in", "on", "at", "speaking"):
        return None
    return role


def clean_name(name: str) -> str:
    """A name with its white space folded and without a trailing possessive."""
    name = SPACE_RE.sub(" ", name).strip(" ,")
    if name.endswith("’s") or name.endswith("'s"):
        name = name[:-2]
    return name
