"""StanceClassifier on tiny real BERT models saved by the test (no hub access)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from stance.errors import ModelLoadError
from stance.model.classifier import StanceClassifier, resolve_model_dir
from stance.model.encoding import InputFormat
from stance.runtime.hardware import cpu_supports_bf16, resolve_precision
from tests.conftest import load_script
from tests.helpers_models import make_tiny_model

TEXTS = [
    "using military force against venezuela will be a humiliation",
    "no",
    "the president said the coup has failed and the people will not support it " * 4,
    "we support peace",
    "guaido said the transition to democracy should be peaceful but fast",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def clf(model_dir: Path) -> StanceClassifier:
    return StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=2)


def test_single_pair_gives_a_dict_with_probabilities(clf: StanceClassifier) -> None:
    out = clf.predict("we support peace", "peace")
    assert set(out) == {"label", "scores"}
    assert list(out["scores"]) == ["favor", "against", "none"]
    assert out["label"] == max(out["scores"], key=out["scores"].get)
    assert sum(out["scores"].values()) == pytest.approx(1.0, abs=1e-4)


def test_lists_broadcast_and_keep_order(clf: StanceClassifier, model_dir: Path) -> None:
    targets = ["military intervention", "juan guaido", "coup", "peace", "democracy"]
    batched = clf.predict(TEXTS, targets)
    one_by_one = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=1)
    singles = [one_by_one.predict(t, g) for t, g in zip(TEXTS, targets)]
    assert len(batched) == len(TEXTS)
    for b, s in zip(batched, singles):  # length sorting and padding must not change any pair's scores
        assert b["scores"] == pytest.approx(s["scores"], abs=1e-4)
    broadcast = clf.predict(TEXTS, "peace")
    assert [r["scores"] for r in broadcast] == [r["scores"] for r in clf.predict(TEXTS, ["peace"] * len(TEXTS))]
    assert len(clf.predict("we support peace", ["peace", "war"])) == 2


def test_max_tokens_caps_batches_without_changing_results(model_dir: Path, clf: StanceClassifier) -> None:
    capped = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=64, max_tokens=40)
    batches = list(capped._batches(TEXTS, ["peace"] * len(TEXTS), 0))
    assert len(batches) > 1
    assert all(len(b.features["input_ids"]) * max(map(len, b.features["input_ids"])) <= 40
               or len(b.features["input_ids"]) == 1 for b in batches)
    assert np.allclose(capped.predict_proba(TEXTS, ["peace"] * 5), clf.predict_proba(TEXTS, ["peace"] * 5),
                       atol=1e-4)


def test_min_fill_cuts_padded_batches_without_changing_results(model_dir: Path, clf: StanceClassifier) -> None:
    texts = TEXTS + ["no", "we support peace"]
    targets = ["peace"] * len(texts)
    full = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=64, min_fill=0.0)
    assert len(list(full._batches(texts, targets, 0))) == 1
    cut = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=64, min_fill=0.9)
    batches = list(cut._batches(texts, targets, 0))
    assert len(batches) > 1
    for b in batches:
        lengths = [len(ids) for ids in b.features["input_ids"]]
        assert len(lengths) == 1 or sum(lengths) >= 0.9 * len(lengths) * max(lengths)
    assert sorted(i for b in batches for i in b.index) == list(range(len(texts)))
    assert np.allclose(cut.predict_proba(texts, targets), full.predict_proba(texts, targets), atol=1e-4)
    with pytest.raises(ValueError, match="min_fill must be between 0 and 1"):
        StanceClassifier.from_pretrained(model_dir, precision="fp32", min_fill=1.5)
    # unset: on where it was measured (CPU), off on other devices
    assert StanceClassifier.from_pretrained(model_dir, precision="fp32").min_fill == 0.9
    assert StanceClassifier(full.model, full.tokenizer, full.input_format, device="cuda").min_fill == 0.0


def test_bad_arguments_are_rejected(clf: StanceClassifier) -> None:
    with pytest.raises(ValueError, match="3 texts but 2 targets"):
        clf.predict(["a", "b", "c"], ["x", "y"])
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        clf.predict(["a", 5], "x")
    assert clf.predict([], []) == []
    from stance.errors import DataError

    with pytest.raises(DataError, match=r"targets\[0\] is empty"):
        clf.predict("We oppose the rent freeze.", "")
    with pytest.raises(DataError, match=r"targets\[1\] is empty"):
        clf.predict("We oppose the rent freeze.", ["the rent freeze", "  "])


# three classes told apart by their last words (1, 5 and 9 words: by wording and by length)
AGREEMENT_TEXTS = [f"{a} {b} {c}" for a in ("president", "lavrov", "we", "guaido", "people")
                   for b in ("said", "oppose", "told", "support")
                   for c in ("coup", "military force against venezuela now",
                             "peace and democracy for the people of the country")]
AGREEMENT_TARGET = "military intervention in venezuela"


CONFIDENT_STEPS = 20  # enough to separate the classes, few enough to keep margins moderate (not saturated)


@pytest.fixture(scope="module")
def confident_model_dir(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model trained for a few steps to tell the three kinds of AGREEMENT_TEXTS apart, so that
    its argmax depends on the input with real margins (a random model gives nearly the same probabilities
    for every input, where any two scorers would look alike)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = tmp_path_factory.mktemp("confident") / "model"
    shutil.copytree(model_dir, out)
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(str(out))
    tok = AutoTokenizer.from_pretrained(str(out))
    enc = tok(AGREEMENT_TEXTS, [AGREEMENT_TARGET] * len(AGREEMENT_TEXTS), padding=True, return_tensors="pt")
    labels = torch.tensor([i % 3 for i in range(len(AGREEMENT_TEXTS))])  # the ending: coup, force, peace
    optim = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(CONFIDENT_STEPS):
        optim.zero_grad()
        model(**enc, labels=labels).loss.backward()
        optim.step()
    model.eval()
    model.save_pretrained(str(out))
    return out


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_reduced_precision_agrees_with_fp32(confident_model_dir: Path, precision: str) -> None:
    targets = [AGREEMENT_TARGET] * len(AGREEMENT_TEXTS)
    ref = StanceClassifier.from_pretrained(confident_model_dir, precision="fp32").predict_proba(AGREEMENT_TEXTS, targets)
    assert (ref.argmax(1) == np.arange(len(AGREEMENT_TEXTS)) % 3).mean() >= 0.9  # it depends on the input
    c = StanceClassifier.from_pretrained(confident_model_dir, precision=precision, batch_size=8)
    assert c.precision == precision
    probs = c.predict_proba(AGREEMENT_TEXTS, targets)
    assert probs.shape == (len(AGREEMENT_TEXTS), 3)
    assert np.allclose(probs.sum(1), 1.0, atol=1e-3)
    assert (probs.argmax(1) == ref.argmax(1)).mean() >= 0.95
    # the margins are moderate, so a broken precision path (wrong weights, lost scaling) shows in the scores
    top2 = np.sort(ref, axis=1)[:, -2:]
    assert np.median(top2[:, 1] - top2[:, 0]) < 0.9
    assert np.abs(probs - ref).max() < 0.05


def test_bf16_weights_are_converted_once(model_dir: Path) -> None:
    import torch

    c = StanceClassifier.from_pretrained(model_dir, precision="bf16")
    assert {p.dtype for p in c.model.parameters()} == {torch.bfloat16}
    c32 = StanceClassifier.from_pretrained(model_dir, precision="fp32")
    assert {p.dtype for p in c32.model.parameters()} == {torch.float32}


def test_precision_auto_follows_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import stance.runtime.hardware as inference

    assert resolve_precision("auto", "cpu") == ("bf16" if cpu_supports_bf16() else "fp32")
    monkeypatch.setattr(inference, "cpu_flags", lambda: frozenset({"avx2", "avx512_bf16"}))
    assert resolve_precision("auto", "cpu") == "bf16"
    monkeypatch.setattr(inference, "cpu_flags", lambda: frozenset({"avx2", "amx_bf16"}))
    assert resolve_precision("auto", "cpu") == "bf16"
    monkeypatch.setattr(inference, "cpu_flags", lambda: frozenset({"avx2", "avx512f"}))
    assert resolve_precision("auto", "cpu") == "fp32"
    # int8 failed the 99% agreement bar on a trained model (docs/predict.md): auto never picks it
    assert resolve_precision("int8", "cpu") == "int8"
    assert resolve_precision("fp32", "cpu") == "fp32"
    with pytest.raises(ValueError, match="precision must be one of"):
        resolve_precision("fp8", "cpu")
    with pytest.raises(ValueError, match="CPU only"):
        resolve_precision("int8", "cuda")


def test_run_directory_and_saved_input_format(tmp_path: Path) -> None:
    run = tmp_path / "run"
    make_tiny_model(run / "model", labels=("favor", "against"), input_format=InputFormat(style="prompt"))
    assert resolve_model_dir(run) == run / "model"
    c = StanceClassifier.from_pretrained(run, precision="fp32")
    assert c.labels == ("favor", "against")
    assert c.input_format.style == "prompt"
    assert set(c.predict("we support peace", "peace")["scores"]) == {"favor", "against"}


def test_missing_and_broken_model_directories(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        StanceClassifier.from_pretrained(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="no config.json"):
        StanceClassifier.from_pretrained(tmp_path / "empty")

    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="cannot load the model weights"):
        StanceClassifier.from_pretrained(broken)
    (broken / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError, match="has no weights"):
        StanceClassifier.from_pretrained(broken)

    bad_config = tmp_path / "bad_config"
    shutil.copytree(model_dir, bad_config)
    (bad_config / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="unreadable model config"):
        StanceClassifier.from_pretrained(bad_config)
    cfg = json.loads((model_dir / "config.json").read_text())
    cfg.pop("id2label")
    (bad_config / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="no id2label"):
        StanceClassifier.from_pretrained(bad_config)


def _bench_module():  # noqa: ANN202 - the scripts/bench_predict.py module
    return load_script("bench_predict")


def test_bench_script_runs_on_a_tiny_model(model_dir: Path, tmp_path: Path) -> None:
    import torch

    bench_predict = _bench_module()
    threads = torch.get_num_threads()
    try:
        res = bench_predict.main(["--model", str(model_dir), "--n", "24", "--repeats", "1", "--articles", "",
                                  "--threads", "1", "--json", str(tmp_path / "bench.json")])
    finally:
        torch.set_num_threads(threads)
    assert res["pairs"] == 24
    assert res["torch_threads"] == 1
    for key in ("ours_fp32_pairs_per_s", "ours_auto_pairs_per_s", "ours_int8_pairs_per_cpu_s",
                "pipeline_default_pairs_per_s", "pipeline_batched_pairs_per_s",
                "speedup_auto_vs_pipeline_default", "speedup_auto_vs_pipeline_batched_cpu"):
        assert res[key] > 0
    # both pipeline calls and our fp32 scorer see the same pairs through the same model
    assert res["agreement_pipeline_default_vs_ours_fp32"] >= 0.9
    assert res["agreement_pipeline_batched_vs_ours_fp32"] >= 0.9
    assert res["ours_auto_resolved"] in ("bf16", "fp32")
    assert len(res["pipeline_default_seconds"]) == 1
    assert json.loads((tmp_path / "bench.json").read_text())["pairs"] == 24


def test_bench_script_options(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench_predict = _bench_module()
    res = bench_predict.main(["--model", str(model_dir), "--n", "16", "--repeats", "2", "--articles", "",
                              "--pairs", "articles", "--precisions", "fp32,bf16", "--pipelines", "default"])
    assert "quotations of data/articles" in res["pair_source"]
    assert "ours_int8_pairs_per_s" not in res and "pipeline_batched_pairs_per_s" not in res
    assert len(res["ours_bf16_seconds"]) == 2
    assert "speedup_fp32_vs_pipeline_default" in res  # no auto row: the ratio uses the first of ours
    out = capsys.readouterr().out
    assert "pipeline, default call" in out and "the issue's measure" in out
    with pytest.raises(SystemExit):
        bench_predict.main(["--model", str(model_dir), "--pipelines", "sometimes"])
    with pytest.raises(SystemExit):
        bench_predict.main(["--model", str(model_dir), "--precisions", "fp8"])


def test_bench_pair_sources_and_padding() -> None:
    bench_predict = _bench_module()
    texts, targets, source = bench_predict.load_pairs(0, source="articles")
    n_targets = len(set(targets))
    assert n_targets >= 10 and len(texts) == len(targets) > 100
    assert len(texts) % n_targets == 0  # every quotation × every target
    assert targets[:n_targets] == sorted(set(targets), key=targets.index) and len(set(texts[:n_targets])) == 1
    texts, targets, source = bench_predict.load_pairs(40, source="both")
    assert len(texts) == len(targets) == 40 and " + " in source
    with pytest.raises(ValueError, match="pair source"):
        bench_predict.load_pairs(10, source="tweets")
    # 4 + 1 real tokens in a batch of 2 pad to 8; sorted [4, 3] + [2, 1] pad to 8 + 4
    assert bench_predict.padding_efficiency([4, 1, 3, 2], 2, sort=False) == pytest.approx(10 / 14)
    assert bench_predict.padding_efficiency([4, 1, 3, 2], 2, sort=True) == pytest.approx(10 / 12)
    assert bench_predict.padding_efficiency([], 2, sort=True) == 1.0


def test_mean_pooling_model_type_loads(tmp_path: Path, model_dir: Path) -> None:
    import torch

    from stance.model.pooling import (
        LEGACY_MODEL_TYPE,
        MeanPoolBertConfig,
        MeanPoolBertForSequenceClassification,
    )

    cfg = json.loads((model_dir / "config.json").read_text())
    cfg = {k: v for k, v in cfg.items() if k not in ("model_type", "architectures", "transformers_version")}
    torch.manual_seed(0)
    model = MeanPoolBertForSequenceClassification(MeanPoolBertConfig(**cfg))
    out = tmp_path / "meanpool"
    model.save_pretrained(str(out))
    for f in ("vocab.txt", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(model_dir / f, out / f)
    assert json.loads((out / "config.json").read_text())["model_type"] == LEGACY_MODEL_TYPE
    c = StanceClassifier.from_pretrained(out, precision="fp32")
    assert type(c.model).__name__ == "MeanPoolBertForSequenceClassification"
    assert c.predict("we support peace", "peace")["label"] in c.labels
