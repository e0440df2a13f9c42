"""``stance-eval``: score a saved model on a split of any data config and write a report.

The output directory gets ``metrics.json`` (flat, ``test_macro_f1``, ``test_f_avg``, ``test_accuracy``,
``test_ece`` ...: the same keys and the same code as training's test metrics), ``metrics_detail.json``
(per target, per source, per group, calibration bins), ``per_target.csv``, ``per_source.csv``,
``confusion.png``, ``reliability.png``, ``misclassified.csv`` (with every label's probability),
``predictions.jsonl`` and the resolved ``config.yaml``; with ``logger=wandb`` the same go to a wandb run
(job type ``eval``) as a summary, tables and images.
"""

from __future__ import annotations

import copy
import csv
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf, open_dict

from stance.data.loading import load_split, sources
from stance.errors import DataError
from stance.evaluation.calibration import calibration_report, reliability_png
from stance.evaluation.plots import confusion_matrix, confusion_png
from stance.evaluation.scoring import evaluate_predictions
from stance.model.encoding import MASK
from stance.runtime.checks import as_int, check_creatable_dir, check_device
from stance.runtime.files import write_json
from stance.runtime.tracking import Tracker, start

log = logging.getLogger(__name__)

TABLE_METRICS = ("support", "f_avg", "macro_f1", "accuracy", "f_avg_target_mean", "macro_f1_target_mean")


def run_dir_of_model(model_dir: Path) -> Path | None:
    """The training run directory a model directory belongs to (``RUN/model`` with ``RUN/config.yaml``), if any."""
    if model_dir.name == "model" and (model_dir.parent / "config.yaml").is_file():
        return model_dir.parent
    return None


def _training_config(run_dir: Path | None) -> dict[str, Any]:
    if run_dir is None:
        return {}
    try:
        loaded = OmegaConf.to_container(OmegaConf.load(run_dir / "config.yaml"), resolve=False)
    except Exception as err:  # noqa: BLE001 - a broken config.yaml only costs us the defaults taken from it
        log.warning("%s: unreadable (%s); ignoring it", run_dir / "config.yaml", err)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def output_dir_of(cfg: DictConfig, run_dir: Path | None) -> Path:
    """``cfg.output_dir``, else ``<run dir>/eval/<data>-<split>``, else Hydra's run directory."""
    if cfg.get("output_dir"):
        return Path(str(cfg.output_dir)).expanduser().resolve()
    if run_dir is not None:
        return run_dir / "eval" / f"{cfg.data.name}-{cfg.split}{'-masked' if cfg.get('mask_target') else ''}"
    return Path(str(cfg.paths.output_dir)).resolve()


def load_eval_rows(data_cfg: Mapping[str, Any], split: str, max_samples: int | None = None) -> list[dict[str, Any]]:
    """Validated rows of ``split`` from every source of the data config (all of them: no sampling caps)."""
    rows: list[dict[str, Any]] = []
    for name, src in sources(data_cfg).items():
        part = load_split(src, split)
        if part is None:
            continue
        rows += part[: int(max_samples)] if max_samples else part
    if not rows:
        names = ", ".join(sources(data_cfg))
        raise DataError(
            f"data {data_cfg.get('name')!r} ({names}) has no {split} split: set data.{split}_file "
            f"(e.g. data=jsonl data.{split}_file=FILE) or choose another split="
        )
    return rows


def check_labels(rows: Sequence[Mapping[str, Any]], data_cfg: Mapping[str, Any], model_labels: Sequence[str]) -> None:
    """Every source's labels must be labels of the model; the message names the source and the label."""
    for name, src in sources(data_cfg).items():
        extra = [lab for lab in (src.get("labels") or []) if lab not in model_labels]
        if extra:
            raise DataError(
                f"data source {name!r} has labels {extra} that the model does not predict "
                f"(model labels: {list(model_labels)}); set data.labels to a subset of them"
            )
    for row in rows:
        if row["label"] not in model_labels:
            raise DataError(f"data source {row['source']!r}: label {row['label']!r} is not a model label {list(model_labels)}")


def restricted_probs(probs: np.ndarray, rows: Sequence[Mapping[str, Any]], labels: Sequence[str],
                     data_cfg: Mapping[str, Any]) -> np.ndarray:
    """Probabilities renormalized over each source's own labels (a two-class set scored by a three-class model)."""
    out = np.asarray(probs, dtype=float).copy()
    src_of_row = np.array([r["source"] for r in rows])
    for name, src in sources(data_cfg).items():
        allowed = set(src.get("labels") or labels)
        if allowed == set(labels):
            continue
        keep = np.array([lab in allowed for lab in labels])
        idx = src_of_row == name
        sub = out[idx] * keep[None, :]
        out[idx] = sub / np.clip(sub.sum(-1, keepdims=True), 1e-12, None)
    return out


