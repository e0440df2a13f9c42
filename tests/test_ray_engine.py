"""``stance-predict engine=ray``: the same rows, ledger and summaries as the local engine (sample articles, bad
inputs of every kind, PolNeAR dev when ``../shared`` holds it), resume without duplicates, and a scoring actor
killed mid-run without a row lost or written twice. One local Ray for the whole session."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="the ray extra is not installed: pip install -e '.[ray]'")
pytest.importorskip("ray.data", reason="the ray extra is not installed: pip install -e '.[ray]'")

sys.path.insert(0, str(Path(__file__).parent))
from conftest import load_script  # noqa: E402
from helpers_models import make_tiny_model  # noqa: E402
from test_predict import TARGETS, read_jsonl, run, targets_arg  # noqa: E402

from stance.config import ROOT_DIR  # noqa: E402

ARTICLES = ROOT_DIR / "data" / "articles" / "articles.jsonl"
POLNEAR = ROOT_DIR.parent / "shared" / "polnear" / "dev.jsonl"
# fp32: bf16 scores depend (in the 5th decimal) on which pairs share a batch, and the engines batch differently
RAY = {"engine": "ray", "precision": "fp32", "ray.actors": 1}
LOCAL = {"precision": "fp32"}


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a directory of fault-injection flags
    """One local Ray for the session; its workers import this checkout and the fault-injection hook."""
    flags = tmp_path_factory.mktemp("ray_flags")
    path = os.pathsep.join(p for p in (str(ROOT_DIR), str(ROOT_DIR / "tests"), os.environ.get("PYTHONPATH")) if p)
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=300 * 2**20,
             runtime_env={"env_vars": {"PYTHONPATH": path, "STANCE_TEST_RAY_FLAGS": str(flags),
                                       "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"},
                          "worker_process_setup_hook": "ray_hooks.install"})
    yield flags
    ray.shutdown()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def _key(row: dict) -> tuple:
    return row["article_id"], row.get("quote_start", -1), row.get("quote_end", -1), row.get("target", "")


def _sorted_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pandas as pd

        from stance.predict.outputs import _from_table

        return sorted((_from_table(r, "parquet") for r in pd.read_parquet(path).to_dict("records")), key=_key)
    return sorted(read_jsonl(path), key=_key)


def _assert_same_rows(a: list[dict], b: list[dict], tolerance: float = 1e-5) -> None:
    """The same rows, labels included; scores equal to float32 round-off, which depends on how pairs were batched
    (oneDNN picks other fp32 kernels for other batch shapes on AVX-512/AMX CPUs: 1e-6 apart, measured)."""
    same_rows = load_script("same_rows")
    assert [same_rows._without_scores(r) for r in a] == [same_rows._without_scores(r) for r in b]
    assert same_rows.max_score_difference(a, b) <= tolerance


def _ledger_entries(path: Path) -> list[dict]:
    """The ledger's article entries by article, without their offsets (the engines write articles in other orders)."""
    entries = [{k: v for k, v in e.items() if k != "offset"} for e in read_jsonl(path) if "run" not in e]
    return sorted(entries, key=lambda e: e["article_id"])


