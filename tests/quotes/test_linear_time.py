"""The extractor runs in linear time on hostile text (issue #19, case 7): 10 times the input takes about 10 times
as long, not 100. Measured as a ratio, so a slow or busy machine does not fail it."""

from __future__ import annotations

import pytest

from stance.quotes import extract_quotes
from tests.helpers_timing import MAX_RATIO, size_ratio

SMALL, LARGE = 20_000, 200_000  # before the fix 100 KB of '"ab' took 36 s against 1.5 s for 20 KB

HOSTILE = {
    "quotation marks without spaces": '"ab',
    "nested curly and single marks without sentence ends": "\u201ca\u2018b\u2019c\u201d",
    "opening marks after a cue": 'said "',
    "abbreviations between quotations": 'U.S. "a." ',
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_extract_quotes_is_linear(case: str) -> None:
    small, large, ratio = size_ratio(extract_quotes, HOSTILE[case], SMALL, LARGE)
    print(f"{case}: {small * 1e3:.0f} ms / {large * 1e3:.0f} ms, ratio {ratio:.1f}")
    assert ratio < MAX_RATIO, f"{case}: {SMALL} -> {LARGE} characters took {ratio:.0f}x as long"
