"""A property of ``stance-predict resume=true`` (issue #26, point 8): whatever interrupted or damaged a run (a kill at
any byte of its writes, the output then truncated at any byte or deleted, the ledger's last line corrupted), resuming
ends in exactly the rows of an uninterrupted run, or in a refusal that changed no file. Never fewer rows, duplicates
or a corrupt file.

A kill is modelled byte-exactly: a run appends each article's rows to the output, flushes, then appends its ledger
line and flushes, so what a killed run leaves on disk is a prefix of that interleaved stream of writes.
``STANCE_RESUME_EXAMPLES`` sets the number of examples (default 300).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model  # noqa: E402
from test_output_safety import _compose  # noqa: E402

from stance.errors import ResumeStateError  # noqa: E402

EXAMPLES = int(os.environ.get("STANCE_RESUME_EXAMPLES", "300"))
ARTICLES = [
    {"id": "a", "text": 'The minister said: "We oppose the tax plan." Later she added: "It will fail."'},
    {"id": "b", "text": "No quotation here at all."},
    {"id": "c", "text": '"The war must end now," the general said.'},
    {"id": "d", "text": ""},
    {"id": "e", "text": 'Smith said: "The tax plan is good." Jones said: "The war is wrong." Lee said: "Yes."'},
    {"id": "f", "text": '"Peace," she said, "is the only way."'},
]


class Setup:
    """One tiny model, loaded once, the config of its runs, and the files of an uninterrupted run."""

    def __init__(self, root: Path) -> None:
        from stance.model.classifier import StanceClassifier

        model_dir = make_tiny_model(root / "model")
        self.input = root / "articles.jsonl"
        self.input.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
        self.cfg = _compose("predict", {"model_dir": model_dir, "input": self.input, "progress": False,
                                        "targets": "['the tax plan', 'the war']", "batch_size": 4,
                                        "output": root / "ref" / "preds.jsonl"})
        self.classifier = StanceClassifier.from_pretrained(model_dir, batch_size=4)
        self.run(self.cfg.output)
        ref = Path(self.cfg.output)
        self.rows = ref.read_bytes()
        header, *entries = Path(f"{ref.with_suffix('')}.articles.jsonl").read_bytes().splitlines(keepends=True)
        self.header = header
        self.writes: list[tuple[str, bytes]] = []  # (file, bytes) in the order an uninterrupted run writes them
        start = 0
        for line in entries:
            end = json.loads(line)["offset"]
            self.writes += [("out", self.rows[start:end]), ("ledger", line)]
            start = end
        assert start == len(self.rows) and len(entries) == len(ARTICLES)

    def run(self, output: str | Path, resume: bool = False) -> dict:
        from stance.predict.command import run

        cfg = self.cfg.copy()
        cfg.output, cfg.resume = str(output), resume
        return run(cfg, classifier=self.classifier)

    def killed_at(self, k: int) -> tuple[bytes, bytes]:
        """Output and ledger of a run killed after ``k`` bytes of its writes (the run line comes first)."""
        out, ledger = b"", self.header
        for name, data in self.writes:
            piece, k = data[: max(k, 0)], k - len(data)
            if name == "out":
                out += piece
            else:
                ledger += piece
        return out, ledger


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """One torch thread while it runs: the tiny model's many small batches take ten times as long with two threads
    on a busy two-core machine (measured: 60 examples in 3 s with one thread, 44 s with two)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield Setup(tmp_path_factory.mktemp("resume_property"))
    finally:
        torch.set_num_threads(threads)


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


damage = st.one_of(
    st.just(("none",)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.just(("delete",)),
    st.tuples(st.just("corrupt"), st.binary(max_size=40), st.booleans()),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
@given(kill=st.integers(0, 2**31), harm=damage)
def test_resume_ends_in_the_uninterrupted_rows_or_refuses_changing_nothing(setup: Setup, kill: int, harm: tuple
                                                                           ) -> None:
    total = sum(len(d) for _, d in setup.writes)
    out_bytes, ledger_bytes = setup.killed_at(kill % (total + 1))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        out, ledger = d / "preds.jsonl", d / "preds.articles.jsonl"
        out.write_bytes(out_bytes)
        ledger.write_bytes(ledger_bytes)
        ledgered = [json.loads(ln)["offset"] for ln in ledger_bytes.splitlines(keepends=True)[1:]
                    if ln.endswith(b"\n")]
        must_refuse = False
        if harm[0] == "truncate":
            out.write_bytes(out_bytes[: int(harm[1] * len(out_bytes))])
            must_refuse = bool(ledgered) and out.stat().st_size < ledgered[-1]
        elif harm[0] == "delete":
            out.unlink()
            must_refuse = bool(ledgered)
        elif harm[0] == "corrupt":
            lines = ledger_bytes.splitlines(keepends=True)
            ledger.write_bytes(b"".join(lines[:-1]) + harm[1] + (b"\n" if harm[2] else b""))
        before = _snapshot(d)
        try:
            stats = setup.run(out, resume=True)
        except ResumeStateError:
            assert must_refuse, f"refused a resume that could go on ({harm[0]})"
            assert _snapshot(d) == before, "a refused resume changed files"
            return
        assert not must_refuse, f"resumed over a damaged output ({harm[0]}) instead of refusing"
        assert out.read_bytes() == setup.rows
        ids = [json.loads(ln)["article_id"] for ln in ledger.read_bytes().splitlines()[1:]]
        assert sorted(ids) == sorted(a["id"] for a in ARTICLES)
        assert stats["articles"] + stats["skipped_done"] == len(ARTICLES)
        assert not (d / "preds.lock").exists()
