"""Rules and tagger together: decoding tagged spans, combining records, the three modes, the kind of a record."""

from __future__ import annotations

import json

import pytest

from helpers_models import make_tiny_tagger
from stance.attribution import StatementExtractor, combine, from_config
from stance.attribution.corpus import load_attributions
from stance.attribution.decode import attributions
from stance.attribution.tagger import AttributionTagger, TaggedSpan, spans_from_labels
from stance.attribution.windows import LABELS
from stance.errors import ConfigError, DataError, InputNotFoundError, ModelConfigError
from stance.quotes import Quote, extract, quote_kind

L = {name: i for i, name in enumerate(LABELS)}


def test_bio_decoding() -> None:
    text = "Smith said the plan was not reckless at all"
    toks = [(0, 5, L["B-SOURCE"], 1.0), (6, 10, L["B-CUE"], 1.0), (11, 14, L["B-CONTENT"], 1.0),
            (15, 19, L["I-CONTENT"], 0.5), (20, 23, L["O"], 1.0), (24, 27, L["I-CONTENT"], 1.0),
            (28, 30, L["I-SOURCE"], 1.0)]
    assert spans_from_labels(text, toks) == [TaggedSpan("SOURCE", 0, 5), TaggedSpan("CUE", 6, 10),
                                       TaggedSpan("CONTENT", 11, 19, 0.75), TaggedSpan("CONTENT", 24, 27),
                                       TaggedSpan("SOURCE", 28, 30)]
    # a word goes with its first token: "Gennifer" tokenized as "gen" + "##nifer" is never cut in two
    text = "Gennifer Flowers said"
    toks = [(0, 3, L["O"], 1.0), (3, 8, L["B-CONTENT"], 1.0), (9, 16, L["I-SOURCE"], 1.0), (17, 21, L["B-CUE"], 1.0)]
    assert spans_from_labels(text, toks) == [TaggedSpan("SOURCE", 9, 16), TaggedSpan("CUE", 17, 21)]


def test_split_quote_is_one_attribution_with_its_cue_and_source() -> None:
    text = '"We will win," she said, "and soon." Smith said the plan was reckless.'
    spans = [TaggedSpan("CONTENT", 1, 13), TaggedSpan("SOURCE", 15, 18), TaggedSpan("CUE", 19, 23),
             TaggedSpan("CONTENT", 26, 35), TaggedSpan("SOURCE", 37, 42), TaggedSpan("CUE", 43, 47),
             TaggedSpan("CONTENT", 48, 69)]
    found = attributions(text, spans, min_words=1)
    assert [a.pieces for a in found] == [[(1, 13), (26, 35)], [(48, 69)]]
    assert [(a.source, a.cue) for a in found] == [((15, 18), (19, 23)), ((37, 42), (43, 47))]
    # short contents, and contents the tagger was unsure of, are left out; fragments split by punctuation join
    assert [a.pieces for a in attributions(text, spans)] == [[(1, 13)], [(48, 69)]]
    unsure = [TaggedSpan(s.part, s.start, s.end, 0.5 if s.start == 48 else 1.0) for s in spans]
    assert [a.pieces for a in attributions(text, unsure)] == [[(1, 13)]]
    frags = [TaggedSpan("CONTENT", 48, 56), TaggedSpan("CONTENT", 57, 69)]
    assert [a.pieces for a in attributions(text, frags)] == [[(48, 69)]]


def _q(s: int, e: int, kind: str, speaker: str | None = "X", mention: int | None = None) -> Quote:
    m = s - 5 if mention is None else mention  # the speaker mention: just before the statement unless given
    return Quote("q", s, e, speaker, m if speaker else None, m + 3 if speaker else None, None, "said",
                 kind == "direct", 0, kind=kind)


def test_combine_keeps_rules_quotations_and_prefers_the_tagger_on_reported_speech() -> None:
    rules = [_q(10, 30, "direct"), _q(100, 110, "indirect", "Smith"), _q(200, 240, "indirect"),
             _q(400, 420, "indirect", "W", mention=430)]
    tagged = [_q(12, 30, "direct", "Y"),          # the same quotation: the rules' record stays
              _q(95, 130, "indirect", None),      # replaces the rules' shorter clause, takes its speaker
              _q(300, 320, "mixed", "Z"),         # new
              _q(440, 470, "indirect", "W", mention=430)]  # the rules read another clause for this mention: gone
    out = combine(rules, tagged)
    assert [(q.quote_start, q.quote_end, q.speaker, q.kind) for q in out] == [
        (10, 30, "X", "direct"), (95, 130, "Smith", "indirect"), (200, 240, "X", "indirect"), (300, 320, "Z", "mixed"),
        (440, 470, "W", "indirect")]


def test_kind_from_quoted_letters() -> None:
    text = 'He said the plan was "a disaster for farmers" today. "We will win," he said. She said it was fine.'
    assert quote_kind(text, [(8, 51)]) == "mixed"
    assert quote_kind(text, [(54, 66)]) == "direct"
    assert quote_kind(text, [(86, 97)]) == "indirect"
    kinds = {q.quote: q.kind for q in extract(text).quotes}
    assert kinds["We will win,"] == "direct" and "mixed" in kinds.values()


@pytest.fixture(scope="module")
def tiny_tagger(tmp_path_factory: pytest.TempPathFactory) -> AttributionTagger:
    return AttributionTagger(make_tiny_tagger(tmp_path_factory.mktemp("tagger")))


TEXTS = ['"We will win," Smith said on Monday.\n\nThe ministry said the plan was reckless, officials added.',
         "Short.", " ".join(["Priya Nair said the data on fish was mixed."] * 40)]


def test_modes_give_records_with_offsets_inside_the_text(tiny_tagger: AttributionTagger) -> None:
    rules = StatementExtractor("rules").extract_many(TEXTS)
    assert [r.quotes for r in rules] == [extract(t).quotes for t in TEXTS]
    for mode in ("tagger", "both"):
        for text, res in zip(TEXTS, StatementExtractor(mode, tagger=tiny_tagger).extract_many(TEXTS)):
            for q in res.quotes:
                assert 0 <= q.quote_start < q.quote_end <= len(text)
                assert q.kind in ("direct", "indirect", "mixed")
                assert all(text[s:e] for s, e in q.pieces)
    both = StatementExtractor("both", tagger=tiny_tagger).extract(TEXTS[0]).quotes
    assert any(q.quote == "We will win," and q.speaker == "Smith" and q.kind == "direct" for q in both)


def test_bad_settings_and_files_are_clear_errors(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError, match="quotes.mode"):
        StatementExtractor("fast")
    with pytest.raises(ModelConfigError, match="no attribution tagger"):
        from_config({"mode": "both", "model_dir": str(tmp_path)})
    assert from_config({"mode": "rules"}).tagger is None
    with pytest.raises(InputNotFoundError):
        load_attributions(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "abc", "attributions": [{"content": [[0, 9]]}]}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 1, attribution 0, content: span \[0, 9\] lies outside"):
        load_attributions(bad)
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1: invalid JSON"):
        load_attributions(bad)
