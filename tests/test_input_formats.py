"""What an input holds is told by ``input_format``, else its extension, else its content (pipes, process
substitution, ``-``, names without an extension); everything a directory walk finds is accounted for
(issue #26, points 4 and 5; docs/reliability.md)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from stance.data.articles import iter_articles, sniff_format

ROWS = [{"id": "a", "text": 'She said: "No."', "targets": ["the plan"]},
        {"id": "b", "text": 'He said: "Yes."'}]
JSONL = "".join(json.dumps(r) + "\n" for r in ROWS)
HTML = '<!DOCTYPE html><html><body><p>"We will not go," the mayor said.</p></body></html>'


def _fifo(tmp_path: Path, data: bytes, name: str = "63") -> Path:
    """A named pipe fed by a thread, as ``<(zcat articles.jsonl.gz)`` gives a command (/dev/fd/63)."""
    fifo = tmp_path / name
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as f:
            f.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return fifo


def test_jsonl_through_a_pipe_is_read_as_jsonl(tmp_path: Path) -> None:
    arts = list(iter_articles(_fifo(tmp_path, JSONL.encode())))
    assert [(a.id, a.text, a.targets) for a in arts] == [(r["id"], r["text"], r.get("targets")) for r in ROWS]


@pytest.mark.parametrize(("content", "ids"), [(JSONL, ["a", "b"]), (HTML, ["page"]), ("Plain words.", ["page"])])
def test_a_file_without_an_extension_is_read_by_its_content(tmp_path: Path, content: str, ids: list[str]) -> None:
    page = tmp_path / "page"
    page.write_text(content, encoding="utf-8")
    arts = list(iter_articles(page))
    assert [a.id for a in arts] == ids and all(a.error is None for a in arts)
    if content == HTML:
        assert arts[0].text.startswith('"We will not go,"')


def test_parquet_without_an_extension_and_through_a_pipe(tmp_path: Path) -> None:
    import pandas as pd

    data = tmp_path / "data.parquet"
    pd.DataFrame([{"id": r["id"], "text": r["text"]} for r in ROWS]).to_parquet(data)
    plain = tmp_path / "articles"
    plain.write_bytes(data.read_bytes())
    assert [a.id for a in iter_articles(plain)] == ["a", "b"]
    assert [a.id for a in iter_articles(_fifo(tmp_path, data.read_bytes()))] == ["a", "b"]


def test_stdin_html_and_an_explicit_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTML.encode())))
    (art,) = iter_articles("-")
    assert art.text.startswith('"We will not go,"')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(JSONL.encode())))
    (art,) = iter_articles("-", input_format="txt")  # the user says: one plain-text article
    assert art.id == "stdin" and art.text.startswith('{"id": "a"')


def test_input_format_overrides_the_extension_and_csv_is_read(tmp_path: Path) -> None:
    table = tmp_path / "articles.txt"
    table.write_text('id,text,targets\na,"She said: ""No.""","[""the plan"", ""the tax""]"\nb,"He said: ""Yes.""",'
                     "\n", encoding="utf-8")
    arts = list(iter_articles(table, input_format="csv"))
    assert [(a.id, a.text, a.targets) for a in arts] == [("a", 'She said: "No."', ["the plan", "the tax"]),
                                                         ("b", 'He said: "Yes."', None)]
    named = tmp_path / "articles.csv"
    named.write_bytes(table.read_bytes())
    assert [a.id for a in iter_articles(named)] == ["a", "b"]
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text(JSONL, encoding="utf-8")
    (one,) = iter_articles(jsonl, input_format="txt")
    assert one.id == "x.jsonl"


def test_sniffing_rules() -> None:
    assert sniff_format(b"PAR1\x00") == "parquet"
    assert sniff_format(b'\xef\xbb\xbf{"id": 1}\n{"id": 2}\n') == "jsonl"
    assert sniff_format(b"{not json\nmore") == "txt"
    assert sniff_format(b"  <div><p>x</p></div>") == "html"
    assert sniff_format(b"<3 you, she said") == "txt"


def test_stance_predict_reads_a_process_substitution(tmp_path: Path) -> None:
    """The issue's case through the real console script: input=<(cat articles.jsonl) in bash."""
    sys.path.insert(0, str(Path(__file__).parent))
    from helpers_models import make_tiny_model

    model = make_tiny_model(tmp_path / "model")
    src = tmp_path / "a.jsonl"
    src.write_text(JSONL, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    script = (f"{sys.executable} -c 'import sys; from stance.cli import predict_main; sys.argv[0] = \"x\"; "
              f"sys.exit(predict_main())' model_dir={model} input=<(cat {src}) output={out} progress=false "
              "targets=[tax]")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted({json.loads(ln)["article_id"] for ln in out.read_text().splitlines()}) == ["a", "b"]


# -- everything a directory walk finds is accounted for -----------------------------------------------------------


def test_pipes_broken_links_and_linked_directories_in_a_walk(tmp_path: Path, caplog: pytest.LogCaptureFixture
                                                             ) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text('She said: "No."', encoding="utf-8")
    os.mkfifo(d / "pipe.txt")  # nobody writes to it: reading it would hang
    (d / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("b", encoding="utf-8")
    (d / "sub" / "linked").symlink_to(elsewhere)
    with caplog.at_level("WARNING"):
        arts = {a.id: a for a in iter_articles(d)}
    assert sorted(arts) == ["a.txt", "gone.txt", "pipe.txt"]
    assert arts["a.txt"].error is None
    assert "broken symbolic link" in arts["gone.txt"].error
    assert "not a regular file (a named pipe)" in arts["pipe.txt"].error
    assert "not followed" in caplog.text and "linked" in caplog.text


def test_a_file_that_vanishes_mid_run_is_an_error_record(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f'{name} said: "x."', encoding="utf-8")
    arts = iter_articles(tmp_path)
    first = next(arts)
    (tmp_path / "b.txt").unlink()
    rest = list(arts)
    assert first.id == "a.txt" and [a.id for a in rest] == ["b.txt", "c.txt"]
    assert "no longer exists" in rest[0].error and rest[1].error is None


_AS_NOBODY = """
import encodings.utf_8_sig, json, os, stat, sys
from stance.data.articles import iter_articles  # imported first: the interpreter's files may be root's alone
os.setgid(65534); os.setuid(65534)
print(json.dumps([[a.id, a.error] for a in iter_articles(sys.argv[1])]))
"""


def test_an_unreadable_subdirectory_is_an_error_record() -> None:
    """Root reads every directory, so as root the walk runs as nobody (the folder is made readable to it)."""
    root = Path(tempfile.mkdtemp(prefix="stance-walk-"))
    try:
        root.chmod(0o755)
        (root / "a.txt").write_text('She said: "No."', encoding="utf-8")
        (root / "locked").mkdir()
        (root / "locked" / "b.txt").write_text("b", encoding="utf-8")
        (root / "locked").chmod(0)
        if os.geteuid() == 0:
            proc = subprocess.run([sys.executable, "-c", _AS_NOBODY, str(root)], capture_output=True, text=True,
                                  timeout=120, cwd="/")
            assert proc.returncode == 0, proc.stderr[-2000:]
            found = dict(json.loads(proc.stdout))
        else:
            found = {a.id: a.error for a in iter_articles(root)}
        assert sorted(found) == ["a.txt", "locked"] and found["a.txt"] is None
        assert "directory cannot be read" in found["locked"] and "Permission denied" in found["locked"]
    finally:
        (root / "locked").chmod(0o755)
        import shutil

        shutil.rmtree(root)
