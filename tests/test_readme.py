"""Every README code block marked ``<!-- readme-check: run -->`` runs as written in a fresh directory laid out like
a clone, in README order (scripts/check_readme.py; issue 28)."""

from __future__ import annotations

import pytest

from tests.conftest import load_script

check_readme = load_script("check_readme")


def test_markers_find_the_blocks_and_their_expectations() -> None:
    readme = """text
<!-- readme-check: run; expect=hello there -->
```bash
echo hello there
```
```bash
not marked
```
<!-- readme-check: run -->
```python
print(1)
```
"""
    blocks = check_readme.marked_blocks(readme)
    assert [(b.line, b.lang, b.code, b.expect) for b in blocks] == [
        (3, "bash", "echo hello there\n", "hello there"), (10, "python", "print(1)\n", None)]


def test_a_failing_or_silent_block_is_reported(tmp_path) -> None:
    env = check_readme.environment()
    ok, _, _ = check_readme.run_block(check_readme.Block(1, "bash", "false\necho after\n", None), tmp_path, env)
    assert not ok  # bash -e: the first failing command fails the block
    ok, _, _ = check_readme.run_block(check_readme.Block(1, "bash", "echo something\n", "else"), tmp_path, env)
    assert not ok


@pytest.mark.slow
def test_the_readme_blocks_marked_to_run_run_as_written() -> None:
    results = check_readme.check(verbose=False)
    assert len(results) >= 5, "the README lost its marked blocks"
    failed = [f"README line {b.line}: {out.strip()[-1500:]}" for b, ok, _, out in results if not ok]
    assert not failed, "\n\n".join(failed)
