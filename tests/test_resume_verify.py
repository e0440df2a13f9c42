"""``stance-predict resume=true`` checks the output against its ledger before it skips anything, and one writer
at a time holds an output (docs/reliability.md, issue #26 points 1, 2 and the disk-full part of 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_output_safety import _refused, model_dir, predict  # noqa: E402, F401 - model_dir: the tiny model fixture

from stance.config import ROOT_DIR  # noqa: E402

ARTICLES = ROOT_DIR / "data" / "articles" / "articles.jsonl"  # each article has its own targets


@pytest.fixture(scope="module")
def reference(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "preds.jsonl"
    predict(model_dir=model_dir, input=ARTICLES, output=out, batch_size=8)
    return out.read_bytes()


def _files(out: Path) -> dict[Path, bytes | None]:
    stem = out.with_suffix("")
    paths = [out, *(Path(f"{stem}{s}") for s in (".articles.jsonl", ".summary.csv", ".speakers.csv",
                                                  ".partial.jsonl", ".lock"))]
    return {p: (p.read_bytes() if p.exists() else None) for p in paths}


def _finished_run(model_dir: Path, tmp_path: Path, name: str = "preds.jsonl") -> tuple[Path, dict]:
    out = tmp_path / name
    args = {"model_dir": model_dir, "input": ARTICLES, "output": out, "batch_size": 8}
    predict(**args)
    return out, args


def test_resume_refuses_when_the_output_is_gone(model_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    out, args = _finished_run(model_dir, tmp_path)
    out.unlink()
    before = _files(out)
    _refused(capsys, lambda: predict(**args, resume=True), "resume=true", "missing", "start over")
    assert _files(out) == before


def test_resume_refuses_an_output_shorter_than_the_ledger(model_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    out, args = _finished_run(model_dir, tmp_path)
    out.write_bytes(out.read_bytes()[:1000])  # a partial copy, a restore from an older backup
    before = _files(out)
    _refused(capsys, lambda: predict(**args, resume=True), "resume=true", "shorter", "start over")
    assert _files(out) == before
    assert b"\0" not in out.read_bytes()


def test_resume_refuses_an_output_whose_last_rows_are_not_where_the_ledger_says(
        model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out, args = _finished_run(model_dir, tmp_path)
    lines = out.read_bytes().splitlines(keepends=True)
    # the same length, other rows at the end: another run's output copied over this one
    last = json.loads(lines[-1])
    last["article_id"] = "someone-else"
    swapped = json.dumps(last, ensure_ascii=False).encode()
    swapped = swapped[: len(lines[-1]) - 1].ljust(len(lines[-1]) - 1, b" ") + b"\n"
    out.write_bytes(b"".join(lines[:-1]) + swapped)
    before = _files(out)
    _refused(capsys, lambda: predict(**args, resume=True), "resume=true", "ledger", "start over")
    assert _files(out) == before


def test_resume_refuses_a_deleted_parquet_output_and_resumes_a_finished_one(
        model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out, args = _finished_run(model_dir, tmp_path, "preds.parquet")
    assert predict(**args, resume=True)["articles"] == 0  # a finished run: nothing to do, nothing refused
    out.unlink()
    before = _files(out)
    _refused(capsys, lambda: predict(**args, resume=True), "resume=true", "missing")
    assert _files(out) == before


def test_a_kept_ledger_with_a_longer_output_still_resumes_exactly(model_dir: Path, reference: bytes,
                                                                  tmp_path: Path) -> None:
    """The ordinary interruption: rows written, the ledger line not yet; resume drops the unledgered rows."""
    out, args = _finished_run(model_dir, tmp_path)
    ledger = Path(f"{out.with_suffix('')}.articles.jsonl")
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:4]))
    stats = predict(**args, resume=True)
    assert stats["skipped_done"] == 3
    assert out.read_bytes() == reference


# -- one writer at a time ------------------------------------------------------------------------------------------


_HOLD = """
import sys, time
from stance.predict.output_lock import OutputLock
with OutputLock(sys.argv[1], "stance-predict"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_writer_is_refused_while_the_first_holds_the_output(model_dir: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "preds.jsonl"
    lock = tmp_path / "preds.lock"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(lock), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        line = _refused(capsys, lambda: predict(model_dir=model_dir, input=ARTICLES, output=out),
                        "is being written by", f"pid {holder.pid}")
        assert str(out) in line or "preds" in line
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # the holder died without cleaning up: its lock file is left, but no process holds it any more
    assert lock.exists() and str(holder.pid) in lock.read_text()
    stats = predict(model_dir=model_dir, input=ARTICLES, output=out)
    assert stats["articles"] == 14 and not lock.exists()


def test_a_stale_lock_file_from_a_dead_process_is_taken_over(model_dir: Path, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "preds.jsonl"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / "preds.lock").write_text(json.dumps({"pid": int(dead.stdout), "host": os.uname().nodename}))
    with caplog.at_level("WARNING"):
        predict(model_dir=model_dir, input=ARTICLES, output=out)
    assert "stale" in caplog.text and dead.stdout.strip() in caplog.text
    assert out.exists() and not (tmp_path / "preds.lock").exists()


# -- disk full: one line, and what was written resumes ----------------------------------------------------------


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from stance.cli import predict_main
sys.argv = ["stance-predict", *sys.argv[2:]]
sys.exit(predict_main())
"""


def test_a_full_disk_is_one_line_and_what_was_written_resumes(model_dir: Path, reference: bytes,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "preds.jsonl"
    args = [f"model_dir={model_dir}", f"input={ARTICLES}", f"output={out}", "batch_size=8", "progress=false"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", _LIMITED, str(len(reference) // 2), *args], capture_output=True,
                          text=True, timeout=300, env=env)
    errors = [ln for ln in proc.stderr.splitlines() if "error" in ln.lower()]
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert len(errors) == 1 and errors[0].startswith("stance-predict: error:") and "resume=true" in errors[0], errors
    assert 0 < out.stat().st_size <= len(reference) // 2
    stats = predict(model_dir=model_dir, input=ARTICLES, output=out, batch_size=8, resume=True)
    assert 0 < stats["skipped_done"] < 14
    assert out.read_bytes() == reference


# -- engine=ray: the same checks, before Ray starts ----------------------------------------------------------------


def test_engine_ray_resume_and_lock_are_checked_before_ray_starts(model_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("ray")
    import ray

    started = ray.is_initialized()  # (another test module's cluster may still be up)
    out, args = _finished_run(model_dir, tmp_path)  # the ledger and output are the same for both engines
    out.write_bytes(out.read_bytes()[:1000])
    before = _files(out)
    _refused(capsys, lambda: predict(**args, engine="ray", resume=True), "resume=true", "shorter")
    assert _files(out) == before
    out.unlink()
    _refused(capsys, lambda: predict(**args, engine="ray", resume=True), "resume=true", "missing")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path / "preds.lock"), "60"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        _refused(capsys, lambda: predict(**args, engine="ray"), "is being written by", f"pid {holder.pid}")
    finally:
        holder.kill()
        holder.wait()
    assert ray.is_initialized() == started, "Ray was started before the checks refused"
