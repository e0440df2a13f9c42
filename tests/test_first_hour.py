"""What a newcomer meets in the first hour (issue 28): a saved model loads with plain transformers after
``import stance``, the commands' help and their errors for typos, quiet model loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers_models import build_tokenizer

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def pooled_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny mean-pooling model (our own ``stance-pooled-encoder`` type) saved as training saves it."""
    from stance.model.build import build_model

    path = tmp_path_factory.mktemp("pooled") / "model"
    tokenizer = build_tokenizer(path)
    model = build_model({"random_init": {"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                                          "intermediate_size": 37}, "pooling": "mean"},
                        ["favor", "against", "none"], tokenizer)
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    assert json.loads((path / "config.json").read_text())["model_type"] == "stance-pooled-encoder"
    return path


LOAD = """
from transformers import AutoModelForSequenceClassification, pipeline
model = AutoModelForSequenceClassification.from_pretrained({path!r})
assert type(model).__name__ == "PooledEncoderForSequenceClassification", type(model)
out = pipeline("text-classification", model={path!r})("the war must end")
print(out[0]["label"])
"""


@pytest.mark.parametrize("order", ["stance first", "transformers first"])
def test_import_stance_is_enough_for_auto_classes_and_pipeline(pooled_model_dir: Path, tmp_path: Path,
                                                                order: str) -> None:
    imports = "import stance\nimport transformers\n" if order == "stance first" else "import transformers\nimport stance\n"
    done = _python(imports + LOAD.format(path=str(pooled_model_dir)), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] in ("favor", "against", "none")


def test_without_import_stance_the_type_is_unknown(pooled_model_dir: Path, tmp_path: Path) -> None:
    """The test above can fail: plain transformers does not know the type."""
    done = _python(LOAD.format(path=str(pooled_model_dir)), tmp_path)
    assert done.returncode != 0 and "stance-pooled-encoder" in done.stderr


def test_import_stance_stays_free_of_torch(tmp_path: Path) -> None:
    done = _python("import sys, stance, stance.quotes\nprint(sorted(m for m in ('torch', 'transformers') "
                   "if m in sys.modules))", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
