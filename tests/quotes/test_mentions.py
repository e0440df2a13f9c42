"""Speaker mentions: what is part of a name, and what bounds the subject chunk."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets


def test_adverb_after_the_name_is_not_part_of_the_speaker() -> None:
    quotes = extract_quotes("Juan Guaido spoke on Monday. A day later, Guaido still admitted that the assembly can act.")
    assert [q.speaker for q in quotes] == ["Juan Guaido"]


def test_party_tag_after_the_name_neither_ends_the_sentence_nor_joins_the_name() -> None:
    text = ('Harbour news.\n\nSenate Minority Leader Harry M. Reid (D-Nev.) told reporters that the council '
            '"may have broken the law" by selling the quay.\n')
    [q] = extract_quotes(text)
    assert q.speaker == "Harry M. Reid" and q.cue == "told"
    assert q.quote.startswith("the council ") and not q.direct


def test_title_before_the_speaker_is_a_boundary_of_the_subject() -> None:
    text = 'Speaking on RAI\'s "Porta A Porta," Ruiz said the plan was "a disaster" for the dockers.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert text[q.speaker_start : q.speaker_end] == "Ruiz"
    assert q.speaker == "Ruiz" and q.cue == "said"
    memoir = 'In her memoir, "Hard Choices," Marta Ruiz wrote: "I never gave up on the harbour."\n'
    [q] = extract_quotes(memoir)
    assert q.quote == "I never gave up on the harbour." and q.speaker == "Marta Ruiz" and q.direct


def test_speaker_mention_never_crosses_a_quotation_mark() -> None:
    # Scare quotes on the object of the sentence: the participle's subject is the sentence's subject.
    text = 'Marta Ruiz needled the harbour "experts," saying, "Not one of them has ever loaded a ship!"\n'
    [q] = extract_quotes(text)
    assert (q.speaker, text[q.speaker_start : q.speaker_end], q.cue) == ("Marta Ruiz", "Marta Ruiz", "saying")
    # A title between the subject and its verb.
    text = 'Marta Ruiz, on RAI\'s "Porta A Porta," said "Not one of them has ever loaded a ship!"\n'
    [q] = extract_quotes(text)
    assert (q.speaker, text[q.speaker_start : q.speaker_end], q.cue) == ("Marta Ruiz", "Marta Ruiz", "said")
