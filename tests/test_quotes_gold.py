"""The extractor against gold: the bundled sample articles (data/articles), the seed article, and a floor on
PolNeAR dev (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from stance.quotes import extract_quotes
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SEED = ROOT.parent / "shared" / "seeds" / "caracas-coup-article.txt"
POLNEAR = ROOT.parent / "shared" / "polnear"


def _pairs():
    return sorted(ARTICLES.glob("[0-9][0-9]-*.txt")) if ARTICLES.is_dir() else []


def _match(golds: list[dict], quotes: list) -> list[tuple[dict, object]]:
    """One-to-one pairs whose overlap is at least half of both spans (the PolNeAR rule)."""
    cands = []
    for gi, g in enumerate(golds):
        for qi, q in enumerate(quotes):
            ov = min(g["quote_end"], q.quote_end) - max(g["quote_start"], q.quote_start)
            if ov > 0 and 2 * ov >= g["quote_end"] - g["quote_start"] and 2 * ov >= q.quote_end - q.quote_start:
                cands.append((ov, gi, qi))
    used_g, used_q, out = set(), set(), []
    for _, gi, qi in sorted(cands, reverse=True):
        if gi not in used_g and qi not in used_q:
            used_g.add(gi)
            used_q.add(qi)
            out.append((golds[gi], quotes[qi]))
    return out


def _pieces(text: str, quotes: list) -> list[SimpleNamespace]:
    """Each quoted piece of each attribution with the attribution's speaker: the bundled gold's unit is the
    quotation, so a split quote is two gold entries."""
    for q in quotes:
        assert q.quote == " … ".join(text[s:e] for s, e in q.pieces)
    return [SimpleNamespace(quote=text[s:e], quote_start=s, quote_end=e, speaker=q.speaker, direct=q.direct)
            for q in quotes for s, e in q.pieces]


@pytest.mark.skipif(not _pairs(), reason="data/articles not present")
def test_bundled_articles_direct_recall_and_speakers():
    n_direct = hit_direct = n_pairs = ok_speaker = exact_spans = 0
    mistakes = []
    for path in _pairs():
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        quotes = _pieces(text, extract_quotes(text))
        direct_gold = [g for g in gold["quotes"] if g["direct"]]
        pairs = _match(direct_gold, [q for q in quotes if q.direct])
        n_direct += len(direct_gold)
        hit_direct += len(pairs)
        for g, q in pairs:
            n_pairs += 1
            exact_spans += (g["quote_start"], g["quote_end"]) == (q.quote_start, q.quote_end)
            if g["speaker"] == q.speaker:
                ok_speaker += 1
            else:
                mistakes.append((path.name, g["quote"][:40], g["speaker"], q.speaker))
        # not_quotes (titles, scare quotes) are never returned as direct quotations
        for nq in gold.get("not_quotes", []):
            assert not any(q.direct and q.quote.strip(" ,.") == nq.strip(" ,.") for q in quotes), (path.name, nq)
    recall = hit_direct / n_direct
    speaker_acc = ok_speaker / n_pairs
    assert recall >= 0.9, f"direct recall {recall:.3f}"
    assert speaker_acc >= 0.9, f"speaker accuracy {speaker_acc:.3f}: {mistakes}"
    assert exact_spans / n_pairs >= 0.95  # the span conventions match (content between the marks)


@pytest.mark.skipif(not _pairs(), reason="data/articles not present")
def test_bundled_articles_without_quotations_give_no_direct_quotes():
    for path in _pairs():
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        if not any(g["direct"] for g in gold["quotes"]):
            quotes = extract_quotes(path.read_text(encoding="utf-8"))
            assert [q.quote for q in quotes if q.direct] == [], path.name


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds not present")
def test_seed_article_three_quotes_with_speakers_and_roles():
    text = SEED.read_text(encoding="utf-8")
    direct = [q for q in extract_quotes(text) if q.direct]
    got = [(q.speaker, q.role, q.cue) for q in direct]
    assert got == [
        ("Sergey Lavrov", "Foreign Minister of Russia", ":"),
        ("Juan Guaido", "leader of the opposition", ":"),
        ("Ilya Sergio Rodriguez", "political analyst", ":"),
    ]
    assert direct[0].quote.startswith("When we hear threats to Venezuela")
    assert direct[1].quote.startswith("The best solution for the Venezuelan conflict")
    assert direct[2].quote.startswith("Any opinion polls confirm")
    assert not any("People's will" in q.quote for q in extract_quotes(text))


@pytest.mark.shared
@pytest.mark.skipif(not (POLNEAR / "dev.jsonl").is_file(), reason="../shared/polnear not present")
def test_polnear_dev_floor():
    ev = load_script("eval_quotes")
    res = ev.evaluate(ev.load_split("dev", POLNEAR), unit="attribution")
    assert res["direct"]["f1"] >= 0.80, res["direct"]
    assert res["speaker_accuracy"] >= 0.85, res["speaker_accuracy"]
    strict = ev.evaluate(ev.load_split("dev", POLNEAR), unit="quote")
    assert strict["direct"]["recall"] >= 0.80, strict["direct"]


def test_eval_scoring_rules():
    ev = load_script("eval_quotes")
    # half of both spans must overlap; one-to-one, largest overlap first
    assert ev.match([(0, 10)], [[[0, 10]]]) == [(0, 0)]
    assert ev.match([(0, 10)], [[[0, 30]]]) == []  # covers a third of the gold
    assert ev.match([(0, 30)], [[[0, 10]]]) == []  # gold is a third of the prediction
    assert ev.match([(0, 10), (0, 9)], [[[0, 10]]]) == [(0, 0)]
    assert ev.match([(0, 10)], [[[0, 4], [6, 10]]]) == [(0, 0)]  # discontinuous gold
    # speaker names: lowercase, apostrophes dropped, punctuation to spaces; equal, contiguous run, same last word
    assert ev.names_agree("Sen. Ted Cruz", "Cruz")
    assert ev.names_agree("O'Rourke", "Beto ORourke")
    assert ev.names_agree("Hillary Clinton", "Mrs. Clinton")
    assert not ev.names_agree("Hillary Clinton", "Donald Trump")
