"""A model directory that would load but predict nonsense, or load a pickle, is refused with one line naming it
(docs/reliability.md, case 3 and the weights part of case 9)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model

from stance.errors import ModelLoadError
from stance.model.classifier import StanceClassifier


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def _copy(model_dir: Path, tmp_path: Path, *drop: str) -> Path:
    out = tmp_path / "model"
    shutil.copytree(model_dir, out)
    for name in drop:
        (out / name).unlink()
    return out


def test_a_tokenizer_config_without_a_vocabulary_is_refused(model_dir: Path, tmp_path: Path) -> None:
    broken = _copy(model_dir, tmp_path, "tokenizer.json", "vocab.txt")
    with pytest.raises(ModelLoadError, match="no tokenizer vocabulary") as e:
        StanceClassifier.from_pretrained(broken)
    assert str(broken) in str(e.value)


def test_a_tokenizer_much_smaller_than_the_model_vocabulary_is_refused(model_dir: Path, tmp_path: Path) -> None:
    broken = _copy(model_dir, tmp_path, "tokenizer.json")
    words = (broken / "vocab.txt").read_text(encoding="utf-8").splitlines()
    (broken / "vocab.txt").write_text("\n".join(words[:8]) + "\n", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="8 tokens .* 1[0-9][0-9]") as e:
        StanceClassifier.from_pretrained(broken)
    assert str(broken) in str(e.value)


def test_pickled_weights_are_refused(model_dir: Path, tmp_path: Path) -> None:
    import torch
    from safetensors.torch import load_file

    pickled = _copy(model_dir, tmp_path, "model.safetensors")
    torch.save(load_file(str(model_dir / "model.safetensors")), pickled / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match="pytorch_model.bin.*safetensors") as e:
        StanceClassifier.from_pretrained(pickled)
    assert str(pickled) in str(e.value)


def test_the_intact_model_directory_still_loads(model_dir: Path) -> None:
    clf = StanceClassifier.from_pretrained(model_dir)
    assert clf.tokenizer.tokenize("lavrov said") == ["lavrov", "said"]
