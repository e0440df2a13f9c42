"""StanceClassifier on tiny real BERT models saved by the test (no hub access)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model  # noqa: E402

from stance.encoding import InputFormat  # noqa: E402
from stance.inference import (  # noqa: E402
    ModelLoadError,
    StanceClassifier,
    cpu_supports_bf16,
    resolve_model_dir,
    resolve_precision,
)

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


def test_bad_arguments_are_rejected(clf: StanceClassifier) -> None:
    with pytest.raises(ValueError, match="3 texts but 2 targets"):
        clf.predict(["a", "b", "c"], ["x", "y"])
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        clf.predict(["a", 5], "x")
    assert clf.predict([], []) == []


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_reduced_precision_gives_valid_probabilities(model_dir: Path, precision: str) -> None:
    c = StanceClassifier.from_pretrained(model_dir, precision=precision)
    assert c.precision == precision
    probs = c.predict_proba(TEXTS, ["peace"] * len(TEXTS))
    assert probs.shape == (5, 3)
    assert np.allclose(probs.sum(1), 1.0, atol=1e-3)


def test_precision_auto_follows_the_cpu() -> None:
    assert resolve_precision("auto", "cpu") == ("bf16" if cpu_supports_bf16() else "fp32")
    with pytest.raises(ValueError, match="precision must be one of"):
        resolve_precision("fp8", "cpu")


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


def test_bench_script_runs_on_a_tiny_model(model_dir: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import bench_predict

    res = bench_predict.main(["--model", str(model_dir), "--n", "24", "--repeats", "1", "--articles", "",
                              "--json", str(tmp_path / "bench.json")])
    assert res["pairs"] == 24
    for key in ("ours_fp32_pairs_per_s", "ours_auto_pairs_per_s", "pipeline_pairs_per_s", "speedup_auto_vs_pipeline"):
        assert res[key] > 0
    # the pipeline and our fp32 scorer see the same pairs through the same model
    assert res["agreement_pipeline_vs_ours_fp32"] >= 0.9
    assert json.loads((tmp_path / "bench.json").read_text())["pairs"] == 24


def test_mean_pooling_model_type_loads(tmp_path: Path, model_dir: Path) -> None:
    import torch

    from stance.pooling import MODEL_TYPE, MeanPoolBertConfig, MeanPoolBertForSequenceClassification

    cfg = json.loads((model_dir / "config.json").read_text())
    cfg = {k: v for k, v in cfg.items() if k not in ("model_type", "architectures", "transformers_version")}
    torch.manual_seed(0)
    model = MeanPoolBertForSequenceClassification(MeanPoolBertConfig(**cfg))
    out = tmp_path / "meanpool"
    model.save_pretrained(str(out))
    for f in ("vocab.txt", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(model_dir / f, out / f)
    assert json.loads((out / "config.json").read_text())["model_type"] == MODEL_TYPE
    c = StanceClassifier.from_pretrained(out, precision="fp32")
    assert type(c.model).__name__ == "MeanPoolBertForSequenceClassification"
    assert c.predict("we support peace", "peace")["label"] in c.labels