def _precision(cfg: DictConfig, train_cfg: Mapping[str, Any]) -> str:
    if cfg.get("precision"):
        return str(cfg.precision)
    bf16 = (train_cfg.get("trainer") or {}).get("bf16")
    if isinstance(bf16, bool):
        return "bf16" if bf16 else "fp32"
    return "auto"


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _table(groups: Mapping[str, Mapping[str, Any]], first: str) -> tuple[list[str], list[list[Any]]]:
    keys = [k for k in TABLE_METRICS if any(k in m for m in groups.values())]
    return [first, *keys], [[name, *(m.get(k) for k in keys)] for name, m in sorted(groups.items())]


def evaluate_model(cfg: DictConfig) -> dict[str, Any]:
    """Score ``cfg.model_dir`` on ``cfg.split`` of ``cfg.data``; write the report; return the flat metrics."""
    from stance.model.classifier import StanceClassifier, resolve_model_dir

    check_device(cfg.get("device"))
    as_int(cfg.get("batch_size"), "batch_size", 1)
    as_int(cfg.get("max_samples"), "max_samples", 1, optional=True)
    as_int(cfg.get("calibration_bins"), "calibration_bins", 1)
    # resolved: a symlink such as outputs/latest points at another run after the next training
    model_dir = resolve_model_dir(str(cfg.model_dir)).resolve()
    run_dir = run_dir_of_model(model_dir)
    train_cfg = _training_config(run_dir)
    out_dir = output_dir_of(cfg, run_dir)
    check_creatable_dir(out_dir, "the evaluation folder")
    split = str(cfg.split)
    data_cfg = OmegaConf.to_container(cfg.data, resolve=True)
    rows = load_eval_rows(data_cfg, split, cfg.get("max_samples"))

    precision = _precision(cfg, train_cfg)
    clf = StanceClassifier.from_pretrained(model_dir, device=str(cfg.get("device", "cpu")), precision=precision,
                                           batch_size=int(cfg.get("batch_size", 64)),
                                           nli_templates=OmegaConf.to_container(cfg.nli_templates)
                                           if cfg.get("nli_templates") else None)
    labels = list(clf.labels)
    check_labels(rows, data_cfg, labels)
    # the target-use check: with mask_target=true every target is replaced by a placeholder; a model that
    # really reads the target loses accuracy, one that learned each target's prior does not
    targets = [MASK if cfg.get("mask_target") else r["target"] for r in rows]
    probs = clf.predict_proba([r["text"] for r in rows], targets)
    refs = np.array([labels.index(r["label"]) for r in rows], dtype=np.int64)
    logits = np.log(np.clip(probs.astype(np.float64), 1e-12, None))
    flat, details, preds = evaluate_predictions(logits, refs, rows, labels, data_cfg, prefix=split)

    probs_r = restricted_probs(probs, rows, labels, data_cfg)
    calib = calibration_report(probs_r, refs, int(cfg.get("calibration_bins", 10)))
    for key in ("ece", "mce", "brier", "nll", "mean_confidence"):
        flat[f"{split}_{key}"] = calib[key]
    details["calibration"] = calib
    if "per_source" not in details:  # one dataset: its table is the overall scores
        overall = {k[len(split) + 1:]: v for k, v in flat.items() if isinstance(v, (int, float))}
        details["per_source"] = {rows[0]["source"]: {k: overall[k] for k in TABLE_METRICS if k in overall}}

    results: dict[str, Any] = {
        **flat,
        "model_dir": str(model_dir),
        "run_dir": str(run_dir) if run_dir else None,
        "eval_dir": str(out_dir),
        "data": str(cfg.data.name),
        "split": split,
        "mask_target": bool(cfg.get("mask_target")),
        "labels": labels,
        "precision": clf.precision,
        "run_name": _eval_name(cfg, train_cfg, run_dir, model_dir),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    tracker = _start_tracker(cfg, out_dir, results["run_name"], run_dir, train_cfg)
    exit_code = 1
    try:
        _write_report(out_dir, cfg, rows, labels, probs, preds, refs, results, details, tracker)
        exit_code = 0
    finally:
        tracker.finish(exit_code)
    return results


def _eval_name(cfg: DictConfig, train_cfg: Mapping[str, Any], run_dir: Path | None, model_dir: Path) -> str:
    if cfg.get("run_name"):
        return str(cfg.run_name)
    model_name = train_cfg.get("run_name") or (run_dir.name if run_dir else model_dir.name)
    return f"eval-{model_name}-{cfg.data.name}-{cfg.split}"


def _start_tracker(cfg: DictConfig, out_dir: Path, name: str, run_dir: Path | None,
                   train_cfg: Mapping[str, Any]) -> Tracker:
    """A wandb run of job type ``eval``, in the training run's group where that can be told."""
    if (cfg.get("logger") or {}).get("name", "none") != "wandb":
        return Tracker(None)
    eval_cfg = copy.deepcopy(cfg)
    with open_dict(eval_cfg):
        eval_cfg.run_name = name
        if not eval_cfg.logger.get("group"):
            eval_cfg.logger.group = _training_group(run_dir, train_cfg) or f"eval-{cfg.data.name}"
        if "model" not in eval_cfg:
            eval_cfg.model = {"name": (train_cfg.get("model") or {}).get("name", "model"), "dir": str(cfg.model_dir)}
    return start(eval_cfg, out_dir, job_type="eval")


def _training_group(run_dir: Path | None, train_cfg: Mapping[str, Any]) -> str | None:
    """The wandb group training used: the multirun sweep dir name, else its experiment or data-model name."""
    if run_dir is None or not train_cfg:
        return None
    if (train_cfg.get("logger") or {}).get("group"):
        return str(train_cfg["logger"]["group"])
    if run_dir.parent.parent.name in ("multiruns", "sweeps"):
        return run_dir.parent.name
    if train_cfg.get("experiment_name"):
        return str(train_cfg["experiment_name"])
    data, model = (train_cfg.get("data") or {}).get("name"), (train_cfg.get("model") or {}).get("name")
    return f"{data}-{model}" if data and model else None


def _write_report(
    out_dir: Path, cfg: DictConfig, rows: Sequence[Mapping[str, Any]], labels: Sequence[str], probs: np.ndarray,
    preds: np.ndarray, refs: np.ndarray, results: dict[str, Any], details: dict[str, Any], tracker: Tracker,
) -> None:
    split = results["split"]
    try:
        (out_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True), encoding="utf-8")
    except Exception:  # noqa: BLE001 - ${hydra:...} cannot resolve outside a Hydra job
        (out_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg), encoding="utf-8")
    write_json(out_dir / "metrics.json", results)
    write_json(out_dir / "metrics_detail.json", details)

    target_cols, target_rows = _table(details["per_target"], "target")
    _write_csv(out_dir / "per_target.csv", target_cols, target_rows)
    source_cols, source_rows = _table(details["per_source"], "source")
    _write_csv(out_dir / "per_source.csv", source_cols, source_rows)
    if details.get("per_group"):
        group_cols, group_rows = _table(details["per_group"], "group")
        _write_csv(out_dir / "per_group.csv", group_cols, group_rows)

    cm = confusion_matrix(preds, refs, len(labels))
    confusion = confusion_png(cm, labels, out_dir / "confusion.png", title=f"{results['data']} {split}: confusion matrix")
    reliability = reliability_png(details["calibration"]["bins"], out_dir / "reliability.png",
                                  title=f"{results['data']} {split}")

    header = ["text", "target", "source", "group", "label", "prediction", "confidence", *(f"p_{lab}" for lab in labels)]
    errors = []
    with (out_dir / "predictions.jsonl").open("w", encoding="utf-8") as handle:
        for row, pred, ref, prob in zip(rows, preds, refs, probs):
            scores = {lab: round(float(p), 6) for lab, p in zip(labels, prob)}
            handle.write(json.dumps({
                "text": row["text"], "target": row["target"], "source": row["source"], "group": row["group"],
                "label": row["label"], "prediction": labels[int(pred)], "scores": scores,
            }, ensure_ascii=False) + "\n")
            if pred != ref:
                errors.append([row["text"], row["target"], row["source"], row["group"], row["label"], labels[int(pred)],
                               round(float(prob[int(pred)]), 6), *scores.values()])
    errors.sort(key=lambda e: -e[6])  # the most confident mistakes first
    _write_csv(out_dir / "misclassified.csv", header, errors)

    tracker.summary({k: v for k, v in results.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    tracker.table(f"{split}/per_target", target_cols, target_rows)
    tracker.table(f"{split}/per_source", source_cols, source_rows)
    tracker.table(f"{split}/misclassified", header, errors[: int(cfg.get("max_logged_errors", 500))])
    tracker.image(f"{split}/confusion_matrix", confusion)
    tracker.image(f"{split}/reliability", reliability)


def run(cfg: DictConfig) -> float | None:
    """Hydra entry point of ``stance-eval``: evaluate, print the headline numbers and where the report is.

    Bad data or a bad model directory raise a :class:`~stance.errors.StanceError` naming the file or field.
    """
    results = evaluate_model(cfg)
    split = results["split"]
    lines = ["", f"{results['data']} {split} ({results[f'{split}_support']} rows, {results['precision']}):"]
    for key in ("accuracy", "macro_f1", "f_avg", "f_avg_target_mean", "ece", "brier"):
        if f"{split}_{key}" in results:
            lines.append(f"  {split + '_' + key:<32} {results[f'{split}_{key}']:.4f}")
    lines.append(f"report: {results['eval_dir']}")
    print("\n".join(lines), flush=True)
    value = results.get(f"{split}_f_avg")
    return float(value) if value is not None else None
