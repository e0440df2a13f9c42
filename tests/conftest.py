"""Shared fixtures: real Hydra composition of the project's configs and small real data files."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from stance.config import (
    ROOT_DIR,
    compose,  # noqa: F401 - re-exported for the tests
)

os.environ.setdefault("WANDB_MODE", "offline")
os.environ.setdefault("WANDB_SILENT", "true")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

SHARED = ROOT_DIR.parent / "shared"


def _latest_target() -> str | None:
    latest = ROOT_DIR / "outputs" / "latest"
    return os.readlink(latest) if latest.is_symlink() else None


@pytest.fixture(scope="session", autouse=True)
def _outputs_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN202 - a generator fixture
    """Training runs started by the tests (in process or as subprocesses) log under a temporary folder, so that
    ``make test`` never repoints the checkout's ``outputs/latest`` (the model ``make predict`` uses) at a tiny
    test model; the checkout's link is checked at the end of the session."""
    before = _latest_target()
    old = os.environ.get("STANCE_OUTPUT_DIR")
    os.environ["STANCE_OUTPUT_DIR"] = str(tmp_path_factory.mktemp("outputs"))
    yield
    if old is None:
        os.environ.pop("STANCE_OUTPUT_DIR", None)
    else:
        os.environ["STANCE_OUTPUT_DIR"] = old
    assert _latest_target() == before, f"the tests repointed {ROOT_DIR / 'outputs' / 'latest'}"

# Small hand-written pairs: enough for a tiny model to run a real training loop.
ROWS = [
    ("We will fight this tax in every court in the land.", "the carbon tax", "against"),
    ("The carbon tax is the cheapest way to cut emissions, and it works.", "the carbon tax", "favor"),
    ("The committee meets on Tuesday to discuss the schedule.", "the carbon tax", "none"),
    ("Wind farms bring jobs to our coast; I am proud we approved them.", "offshore wind farms", "favor"),
    ("These turbines will ruin the fishing grounds our families depend on.", "offshore wind farms", "against"),
    ("The minister toured a factory in the north this morning.", "offshore wind farms", "none"),
    ("Raising the minimum wage lifts families out of poverty.", "raising the minimum wage", "favor"),
    ("Small shops will close if wages are forced up overnight.", "raising the minimum wage", "against"),
    ("Figures on wages will be published next month.", "raising the minimum wage", "none"),
    ("We do not oppose the treaty; we welcome it.", "the trade treaty", "favor"),
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def write_tiny_files(root: Path, repeats: int = 4, n_eval: int = 12) -> dict[str, Path]:
    """train/validation/test JSONL files in the schema of ../shared/datasets, under ``root/data``."""
    rows = [{"id": str(i), "text": t, "target": g, "label": lab} for i, (t, g, lab) in enumerate(ROWS * repeats)]
    return {
        "train": write_jsonl(root / "data" / "train.jsonl", rows),
        "validation": write_jsonl(root / "data" / "validation.jsonl", rows[:10]),
        "test": write_jsonl(root / "data" / "test.jsonl", rows[:n_eval]),
    }


@pytest.fixture
def tiny_files(tmp_path: Path) -> dict[str, Path]:
    return write_tiny_files(tmp_path)


def load_script(name: str) -> ModuleType:
    """Import ``scripts/NAME.py`` as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT_DIR / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def tiny_overrides(files: dict[str, Path], run_dir: Path, *extra: str) -> list[str]:
    return [
        "data=jsonl",
        f"data.train_file={files['train']}",
        f"data.validation_file={files['validation']}",
        f"data.test_file={files['test']}",
        "model=tiny",
        "logger=none",
        "trainer.num_train_epochs=2",
        "trainer.logging_steps=5",
        "trainer.disable_tqdm=true",
        f"hydra.run.dir={run_dir}",
        *extra,
    ]
