"""The package's layering (pyproject's import-linter contract) and its size limits hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "stance"


def test_import_layers_hold() -> None:
    """`lint-imports` keeps the contract in pyproject.toml: no import from a lower layer to a higher one."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    proc = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "3 kept, 0 broken" in proc.stdout


def mutual_imports(package: str) -> set[tuple[str, str]]:
    """Pairs of modules of ``package`` that import each other (at module level or inside a function)."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (pip install -e '.[dev]')")
    graph = grimp.build_graph(package, cache_dir=None)
    return {tuple(sorted((m, d))) for m in graph.modules for d in graph.find_modules_directly_imported_by(m)
            if m in graph.find_modules_directly_imported_by(d)}


def test_no_two_modules_import_each_other() -> None:
    """Layers allow two modules of one layer to import each other; imports must still flow one way."""
    assert mutual_imports("stance") == set()


def test_a_mutual_import_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "twopkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from twopkg import b\n")
    (pkg / "b.py").write_text("from twopkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert mutual_imports("twopkg") == {("twopkg.a", "twopkg.b")}


def test_a_layer_violation_is_caught(tmp_path: Path) -> None:
    """The same contract type breaks on a package whose bottom layer imports its top one."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    pkg = tmp_path / "layered"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "top.py").write_text("X = 1\n")
    (pkg / "bottom.py").write_text("from layered.top import X\n")
    (tmp_path / "setup.cfg").write_text("[importlinter]\nroot_package = layered\n\n[importlinter:contract:layers]\n"
                                        "name = layers\ntype = layers\nlayers =\n    layered.top\n    layered.bottom\n")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.returncode != 0 and "BROKEN" in proc.stdout


def test_no_module_is_over_500_lines() -> None:
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert sizes, "no modules found"
    assert {p: n for p, n in sizes.items() if n > 500} == {}


def test_every_module_says_what_it_is() -> None:
    missing = [p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")
               if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == []
