"""Every user-path or user-value error of the five commands is one line, ``command: error: ...``, exit status 2,
and the ones about paths and options arrive before a model is loaded (issue #26, point 6; docs/reliability.md).

The commands run in this process as their console scripts run them (the composed Hydra config, ``guarded``); a
model load is made to fail the test, so a check that comes after it shows up as a failure, not as a slower pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model  # noqa: E402
from test_output_safety import _compose  # noqa: E402

from stance.errors import guarded  # noqa: E402
from tests.conftest import write_tiny_files  # noqa: E402

ARTICLE = 'The minister said: "We oppose the tax plan, and we will vote against it."'
NO_DEVICE = "cuda:99"  # no machine has a hundredth GPU, so the case holds on GPU machines too


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("user_errors")
    model = make_tiny_model(root / "model")
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "file").write_text("a file, not a directory", encoding="utf-8")
    (root / "dir.jsonl").mkdir()
    (root / "adir").mkdir()
    files = write_tiny_files(root)
    (root / "runs" / "r1").mkdir(parents=True)
    (root / "runs" / "r1" / "metrics.json").write_text('{"test_f_avg": 0.5, "test_macro_f1": 0.4}')
    return {"MODEL": str(model), "IN": str(root / "a.txt"), "FILE": str(root / "file"),
            "DIRJSONL": str(root / "dir.jsonl"), "DIR": str(root / "adir"), "TRAIN": str(files["train"]),
            "VAL": str(files["validation"]), "TEST": str(files["test"]), "ROOT": str(root),
            "RUNS": str(root / "runs")}


PREDICT = ["model_dir=MODEL", "input=IN", "targets=[tax]", "output=ROOT/out/p.jsonl"]
TRAIN = ["data=jsonl", "data.train_file=TRAIN", "data.validation_file=VAL", "data.test_file=TEST", "model=tiny",
         "logger=none", "trainer.disable_tqdm=true", "hydra.run.dir=ROOT/run"]
EVAL = ["model_dir=MODEL", "output_dir=ROOT/eval"]
#: case -> (command, overrides (later ones replace earlier ones of the same key), words the error line holds)
CASES: dict[str, tuple[str, list[str], tuple[str, ...]]] = {
    "predict output is a directory": ("stance-predict", [*PREDICT, "output=DIRJSONL"], ("is a directory",)),
    "predict output parent is a file": ("stance-predict", [*PREDICT, "output=FILE/p.jsonl"], ("not a directory",
                                                                                              "FILE")),
    "predict output not writable": ("stance-predict", [*PREDICT, "output=/proc/stance-test/p.jsonl"],
                                    ("/proc/stance-test",)),
    "predict output extension": ("stance-predict", [*PREDICT, "output=ROOT/p.xml"], ("unknown extension",)),
    "predict targets_file is a directory": ("stance-predict", [*PREDICT, "targets_file=DIR"],
                                            ("targets_file", "is a directory")),
    "predict batch_size not a number": ("stance-predict", [*PREDICT, "batch_size=abc"], ("batch_size", "abc")),
    "predict batch_size zero": ("stance-predict", [*PREDICT, "batch_size=0"], ("batch_size",)),
    "predict max_tokens negative": ("stance-predict", [*PREDICT, "max_tokens=-5"], ("max_tokens",)),
    "predict min_fill above one": ("stance-predict", [*PREDICT, "min_fill=2"], ("min_fill",)),
    "predict device absent": ("stance-predict", [*PREDICT, f"device={NO_DEVICE}"], ("device", NO_DEVICE)),
    "predict device unknown": ("stance-predict", [*PREDICT, "device=tpu"], ("device", "tpu")),
    "predict precision unknown": ("stance-predict", [*PREDICT, "precision=fp64"], ("precision",)),
    "predict prefilter a word": ("stance-predict", [*PREDICT, "prefilter=abc"], ("prefilter",)),
    "predict prefilter threshold out of range": ("stance-predict", [*PREDICT, "prefilter=5"], ("prefilter",)),
    "predict prefilter model missing": ("stance-predict", [*PREDICT, "prefilter={threshold: 0.1, model: "
                                                                     "/nonexistent/embedder}"],
                                        ("prefilter", "/nonexistent/embedder")),
    "predict resume not a boolean": ("stance-predict", [*PREDICT, "resume=maybe"], ("resume", "maybe")),
    "predict input_format unknown": ("stance-predict", [*PREDICT, "input_format=xml"], ("input_format", "xml")),
    "predict ray engine batch_size": ("stance-predict", [*PREDICT, "engine=ray", "batch_size=abc"], ("batch_size",)),
    "predict ray actors not a number": ("stance-predict", [*PREDICT, "engine=ray", "ray.actors=abc"],
                                        ("ray.actors",)),
    "quotes output is a directory": ("stance-quotes", ["input=IN", "output=DIR"], ("is a directory",)),
    "quotes output parent is a file": ("stance-quotes", ["input=IN", "output=FILE/q.jsonl"], ("not a directory",)),
    "train run dir parent is a file": ("stance-train", [*TRAIN, "hydra.run.dir=FILE/run"], ("not a directory",)),
    "train train_file is a directory": ("stance-train", [*TRAIN, "data.train_file=DIRJSONL"], ("is a directory",)),
    "train epochs not a number": ("stance-train", [*TRAIN, "trainer.num_train_epochs=abc"],
                                  ("num_train_epochs", "abc")),
    "train zero epochs": ("stance-train", [*TRAIN, "trainer.num_train_epochs=0"], ("zero training steps",)),
    "train seed not a number": ("stance-train", [*TRAIN, "seed=abc"], ("seed", "abc")),
    "eval output_dir parent is a file": ("stance-eval", [*EVAL, "output_dir=FILE/eval"], ("not a directory",)),
    "eval batch_size not a number": ("stance-eval", [*EVAL, "batch_size=abc"], ("batch_size", "abc")),
    "eval device unknown": ("stance-eval", [*EVAL, "device=tpu"], ("device", "tpu")),
    "compare csv is a directory": ("stance-compare", ["RUNS", "--no-png", "--csv", "DIR"], ("--csv", "Is a directory")),
    "compare png not writable": ("stance-compare", ["RUNS", "--png", "/proc/stance-test/c.png"],
                                 ("/proc/stance-test",)),
}


def _fill(args: list[str], places: dict[str, str]) -> list[str]:
    out = []
    for a in args:
        for key in sorted(places, key=len, reverse=True):
            a = a.replace(key, places[key])
        out.append(a)
    return out


def _call(command: str, args: list[str]) -> object:
    if command == "stance-compare":
        from stance.cli import compare_main

        raise SystemExit(compare_main(args))
    config, target = {"stance-predict": ("predict", "stance.predict.command"),
                      "stance-quotes": ("quotes", "stance.predict.quotes_command"),
                      "stance-train": ("train", "stance.train.trainer"),
                      "stance-eval": ("eval", "stance.evaluation.report")}[command]
    from importlib import import_module

    from stance.config import compose

    merged = dict(a.split("=", 1) for a in args)  # a later value of a key replaces an earlier one
    if command in ("stance-predict", "stance-quotes"):
        cfg = _compose(config, {"progress": "false", **merged})
    else:
        cfg = compose(config, [f"{k}={v}" for k, v in merged.items()])
    return guarded(command, lambda: import_module(target).run(cfg))


@pytest.fixture
def no_model_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading or building a model fails the test: the checks must come first."""
    import stance.model.classifier as classifier
    import stance.train.trainer as trainer

    def loaded(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model was loaded before the paths and options were checked")

    monkeypatch.setattr(classifier.StanceClassifier, "from_pretrained", classmethod(loaded))
    monkeypatch.setattr(trainer, "build_model", loaded)
    monkeypatch.setattr(trainer, "build_tokenizer", loaded)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_user_error_is_one_line_before_any_model_loads(case: str, places: dict[str, str], no_model_loads: None,
                                                         capsys: pytest.CaptureFixture) -> None:
    command, args, words = CASES[case]
    with pytest.raises(SystemExit) as e:
        _call(command, _fill(args, places))
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "error" in ln.lower()]
    assert e.value.code == 2, err
    assert "Traceback" not in err and len(lines) == 1 and lines[0].startswith(f"{command}: error:"), err
    for word in _fill(list(words), places):
        assert word in lines[0], lines[0]


def test_a_targets_file_with_a_bom_and_crlf_lines_reads_clean_targets(tmp_path: Path) -> None:
    from stance.predict.pipeline import read_targets_file

    path = tmp_path / "targets.txt"
    path.write_bytes("\ufeffthe tax plan\r\n# a comment\r\n\r\nthe war\r\n".encode())
    assert read_targets_file(path) == ["the tax plan", "the war"]
