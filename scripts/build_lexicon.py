"""Build stance/data/vader_predicates.tsv: evaluative words of the VADER lexicon, each with a part of speech,
for the lexicon statements of stance.data.lexicon (``data.lexicon_statements``).

    pip download --no-deps vaderSentiment==3.3.2 && unzip vaderSentiment-3.3.2-*.whl 'vaderSentiment/*'
    python scripts/build_lexicon.py vaderSentiment/vader_lexicon.txt

VADER (Hutto & Gilbert, 2014; MIT licence, copyright C.J. Hutto) rates 7,500 words and emoticons from -4 to +4 by
the mean of ten human ratings. Kept: lower-case alphabetic words of at least four letters whose mean is at least
``--min-valence`` in absolute value and whose ratings mostly agree on the sign (standard deviation below
``--max-sd``). Parts of speech come from the lexicon itself, with no tagger (every rule is a property of the word
list, none is keyed on any evaluation text):

- verb: the lexicon also holds its -ed and -ing forms, and an -able form (admirable), which makes a
  transitive reading likely ("I admire T");
- noun (count): the lexicon also holds its plural, not its -ed/-ing forms nor an -ly adverb
  ("T would be a disaster"); agent nouns (admirer: the lexicon holds admire) are left out;
- noun (mass): an abstract-noun suffix (-ness, -ity, -ism, -ment, -tion, -ance, -ence) and no plural
  ("T is a recipe for misery");
- adjective: the lexicon also holds its -ly adverb, or an adjective suffix (-ful, -ous, -ive, -able, -ible,
  -less, -ic, -ical, -ant, -ent) ("T is shameful").
Words that fit none are left out. The output is sorted and deterministic.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "stance" / "data" / "vader_predicates.tsv"
ADJ_SUFFIXES = ("ful", "ous", "ive", "able", "ible", "less", "ic", "ical", "ant", "ent")
# vulgar words and slurs of the lexicon are left out of generated statements
VULGAR = ("bitch", "bastard", "cock", "fuck", "shit", "dick", "piss", "whore", "slut", "rape", "cunt", "asshole",
          "damn", "crap", "suck", "pervert", "retard", "douche", "prick", "twat", "wank", "nigg", "fag")
MASS_SUFFIXES = ("ness", "ity", "ism", "ment", "tion", "sion", "ance", "ence")
MIT = """The MIT License (MIT)

Copyright (c) 2016 C.J. Hutto

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""


def read(path: Path) -> dict[str, tuple[float, float]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            out[parts[0]] = (float(parts[1]), float(parts[2]))
    return out


def forms(word: str) -> dict[str, tuple[str, ...]]:
    stem_e = word[:-1] if word.endswith("e") else word
    stem_y = word[:-1] + "i" if word.endswith("y") else word
    return {
        "ed": (word + "ed", word + "d", stem_y + "ed", word + word[-1] + "ed"),
        "ing": (word + "ing", stem_e + "ing", word + word[-1] + "ing"),
        "able": (stem_e + "able", word + "able", stem_y + "able", stem_e + "ible", word + "ible"),
        "plural": (word + "s", word + "es", stem_y + "es"),
        "adverb": (word + "ly", stem_y + "ly", word[:-1] + "y" if word.endswith("le") else word + "ly"),
    }


def pos_of(word: str, lex: dict) -> str | None:
    f = forms(word)
    has = {k: any(w in lex and w != word for w in v) for k, v in f.items()}
    if word.endswith(("ed", "ing", "ly", "s")) and not word.endswith(MASS_SUFFIXES + ADJ_SUFFIXES):
        return None  # inflected forms and adverbs: their base word carries the entry
    if has["ed"] and has["ing"] and has["able"]:
        return "verb"
    if word.endswith(("er", "or", "ee", "ist")) and any(
            w in lex for w in (word[:-2], word[:-1], word[:-2] + "e", word[:-3], word[:-3] + "e")):
        return None  # agent nouns (admirer, attacker): a person, not an evaluation of the target
    if word.endswith(MASS_SUFFIXES) and not has["plural"]:
        return "mass"
    if has["plural"] and has["adverb"] and not word.endswith(MASS_SUFFIXES):
        return None  # both a plural and an adverb (cheer, bold): no telling
    if has["plural"] and not (has["ed"] or has["ing"]) and not word.endswith(ADJ_SUFFIXES + MASS_SUFFIXES):
        return "noun"
    if word.endswith(MASS_SUFFIXES):
        return "noun"
    if has["adverb"] or word.endswith(ADJ_SUFFIXES):
        return "adj"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vader_lexicon", type=Path, help="vader_lexicon.txt of the vaderSentiment package")
    ap.add_argument("--min-valence", type=float, default=1.5)
    ap.add_argument("--max-sd", type=float, default=1.2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lex = read(args.vader_lexicon)
    rows = []
    for word, (mean, sd) in sorted(lex.items()):
        if not (word.isalpha() and word.islower() and len(word) >= 4):
            continue
        if abs(mean) < args.min_valence or sd > args.max_sd or any(v in word for v in VULGAR):
            continue
        pos = pos_of(word, lex)
        if pos:
            rows.append(f"{word}\t{pos}\t{mean:+.1f}")
    header = ["# Evaluative words of the VADER sentiment lexicon (vaderSentiment 3.3.2, vader_lexicon.txt), with a",
              "# part of speech read off the lexicon: built by scripts/build_lexicon.py; columns: word, pos, valence",
              "# (the VADER mean rating, -4..+4). Used by stance.data.lexicon. Licence of the lexicon:", "#"]
    header += ["# " + line if line else "#" for line in MIT.splitlines()]
    args.out.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    counts = statistics.multimode([r.split("\t")[1] for r in rows])
    by = {p: sum(r.split("\t")[1] == p for r in rows) for p in ("adj", "noun", "mass", "verb")}
    print(f"{len(rows)} words -> {args.out} {by} (most: {counts})")


if __name__ == "__main__":
    main()
