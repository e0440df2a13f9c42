"""Outputs never destroy or feed on inputs, a refused re-run leaves an earlier output whole, and ``resume=true``
only continues a run made from the same targets, model and input (docs/reliability.md, cases 1, 2, 6, 9)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model

from stance.config import ROOT_DIR

ARTICLES = ROOT_DIR / "data" / "articles" / "articles.jsonl"
ARTICLE = 'The minister said: "We oppose the tax plan, and we will vote against it."\n'


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def _compose(name: str, overrides: dict[str, object]):
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from stance.config import config_dir, register_resolvers

    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        return compose(config_name=name, overrides=[f"{k}={v}" for k, v in overrides.items()])


def predict(**overrides: object) -> dict:
    """``stance-predict`` as the console script runs it (a StanceError: one line, exit status 2)."""
    from stance.errors import guarded
    from stance.predict.command import run

    return guarded("stance-predict", lambda: run(_compose("predict", {"progress": False, **overrides})))


def quotes(**overrides: object) -> dict:
    from stance.errors import guarded
    from stance.predict.quotes_command import run

    return guarded("stance-quotes", lambda: run(_compose("quotes", {"progress": False, **overrides})))


def _one_finished_run(model_dir: Path, tmp_path: Path, name: str) -> tuple[Path, Path, dict, bytes]:
    """One article predicted into ``tmp_path/name``: (input, output, the run's arguments, the output's bytes)."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / name
    args = {"model_dir": model_dir, "input": src, "output": out, "targets": "['the tax plan']"}
    predict(**args)
    return src, out, args, out.read_bytes()


def _refused(capsys: pytest.CaptureFixture, call, *words: str) -> str:
    with pytest.raises(SystemExit) as e:
        call()
    assert e.value.code == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "error" in ln]
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _jsonl_input(tmp_path: Path) -> Path:
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    return src


# -- case 1: output = input ----------------------------------------------------------------------------------


def test_output_equal_to_input_is_refused_and_the_input_kept(model_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    src = _jsonl_input(tmp_path)
    before = src.read_bytes()
    _refused(capsys, lambda: predict(model_dir=model_dir, input=src, output=src, targets="['the tax plan']"),
             str(src), "is the input file")
    assert src.read_bytes() == before


def test_a_ledger_or_summary_equal_to_the_input_is_refused(model_dir: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "p.articles.jsonl"
    shutil.copy(_jsonl_input(tmp_path), src)
    _refused(capsys, lambda: predict(model_dir=model_dir, input=src, output=tmp_path / "p.jsonl",
                                     targets="['the tax plan']"), "is the input file")


def test_quotes_output_equal_to_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _jsonl_input(tmp_path)
    before = src.read_bytes()
    _refused(capsys, lambda: quotes(input=src, output=src), "is the input file")
    assert src.read_bytes() == before


def test_a_rerun_refused_on_its_first_article_leaves_the_earlier_output(model_dir: Path, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "preds.jsonl"
    predict(model_dir=model_dir, input=src, output=out, targets="['the tax plan']")
    files = [out, tmp_path / "preds.articles.jsonl", tmp_path / "preds.summary.csv", tmp_path / "preds.speakers.csv"]
    before = {p: p.read_bytes() for p in files}
    assert before[out]
    _refused(capsys, lambda: predict(model_dir=model_dir, input=src, output=out, overwrite=True), "no targets")
    assert {p: p.read_bytes() for p in files} == before


def test_a_rerun_without_resume_or_overwrite_is_refused(model_dir: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    """The earlier output is neither continued nor replaced silently: the error says which option does which."""
    _, out, args, before = _one_finished_run(model_dir, tmp_path, "preds.csv")
    _refused(capsys, lambda: predict(**args), "exists from an earlier run", "resume=true", "overwrite=true")
    assert out.read_bytes() == before
    out.write_bytes(b"")  # overwrite=true replaces it
    assert predict(**args, overwrite=True)["articles"] == 1 and out.read_bytes() == before
    _refused(capsys, lambda: predict(**args, overwrite=True, resume=True), "contradict")
    (tmp_path / "preds.articles.jsonl").rename(tmp_path / "kept.jsonl")
    out.unlink()
    assert predict(**args)["articles"] == 1  # nothing left behind: no option needed


# -- case 2: output inside an input directory -----------------------------------------------------------------


def test_output_inside_the_input_directory_is_refused(model_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _refused(capsys, lambda: predict(model_dir=model_dir, input=d, output=d / "preds.jsonl",
                                     targets="['the tax plan']"), "inside the input directory", str(d))
    _refused(capsys, lambda: predict(model_dir=model_dir, input=d, output=d / "sub" / "preds.csv",
                                     targets="['the tax plan']"), "inside the input directory")
    _refused(capsys, lambda: quotes(input=d, output=d / "quotes.jsonl"), "inside the input directory")
    assert sorted(p.name for p in d.rglob("*")) == ["a.txt"]


# -- case 9: symbolic links among the outputs ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["preds.summary.csv", "preds.articles.jsonl", "preds.speakers.csv"])
def test_a_symlinked_summary_or_ledger_is_refused(model_dir: Path, tmp_path: Path, name: str,
                                                  capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (tmp_path / name).symlink_to(precious)
    _refused(capsys, lambda: predict(model_dir=model_dir, input=src, output=tmp_path / "preds.jsonl",
                                     targets="['the tax plan']"), "symbolic link", name)
    assert precious.read_text(encoding="utf-8") == "keep me"


# -- case 6: resume only continues the same run ---------------------------------------------------------------


def test_resume_with_other_targets_model_or_input_is_refused(model_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    _, out, args, before = _one_finished_run(model_dir, tmp_path, "preds.jsonl")
    other_model = make_tiny_model(tmp_path / "other", seed=1)
    other_input = tmp_path / "b.txt"
    other_input.write_text(ARTICLE, encoding="utf-8")
    for change, word in (({"targets": "['the war']"}, "targets"), ({"model_dir": other_model}, "model"),
                         ({"input": other_input}, "input")):
        _refused(capsys, lambda change=change: predict(**{**args, **change, "resume": True}), "resume", word)
        assert out.read_bytes() == before
    assert predict(**args, resume=True)["articles"] == 0  # the same run resumes


def test_resume_catches_a_retrained_model_in_the_same_directory(model_dir: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    model = make_tiny_model(tmp_path / "m")
    args = {"model_dir": model, "input": src, "output": tmp_path / "p.jsonl", "targets": "['the tax plan']"}
    predict(**args)
    shutil.rmtree(model)
    make_tiny_model(model, labels=("favor", "against", "neutral", "none"))
    _refused(capsys, lambda: predict(**args, resume=True), "model")
