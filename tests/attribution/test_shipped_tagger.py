"""The tagger shipped with the package (skipped where it was never built): the reported speech the rules alone
got wrong comes out whole, with its speaker."""

from __future__ import annotations

import pytest

from stance.attribution import StatementExtractor
from stance.attribution.tagger import shipped_model_dir

pytestmark = pytest.mark.skipif(not (shipped_model_dir() / "model.safetensors").is_file(),
                                reason="no shipped attribution tagger (make tagger)")

# (sentence, the reported clause, the speaker): issue #27's cases, each completed into a whole sentence
CASES = [
    ("On Monday, Smith said the plan was reckless.", "the plan was reckless", "Smith"),
    ("Speaking to reporters, Smith said the plan was reckless.", "the plan was reckless", "Smith"),
    ("In a statement, the ministry said the talks would resume next week.", "the talks would resume next week",
     "the ministry"),
    ("Priya Nair said the data on fish was mixed.", "the data on fish was mixed", "Priya Nair"),
    ("Tenants' advocate Sofia Mendes welcomed the plan but said the rents were still too high.",
     "the rents were still too high", "Sofia Mendes"),
]


@pytest.fixture(scope="module")
def extractor() -> StatementExtractor:
    return StatementExtractor("both")


@pytest.mark.parametrize(("sentence", "clause", "speaker"), CASES)
def test_reported_speech_comes_out_whole_with_its_speaker(extractor: StatementExtractor, sentence: str,
                                                          clause: str, speaker: str) -> None:
    quotes = extractor.extract(sentence).quotes
    assert [(q.quote.rstrip("."), q.speaker, q.kind) for q in quotes] == [(clause, speaker, "indirect")]


def test_the_shipped_tagger_keeps_the_rules_direct_quotations(extractor: StatementExtractor) -> None:
    text = ('"We will not move an inch," Dmitri Orlov said. "Not this year, not the next."\n\n'
            "Orlov said the union would strike again in May.")
    quotes = extractor.extract(text).quotes
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Dmitri Orlov"), ("indirect", "Dmitri Orlov")]
    assert quotes[0].pieces == [(1, 26), (48, 76)]
