"""The public records: the fields of an attribution, its pieces and its plain-dict form."""

from __future__ import annotations

import dataclasses
import json

from stance.quotes import PIECE_SEPARATOR, Quote, extract_quotes


def test_quote_fields_and_to_dict():
    names = [f.name for f in dataclasses.fields(Quote)]
    assert names == [
        "quote", "quote_start", "quote_end", "speaker", "speaker_start", "speaker_end", "role", "cue", "direct",
        "paragraph", "pieces", "kind",
    ]
    q = extract_quotes('"We will not move an inch," said Dmitri Orlov.')[0]
    d = q.to_dict()
    assert set(d) == set(names) and d["quote"] == "We will not move an inch,"
    assert d["pieces"] == [[1, 26]]  # a quotation that is its own attribution has one piece
    assert d["kind"] == "direct" and Quote("x", 0, 1, None, None, None, None, None, False, 0).kind == "indirect"


def test_to_dict_is_json_and_round_trips():
    text = '"We will not move an inch," Dmitri Orlov said. "Not this year."'
    [q] = extract_quotes(text)
    d = json.loads(json.dumps(q.to_dict()))
    assert d["pieces"] == [[1, 26], [48, 62]]
    assert Quote(**d) == q  # pieces come back as tuples


def test_a_record_built_without_pieces_has_its_span_as_the_one_piece():
    q = Quote("Not this year.", 48, 62, None, None, None, None, None, True, 0)
    assert q.pieces == [(48, 62)]
    assert PIECE_SEPARATOR == " … "
