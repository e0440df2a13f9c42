"""A target longer than the model's input is truncated with a recorded warning; it never stops a run or the
other articles (docs/reliability.md, case 4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import build_tokenizer, make_tiny_model

from stance.model.encoding import InputFormat, encode_pairs

LONG = "the tax plan " * 200  # 2,600 characters, 600 tokens against a max_length of 128
ARTICLE = 'The minister said: "We oppose the tax plan, and we will vote against it."\n'


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.mark.parametrize("style", ["pair", "target_first", "prompt"])
def test_a_long_target_is_cut_to_max_length(tmp_path: Path, style: str) -> None:
    tok = build_tokenizer(tmp_path / "tok")
    fmt = InputFormat(style=style, max_length=64)
    enc = encode_pairs(tok, ["we oppose it", "said " * 100], [LONG, LONG], fmt)
    assert all(len(ids) <= 64 for ids in enc["input_ids"])


@pytest.mark.parametrize("style", ["pair", "target_first", "prompt"])
def test_short_targets_encode_as_before(tmp_path: Path, style: str) -> None:
    """Only pairs whose target is longer than the quotation's share change: the others are cut as before."""
    tok = build_tokenizer(tmp_path / "tok")
    fmt = InputFormat(style=style, max_length=32)
    texts = ["we oppose it", "said " * 100, "he said the war is wrong " * 3]
    targets = ["the tax plan", "russia", "military intervention in venezuela"]
    enc = encode_pairs(tok, texts, targets, fmt)
    first, second = (targets, texts) if style == "target_first" else (
        texts, [fmt.prompt_template.format(target=t) for t in targets] if style == "prompt" else targets)
    old = tok(first, second, truncation="only_second" if style == "target_first" else "only_first",
              max_length=fmt.max_length)
    assert enc["input_ids"] == old["input_ids"]


def test_predict_with_a_long_target_scores_every_article_and_records_a_warning(model_dir: Path,
                                                                               tmp_path: Path) -> None:
    from tests.test_output_safety import predict

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": ARTICLE}) + "\n" for i in range(3)), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    stats = predict(model_dir=model_dir, input=src, output=out, targets=f"['{LONG.strip()}', 'the war']")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert stats["errors"] == 0 and len(rows) == 6 and all("label" in r for r in rows)
    ledger = [json.loads(line) for line in (tmp_path / "p.articles.jsonl").read_text().splitlines()][1:]
    assert all(any("truncated" in w for w in e["warnings"]) for e in ledger)


def test_training_with_a_long_target_runs(tmp_path: Path) -> None:
    from stance.train.trainer import train
    from tests.conftest import ROWS, compose, tiny_overrides, write_jsonl

    rows = [{"id": str(i), "text": t, "target": g, "label": lab} for i, (t, g, lab) in enumerate(ROWS * 2)]
    rows[0]["target"] = LONG.strip()
    files = {split: write_jsonl(tmp_path / f"{split}.jsonl", rows) for split in ("train", "validation", "test")}
    results = train(compose("train", tiny_overrides(files, tmp_path / "run", "trainer.num_train_epochs=1")))
    assert 0.0 <= results["test_macro_f1"] <= 1.0
