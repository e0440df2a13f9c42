"""The study scripts: scripts/ensemble.py (probability ensembles of runs) and scripts/probe_backbone.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import load_script

# run a is right on t1 and t3, run b on t2 and t3; their mean is right on all three
ROWS = [("t1", "favor", {"favor": 0.6, "against": 0.3, "none": 0.1}, {"favor": 0.35, "against": 0.55, "none": 0.1}),
        ("t2", "against", {"favor": 0.45, "against": 0.4, "none": 0.15}, {"favor": 0.1, "against": 0.8, "none": 0.1}),
        ("t3", "none", {"favor": 0.1, "against": 0.2, "none": 0.7}, {"favor": 0.3, "against": 0.3, "none": 0.4})]


def _run(path: Path, which: int, rows=ROWS) -> Path:  # noqa: ANN001
    path.mkdir()
    lines = [json.dumps({"text": t, "target": "x", "label": lab, "scores": (a, b)[which]}) for t, lab, a, b in rows]
    (path / "test_predictions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ensemble_averages_probabilities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ensemble = load_script("ensemble")
    a, b = _run(tmp_path / "a", 0), _run(tmp_path / "b", 1)
    assert ensemble.main([str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [float(line.split()[-1]) for line in lines[1:3]] == pytest.approx([2 / 3, 2 / 3], abs=1e-4)
    assert lines[-1].startswith("ensemble of 2")
    assert float(lines[-1].split()[-1]) == pytest.approx(1.0)  # accuracy
    assert float(lines[-1].split()[-3]) == pytest.approx(1.0)  # f_avg


def test_ensemble_refuses_runs_of_other_rows(tmp_path: Path) -> None:
    ensemble = load_script("ensemble")
    a = _run(tmp_path / "a", 0)
    b = _run(tmp_path / "b", 1, rows=list(reversed(ROWS)))
    with pytest.raises(SystemExit, match="differ"):
        ensemble.main([str(a), str(b)])
    with pytest.raises(SystemExit, match="not found"):
        ensemble.main([str(a), str(tmp_path / "missing")])


def test_probe_backbone_runs_on_a_tiny_encoder(tmp_path: Path) -> None:
    """scripts/probe_backbone.py on a tiny random BERT and a small copy of the bundled splits."""
    from tests.helpers_models import make_tiny_model

    probe = load_script("probe_backbone")
    data = tmp_path / "quotes"
    data.mkdir()
    for split, n in (("train", 60), ("test", 30)):
        lines = (probe.ROOT / "data" / "quotes" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        (data / f"{split}.jsonl").write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    out = probe.probe(str(make_tiny_model(tmp_path / "tiny")), data)
    assert set(out) >= {"probe_macro_f1", "hypothesis_favor_against_accuracy", "none_auc_of_1_minus_cos"}
    assert all(0.0 <= v <= 1.0 for v in out.values())


def test_same_rows_compares_outputs_in_any_order(tmp_path, capsys) -> None:
    """scripts/same_rows.py: equal in another order is equal (exit 0); a changed score is a difference (exit 1)."""
    same_rows = load_script("same_rows")
    rows = [{"article_id": a, "quote_start": s, "quote_end": s + 5, "target": "t", "label": "favor",
             "scores": {"favor": 0.7, "against": 0.2, "none": 0.1}} for a in ("b", "a") for s in (10, 0)]
    rows.append({"article_id": "c", "error": "no quotations found in the article"})
    first, second, third = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    second.write_text("".join(json.dumps(r) + "\n" for r in reversed(rows)), encoding="utf-8")
    assert same_rows.main([str(first), str(second)]) == 0
    assert "equal: True" in capsys.readouterr().out
    rows[1]["scores"]["favor"] = 0.6
    third.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert same_rows.main([str(first), str(third)]) == 1
    out = capsys.readouterr().out
    assert "equal: False" in out and "1 rows differ in their scores only" in out and "difference: 0.1" in out
    assert same_rows.main([str(first), str(third), "--tolerance", "0.11"]) == 0
    assert same_rows.main([str(first), str(third), "--tolerance", "0.05"]) == 1
    rows[1]["label"] = "against"  # another label is a difference whatever the tolerance
    third.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert same_rows.main([str(first), str(third), "--tolerance", "1"]) == 1
