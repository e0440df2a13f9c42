"""The sample articles in data/articles/ and their gold quotations are exact, complete and consistent."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
LABELS = {"favor", "against", "none"}


make_gold = load_script("make_gold")

ARTICLE_PATHS = sorted(ARTICLES.glob("[0-9][0-9]-*.txt"))
MARKS = make_gold.ALL_MARKS


def _gold(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))


def _all() -> list[tuple[str, str, dict[str, Any]]]:
    return [(p.name, p.read_text(encoding="utf-8"), _gold(p)) for p in ARTICLE_PATHS]


def _opening(text: str, quote: dict[str, Any]) -> str:
    return text[quote["quote_start"] - 1]


# ---------------------------------------------------------------- the collection


def test_collection_size_and_files() -> None:
    assert len(ARTICLE_PATHS) >= 12
    for path in ARTICLE_PATHS:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.txt", path.name), path.name
        assert path.with_suffix(".gold.json").is_file(), f"{path.name}: no gold file"
        assert (ARTICLES / "annotations" / (path.stem + ".yaml")).is_file(), f"{path.name}: no annotation"
    golds = sorted(p.name for p in ARTICLES.glob("*.gold.json"))
    assert golds == sorted(p.stem + ".gold.json" for p in ARTICLE_PATHS)


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_article_text_format(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # raises on anything but UTF-8
    assert not text.startswith("\ufeff"), "byte order mark"
    assert 300 <= len(text.split()) <= 900, f"{path.name}: {len(text.split())} words"
    assert unicodedata.is_normalized("NFC", text), "offsets assume NFC text"
    assert "\r" not in text and "\t" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text, "paragraphs are separated by exactly one blank line"
    assert all(line == line.rstrip() for line in text.split("\n")), "trailing white space"
    assert len(make_gold.paragraphs(text)) >= 5


def test_generated_files_are_up_to_date() -> None:
    """The gold files and articles.jsonl are exactly what scripts/make_gold.py regenerates."""
    files = make_gold.expected_files()
    assert len(files) == len(ARTICLE_PATHS) + 1
    for path, content in files.items():
        assert path.read_text(encoding="utf-8") == content, f"{path.name} is stale: run scripts/make_gold.py"


def test_articles_jsonl() -> None:
    lines = (ARTICLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [p.name for p in ARTICLE_PATHS]
    for record, path in zip(records, ARTICLE_PATHS):
        assert set(record) == {"id", "text", "targets"}
        assert record["text"] == path.read_text(encoding="utf-8")
        assert record["targets"] == _gold(path)["targets"]


# ---------------------------------------------------------------- each gold file


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_gold_schema_and_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    gold = _gold(path)
    assert set(gold) == {"article", "targets", "quotes", "not_quotes"}
    assert gold["article"] == path.name
    targets = gold["targets"]
    assert 1 <= len(targets) <= 3 and len(set(targets)) == len(targets)
    assert all(isinstance(t, str) and t.strip() == t and t for t in targets)
    keys = {"quote_start", "quote_end", "quote", "speaker", "role", "cue", "direct", "paragraph", "stances"}
    previous_end = 0
    for q in gold["quotes"]:
        where = f"{path.name} {q.get('quote', '')[:40]!r}"
        assert set(q) == keys, where
        start, end = q["quote_start"], q["quote_end"]
        assert isinstance(start, int) and isinstance(end, int) and previous_end <= start < end <= len(text), where
        previous_end = end
        assert text[start:end] == q["quote"], where
        assert q["paragraph"] == len(re.findall(r"\n\n", text[:start])), where
        assert isinstance(q["direct"], bool)
        assert isinstance(q["speaker"], str) and q["speaker"] in text, where
        assert q["role"] is None or (isinstance(q["role"], str) and q["role"] in text), where
        assert isinstance(q["cue"], str) and q["cue"], where
        assert list(q["stances"]) == targets, f"{where}: stances must cover every target"
        assert set(q["stances"].values()) <= LABELS, where


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_direct_quotes_sit_between_marks(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for q in _gold(path)["quotes"]:
        if not q["direct"]:
            continue
        opening, closing = text[q["quote_start"] - 1], text[q["quote_end"]]
        assert make_gold.QUOTE_PAIRS.get(opening) == closing, q["quote"][:40]
        # Inner paragraphs of a multi-paragraph quote re-open with the same mark and never close it.
        for inner in q["quote"].split("\n\n")[1:]:
            assert inner[0] == opening, q["quote"][:40]
        for inner in q["quote"].split("\n\n")[:-1]:
            assert inner[-1] not in MARKS, q["quote"][:40]


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_every_quote_mark_is_accounted_for(path: Path) -> None:
    """Every double quote mark belongs to a gold quotation or to a listed non-quotation."""
    text = path.read_text(encoding="utf-8")
    gold = _gold(path)
    covered = [False] * len(text)
    for q in gold["quotes"]:
        if q["direct"]:
            for i in range(q["quote_start"] - 1, q["quote_end"] + 1):
                covered[i] = True
    for phrase in gold["not_quotes"]:
        found = False
        for opening, closing in make_gold.QUOTE_PAIRS.items():
            for match in re.finditer(re.escape(opening + phrase + closing), text):
                found = True
                for i in range(match.start(), match.end()):
                    covered[i] = True
        assert found, f"{path.name}: not_quote {phrase!r} is not between quote marks"
        assert not any(phrase == q["quote"] for q in gold["quotes"])
    stray = [(i, text[max(0, i - 30) : i + 30]) for i, c in enumerate(text) if c in MARKS and not covered[i]]
    assert not stray, f"{path.name}: quote marks with no gold entry: {stray[:3]}"


INDIRECT_CUE = re.compile(
    r"\b(said|added|warned|argued|conceded|replied|told)\b((?: [\w']+){0,2})?(, however,)? that "
)


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_indirect_speech_is_complete_and_follows_the_convention(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    quotes = _gold(path)["quotes"]
    direct_spans = [(q["quote_start"], q["quote_end"]) for q in quotes if q["direct"]]
    starts = {q["quote_start"]: q for q in quotes if not q["direct"]}
    for match in INDIRECT_CUE.finditer(text):
        if any(a <= match.start() < b for a, b in direct_spans):
            continue  # reported speech inside a quotation belongs to that quotation
        assert match.end() in starts, f"{path.name}: no indirect gold entry after {match.group(0)!r}"
    for match in re.finditer(r"\bAccording to ", text):
        after = [s for s, q in starts.items() if q["cue"] == "according to" and 0 < s - match.end() < 150]
        assert after, f"{path.name}: no indirect gold entry after 'According to' at {match.start()}"
    for q in starts.values():
        before = text[: q["quote_start"]]
        if q["cue"] == "according to":
            surname = q["speaker"].split()[-1]
            # "According to X, ..." or "According to X, <role>, ...": the span starts after the last comma.
            assert re.search(rf"According to [^\n]*{re.escape(surname)}(, [^,\n]+)?, $", before), q["quote"][:40]
        else:
            assert before.endswith(" that "), q["quote"][:40]
            assert q["cue"] in before[-60:], q["quote"][:40]
        assert text[q["quote_end"]] == ".", f"{q['quote'][:40]!r}: the span runs to the end of its sentence"


@pytest.mark.parametrize("path", ARTICLE_PATHS, ids=lambda p: p.name)
def test_cue_and_speaker_are_near_the_quote(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    paras = make_gold.paragraphs(text)
    first_quote: dict[str, dict[str, Any]] = {}
    for q in _gold(path)["quotes"]:
        first_quote.setdefault(q["speaker"], q)
        if q["cue"] == ":":
            assert text[q["quote_start"] - 3 : q["quote_start"] - 1] == ": ", q["quote"][:40]
        else:
            end_para = make_gold.paragraph_index(text, q["quote_end"])
            nearby = (paras[q["paragraph"]] + " " + paras[end_para]).lower()
            assert q["cue"] in nearby, f"{path.name}: cue {q['cue']!r} not beside {q['quote'][:40]!r}"
    for speaker, q in first_quote.items():
        # The full name is given no later than the paragraph of the speaker's first quotation.
        end_of_paragraph = text.find("\n\n", q["quote_end"])
        end_of_paragraph = len(text) if end_of_paragraph < 0 else end_of_paragraph
        assert text.find(speaker) < end_of_paragraph, f"{path.name}: {speaker} named after the first quote"


# ---------------------------------------------------------------- styles across the collection


def _articles_with(predicate) -> list[str]:
    return [name for name, text, gold in _all() if predicate(text, gold)]


def _direct(gold: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for q in gold["quotes"] if q["direct"]]


TRANSCRIPT_LINE = re.compile(r"^[A-Z][^\n:\"“«„]{1,100}: [\"“«„]", re.MULTILINE)
WIRE_ATTRIBUTION = re.compile(r"^[\"”»“] (?:said [A-Z]|(?:he|she) (?:said|added|wrote)|[A-Z]\w+ (?:said|told|wrote))")
NESTED = re.compile(r"‘[^’]+’|‚[^‘]+‘|‹[^›]+›|(?:^|\s)'[^']+'")
PRONOUN_CUE = re.compile(r"^[\"”»“] (?:he|she) \w+|(?:^|\. )(?:He|She) \w+ that $")


def _split_quote(text: str, gold: dict[str, Any]) -> bool:
    direct = _direct(gold)
    for a, b in zip(direct, direct[1:]):
        between = text[a["quote_end"] : b["quote_start"]]
        if a["speaker"] == b["speaker"] and a["paragraph"] == b["paragraph"] and a["cue"] in between:
            if a["quote"].endswith(",") and len(between) < 80:
                return True
    return False


def _pronoun(text: str, gold: dict[str, Any]) -> bool:
    for q in gold["quotes"]:
        after = text[q["quote_end"] : q["quote_end"] + 20]
        before = text[max(0, q["quote_start"] - 40) : q["quote_start"]]
        if PRONOUN_CUE.search(after) or PRONOUN_CUE.search(before):
            return True
    return False


STYLES = {
    "wire style": lambda t, g: any(WIRE_ATTRIBUTION.match(t[q["quote_end"] :]) for q in _direct(g)),
    "TV transcript": lambda t, g: len(TRANSCRIPT_LINE.findall(t)) >= 5
    and sum(q["cue"] == ":" for q in g["quotes"]) >= 5,
    "multi-paragraph quote": lambda t, g: any("\n\n" in q["quote"] for q in _direct(g)),
    "curly quotes": lambda t, g: any(_opening(t, q) == "“" for q in _direct(g)),
    "straight quotes": lambda t, g: any(_opening(t, q) == '"' for q in _direct(g)),
    "guillemets": lambda t, g: any(_opening(t, q) == "«" for q in _direct(g)),
    "low-high quotes": lambda t, g: any(_opening(t, q) == "„" for q in _direct(g)),
    "single inside double": lambda t, g: any(NESTED.search(q["quote"]) for q in _direct(g)),
    "split quote": _split_quote,
    "indirect (said that)": lambda t, g: any(not q["direct"] and q["cue"] != "according to" for q in g["quotes"]),
    "indirect (according to)": lambda t, g: any(q["cue"] == "according to" for q in g["quotes"]),
    "pronoun speaker": _pronoun,
    "scare quotes or titles": lambda t, g: bool(g["not_quotes"]),
    "stance favor": lambda t, g: any("favor" in q["stances"].values() for q in g["quotes"]),
    "stance against": lambda t, g: any("against" in q["stances"].values() for q in g["quotes"]),
    "stance none": lambda t, g: any("none" in q["stances"].values() for q in g["quotes"]),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_appears_in_at_least_two_articles(style: str) -> None:
    found = _articles_with(STYLES[style])
    assert len(found) >= 2, f"{style}: only in {found}"


def test_an_article_without_any_quotes() -> None:
    found = _articles_with(lambda t, g: not g["quotes"] and not g["not_quotes"] and not (set(t) & MARKS))
    assert found, "no article without quote marks and with an empty gold list"
    titles_only = _articles_with(lambda t, g: not g["quotes"] and g["not_quotes"])
    assert titles_only, "no article whose only quote marks are titles or scare quotes"


def test_every_target_gets_every_label_somewhere() -> None:
    counts: dict[str, int] = defaultdict(int)
    for _, _, gold in _all():
        for q in gold["quotes"]:
            for label in q["stances"].values():
                counts[label] += 1
    assert all(counts[label] >= 15 for label in LABELS), dict(counts)


# ---------------------------------------------------------------- the script rejects bad annotations


def _write(tmp_path: Path, annotation: str, text: str = 'Intro.\n\n"We will win," she said.\n') -> Path:
    (tmp_path / "annotations").mkdir()
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "annotations" / "a.yaml"
    path.write_text(annotation, encoding="utf-8")
    return path


GOOD = """article: a.txt
targets: [victory]
quotes:
  - quote: We will win,
    speaker: Ann Lee
    role: null
    cue: said
    direct: true
    stances: {victory: favor}