def _csv_sorted(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return sorted(csv.DictReader(f), key=lambda r: tuple(r.values()))


def _bad_inputs(root: Path) -> Path:
    """A directory with every kind of input and of failure the reader knows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = root / "in"
    (src / "sub").mkdir(parents=True)
    said = 'The minister said: "We oppose military intervention in Venezuela." Guaido replied: "We welcome it."'
    (src / "good.txt").write_text(said, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "latin1.txt").write_bytes('Il a dit : « Non à la guerre ». Caf\xe9'.encode("latin-1"))
    (src / "sub" / "page.html").write_text(f"<html><body><p>{said}</p></body></html>", encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": said}), "{not json", json.dumps({"text": said}), "",
             json.dumps({"id": "j2", "text": said, "targets": 3}), json.dumps({"id": "j3", "text": " "}),
             json.dumps({"id": "j4", "html": f"<p>{said}</p>", "targets": ["Juan Guaido"]})]
    (src / "batch.jsonl").write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\n" + json.dumps(
        {"id": "j5", "text": said}).encode())
    table = pa.Table.from_pylist([{"id": f"p{i}", "text": said if i % 3 else "no quotes here", "targets": None}
                                  for i in range(7)])
    pq.write_table(table, src / "table.parquet", row_group_size=3)
    return src


@pytest.fixture(scope="module")
def both_engines(ray_cluster: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The sample articles, the bad inputs and PolNeAR dev (when present) through both engines; the Ray input
    cut into pieces of a few hundred bytes, so that JSONL files are read by many tasks."""
    from stance.predict import ray_engine

    root = tmp_path_factory.mktemp("engines")
    inputs = [ARTICLES, _bad_inputs(root)] + ([POLNEAR] if POLNEAR.is_file() else [])
    args = dict(model_dir=model_dir, input="[" + ",".join(str(p) for p in inputs) + "]",
                targets=targets_arg(TARGETS))
    local = run(output=root / "local.jsonl", **LOCAL, **args)
    mp = pytest.MonkeyPatch()
    mp.setattr(ray_engine, "MIN_PIECE_BYTES", 1)
    mp.setattr(ray_engine, "MAX_PIECE_BYTES", 400)
    try:
        ray_stats = run(output=root / "ray.jsonl", **RAY, **args)
    finally:
        mp.undo()
    return root, local, ray_stats


def test_the_ray_engine_writes_the_local_engines_rows(both_engines) -> None:  # noqa: ANN001
    root, local, ray_stats = both_engines
    assert ray_stats["engine"] == "ray"
    for key in ("articles", "errors", "quotes", "pairs", "rows"):
        assert ray_stats[key] == local[key], key
    rows = _sorted_rows(root / "ray.jsonl")
    _assert_same_rows(rows, _sorted_rows(root / "local.jsonl"))
    errors = {r["article_id"]: r["error"] for r in rows if "error" in r}
    assert "batch.jsonl:2" in errors and "line 2: invalid JSON" in errors["batch.jsonl:2"]
    assert "line 8: not valid UTF-8" in errors["batch.jsonl:8"], "line numbers count across read tasks"
    assert {"p0", "p6"} <= {r["article_id"] for r in rows}, "parquet rows are read"
    ledger = [e for e in read_jsonl(root / "ray.articles.jsonl") if "run" not in e]
    assert len(ledger) == ray_stats["articles"] == len({e["article_id"] for e in ledger})
    assert _ledger_entries(root / "ray.articles.jsonl") == _ledger_entries(root / "local.articles.jsonl")
    for name in ("summary.csv", "speakers.csv"):
        assert _csv_sorted(root / f"ray.{name}") == _csv_sorted(root / f"local.{name}"), name


@pytest.mark.shared
def test_polnear_dev_gives_the_same_rows(both_engines) -> None:  # noqa: ANN001
    if not POLNEAR.is_file():
        pytest.skip("../shared/polnear/dev.jsonl is absent")
    root, _, _ = both_engines
    ids = {json.loads(line)["id"] for line in POLNEAR.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = [r for r in _sorted_rows(root / "ray.jsonl") if r["article_id"] in ids]
    assert {r["article_id"] for r in rows} == ids
    assert sum("error" not in r for r in rows) > 100
    _assert_same_rows(rows, [r for r in _sorted_rows(root / "local.jsonl") if r["article_id"] in ids])


def test_resume_after_an_interruption_has_no_duplicates(ray_cluster: Path, model_dir: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.jsonl"
    run(model_dir=model_dir, input=ARTICLES, output=full, **LOCAL)
    out, ledger_path = tmp_path / "cut.jsonl", tmp_path / "cut.articles.jsonl"
    header, *ledger = (tmp_path / "full.articles.jsonl").read_bytes().splitlines(keepends=True)
    assert "run" in json.loads(header)
    # killed: two articles done, a torn ledger line, rows of the third article and a torn row
    cut_at, next_end = json.loads(ledger[1])["offset"], json.loads(ledger[2])["offset"]
    out.write_bytes(full.read_bytes()[: cut_at + (next_end - cut_at) // 2])
    ledger_path.write_bytes(header + b"".join(ledger[:2]) + ledger[2][:10])

    stats = run(model_dir=model_dir, input=ARTICLES, output=out, resume=True, **RAY)
    assert stats["skipped_done"] == 2 and stats["articles"] == len(ledger) - 2
    assert _sorted_rows(out) == _sorted_rows(full)
    ids = [e["article_id"] for e in read_jsonl(ledger_path) if "run" not in e]
    assert len(ids) == len(set(ids)) == len(ledger)
    # a finished run resumed: the skipped articles never reach Ray, nothing is written again
    again = run(model_dir=model_dir, input=ARTICLES, output=out, resume=True, **RAY)
    assert again["articles"] == 0 and _sorted_rows(out) == _sorted_rows(full)


def test_a_scoring_actor_killed_mid_run_loses_and_repeats_nothing(ray_cluster: Path, model_dir: Path,
                                                                  tmp_path: Path) -> None:
    run(model_dir=model_dir, input=ARTICLES, output=tmp_path / "local.parquet", **LOCAL)
    (ray_cluster / "crash-scorer").touch()
    out = tmp_path / "ray.parquet"
    run(model_dir=model_dir, input=ARTICLES, output=out, **{**RAY, "ray.articles_per_batch": 4})
    assert (ray_cluster / "crashed-scorer").exists(), "an actor died and Ray retried its batch"
    rows = _sorted_rows(out)
    _assert_same_rows(rows, _sorted_rows(tmp_path / "local.parquet"))
    assert len({_key(r) for r in rows}) == len(rows)


def test_a_long_target_is_recorded_in_the_ledger_as_on_the_local_engine(ray_cluster: Path, model_dir: Path,
                                                                        tmp_path: Path) -> None:
    from tests.test_long_targets import ARTICLE, LONG

    src = tmp_path / "in.jsonl"  # articles without targets of their own, so that the long one is theirs
    src.write_text("".join(json.dumps({"id": str(i), "text": ARTICLE}) + "\n" for i in range(3)), encoding="utf-8")
    args = dict(model_dir=model_dir, input=src, targets=targets_arg([LONG.strip(), "the war"]))
    local = run(output=tmp_path / "local.jsonl", **LOCAL, **args)
    ray_stats = run(output=tmp_path / "ray.jsonl", **RAY, **args)
    assert (ray_stats["errors"], ray_stats["rows"]) == (local["errors"], local["rows"])
    entries = _ledger_entries(tmp_path / "ray.articles.jsonl")
    scored = [e for e in entries if e["status"] != "error"]
    assert scored and all(any("truncated" in w for w in e["warnings"]) for e in scored)
    assert entries == _ledger_entries(tmp_path / "local.articles.jsonl")


def test_extraction_runs_fused_with_the_reads_and_apart_from_the_model(ray_cluster: Path, model_dir: Path,
                                                                       tmp_path: Path) -> None:
    """Ray Data's plan: reading and extraction are one task, and extraction never runs inside the scoring actors,
    where it would hold up the model (what the actors' own remote args prevent: without them this fails). The
    split step that kept extraction apart from the reads on inputs of many megabytes (docs/scaling.md) needs more
    input than a test should read; it is checked here too, for when Ray inserts it on small inputs."""
    from omegaconf import OmegaConf

    from stance.predict import ray_engine

    cfg = OmegaConf.create({"batch_size": 64, "precision": "fp32", "device": "cpu"})
    src = tmp_path / "many.jsonl"  # enough bytes for several read tasks
    src.write_bytes(ARTICLES.read_bytes() * 40)
    fields = {"id_field": "id", "text_field": "text", "html_field": "html", "targets_field": "targets"}
    ds = ray_engine._dataset([str(src)], fields, [], set(), model_dir, cfg, OmegaConf.create({"actors": 1}))
    assert sum(b.num_rows for b in ds.iter_batches(batch_size=None, batch_format="pyarrow")) > 0
    stats = ds.stats()
    assert "ReadArticle->MapBatches(extract_batch)" in stats, stats
    assert "MapBatches(extract_batch)->MapBatches(ScoreArticles)" not in stats, stats
    assert "SplitBlocks" not in stats, stats


def test_engine_settings_are_checked(model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "o.jsonl"
    for extra, message in (({"engine": "spark"}, "engine='spark': expected local or ray"),
                           ({"engine": "ray", "input": "-"}, "engine=ray reads files, not stdin"),
                           ({"engine": "ray", "shard": "0/2"}, "drop shard=")):
        with pytest.raises(SystemExit):
            run(**{"model_dir": model_dir, "input": ARTICLES, "output": out, **extra})
        assert message in capsys.readouterr().err


def test_jsonl_pieces_cover_the_file_once_with_their_line_numbers(tmp_path: Path) -> None:
    from stance.predict.ray_read import plan_pieces

    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": "x" * (i * 37 % 101)}) for i in range(50)]
    path.write_text("\n".join(lines) + "\n\n" + lines[0], encoding="utf-8")
    data = path.read_bytes()
    for piece_bytes in (1, 64, 500, 10**6):
        pieces = plan_pieces([str(path)], piece_bytes)
        assert pieces[0].start == 0 and pieces[-1].end == len(data)
        assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
        for p in pieces:
            assert p.first_line == data[: p.start].count(b"\n") + 1
            assert p.start == 0 or data[p.start - 1: p.start] == b"\n"
    assert plan_pieces([str(tmp_path / "a.jsonl")], 10**6)[0].size == len(data)
