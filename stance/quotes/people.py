"""The people of an article: person mentions indexed once, and pronoun, surname and title resolution to them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from .lexicon import (
    DETERMINERS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    HONORIFICS,
    MALE_NAMES_A,
    MALE_WORDS,
    NAME_STOP,
    ORG_OR_TITLE_WORDS,
    PRONOUNS,
    TITLE_WORDS,
)
from .mentions import (
    NAMEWORD,
    UP,
    clean_name,
    normalize_role,
    pre_role,
    role_like,
    split_title,
)
from .records import Person

# A full name, optionally after an honorific: "(?<![\w.’'])(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?{NAMEWORD}...",
# written to start with the capital letter (then the look-behind at the letter before it, then the honorific's or
# the name word's other letters), so that the search skips to capital letters instead of trying every position:
# the same matches, about twice as fast.
NAMEWORD_REST = r"[^\W\d_]+(?:[-’'][^\W\d_]+)*"
HONORIFIC_REST = "|".join(
    rf"(?<={first})(?:{rest})\.\s+{NAMEWORD}"
    for first, rest in (("M", "r|rs|s"), ("D", "r"), ("S", "en"), ("R", "ep"), ("G", "ov|en"), ("P", "rof"))
)
PERSON_RE = re.compile(
    rf"{UP}(?<![\w.’'].)(?:{HONORIFIC_REST}|{NAMEWORD_REST})(?:\s+[A-Z]\.)*"
    rf"(?:\s+(?:(?:de|da|van|von|der|den|bin|al|la|le|del|di|du|dos|ter)\s+)?{NAMEWORD}(?:\s+[A-Z]\.)*){{1,5}}"
    rf"(?:,?\s+(?:Jr|Sr)\.?)?"
)
APPOS_AFTER_RE = re.compile(r",\s+((?:the\s+|an?\s+)?[^,.;:!?\"“”()]{2,100}?)\s*(?=,|\.\s|;|\s+(?:said|told|says)\b)")
NAMEWORD_RE = re.compile(NAMEWORD)
NAMEWORD_GOES_ON_RE = re.compile(r"[^\W\d_]|[-’'][^\W\d_]")
#: up to this many known surnames, each is looked up with ``str.find``; beyond, one regex pass over the text
FIND_MAX_SURNAMES = 24
# Person mentions looked back through for a pronoun's or a role phrase's person: a bound that keeps a text of many
# mentions linear in time (a news article has far fewer).
MAX_LOOKBACK = 500


def guess_gender(words: list[str], titles: list[str], role: str | None) -> str | None:
    """A guess at a person's gender from honorifics, role words and the first name; None when unsure."""
    hints = {t.lower() for t in titles}
    if role:
        hints.update(w.lower().strip(".,") for w in role.split())
    if hints & FEMALE_WORDS:
        return "f"
    if hints & MALE_WORDS:
        return "m"
    if not words:
        return None
    first = words[0].lower()
    if first in FEMALE_NAMES:
        return "f"
    if first.endswith("a") and first not in MALE_NAMES_A and len(first) > 2:
        return "f"
    return "m" if len(words) >= 2 and first.replace("-", "").isalpha() else None


