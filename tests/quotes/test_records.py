"""The public records: the fields of a quotation and its plain-dict form."""

from __future__ import annotations

import dataclasses

from stance.quotes import Quote, extract_quotes


def test_quote_fields_and_to_dict():
    names = [f.name for f in dataclasses.fields(Quote)]
    assert names == [
        "quote", "quote_start", "quote_end", "speaker", "speaker_start", "speaker_end", "role", "cue", "direct",
        "paragraph",
    ]
    q = extract_quotes('"We will not move an inch," said Dmitri Orlov.')[0]
    d = q.to_dict()
    assert set(d) == set(names) and d["quote"] == "We will not move an inch,"
