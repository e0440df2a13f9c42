"""stance-compare shows every readable run: one bad metrics.json is skipped with a warning naming it, non-finite
values never rank, and unwritable chart places are one line, not a traceback (docs/reliability.md, case 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.studies.compare import main


def _run(root: Path, name: str, metrics: dict | str | bytes) -> Path:
    d = root / name
    d.mkdir(parents=True)
    data = metrics if isinstance(metrics, (str, bytes)) else json.dumps(metrics)
    (d / "metrics.json").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return d


def test_one_bad_metrics_file_is_skipped_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _run(tmp_path, "good", {"test_macro_f1": 0.5})
    _run(tmp_path, "broken", "{not json")
    _run(tmp_path, "latin", b'{"test_macro_f1": 0.4, "note": "caf\xe9"}')
    assert main([str(tmp_path), "--no-png"]) == 0
    out, err = capsys.readouterr()
    assert "good" in out and "1 runs" in out
    warnings = [ln for ln in err.splitlines() if ln.startswith("stance-compare: warning:")]
    assert len(warnings) == 2 and "Traceback" not in err
    assert any("broken/metrics.json" in w for w in warnings) and any("latin/metrics.json" in w and "UTF-8" in w
                                                                    for w in warnings)


def test_a_single_non_utf8_run_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _run(tmp_path, "latin", b'{"test_macro_f1": 0.4, "note": "caf\xe9"}')
    assert main([str(tmp_path / "latin"), "--no-png"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "latin/metrics.json" in err


def test_nan_and_infinity_are_not_ranked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for lr, (name, value) in enumerate((("inf", "Infinity"), ("nan", "NaN"), ("real", "0.6"))):
        d = _run(tmp_path, name, f'{{"test_macro_f1": {value}}}')
        (d / "config.yaml").write_text(f"lr: {lr}\n", encoding="utf-8")
    assert main([str(tmp_path), "--no-png"]) == 0
    out, err = capsys.readouterr()
    table = out.splitlines()[3:]
    assert table[0].startswith("real"), out
    assert "inf/metrics.json" in err and "nan/metrics.json" in err and "not a finite number" in err


def test_a_read_only_runs_directory_is_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from stance.studies import compare

    _run(tmp_path / "runs", "a", {"test_macro_f1": 0.5})
    _run(tmp_path / "runs", "b", {"test_macro_f1": 0.6})

    def read_only(*args: object, **kwargs: object) -> None:  # root ignores chmod, so the refusal is simulated
        raise PermissionError(13, "Permission denied", str(tmp_path / "runs" / "compare.png"))

    monkeypatch.setattr(compare, "chart_png", read_only)
    assert main([str(tmp_path / "runs")]) == 0  # the table is printed; the default chart is skipped, with a warning
    err = capsys.readouterr().err
    assert "warning" in err and "compare.png" in err and "Traceback" not in err
    (tmp_path / "runs" / "t.csv").mkdir()  # an explicit --csv that cannot be written is an error
    assert main([str(tmp_path / "runs"), "--csv", str(tmp_path / "runs" / "t.csv"), "--no-png"]) == 2
    err = capsys.readouterr().err
    assert "stance-compare: error:" in err and "t.csv" in err


def test_an_unwritable_chart_path_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _run(tmp_path, "a", {"test_macro_f1": 0.5})
    (tmp_path / "file").write_text("not a directory")
    assert main([str(tmp_path / "a"), "--png", str(tmp_path / "file" / "c.png")]) == 2
    err = capsys.readouterr().err
    assert "stance-compare: error:" in err and "c.png" in err and "Traceback" not in err
