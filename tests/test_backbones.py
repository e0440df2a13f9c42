"""Backbones beyond BERT: half-precision checkpoints train in fp32, every Auto architecture trains, saves, loads
and predicts with both poolings, and NLI cross-encoders work zero-shot and as the start of fine-tuning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from stance.model.classifier import StanceClassifier
from stance.train.trainer import train
from tests.conftest import compose, tiny_overrides
from tests.helpers_models import build_tokenizer

SIZE = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 37}
# the tokenizers of RoBERTa, XLM-R and ModernBERT give no token_type_ids; the tiny BERT one stands in for all
NO_TOKEN_TYPES = {"roberta", "xlm-roberta", "modernbert"}
ARCHITECTURES = ("bert", "roberta", "deberta-v2", "modernbert", "electra", "xlm-roberta")
FAST = ["trainer.max_steps=3", "trainer.eval_strategy=no", "trainer.save_strategy=no",
        "trainer.load_best_model_at_end=false", "trainer.logging_steps=1", "trainer.bf16=false"]


def tiny_config(arch: str, vocab_size: int, **extra: object):  # noqa: ANN201 - a transformers config
    from transformers import AutoConfig

    kwargs: dict[str, object] = {"vocab_size": vocab_size, "pad_token_id": 0, **SIZE, **extra}
    if arch in ("roberta", "xlm-roberta"):
        kwargs.update(max_position_embeddings=160, bos_token_id=2, eos_token_id=3)
    elif arch == "deberta-v2":
        kwargs.update(max_position_embeddings=128, relative_attention=True, position_buckets=16,
                      pos_att_type=["p2c", "c2p"], pooler_hidden_size=32, type_vocab_size=0)
    elif arch == "modernbert":
        kwargs.update(max_position_embeddings=128, local_attention=16, global_attn_every_n_layers=2,
                      bos_token_id=2, cls_token_id=2, eos_token_id=3, sep_token_id=3)
    elif arch == "electra":
        kwargs.update(embedding_size=32, max_position_embeddings=128)
    return AutoConfig.for_model(arch, **kwargs)


def save_backbone(path: Path, arch: str = "bert", *, dtype: torch.dtype = torch.float32,
                  head: dict[int, str] | None = None, seed: int = 0) -> Path:
    """A tiny random backbone (``AutoModel``; with ``head``: ``AutoModelForSequenceClassification`` with that
    ``id2label``) stored in ``dtype``, with a local tokenizer, as a checkpoint directory."""
    from transformers import AutoModel, AutoModelForSequenceClassification

    torch.manual_seed(seed)
    tokenizer = build_tokenizer(path)
    if arch in NO_TOKEN_TYPES:
        tokenizer.model_input_names = ["input_ids", "attention_mask"]
    if head:
        config = tiny_config(arch, len(tokenizer), id2label=head, label2id={v: k for k, v in head.items()})
        model = AutoModelForSequenceClassification.from_config(config)
    else:
        model = AutoModel.from_config(tiny_config(arch, len(tokenizer)))
    model.to(dtype).save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    return path


def saved_dtypes(model_dir: Path) -> set[str]:
    from safetensors import safe_open

    with safe_open(str(model_dir / "model.safetensors"), framework="pt") as f:
        return {str(f.get_slice(k).get_dtype()) for k in f.keys()}


# -- 1. half-precision checkpoints --------------------------------------------------------------------------


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_half_precision_checkpoints_train_like_fp32(tiny_files, tmp_path: Path, pooling: str) -> None:
    curves = {}
    for name, dtype in (("fp32", torch.float32), ("fp16", torch.float16), ("bf16", torch.bfloat16)):
        backbone = save_backbone(tmp_path / f"backbone-{name}", dtype=dtype)
        overrides = tiny_overrides(tiny_files, tmp_path / f"run-{name}", f"model.pretrained={backbone}",
                                   "model.tokenizer=null", f"model.pooling={pooling}", "trainer.learning_rate=1e-3",
                                   *FAST, "trainer.max_steps=8", "test=false")
        results = train(compose("train", overrides))
        curves[name] = results["train_losses"]
        assert saved_dtypes(tmp_path / f"run-{name}" / "model") == {"F32"}, name
    assert len(curves["fp32"]) == 8
    # the fp16/bf16 copies start from rounded weights (bf16 keeps 8 bits of mantissa), nothing else differs
    np.testing.assert_allclose(curves["fp16"], curves["fp32"], atol=2e-3)
    np.testing.assert_allclose(curves["bf16"], curves["fp32"], atol=2e-2)


def test_save_dtype_option_halves_the_saved_weights(tiny_files, tmp_path: Path) -> None:
    backbone = save_backbone(tmp_path / "backbone")
    run_dir = tmp_path / "run"
    train(compose("train", tiny_overrides(tiny_files, run_dir, f"model.pretrained={backbone}", "model.tokenizer=null",
                                          "model.save_dtype=bf16", *FAST, "test=false")))
    assert saved_dtypes(run_dir / "model") == {"BF16"}
    clf = StanceClassifier.from_pretrained(run_dir, precision="fp32")
    assert next(clf.model.parameters()).dtype == torch.float32  # loaded back in fp32 for scoring


# -- 2. every architecture, both poolings -------------------------------------------------------------------


@pytest.mark.parametrize("pooling", ["mean", "cls"])
@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_architecture_trains_saves_loads_and_predicts(tiny_files, tmp_path: Path, arch: str, pooling: str) -> None:
    backbone = save_backbone(tmp_path / "backbone", arch)
    run_dir = tmp_path / "run"
    train(compose("train", tiny_overrides(tiny_files, run_dir, f"model.pretrained={backbone}", "model.tokenizer=null",
                                          f"model.pooling={pooling}", *FAST)))
    config = json.loads((run_dir / "model" / "config.json").read_text())
    if pooling == "mean":
        assert config["model_type"] == "stance-pooled-encoder" and config["encoder"]["model_type"] == arch
    else:
        assert config["model_type"] == arch
    clf = StanceClassifier.from_pretrained(run_dir, precision="fp32", min_fill=0.0)
    assert clf.labels == ("favor", "against", "none")
    rows = [json.loads(line) for line in (run_dir / "test_predictions.jsonl").read_text().splitlines()]
    probs = clf.predict_proba([r["text"] for r in rows], [r["target"] for r in rows])
    expected = np.array([[r["scores"][lab] for lab in clf.labels] for r in rows])
    np.testing.assert_allclose(probs, expected, atol=1e-4)  # the loaded model is the trained one


def test_a_model_saved_with_the_generic_class_reloads_with_plain_transformers(tmp_path: Path) -> None:
    from transformers import AutoModelForSequenceClassification

    from stance.model.build import build_model

    backbone = save_backbone(tmp_path / "backbone", "deberta-v2")
    tok = build_tokenizer(tmp_path / "tok")
    model = build_model({"pretrained": str(backbone), "pooling": "mean"}, ["favor", "against", "none"], tok).eval()
    model.save_pretrained(str(tmp_path / "saved"))
    import stance.model.pooling  # noqa: F401 - registers the model type

    again = AutoModelForSequenceClassification.from_pretrained(str(tmp_path / "saved")).eval()
    ids = torch.tensor([[2, 10, 11, 3]])
    torch.testing.assert_close(model(input_ids=ids).logits, again(input_ids=ids).logits)


# -- 3. NLI cross-encoders ------------------------------------------------------------------------------------

NLI_HEAD = {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}  # upper case, as some hub models have it


def nli_model(path: Path, bias: list[float] | None = None, arch: str = "bert") -> Path:
    """A tiny NLI-style model; with ``bias`` its head ignores the input (zero weights) and says ``bias``."""
    save_backbone(path, arch, head=NLI_HEAD)
    if bias is not None:
        from transformers import AutoModelForSequenceClassification

        from stance.model.nli import output_layer

        model = AutoModelForSequenceClassification.from_pretrained(str(path))
        layer, _ = output_layer(model, len(NLI_HEAD))
        with torch.no_grad():
            layer.weight.zero_()
            layer.bias.copy_(torch.tensor(bias))
        model.save_pretrained(str(path))
    return path


def test_zero_shot_rule() -> None:
    from stance.model.nli import stance_from_entailment

    entail = np.array([[0.9, 0.1], [0.2, 0.7], [0.3, 0.2], [0.0, 0.0]])
    probs = stance_from_entailment(entail, ["favor", "against"])
    assert [("favor", "against", "none")[i] for i in probs.argmax(1)] == ["favor", "against", "none", "none"]
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probs[0], np.array([0.9, 0.1, 0.1]) / 1.1, rtol=1e-6)


@pytest.mark.parametrize(("bias", "expected"), [([-4.0, 4.0, 0.0], "none"), ([4.0, -4.0, 0.0], "favor")])
def test_nli_model_scores_zero_shot(tmp_path: Path, bias: list[float], expected: str) -> None:
    from stance.model.classifier import NLIZeroShotClassifier

    clf = StanceClassifier.from_pretrained(nli_model(tmp_path / "nli", bias), precision="fp32")
    assert isinstance(clf, NLIZeroShotClassifier) and clf.labels == ("favor", "against", "none")
    out = clf.predict(["We will fight this tax.", "The minister toured a factory."], "the carbon tax")
    assert [r["label"] for r in out] == [expected, expected]  # an entailed hypothesis: favor wins the tie
    assert set(out[0]["scores"]) == {"favor", "against", "none"}


def test_nli_zero_shot_runs_through_stance_predict_and_stance_eval(tiny_files, tmp_path: Path) -> None:
    from stance.evaluation.report import evaluate_model
    from stance.predict.command import run as predict_run

    model_dir = nli_model(tmp_path / "nli", arch="deberta-v2")
    article = tmp_path / "article.txt"
    article.write_text('"We will fight this tax in every court," said the minister. "It is a disgrace."\n')
    out = tmp_path / "pred.jsonl"
    predict_run(compose("predict", [f"model_dir={model_dir}", f"input={article}", f"output={out}",
                                    "targets=[the carbon tax]", "progress=false",
                                    "nli_templates={favor: '{target} is good, says the speaker.'}"]))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows and {r["label"] for r in rows} <= {"favor", "against", "none"}
    assert set(rows[0]["scores"]) == {"favor", "against", "none"}
    results = evaluate_model(compose("eval", ["data=jsonl", f"data.train_file={tiny_files['train']}",
                                              f"data.test_file={tiny_files['test']}", f"model_dir={model_dir}",
                                              f"output_dir={tmp_path / 'eval'}", f"hydra.run.dir={tmp_path}"]))
    assert results["labels"] == ["favor", "against", "none"] and results["test_support"] == 12


def test_fine_tuning_keeps_the_nli_head_mapped_to_the_stance_labels(tmp_path: Path) -> None:
    from stance.model.build import build_model

    source = nli_model(tmp_path / "nli", [1.0, 2.0, 3.0])  # entailment, neutral, contradiction
    tok = build_tokenizer(tmp_path / "tok")
    labels = ["favor", "against", "none"]
    model = build_model({"pretrained": str(source), "pooling": "cls"}, labels, tok)
    assert model.classifier.bias.tolist() == [1.0, 3.0, 2.0]  # favor: entailment, against: contradiction
    assert model.config.id2label == {0: "favor", 1: "against", 2: "none"}
    swapped = build_model({"pretrained": str(source), "pooling": "cls",
                           "nli_head": {"map": {"favor": "contradiction", "against": "entailment"}}},
                          ["favor", "against"], tok)
    assert swapped.classifier.bias.tolist() == [3.0, 1.0]
    fresh = build_model({"pretrained": str(source), "pooling": "cls", "nli_head": {"keep": False}}, labels, tok)
    assert fresh.classifier.bias.tolist() == [0.0, 0.0, 0.0]


def test_nli_initialized_fine_tuning_end_to_end(tiny_files, tmp_path: Path) -> None:
    source = nli_model(tmp_path / "nli", [4.0, -4.0, 0.0], arch="roberta")  # says entailment for every pair
    run_dir = tmp_path / "run"
    # lr 0: the head is exactly the NLI head mapped, so every test row must come out favor (= entailment)
    results = train(compose("train", tiny_overrides(tiny_files, run_dir, "model=nli", f"model.pretrained={source}",
                                                    *FAST, "trainer.learning_rate=0")))
    assert results["test_accuracy"] == pytest.approx(5 / 12)  # the 5 favor rows of the 12
    clf = StanceClassifier.from_pretrained(run_dir, precision="fp32")
    assert type(clf) is StanceClassifier and clf.labels == ("favor", "against", "none")
    assert clf.predict("We will fight this tax.", "the carbon tax")["label"] == "favor"
