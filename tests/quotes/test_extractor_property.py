"""Property-based tests: arbitrary text with arbitrary quotation marks never raises, every offset points into the
text, and no speaker holds a quotation mark (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stance.quotes import PIECE_SEPARATOR, extract
from tests.helpers_timing import MAX_RATIO, size_ratio

MARKS = ['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018", "\u2019", "'", "''", "\u2039", "\u203a"]
PIECES = MARKS + [
    " ", "\n", "\n\n", ",", ".", ":", "?", "!", " said ", " told reporters", " according to ", " he said.",
    " she added", "Sergey Lavrov", "Lavrov", "the minister", "Mr. ", " that ", "We will win", "the plan", "\u2014",
    "Speaking on ABC's ", "This Week", "Tough Choices", " needled the ", " saying, ",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join),
)


def _has_mark(s: str) -> bool:
    return "''" in s or any(c in s for c in '"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a')


def _check(text: str) -> None:
    res = extract(text)
    last = -1
    for q in res.quotes:
        assert 0 <= q.quote_start <= q.quote_end <= len(text)
        # the pieces of the attribution: in order, apart, inside the outer span, and together its text
        assert q.pieces[0][0] == q.quote_start and q.pieces[-1][1] == q.quote_end
        assert all(s <= e <= s2 <= e2 for (s, e), (s2, e2) in zip(q.pieces, q.pieces[1:]))
        assert q.quote == PIECE_SEPARATOR.join(text[s:e] for s, e in q.pieces)
        if len(q.pieces) == 1:
            assert text[q.quote_start : q.quote_end] == q.quote
        assert q.quote_start >= last  # document order
        last = q.quote_start
        assert (q.speaker_start is None) == (q.speaker_end is None)
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert not _has_mark(text[q.speaker_start : q.speaker_end]), (q.speaker_start, q.speaker_end)
        assert q.speaker is None or not _has_mark(q.speaker), q.speaker  # a speaker never holds a quotation mark
        assert isinstance(q.direct, bool) and q.paragraph >= 0
    assert all(isinstance(w, str) for w in res.warnings)
    assert not any(w.startswith("internal error") for w in res.warnings), res.warnings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example('Speaking on ABC\'s "This Week," Sanders said the plan was "a disaster" for farmers.')
@example('Kerpen needled the CNN \u201creporter,\u201d saying, \u201cA reporter who tweets on request!\u201d')
def test_arbitrary_text_never_raises_and_offsets_point_into_text(text):
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MARKS), st.text(min_size=1, max_size=40), st.sampled_from(MARKS)), max_size=8))
def test_arbitrary_mark_pairs(parts):
    text = " Anna Berg said. ".join(f"{a}{body}{b}" for a, body, b in parts)
    _check(text)


# Bidi controls and letters of other scripts too: the right-to-left case.
UNIT_PIECES = PIECES + ["\u200f", "\u2067", "\u2069", "\u05d0\u05de\u05e8", "\u0642\u0627\u0644", "U.S.", "a"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(UNIT_PIECES), min_size=1, max_size=6).map("".join))
@example('"ab')  # issue #19: 100 KB of it took 36 s before the extractor's context was capped
@example("\u201ca\u2018b\u2019c\u201d")
# found by this test: a clause read to a far sentence end, a pronoun's person looked up from the text start, and
# the pieces of a long run of quotations joined one at a time
@example("\u201cWe will win\u201c saying, !")
@example(" told reporters:\u200fSpeaking on ABC's  she added\u201c")
@example(" she added\u00ab needled the Tough Choices\n\n")
@example("the plan told reporters\u2019 saying, \u201cWe will win")
def test_any_repeated_unit_stays_near_linear(unit):
    """Any text made of one short unit repeated (the hostile shape: no sentence ends, a mark every few characters)
    takes about 10 times as long at 10 times the size; quadratic would be 100 (limit 40 for a busy machine)."""
    ratio = size_ratio(extract, unit, 5_000, 50_000)[2]
    assert ratio < MAX_RATIO, f"{unit!r}: 5 KB -> 50 KB took {ratio:.0f}x as long"
