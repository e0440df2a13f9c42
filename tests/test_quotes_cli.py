"""stance-quotes: run(cfg) through real Hydra composition, and the installed console script once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from stance.config import config_dir, register_resolvers
from stance.predict.quotes_command import run

FIELDS = {
    "article_id", "quote", "quote_start", "quote_end", "speaker", "speaker_start", "speaker_end", "role", "cue",
    "direct", "paragraph", "pieces", "kind",
}
ARTICLE = (
    "Port strike deepens\n\n"
    '"We will not let a spreadsheet decide who feeds their family," said Dmitri Orlov, the union\'s chairman.\n\n'
    "Orlov said that the authority had never produced a safety study.\n"
)


def _compose(overrides: list[str]):
    """The rules alone unless a test asks for a ``quotes.mode`` (the tagger has tests of its own below)."""
    if not any(o.startswith("quotes.mode=") for o in overrides):
        overrides = [*overrides, "quotes.mode=rules"]
    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        return compose("quotes", overrides=overrides)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_config_defaults():
    cfg = _compose(["input=x.txt"])
    assert cfg.output == "quotes.jsonl" and cfg.input == "x.txt"
    default = _compose(["input=x.txt", "quotes.mode=both"])
    assert default.quotes.mode == "both" and default.quotes.model_dir is None


def test_rules_and_tagger_together_write_one_line_per_attribution_with_its_kind(tmp_path):
    from helpers_models import make_tiny_tagger

    tagger = make_tiny_tagger(tmp_path / "tagger")
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "q.jsonl"
    summary = run(_compose([f"input={src}", f"output={out}", "progress=false", "quotes.mode=both",
                            f"quotes.model_dir={tagger}"]))
    rows = _rows(out)
    assert summary["quotes"] == len(rows) >= 1 and all(set(r) == FIELDS for r in rows)
    assert all(r["kind"] in ("direct", "indirect", "mixed") for r in rows)
    # the rules' direct quotation and its speaker stay, whatever the (random) tagger adds
    assert any(r["kind"] == "direct" and r["speaker"] == "Dmitri Orlov" for r in rows)
    with pytest.raises(Exception, match="no attribution tagger"):
        run(_compose([f"input={src}", f"output={out}", "quotes.mode=tagger", f"quotes.model_dir={tmp_path}"]))


def test_run_on_jsonl_with_errors(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "art-1", "text": ARTICLE}) + "\n" + "{broken\n" + json.dumps({"id": "art-3", "text": "No quotes."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "sub" / "quotes.jsonl"
    summary = run(_compose([f"input={src}", f"output={out}", "progress=false"]))
    assert summary["articles"] == 3 and summary["errors"] == 1 and summary["quotes"] == 2
    rows = _rows(out)
    quotes = [r for r in rows if "error" not in r]
    errors = [r for r in rows if "error" in r]
    assert all(set(r) == FIELDS for r in quotes)
    assert quotes[0]["article_id"] == "art-1" and quotes[0]["speaker"] == "Dmitri Orlov"
    assert quotes[0]["quote"] == ARTICLE[quotes[0]["quote_start"] : quotes[0]["quote_end"]]
    assert quotes[0]["pieces"] == [[quotes[0]["quote_start"], quotes[0]["quote_end"]]]
    assert quotes[1]["direct"] is False and quotes[1]["speaker"] == "Dmitri Orlov"
    assert errors == [{"article_id": "in.jsonl:2", "error": errors[0]["error"]}]
    assert "line 2" in errors[0]["error"] and "invalid JSON" in errors[0]["error"]
    assert "3 articles, 2 attributions (2 pieces), 1 errors" in capsys.readouterr().out


def test_a_split_quote_is_one_line_with_its_pieces(tmp_path):
    text = '"We will not move an inch," Dmitri Orlov said. "Not this year, not the next."\n'
    src = tmp_path / "split.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "q.jsonl"
    summary = run(_compose([f"input={src}", f"output={out}", "progress=false"]))
    [row] = _rows(out)
    assert summary["quotes"] == 1 and summary["pieces"] == 2
    assert [text[s:e] for s, e in row["pieces"]] == ["We will not move an inch,", "Not this year, not the next."]
    assert row["quote"] == "We will not move an inch, … Not this year, not the next."
    assert (row["quote_start"], row["quote_end"]) == (row["pieces"][0][0], row["pieces"][-1][1])


def test_run_on_directory_ids_are_file_names(tmp_path):
    d = tmp_path / "arts"
    d.mkdir()
    (d / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "two.html").write_text(f"<p>{ARTICLE.splitlines()[2]}</p>", encoding="utf-8")
    out = tmp_path / "q.jsonl"
    run(_compose([f"input={d}", f"output={out}", "progress=false"]))
    assert {r["article_id"] for r in _rows(out)} == {"one.txt", "two.html"}


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_output_format_follows_the_extension_like_stance_predict(tmp_path, ext):
    import pandas as pd

    from stance.predict.quotes_command import QUOTE_FIELDS

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "art-1", "text": ARTICLE}) + "\n{broken\n", encoding="utf-8")
    jsonl = tmp_path / "q.jsonl"
    run(_compose([f"input={src}", f"output={jsonl}", "progress=false"]))
    out = tmp_path / f"q{ext}"
    run(_compose([f"input={src}", f"output={out}", "progress=false"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.jsonl", "q.jsonl", out.name])  # no partial file
    df = pd.read_csv(out) if ext == ".csv" else pd.read_parquet(out)
    assert list(df.columns) == list(QUOTE_FIELDS) and set(QUOTE_FIELDS) == FIELDS | {"error"}
    expected = _rows(jsonl)
    assert len(df) == len(expected) == 3
    got = df.to_dict("records")
    for want, row in zip(expected, got):
        assert row["article_id"] == want["article_id"]
        if "error" in want:
            assert row["error"] == want["error"]
            continue
        assert (row["quote"], row["speaker"], int(row["quote_start"]), bool(row["direct"])) == (
            want["quote"], want["speaker"], want["quote_start"], want["direct"])
        pieces = json.loads(row["pieces"]) if ext == ".csv" else [list(p) for p in row["pieces"]]
        assert pieces == want["pieces"]


def test_an_unknown_output_extension_is_refused(tmp_path):
    from stance.errors import PredictConfigError

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(PredictConfigError, match=r"unknown extension '\.xlsx'"):
        run(_compose([f"input={tmp_path / 'a.txt'}", f"output={tmp_path / 'q.xlsx'}", "progress=false"]))
    assert not (tmp_path / "q.xlsx").exists()


def test_run_missing_input_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        run(_compose([f"input={tmp_path / 'nope.txt'}", f"output={tmp_path / 'q.jsonl'}"]))
    assert not (tmp_path / "q.jsonl").exists()


def test_console_script_leaves_only_its_output(tmp_path):
    exe = shutil.which("stance-quotes", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("stance-quotes is not installed (pip install -e .)")
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    proc = subprocess.run(
        [exe, f"input={src}", "output=out.jsonl"], cwd=work, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 articles, 2 attributions (2 pieces), 0 errors" in proc.stdout
    assert sorted(p.name for p in work.iterdir()) == ["out.jsonl"]  # no outputs/, no .hydra/, no log file
    rows = _rows(work / "out.jsonl")
    assert rows[0]["article_id"] == "a.txt" and rows[0]["cue"] == "said"


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    """stance-quotes writing past a file-size limit (EFBIG, as a full disk's ENOSPC): one line, exit 2, no traceback
    (a subprocess: the limit must not touch the test process)."""
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text('"We will strike on Monday," said Dmitri Orlov, the union chairman.\n' * 200, encoding="utf-8")
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512)); "
            "sys.argv = ['stance-quotes', 'input=a.txt', 'output=q.jsonl', 'progress=false']; "
            "from stance.cli import quotes_main; quotes_main()")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stderr.splitlines() if "error" in ln.lower()]
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("stance-quotes: error:") and "too large" in lines[0].lower(), lines
