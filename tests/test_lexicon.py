"""stance.data.lexicon: evaluative statements from the VADER lexicon (data.lexicon_statements), and the extra
training sources (data.extra_train) and evaluation configs of the polarity study."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from stance.config import ROOT_DIR
from stance.data.lexicon import FRAMES, LEXICON_FILE, load_lexicon, lexicon_rows, statement
from stance.data.loading import load_data
from tests.conftest import compose, write_jsonl

POS = {"splendid", "triumph", "prosperity", "admire"}
NEG = {"dreadful", "fiasco", "misery", "despise"}
NEGATION = ("not ", " no ", "hardly", "far from", "never", "don't", "Nobody")
REJECTED = ("wrong", "disagree", "otherwise")


@pytest.fixture()
def tiny_lexicon(tmp_path: Path) -> str:
    path = tmp_path / "lex.tsv"
    path.write_text("# header\n" + "\n".join(
        f"{w}\t{p}\t{v}" for w, p, v in [("splendid", "adj", "+2.0"), ("dreadful", "adj", "-2.0"),
                                         ("triumph", "noun", "+2.0"), ("fiasco", "noun", "-2.0"),
                                         ("prosperity", "mass", "+2.0"), ("misery", "mass", "-2.0"),
                                         ("admire", "verb", "+2.0"), ("despise", "verb", "-2.0")]) + "\n")
    return str(path)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:") for w in text.split()}


def _about_target(text: str, target: str) -> str:
    """The part of a contrast about the target (the clause that starts with it)."""
    return text[text.lower().rindex(target.lower()):]


@pytest.mark.parametrize("label", ["favor", "against"])
def test_labels_follow_the_predicates_polarity_and_negation_flips(label: str, tiny_lexicon: str) -> None:
    lex = load_lexicon(tiny_lexicon)
    rng = random.Random(0)
    own, other = (POS, NEG) if label == "favor" else (NEG, POS)
    for _ in range(40):
        for frame in ("direct", "hedged", "speaker"):
            text = statement("rent control", label, frame, lex, rng, ["a sugar tax"])
            assert _words(text) & own and not _words(text) & other, (frame, text)
            assert not any(n in text for n in NEGATION), (frame, text)
        text = statement("rent control", label, "negated", lex, rng, ["a sugar tax"])
        assert _words(text) & other and not _words(text) & own and any(n in text for n in NEGATION), text
        text = statement("rent control", label, "contrast", lex, rng, ["a sugar tax"])
        about = _about_target(text, "rent control")
        assert _words(about) & own and not _words(about) & other, text
        assert _words(text[: len(text) - len(about)]) & other, text  # the other clause has the other polarity
        text = statement("rent control", label, "reported", lex, rng, ["a sugar tax"])
        rejected = any(r in text for r in REJECTED)
        assert _words(text) & (other if rejected else own), text


def test_none_statements_ask_or_are_about_another_target(tiny_lexicon: str) -> None:
    lex = load_lexicon(tiny_lexicon)
    rng = random.Random(1)
    for _ in range(30):
        text = statement("rent control", "none", "none", lex, rng, ["a sugar tax"])
        assert "rent control" not in text or "whether" in text or " if " in text, text


def test_rows_are_deterministic_balanced_and_about_the_given_targets(tiny_lexicon: str) -> None:
    rows = [{"text": "x", "target": t, "label": "favor", "source": "quotes", "group": "True", "swap_group": "d"}
            for t in ("nuclear power", "rent control", "a sugar tax")]
    made = lexicon_rows(rows, 300, ["favor", "against", "none"], random.Random(7), tiny_lexicon)
    again = lexicon_rows(rows, 300, ["favor", "against", "none"], random.Random(7), tiny_lexicon)
    assert made == again and len(made) == 300
    other_seed = lexicon_rows(rows, 300, ["favor", "against", "none"], random.Random(8), tiny_lexicon)
    assert [r["text"] for r in other_seed] != [r["text"] for r in made]
    assert {r["target"] for r in made} == {"nuclear power", "rent control", "a sugar tax"}
    assert all(r["group"] == "lexicon" and r["source"] == "quotes" for r in made)
    counts = {lab: sum(r["label"] == lab for r in made) for lab in ("favor", "against", "none")}
    assert abs(counts["favor"] - counts["against"]) <= 0.1 * 300 and 0 < counts["none"] < 0.2 * 300
    two = lexicon_rows(rows, 50, ["favor", "against"], random.Random(7), tiny_lexicon)
    assert {r["label"] for r in two} == {"favor", "against"}
    assert lexicon_rows(rows, 0, ["favor", "against"], random.Random(0), tiny_lexicon) == []
    assert lexicon_rows(rows, 10, ["favor", "none"], random.Random(0), tiny_lexicon) == []


def test_packaged_lexicon_is_vader_with_its_licence_and_no_seed_topic() -> None:
    header = [line for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("MIT License" in line for line in header) and any("C.J. Hutto" in line for line in header)
    lex = load_lexicon()
    assert set(lex) == {"adj", "noun", "mass", "verb"} and all(lex[p][1] and lex[p][-1] for p in lex)
    words = {w for by in lex.values() for ws in by.values() for w in ws}
    assert len(words) > 500
    source = (ROOT_DIR / "stance" / "data" / "lexicon.py").read_text(encoding="utf-8").lower()
    for banned in ("venezuela", "lavrov", "guaido", "military", "intervention"):
        assert banned not in words and banned not in source


def test_bundled_statements_never_use_an_unseen_test_target() -> None:
    def read(split: str) -> list[dict]:
        return [json.loads(line) for line in (ROOT_DIR / "data" / "quotes" / f"{split}.jsonl").open()]

    train, test = read("train"), read("test")
    unseen = {r["target"] for r in test} - {r["target"] for r in train}
    assert unseen
    made = lexicon_rows(train, 1500, ["favor", "against", "none"], random.Random(42))
    assert not {r["target"] for r in made} & unseen
    texts = " ".join(r["text"].lower() for r in made)
    assert not [t for t in unseen if t.lower() in texts]
    assert sum(FRAMES.values()) == pytest.approx(1.0)


def test_lexicon_statements_option_adds_rows_to_training_only() -> None:
    cfg = compose("train", ["data.lexicon_statements=200"])
    base = load_data(OmegaConf.to_container(compose("train", ["data.lexicon_statements=0"]).data, resolve=True), seed=3)
    data = load_data(OmegaConf.to_container(cfg.data, resolve=True), seed=3)
    assert len(data["train"]) == len(base["train"]) + 200
    assert data["validation"] == base["validation"] and data["test"] == base["test"]
    assert data["train"][: len(base["train"])] == base["train"]  # the default rows are unchanged
    assert sum(r["group"] == "lexicon" for r in data["train"]) == 200


def test_lexicon_statements_are_capped_so_that_the_real_pairs_dominate() -> None:
    cfg = compose("train", ["data.lexicon_statements=5000", "data.max_train_samples=64", "data.target_swap=0",
                            "data.polarity_templates=0"])
    data = load_data(OmegaConf.to_container(cfg.data, resolve=True), seed=3)
    assert sum(r["group"] == "lexicon" for r in data["train"]) == 32
    assert compose("train").data.lexicon_statements == 1200  # the default recipe (docs/zero_shot.md)


def test_extra_training_source_is_capped_swapped_and_gets_no_templates(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "persp" / "train.jsonl",
                [{"text": f"argument {i}", "target": f"claim {i % 7}", "label": ("favor", "against")[i % 2]}
                 for i in range(50)])
    cfg = compose("train", ["experiment=polarity_perspectrum", f"data.extra_train.perspectrum.dir={tmp_path}/persp",
                            "data.extra_train.perspectrum.max_train_samples=20"])
    data = load_data(OmegaConf.to_container(cfg.data, resolve=True), seed=0)
    extra = [r for r in data["train"] if r["source"] == "perspectrum"]
    assert sum(r["group"] != "swapped" for r in extra) == 20
    assert any(r["group"] == "swapped" for r in extra)  # target swapping covers the extra rows too
    templated = {r["target"] for r in data["train"] if r["group"] == "template"}
    assert templated and not any(t.startswith("claim ") for t in templated)
    assert all(r["source"] != "perspectrum" for r in data["validation"] + data["test"])
    # an optional extra source whose folder is missing is skipped: the default recipe's rows
    missing = compose("train", ["experiment=polarity_perspectrum", f"data.extra_train.perspectrum.dir={tmp_path}/no"])
    base = load_data(OmegaConf.to_container(compose("train").data, resolve=True), seed=0)
    assert load_data(OmegaConf.to_container(missing.data, resolve=True), seed=0) == base


@pytest.mark.parametrize("name,folder", [("basil_quotes", "basil_quotes"), ("perspectrum", "perspectrum")])
def test_shared_evaluation_configs_point_at_the_shared_folder(name: str, folder: str) -> None:
    data = compose("eval", [f"data={name}", "split=validation"]).data
    assert OmegaConf.to_container(data, resolve=True)["validation_file"].endswith(f"{folder}/validation.jsonl")
    assert list(data.labels) == ["favor", "against"] and data.optional
