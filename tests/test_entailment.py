"""Stance as entailment (stance.data.entailment, data=entailment, experiment=nli_stage): target kinds, recasting
stance rows into NLI pairs, the entailment data config, and a tiny NLI stage whose saved hypotheses drive
zero-shot prediction."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from stance.config import compose
from stance.data.entailment import (
    DEFAULT_HYPOTHESES,
    as_clause,
    check_hypotheses,
    hypothesis,
    recast,
    swapped_neutrals,
    target_kind,
)
from stance.data.labels import normalize_label
from stance.data.loading import load_data
from stance.errors import ConfigError
from tests.conftest import write_jsonl


@pytest.mark.parametrize(("target", "kind"), [
    ("Juan Guaido", "person"), ("Hillary Clinton", "person"), ("NATO", "person"), ("Anthony S. Fauci", "person"),
    ("military intervention in Venezuela", "topic"), ("the carbon tax", "topic"), ("Legalization of Abortion", "topic"),
    ("Animals should have lawful rights.", "claim"), ("Climate Change is a Real Concern", "claim"),
])
def test_target_kind(target: str, kind: str) -> None:
    assert target_kind(target) == kind


def test_hypotheses_by_kind() -> None:
    hyps = check_hypotheses(None)
    assert hypothesis("Juan Guaido", "favor", hyps) == "The speaker supports Juan Guaido."
    assert hypothesis("the carbon tax", "against", hyps) == "The speaker opposes the carbon tax."
    assert hypothesis("The merger of CVS and Aetna", "against", hyps, "topic") == \
        "The speaker opposes the merger of CVS and Aetna."
    assert hypothesis("Animals should have lawful rights.", "against", hyps) == \
        "The speaker disagrees that animals should have lawful rights."
    assert as_clause("NATO should expand east.") == "NATO should expand east"


def test_check_hypotheses_flat_and_errors() -> None:
    flat = check_hypotheses({"favor": "X backs {target}."})
    assert all(flat[k]["favor"] == "X backs {target}." for k in flat)
    assert flat["claim"]["against"] == DEFAULT_HYPOTHESES["claim"]["against"]
    with pytest.raises(ConfigError, match="unknown target kinds"):
        check_hypotheses({"place": {"favor": "{target}"}})
    with pytest.raises(ConfigError, match="neither"):
        check_hypotheses({"topic": {"favor": "The speaker agrees."}})


def test_recast_labels_follow_stance_and_polarity() -> None:
    rows = [{"text": "Tax it now.", "target": "the carbon tax", "label": "favor", "source": "a", "group": ""},
            {"text": "Scrap it.", "target": "the carbon tax", "label": "against", "source": "a", "group": ""},
            {"text": "The weather is mild.", "target": "the carbon tax", "label": "none", "source": "b", "group": ""}]
    out = recast(rows, check_hypotheses(None))
    got = {(r["text"], r["target"].split()[2]): r["label"] for r in out}
    assert got == {("Tax it now.", "supports"): "entailment", ("Tax it now.", "opposes"): "contradiction",
                   ("Scrap it.", "supports"): "contradiction", ("Scrap it.", "opposes"): "entailment",
                   ("The weather is mild.", "supports"): "neutral", ("The weather is mild.", "opposes"): "neutral"}
    assert all(r["stance_target"] == "the carbon tax" for r in out)
    sampled = recast(rows * 20, check_hypotheses(None), polarities="sample", rng=random.Random(0))
    assert len(sampled) == 60 and {r["target"].split()[2] for r in sampled} == {"supports", "opposes"}
    with pytest.raises(ConfigError):
        recast(rows, check_hypotheses(None), polarities="one")


def test_swapped_neutrals_take_another_sources_target() -> None:
    rows = recast([{"text": f"t{i}", "target": tgt, "label": "favor", "source": src, "group": ""}
                   for i, (tgt, src) in enumerate([("the carbon tax", "a"), ("Juan Guaido", "b")] * 10)],
                  check_hypotheses(None))
    extra = swapped_neutrals(rows, 0.5, check_hypotheses(None), random.Random(0))
    assert len(extra) == 20 and {r["label"] for r in extra} == {"neutral"}
    for r in extra:
        own = next(x for x in rows if x["text"] == r["text"])
        assert r["stance_target"] != own["stance_target"] and "speaker" not in r["stance_target"]


def test_nli_labels_are_their_own_scheme() -> None:
    labels = ["entailment", "neutral", "contradiction"]
    assert normalize_label("neutral", labels) == "neutral"
    assert normalize_label("NEUTRAL", ("favor", "against", "none")) == "none"


def _entailment_files(root: Path) -> list[str]:
    nli = [{"premise": f"A man plays guitar {i}.", "hypothesis": "A man plays music.", "label": lab, "source": src}
           for i, (lab, src) in enumerate([("entailment", "snli"), ("contradiction", "breaking_nli"),
                                           ("neutral", "snli")] * 6)]
    write_jsonl(root / "nli" / "train.jsonl", nli)
    write_jsonl(root / "nli" / "validation.jsonl", nli[:6])
    stance = [{"text": t, "target": g, "label": lab} for t, g, lab in [
        ("We must pass the carbon tax.", "the carbon tax", "favor"),
        ("The carbon tax will ruin farmers.", "the carbon tax", "against"),
        ("Guaido is the legitimate leader.", "Juan Guaido", "favor"),
        ("Guaido is a puppet.", "Juan Guaido", "against")] * 3]
    write_jsonl(root / "stance" / "train.jsonl", stance)
    return [f"paths.shared_data_dir={root}", "data.sources.nli.group_caps.breaking_nli=2",
            f"+data.sources.mine={{recast: auto, train_file: {root}/stance/train.jsonl, validation_file: null, "
            "test_file: null, labels: [favor, against, none], text_column: text, target_column: target, "
            "label_column: label}"]


def test_entailment_config_loads_nli_pairs_and_recast_rows(tmp_path: Path) -> None:
    cfg = compose("train", ["experiment=nli_stage", *_entailment_files(tmp_path)])
    splits = load_data(cfg.data, seed=0)
    assert {r["label"] for r in splits["train"]} == {"entailment", "neutral", "contradiction"}
    assert sum(r["group"] == "breaking_nli" for r in splits["train"]) == 2  # capped
    mine = [r for r in splits["train"] if r["source"] == "mine"]
    assert mine and all(r["target"].startswith("The speaker") for r in mine)
    # recast sources are training-only: validation is the NLI pairs alone
    assert {r["source"] for r in splits["validation"]} == {"nli_pairs"} and not splits["test"]


def test_recast_outside_an_entailment_config_is_refused(tmp_path: Path, tiny_files) -> None:
    from stance.errors import DataError

    cfg = compose("train", ["data=pooled", f"paths.shared_data_dir={tmp_path}/none",
                            f"+data.sources.quotes.recast=auto"])
    with pytest.raises(DataError, match="hypotheses"):
        load_data({**cfg.data, "sources": {"quotes": cfg.data.sources.quotes}}, seed=0)


@pytest.mark.slow
def test_tiny_nli_stage_saves_its_hypotheses_and_predicts_zero_shot(tmp_path: Path) -> None:
    from stance.model.classifier import NLIZeroShotClassifier, StanceClassifier
    from stance.train.trainer import train

    overrides = ["experiment=nli_stage", "model=tiny", "logger=none", "trainer.max_steps=4",
                 "trainer.disable_tqdm=true", f"hydra.run.dir={tmp_path / 'run'}",
                 "+data.hypotheses.person.favor='The speaker speaks well of {target}.'",
                 *_entailment_files(tmp_path / "shared")]
    results = train(compose("train", overrides))
    config = json.loads((Path(results["model_dir"]) / "config.json").read_text())
    assert config["stance_hypotheses"]["person"]["favor"] == "The speaker speaks well of {target}."
    assert set(config["id2label"].values()) == {"entailment", "neutral", "contradiction"}
    clf = StanceClassifier.from_pretrained(results["model_dir"], precision="fp32")
    assert isinstance(clf, NLIZeroShotClassifier)
    assert clf.templates["person"]["favor"] == "The speaker speaks well of {target}."
    out = clf.predict(["Guaido is a puppet.", "Tax carbon now."], ["Juan Guaido", "the carbon tax"])
    assert all(abs(sum(r["scores"].values()) - 1) < 1e-4 for r in out)


def test_hub_nli_pairs_for_online_users_fail_offline_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """experiment=nli_stage_mnli reads MultiNLI with datasets.load_dataset: offline, a DataError naming it."""
    from stance.errors import DataError

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cfg = compose("train", ["experiment=nli_stage_mnli"])
    assert cfg.data.sources.nli.hub_path == "nyu-mll/multi_nli"
    with pytest.raises(DataError, match="nyu-mll/multi_nli"):
        load_data(cfg.data, seed=0)


def test_zero_shot_rules_read_entailment_and_the_opposite_contradiction() -> None:
    import numpy as np

    from stance.errors import ModelConfigError
    from stance.model.nli import stance_evidence

    ids = {"entailment": 0, "neutral": 1, "contradiction": 2}
    support = np.array([[0.2, 0.2, 0.6]])  # "supports T" is contradicted
    oppose = np.array([[0.4, 0.5, 0.1]])   # "opposes T" is weakly entailed
    np.testing.assert_allclose(stance_evidence(support, oppose, ids, "entailment"), [[0.2, 0.4]])
    np.testing.assert_allclose(stance_evidence(support, oppose, ids, "both"), [[0.15, 0.5]])
    with pytest.raises(ModelConfigError):
        stance_evidence(support, oppose, ids, "majority")
