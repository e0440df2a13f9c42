"""The bundled quote–target dataset: schema, size, balance, no leakage, and no drift from its sources."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "quotes"


def _load_builder():
    return load_script("build_dataset")


bd = _load_builder()


def _read(split: str) -> list[dict]:
    with (DATA / f"{split}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict]]:
    return {s: _read(s) for s in bd.SPLITS}


def test_schema_and_label_set(splits):
    for split, rows in splits.items():
        assert rows, split
        for r in rows:
            expected = set(bd.ROW_FIELDS) | ({"seen_target"} if split == "test" else set())
            assert set(r) == expected, (split, r.get("id"))
            for f in bd.ROW_FIELDS:
                assert isinstance(r[f], str), (r["id"], f)
                assert f == "speaker_role" or r[f].strip(), (r["id"], f)
            assert r["label"] in {"favor", "against", "none"}
            assert r["domain"] in bd.DOMAINS
            assert r["phenomenon"] in bd.PHENOMENA
            if split == "test":
                assert isinstance(r["seen_target"], bool)


def test_ids_unique(splits):
    ids = [r["id"] for rows in splits.values() for r in rows]
    assert len(ids) == len(set(ids))


def test_size_targets_and_label_balance(splits):
    rows = [r for rs in splits.values() for r in rs]
    assert len(rows) >= 1500
    targets = Counter(r["target"] for r in rows)
    assert len(targets) >= 60
    evaluated = {r["target"] for s in ("validation", "test") for r in splits[s]}
    assert min(n for t, n in targets.items() if t in evaluated) >= 12
    assert min(targets.values()) >= 8  # training-only targets (data/quotes/extra)
    assert {r["domain"] for r in rows} == set(bd.DOMAINS)
    test = splits["test"]
    parts = {**splits, "test/seen": [r for r in test if r["seen_target"]],
             "test/unseen": [r for r in test if not r["seen_target"]]}
    for name, rs in parts.items():
        c = Counter(r["label"] for r in rs)
        for lab in ("favor", "against", "none"):
            assert c[lab] / len(rs) >= 0.25, (name, lab, c)


def test_unseen_targets_never_fitted_and_flag_correct(splits):
    fit = {r["target"] for s in ("train", "validation") for r in splits[s]}
    for r in splits["test"]:
        assert r["seen_target"] == (r["target"] in fit), r["id"]
    unseen = [r for r in splits["test"] if not r["seen_target"]]
    assert len(unseen) * 2 >= len(splits["test"])
    # several unseen targets in every domain, not one big one
    assert len({r["target"] for r in unseen}) >= len(bd.DOMAINS)


def test_no_duplicate_or_near_duplicate_quotes_across_splits(splits):
    split_of: dict[str, str] = {}
    for s, rows in splits.items():
        for r in rows:
            assert split_of.setdefault(r["text"], s) == s, f"quote in {split_of[r['text']]} and {s}: {r['id']}"
    texts = sorted(split_of)
    cross = [(texts[i], texts[j], sim) for i, j, sim in bd.near_duplicate_pairs(texts)
             if split_of[texts[i]] != split_of[texts[j]]]
    assert not cross, cross[:3]


def test_near_duplicate_detector_catches_a_light_rewrite():
    a = "Every shell we send today is a shell our own soldiers will not have to fire tomorrow."
    b = "Every shell we send today is a shell our own soldiers will not have to fire next year."
    assert bd.near_duplicate_pairs([a, b, "Something else entirely about rent control and housing."]) == [
        (0, 1, pytest.approx(bd.jaccard(bd.shingles(a), bd.shingles(b))))
    ]


def _build_all() -> dict[str, list[dict]]:
    quotes = bd.load_sources(bd.SRC_DIR)
    return bd.build(quotes, bd.load_extra(bd.EXTRA_DIR, quotes))


def test_split_files_equal_a_fresh_build():
    rebuilt = _build_all()
    for s in bd.SPLITS:
        on_disk = (DATA / f"{s}.jsonl").read_text(encoding="utf-8")
        assert on_disk == bd.render(rebuilt[s]), f"{s}.jsonl is stale: run python scripts/build_dataset.py"
    assert bd.integrity_errors(rebuilt) == []
    assert bd.requirement_problems(rebuilt) == []


def test_build_is_deterministic():
    quotes = bd.load_sources(bd.SRC_DIR)
    assert bd.build(quotes) == bd.build(bd.load_sources(bd.SRC_DIR))
    # the order of the source lines does not matter: quotes are sorted by qid before splitting
    assert bd.build(list(reversed(quotes))) == bd.build(quotes)


def test_training_only_sources_change_nothing_but_train():
    quotes = bd.load_sources(bd.SRC_DIR)
    extra = bd.load_extra(bd.EXTRA_DIR, quotes)
    base, full = bd.build(quotes), bd.build(quotes, extra)
    assert full["validation"] == base["validation"] and full["test"] == base["test"]
    extra_ids = {f"{q.qid}-{i}" for q in extra for i in range(1, len(q.pairs) + 1)}
    assert {r["id"] for r in full["train"]} == {r["id"] for r in base["train"]} | extra_ids


def _extra_line(qid: str, target: str, domain: str = "economy") -> str:
    return json.dumps({"qid": qid, "speaker": "Ada Park", "speaker_role": "", "domain": domain,
                       "text": "A quotation written only for training, long enough to be unique here.",
                       "pairs": [{"target": target, "label": "none", "phenomenon": "mention_no_side"}]})


def test_training_only_sources_may_not_use_a_test_target_or_an_existing_qid(tmp_path):
    quotes = bd.load_sources(bd.SRC_DIR)
    unseen = sorted(bd.choose_unseen_targets(quotes))
    domain = {p.target: q.domain for q in quotes for p in q.pairs}
    (tmp_path / "x.jsonl").write_text(_extra_line("Z0001", unseen[0], domain[unseen[0]]) + "\n", encoding="utf-8")
    with pytest.raises(bd.SourceError, match=r"x.jsonl:1: target .* held out for the test split"):
        bd.build(quotes, bd.load_extra(tmp_path, quotes))
    (tmp_path / "x.jsonl").write_text(_extra_line(quotes[0].qid, "a brand-new target") + "\n", encoding="utf-8")
    with pytest.raises(bd.SourceError, match=r"x.jsonl:1: field 'qid' .* already used"):
        bd.load_extra(tmp_path, quotes)
    (tmp_path / "x.jsonl").write_text(_extra_line("Z0001", "nuclear power", "economy") + "\n", encoding="utf-8")
    with pytest.raises(bd.SourceError, match=r"target 'nuclear power' is in domain 'economy' here"):
        bd.load_extra(tmp_path, quotes)
    assert bd.load_extra(tmp_path / "missing", quotes) == []


def test_a_training_only_copy_of_a_test_quotation_fails_the_build(tmp_path, capsys):
    test_text = _read("test")[0]["text"]
    extra = tmp_path / "extra"
    extra.mkdir()
    line = json.loads(_extra_line("Z0001", "a brand-new target"))
    line["text"] = test_text.replace(".", "!", 1)  # a near-duplicate, not an identical string
    (extra / "x.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert bd.main(["--extra", str(extra), "--out", str(tmp_path / "out")]) == 1
    assert "across splits" in capsys.readouterr().err


def test_quotes_with_an_unseen_target_go_wholly_to_test():
    quotes = bd.load_sources(bd.SRC_DIR)
    unseen = bd.choose_unseen_targets(quotes)
    split_of = bd.assign_splits(quotes, unseen)
    for q in quotes:
        if any(p.target in unseen for p in q.pairs):
            assert split_of[q.qid] == "test", q.qid


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"qid": "X1", "speaker": "A", "speaker_role": "", "domain": "economy", "text": "t", "pairs": []}',
         "'pairs' must be a non-empty list"),
        ('{"qid": "X1", "speaker": "A", "speaker_role": "", "domain": "sport", "text": "t",'
         ' "pairs": [{"target": "x", "label": "favor", "phenomenon": "plain"}]}', "field 'domain'"),
        ('{"qid": "X1", "speaker": "A", "speaker_role": "", "domain": "economy", "text": "t",'
         ' "pairs": [{"target": "x", "label": "pro", "phenomenon": "plain"}]}', "pairs[0]: field 'label'"),
        ('{"qid": "X1", "speaker": "A", "domain": "economy", "text": "t",'
         ' "pairs": [{"target": "x", "label": "favor", "phenomenon": "plain"}]}', "missing field 'speaker_role'"),
        ('{"qid": "X1", "speaker": "A", "speaker_role": "", "domain": "economy", "text": "t",'
         ' "pairs": [{"target": "x", "label": "favor", "phenomenon": "sarcasm"}]}', "field 'phenomenon'"),
    ],
)
def test_bad_source_lines_name_file_line_and_field(tmp_path, line, message):
    good = ('{"qid": "X0", "speaker": "A", "speaker_role": "", "domain": "economy", "text": "fine",'
            ' "pairs": [{"target": "x", "label": "none", "phenomenon": "plain"}]}')
    (tmp_path / "bad.jsonl").write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(bd.SourceError) as err:
        bd.load_sources(tmp_path)
    assert "bad.jsonl:2" in str(err.value)
    assert message in str(err.value)


def test_builder_cli_reports_short_totals_and_check_mode(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.jsonl").write_text((bd.SRC_DIR / "part_a.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    no_extra = ["--extra", str(tmp_path / "no-extra")]
    assert bd.main(["--src", str(src), "--out", str(out), *no_extra]) == 0
    assert "totals are short" in capsys.readouterr().out
    assert bd.main(["--src", str(src), "--out", str(out), "--check", *no_extra]) == 0
    (out / "train.jsonl").write_text("", encoding="utf-8")
    assert bd.main(["--src", str(src), "--out", str(out), "--check", *no_extra]) == 1
    assert bd.main(["--src", str(src), "--out", str(out), "--strict", *no_extra]) == 1