class People:
    """The person mentions of one article, in text order, and the people they name, by surname."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.persons: list[tuple[int, Person]] = []  # (position, person) of each person mention, in order
        self.by_last: dict[str, Person] = {}
        self.index()

    def index(self) -> None:
        """Index person mentions: full names (with any title before them and apposition after them, kept as the
        person's role and gender hints), then surname-only mentions of people already named."""
        text = self.text
        for m in PERSON_RE.finditer(text):
            words = m.group().split()
            start = m.start()
            while words and words[0] in NAME_STOP:
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
            titles, words = split_title(words)
            if len(words) < 2 or not ORG_OR_TITLE_WORDS.isdisjoint(words):
                if len(words) == 1 and words[0] in self.by_last:
                    self.persons.append((m.start(), self.by_last[words[0]]))
                continue
            if not words[0][:1].isupper():
                continue
            name = clean_name(" ".join(words))
            role = " ".join(t for t in titles if t not in HONORIFICS) or None
            if role is None:
                before = text[max(0, start - 60) : start].split("\n")[-1]
                role = pre_role(before.split())
            if role is None:
                am = APPOS_AFTER_RE.match(text, m.end())
                if am and role_like(am.group(1)):
                    role = am.group(1)
            # (mentions come in text order here, so the person list stays sorted by appending)
            self.register(name, m.start(), normalize_role(role), titles, append=True)
        # Surname-only mentions ("Orlov said") of people named in full earlier: each known surname looked up with
        # ``str.find`` (much faster than reading every capitalised word); an occurrence counts when it is a whole
        # name word (no word character, apostrophe or hyphen before it, and the word does not go on after it).
        found = []
        known = {last: p for last, p in self.by_last.items() if NAMEWORD_RE.fullmatch(last) is not None}
        if len(known) > FIND_MAX_SURNAMES:
            # many people (a long transcript): one pass of a pattern of all the surnames, not one pass per surname
            pattern = re.compile(r"(?<![\w’'-])(?:%s)(?![^\W\d_]|[-’'][^\W\d_])"
                                 % "|".join(map(re.escape, sorted(known, key=len, reverse=True))))
            found = [(m.start(), known[m.group()]) for m in pattern.finditer(text)]
        else:
            for last, p in known.items():
                n = len(last)
                k = text.find(last)
                while k >= 0:
                    before = text[k - 1] if k > 0 else " "
                    if not (before.isalnum() or before in "_’'-") and not NAMEWORD_GOES_ON_RE.match(text, k + n):
                        found.append((k, p))
                    k = text.find(last, k + 1)
            found.sort(key=lambda x: x[0])
        self.persons.extend(found)
        self.persons.sort(key=lambda x: x[0])

    def register(self, name: str, pos: int, role: str | None, titles: list[str] | None = None,
                  append: bool = False) -> Person:
        """The person named ``name`` at ``pos`` (found by surname, its name and role completed, or new), its
        mention recorded (``append``: mentions come in text order, so appending keeps the list sorted)."""
        words = name.split()
        if len(words) > 1 and words[-1].rstrip(".") in ("Jr", "Sr"):
            words = words[:-1]
        last = words[-1].rstrip(".,") if words else name
        person = self.by_last.get(last)
        if person is None:
            person = Person(name, role)
            self.by_last[last] = person
        else:
            if len(words) >= 2 and len(name) > len(person.name) and not words[0] in TITLE_WORDS:
                person.name = name
            if role and not person.role:
                person.role = role
        if person.gender is None:
            person.gender = guess_gender(words, titles or [], role)
        if append:
            self.persons.append((pos, person))
        else:
            bisect.insort(self.persons, (pos, person), key=lambda x: x[0])
        return person

    def resolve(self, s: int, e: int, role: str | None) -> tuple[str | None, str | None]:
        """The full name and role for the mention ``text[s:e]``."""
        mention = clean_name(self.text[s:e])
        low = mention.lower()
        if low == "who":
            # A relative pronoun: the person named right before it ("said Beck, who said ...").
            person = self.most_recent(s)
            return (person.name, person.role) if person is not None else (mention, None)
        if low in PRONOUNS:
            if low in ("it", "you", "they", "we"):
                return mention, None
            if low == "i":
                return mention, None
            person = self.most_recent(s, "m" if low == "he" else "f" if low == "she" else None)
            if person is None:
                return mention, None
            return person.name, person.role
        words = mention.split()
        if words and words[0][:1].isupper() and words[0].lower() not in DETERMINERS:
            titles, words = split_title(words)
            if titles and not role:
                role = " ".join(t for t in titles if t not in HONORIFICS) or None
            name = " ".join(words)
            person = self.register(name, s, role)
            return person.name, role or person.role
        # A common-noun phrase: "the minister" -> the most recent person with that role word, if any.
        head = words[-1].lower() if words else ""
        if words and words[0].lower() in ("the", "this") and len(words) <= 4:
            for p in self._people_before(s):
                if p.role and head in p.role.lower():
                    return p.name, p.role
        return mention, role

    def _people_before(self, pos: int) -> Iterator[Person]:
        """The people of the mentions before ``pos``, the nearest first, at most :data:`MAX_LOOKBACK` of them."""
        k = bisect.bisect_left(self.persons, pos, key=lambda x: x[0])
        return (self.persons[i][1] for i in range(k - 1, max(-1, k - 1 - MAX_LOOKBACK), -1))

    def most_recent(self, pos: int, gender: str | None = None) -> Person | None:
        """The person mentioned last before ``pos``, agreeing in gender when it is known (else the last one of
        unknown gender)."""
        unknown = None
        for person in self._people_before(pos):
            if gender is None or person.gender == gender:
                return person
            if person.gender is None and unknown is None:
                unknown = person
        return unknown
