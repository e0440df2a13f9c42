"""The fallback tag stripper runs in linear time on hostile markup: 10 times the input takes about 10 times as
long, not 100 (docs/reliability.md, case 7). Measured as a ratio, so a slow or busy machine does not fail it."""

from __future__ import annotations

import pytest

from stance.data.articles import _strip_tags
from tests.helpers_timing import MAX_RATIO, size_ratio

SMALL, LARGE = 20_000, 200_000  # quadratic before the fix: a ratio of 90-130

HOSTILE = {
    "unclosed script tags": "<script>x ",
    "unclosed style and svg": "<style>a<svg>b ",
    "unclosed comments": "<!-- x ",
    "opening brackets without a closing one": "< a",
    "block tag with endless spaces": "<p" + " " * 50,
    "spaces of other kinds between words": "a" + "\u2003" * 40 + "b\n",
    "entities": "&amp;&#12345;&unknown ",
    "closing tags without openers": "</script x </div ",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_strip_tags_is_linear(case: str) -> None:
    small, large, ratio = size_ratio(_strip_tags, HOSTILE[case], SMALL, LARGE, repeat=5)
    print(f"{case}: {small * 1e3:.2f} ms / {large * 1e3:.2f} ms, ratio {ratio:.1f}")
    assert ratio < MAX_RATIO, f"{case}: {SMALL} -> {LARGE} characters took {ratio:.0f}x as long"


@pytest.mark.parametrize(("markup", "expected"), [
    ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
    ("<html><head><title>T</title></head><body><script>var a = '<p>';</script>Text</body></html>", "Text"),
    ("a<!-- gone -->b", "a b"),
    ("<div>Line one<br>Line two</div>", "Line one\n\nLine two"),
    ("x <SCRIPT type='a'>hidden</script >y", "x y"),
    ("<script>never closed <p>kept</p>", "never closed\n\nkept"),
    ("a < b and c > d", "a d"),
    ("<>", "<>"),
    ("<!-- open <b>bold</b>", "bold"),
    ("  \\n\\n  ", ""),
    ("para one\n\n\n\npara two\nline", "para one\n\npara two\nline"),
])
def test_strip_tags_output(markup: str, expected: str) -> None:
    assert _strip_tags(markup.replace("\\n", "\n")) == expected
