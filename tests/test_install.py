"""The package installs like any other: the wheel carries the configs, the bundled data and the metrics module, and
its console scripts work from a directory that knows nothing of the checkout."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import setuptools
import yaml
from packaging.version import Version
from setuptools import find_namespace_packages

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

ROOT = Path(__file__).resolve().parents[1]
# what the build reads, and where each source folder lands in the wheel
BUILD_FILES = ("pyproject.toml", "README.md")
PLACES = {"stance": "stance", "configs": "stance/resources/configs", "data": "stance/resources/data"}
ARTICLE = (
    "Port strike deepens\n\n"
    '"We will not let a spreadsheet decide who feeds their family," said Dmitri Orlov, the union\'s chairman.\n\n'
    '"The strike is wrong and it hurts the port," said Maria Lopes, the harbour master.\n'
)


def test_every_package_is_listed() -> None:
    """pyproject.toml lists the packages by hand (the resource packages are mapped, so there is no discovery):
    a new subpackage must be added there or it is left out of the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {p for p in find_namespace_packages(str(ROOT), include=["stance*"])
             if (ROOT / p.replace(".", "/") / "__init__.py").is_file()}
    assert found - listed == set()


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _build_wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    """The wheel, built from a copy (a build in the checkout would leave build/ and stance.egg-info there, and reuse
    them); checked to hold every source file at its place in the package."""
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy2(ROOT / name, source / name)
    for name in PLACES:
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
          str(source)], cwd=tmp_path, env=env, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("stance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"{place}/{p.relative_to(source / name).as_posix()}"
               for name, place in PLACES.items() for p in (source / name).rglob("*") if p.is_file()}
    assert "stance/evaluation/metrics_module/stance_metrics/stance_metrics.py" in shipped
    assert shipped - names == set()
    assert not [n for n in names if n.startswith(("configs/", "data/", "tests/"))]
    return wheel


def _venv_with(wheel: Path, venv: Path, env: dict[str, str]) -> Path:
    """A fresh virtual environment with the wheel installed (not editable); it borrows this environment's
    dependencies (torch, transformers, ...) through a .pth file written after the install, so pip does not take the
    borrowed `stance` for ours."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], cwd=venv, env=env, timeout=300)
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=venv, env=env).stdout.strip()
    (Path(purelib) / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv / "bin"


@pytest.mark.slow
@pytest.mark.skipif(Version(setuptools.__version__) < Version("77"),
                    reason="building the wheel here needs setuptools>=77 (pip install -e '.[dev]')")
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    """Build the wheel, install it into a fresh virtual environment and run stance-train, stance-quotes and
    stance-predict from an unrelated directory, on the configs and data inside the installed package."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "STANCE_CONFIG_DIR", "STANCE_DATA_DIR", "STANCE_MODEL_DIR", "VIRTUAL_ENV"}}
    venv = tmp_path / "venv"
    bin_dir = _venv_with(_build_wheel(tmp_path, env), venv, env)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env.update(STANCE_OUTPUT_DIR=str(work / "outputs"), WANDB_MODE="disabled", HF_HUB_OFFLINE="1",
               HF_DATASETS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    show = "import stance, stance.config as c; print(stance.__file__, c.config_dir(), c.data_dir())"
    where = _run([str(bin_dir / "python"), "-c", show], cwd=work, env=env).stdout.split()
    assert all(Path(p).is_relative_to(venv) and Path(p).exists() for p in where), where

    _run([str(bin_dir / "stance-train"), "model=tiny", "logger=none", "trainer.max_steps=2",
          "data.max_train_samples=32", "data.max_eval_samples=16", "data.polarity_templates=0"],
         cwd=work, env=env, timeout=300)
    run_dir = work / "outputs" / "latest"
    assert "test_macro_f1" in json.loads((run_dir / "metrics.json").read_text())
    trained_on = Path(yaml.safe_load((run_dir / "config.yaml").read_text())["data"]["train_file"])
    assert trained_on.is_relative_to(venv) and trained_on.name == "train.jsonl"

    (work / "article.txt").write_text(ARTICLE, encoding="utf-8")
    _run([str(bin_dir / "stance-quotes"), "input=article.txt", "output=quotes.jsonl", "progress=false"],
         cwd=work, env=env)
    quotes = [json.loads(line) for line in (work / "quotes.jsonl").read_text().splitlines()]
    assert {q["speaker"] for q in quotes} >= {"Dmitri Orlov", "Maria Lopes"}
    assert {q["kind"] for q in quotes} <= {"direct", "indirect", "mixed"}

    _run([str(bin_dir / "stance-predict"), f"model_dir={run_dir}", "input=article.txt",
          "targets=[the port strike, the harbour]", "output=preds.jsonl", "progress=false"], cwd=work, env=env)
    rows = [json.loads(line) for line in (work / "preds.jsonl").read_text().splitlines()]
    assert len(rows) == 2 * len(quotes)
    assert {r["label"] for r in rows} <= {"favor", "against", "none"}