"""


def test_script_builds_a_minimal_annotation(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD, 'Intro by Ann Lee.\n\n"We will win," she said.\n')
    article = make_gold.build_article(path, tmp_path)
    assert article.quotes == [
        {
            "quote_start": 20,
            "quote_end": 32,
            "quote": "We will win,",
            "speaker": "Ann Lee",
            "role": None,
            "cue": "said",
            "direct": True,
            "paragraph": 1,
            "stances": {"victory": "favor"},
        }
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("quote: We will win,", "quote: We shall win,"), "field 'quote'"),
        (("quote: We will win,", "quote: We will win"), "quote marks"),
        (("direct: true", "direct: false"), "indirect quote"),
        (("{victory: favor}", "{victory: maybe}"), "field 'stances'"),
        (("{victory: favor}", "{peace: favor}"), "field 'stances'"),
        (("speaker: Ann Lee", "speaker: Bo Chan"), "field 'speaker'"),
        (("cue: said", "cue: whispered"), "field 'cue'"),
        (("    cue: said\n", ""), "missing field 'cue'"),
        (("article: a.txt", "article: b.txt"), "field 'article'"),
    ],
)
def test_script_rejects_bad_annotations(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = _write(tmp_path, GOOD.replace(*change), 'Intro by Ann Lee.\n\n"We will win," she said.\n')
    with pytest.raises(make_gold.GoldError) as info:
        make_gold.build_article(path, tmp_path)
    assert message in str(info.value)
    assert "a.yaml" in str(info.value)


def test_script_check_mode_reports_stale_gold(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, 'Intro by Ann Lee.\n\n"We will win," she said.\n')
    args = ["--articles-dir", str(tmp_path)]
    assert make_gold.main(["--check", *args]) == 1
    assert not (tmp_path / "a.gold.json").exists()
    assert make_gold.main(args) == 0
    assert make_gold.main(["--check", *args]) == 0
    gold = json.loads((tmp_path / "a.gold.json").read_text(encoding="utf-8"))
    assert gold["quotes"][0]["quote"] == "We will win,"
    assert json.loads((tmp_path / "articles.jsonl").read_text(encoding="utf-8"))["id"] == "a.txt"
    (tmp_path / "a.txt").write_text('Intro by Ann Lee.\n\n"We will win," she said today.\n', encoding="utf-8")
    assert make_gold.main(["--check", *args]) == 1


def test_script_reports_errors_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, GOOD.replace("We will win,", "We lost,"))
    assert make_gold.main(["--articles-dir", str(tmp_path)]) == 2
    assert "a.yaml: quote #0: field 'quote'" in capsys.readouterr().err
