"""Loading, validating and normalizing quote–target data (JSONL, CSV, parquet or a hub dataset).

Every row becomes ``{"text", "target", "label" (canonical name), "source", "group"}``. Problems are
reported before training starts with the file, line and field at fault.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from stance.data.labels import LABELS, normalize_label
from stance.errors import DataError, UnknownLabelError

SPLITS = ("train", "validation", "test")

log = logging.getLogger(__name__)



def _read_records(path: Path, fmt: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(line or row number, record) pairs; numbers are 1-based lines for JSONL, data rows for CSV/parquet."""
    if fmt == "auto":
        suffix = path.suffix.lower()
        fmt = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet", ".tsv": "tsv"}.get(suffix)
        if fmt is None:
            raise DataError(f"{path}: cannot tell the format from the extension {suffix!r}; set data.format")
    if fmt == "jsonl":
        with path.open("rb") as handle:
            offset = 0
            for line_no, raw in enumerate(handle, 1):
                try:
                    line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
                except UnicodeDecodeError as err:
                    raise DataError(f"{path}:{line_no}: not valid UTF-8 ({err.reason} at byte {offset + err.start} "
                                    f"of the file, column {err.start + 1} of the line)") from None
                offset += len(raw)
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise DataError(f"{path}:{line_no}: not valid JSON ({err.msg})") from None
                if not isinstance(record, dict):
                    raise DataError(f"{path}:{line_no}: expected a JSON object, got {type(record).__name__}")
                yield line_no, record
        return
    import pandas as pd

    try:
        if fmt in ("csv", "tsv"):
            frame = pd.read_csv(path, sep="\t" if fmt == "tsv" else ",", dtype=str, keep_default_na=False)
        elif fmt == "parquet":
            frame = pd.read_parquet(path)
        else:
            raise DataError(f"{path}: unknown data.format {fmt!r} (auto, jsonl, csv, tsv or parquet)")
    except UnicodeDecodeError:
        raise DataError(_where_not_utf8(path)) from None
    except (ValueError, OSError) as err:
        if isinstance(err, DataError):
            raise
        raise DataError(f"{path}: cannot be read as {fmt}: {err}") from None
    # row 1 is the first data row (line 2 of a CSV file with its header)
    for row_no, record in enumerate(frame.to_dict(orient="records"), 1):
        yield row_no, record


def _where_not_utf8(path: Path) -> str:
    """The first byte of ``path`` that is not UTF-8, with its line (pandas reports a byte of its read buffer)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return f"{path}: line {line}: not valid UTF-8 ({err.reason} at byte {err.start} of the file)"
    return f"{path}: not valid UTF-8"


def _text_field(value: Any, loc: str, column: str) -> str:
    if not isinstance(value, str):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise DataError(f"{loc}: field {column!r} must be a string, got {type(value).__name__} {shown}")
    if not value.strip():
        raise DataError(f"{loc}: field {column!r} is empty")
    return value.strip()


def _warn_duplicates(keys: list[tuple[str, str, str]], nums: list[str], where: str) -> None:
    """Log rows that repeat an earlier (text, target) of the same file: same label (weight twice) or another."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    repeats = conflicts = 0
    example = ""
    for (text, target, label), num in zip(keys, nums):
        seen = first.get((text, target))
        if seen is None:
            first[(text, target)] = (label, num)
            continue
        repeats += 1
        conflicts += seen[0] != label
        example = example or f"{num} repeats {seen[1]}"
    if repeats:
        log.warning("%s: %d rows repeat an earlier row's text and target (%d with another label; e.g. %s)",
                    where, repeats, conflicts, example)


def _label_names(cfg: Mapping[str, Any], labels: Sequence[str]) -> dict[int, str] | None:
    """``data.label_names`` as {number: label}: a mapping (``{0: none, 1: against, 2: favor}``) or a list in
    number order; None when unset. Numbers in a file mean nothing without it: datasets number labels differently."""
    raw = cfg.get("label_names")
    if raw is None:
        return None
    if hasattr(raw, "items"):
        pairs = list(raw.items())
    elif isinstance(raw, (list, tuple)) or (hasattr(raw, "__iter__") and not isinstance(raw, str)):
        pairs = list(enumerate(raw))
    else:
        raise DataError(f"data.label_names must map numbers to labels ({{0: none, 1: against, 2: favor}}), got {raw!r}")
    out: dict[int, str] = {}
    for key, value in pairs:
        try:
            out[int(key)] = normalize_label(value, labels)
        except (TypeError, ValueError) as err:  # UnknownLabelError is a ValueError
            raise DataError(f"data.label_names: {key!r}: {value!r} -> {err}") from None
    return out


def _label(value: Any, names: dict[int, str] | None, labels: Sequence[str]) -> str:
    """The canonical label of a record's label value; a number only through ``data.label_names``."""
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if names is not None and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value)  # CSV cells are strings
    if number is None:
        return normalize_label(value, labels)
    if names is None:
        raise UnknownLabelError(
            f"integer label {number} has no meaning by itself (datasets number their labels differently); set "
            f"data.label_names, e.g. data.label_names='{{0: none, 1: against, 2: favor}}'")
    if number not in names:
        raise UnknownLabelError(f"{number} is not a key of data.label_names {names}")
    return names[number]


def _validate(
    records: Iterator[tuple[int, Mapping[str, Any]]], where: str, cfg: Mapping[str, Any], labels: Sequence[str]
) -> list[dict[str, Any]]:
    text_col, target_col, label_col = cfg["text_column"], cfg["target_column"], cfg["label_column"]
    group_col = cfg.get("group_column")
    swap_col = cfg.get("swap_group_column")
    unit = "line" if where.endswith((".jsonl", ".json")) else "row"
    names = _label_names(cfg, labels)
    rows = []
    nums: list[str] = []
    for num, record in records:
        loc = f"{where}:{num}" if unit == "line" else f"{where}: row {num}"
        nums.append(f"{unit} {num}")
        for column in (text_col, target_col, label_col):
            if column not in record:
                raise DataError(
                    f"{loc}: missing field {column!r} (fields present: {sorted(record)}); "
                    f"set data.text_column / data.target_column / data.label_column"
                )
        text = _text_field(record[text_col], loc, text_col)
        target = _text_field(record[target_col], loc, target_col)
        try:
            label = _label(record[label_col], names, labels)
        except UnknownLabelError as err:
            hint = "" if "label_names" in str(err) else "; set data.labels to the labels of this file"
            raise DataError(f"{loc}: field {label_col!r}: {err}{hint}") from None
        rows.append(
            {
                "text": text,
                "target": target,
                "label": label,
                "group": str(record.get(group_col, "")) if group_col else "",
                "swap_group": str(record.get(swap_col, "")) if swap_col else "",
            }
        )
    if not rows:
        raise DataError(f"{where}: no rows")
    _warn_duplicates([(r["text"], r["target"], r["label"]) for r in rows], nums, where)
    return rows


def load_split(cfg: Mapping[str, Any], split: str) -> list[dict[str, Any]] | None:
    """Validated rows of one split of one data source, or None when the source has no such split."""
    labels = list(cfg.get("labels") or LABELS)
    name = cfg.get("name", "data")
    if cfg.get("hub_path"):
        return _load_hub_split(cfg, split, labels)
    file = cfg.get(f"{split}_file")
    if not file:
        return None
    if cfg.get("dir") and not Path(str(cfg["dir"])).is_dir():
        raise DataError(
            f"data source {name!r}: the folder {cfg['dir']} does not exist. Set STANCE_DATA_DIR to the folder "
            f"that holds the public stance datasets (e.g. export STANCE_DATA_DIR=/path/to/shared/datasets) "
            f"or override data.dir (data.sources.{name}.dir for pooled data)"
        )
    path = Path(str(file)).expanduser()
    if not path.exists():
        raise DataError(f"data source {name!r}: {split} file {path} does not exist (data.{split}_file)")
    if path.is_dir():
        raise DataError(f"data source {name!r}: {split} file {path} is a directory (data.{split}_file)")
    rows = _validate(_read_records(path, str(cfg.get("format", "auto"))), str(path), cfg, labels)
    for row in rows:
        row["source"] = name
    return rows


def _load_hub_split(cfg: Mapping[str, Any], split: str, labels: list[str]) -> list[dict[str, Any]] | None:
    import datasets

    hub_split = {"validation": cfg.get("hub_validation_split", "validation")}.get(split, split)
    try:
        ds = datasets.load_dataset(cfg["hub_path"], cfg.get("hub_name"), split=hub_split)
    except ValueError:
        return None  # the hub dataset has no such split
    except Exception as err:  # network, missing dataset: tell the user plainly
        raise DataError(f"hub dataset {cfg['hub_path']!r} ({split}) could not be loaded: {err}") from None
    names = ds.features[cfg["label_column"]].names if hasattr(ds.features[cfg["label_column"]], "names") else None
    records = ((i, {**r, cfg["label_column"]: names[r[cfg["label_column"]]] if names else r[cfg["label_column"]]})
               for i, r in enumerate(ds, 1))
    if cfg.get("hub_target"):  # single-target subsets (tweeteval stance_*) carry the target in the config
        records = ((i, {**r, cfg["target_column"]: cfg["hub_target"]}) for i, r in records)
    rows = _validate(records, f"hub:{cfg['hub_path']}/{cfg.get('hub_name')}/{hub_split}", cfg, labels)
    for row in rows:
        row["source"] = cfg.get("name", cfg["hub_path"])
    return rows


def sources(data_cfg: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The data sources of a data config: ``data.sources`` for pooled data (less the optional ones whose
    folder is missing), else the config itself."""
    if not data_cfg.get("sources"):
        return {data_cfg.get("name", "data"): data_cfg}
    out = {}
    for name, src in data_cfg["sources"].items():
        if src.get("optional") and src.get("dir") and not Path(str(src["dir"])).is_dir():
            if name not in _warned:
                log.warning("optional data source %r skipped: %s does not exist (set STANCE_DATA_DIR to use it)",
                            name, src["dir"])
                _warned.add(name)
            continue
        out[name] = {**dict(src), "name": src.get("name", name)}
    return out


_warned: set[str] = set()


def _cap(rows: list[dict], cap: int | None, rng: random.Random) -> list[dict]:
    if cap is None or cap >= len(rows):
        return rows
    return rng.sample(rows, int(cap))


def _weighted(rows: list[dict], weight: float, rng: random.Random) -> list[dict]:
    """Resample a source by ``weight`` (2.0 doubles its rows, 0.5 halves them)."""
    if weight == 1.0:
        return rows
    whole, frac = int(weight), weight - int(weight)
    return rows * whole + rng.sample(rows, int(round(frac * len(rows))))


def target_swap(rows: list[dict], ratio: float, rng: random.Random) -> list[dict]:
    """Extra ``none`` rows: a text paired with the target of a row from another swap group.

    Rows are grouped by ``swap_group`` (domain) and ``source``, so a swapped target is about something
    else, not a related target whose stance the text may well imply.
    """
    if ratio <= 0:
        return []
    targets_by_group: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        targets_by_group.setdefault((row["source"], row["swap_group"]), set()).add(row["target"])
    keys = sorted(targets_by_group)
    if len(keys) < 2:
        return []
    pools = {k: sorted(v) for k, v in targets_by_group.items()}
    chosen = rng.sample(range(len(rows)), min(len(rows), int(round(ratio * len(rows)))))
    out = []
    for i in chosen:
        row = rows[i]
        other = [k for k in keys if k != (row["source"], row["swap_group"])]
        target = rng.choice(pools[rng.choice(other)])
        out.append({**row, "target": target, "label": "none", "group": "swapped"})
    return out


def _warn_overlap(src: Mapping[str, Any], train: list[dict], validation: list[dict] | None,
                  test: list[dict] | None) -> None:
    """Log a train file that is also the validation or test file, and evaluation rows seen in training."""
    name = src.get("name", "data")
    files = {split: Path(str(src[f"{split}_file"])).expanduser().resolve() for split in SPLITS
             if src.get(f"{split}_file")}
    seen = {(r["text"], r["target"]) for r in train}
    for split, rows in (("validation", validation), ("test", test)):
        if files.get(split) is not None and files.get(split) == files.get("train"):
            log.warning("data source %r: the train file is also the %s file (%s): its scores measure memory, "
                        "not generalization", name, split, files["train"])
        elif rows:
            overlap = sum((r["text"], r["target"]) in seen for r in rows)
            if overlap:
                log.warning("data source %r: %d of %d %s rows have a text and target that are also in the "
                            "training rows", name, overlap, len(rows), split)


def load_data(data_cfg: Mapping[str, Any], seed: int = 42) -> dict[str, list[dict[str, Any]]]:
    """All splits of all sources, validated; train capped, weighted and augmented per the config.

    When a source has no validation split, 10% of its training rows (at least one) are held out.
    """
    rng = random.Random(seed)
    out: dict[str, list[dict]] = {split: [] for split in SPLITS}
    for src in sources(data_cfg).values():
        if not src.get("train", True):  # evaluation-only source (leave-one-dataset-out)
            test = load_split(src, "test")
            if test is None:
                raise DataError(f"data source {src.get('name')!r} is evaluation-only but has no test split")
            out["test"] += _cap(test, src.get("max_eval_samples"), rng)
            continue
        train = load_split(src, "train")
        if train is None:
            raise DataError(f"data source {src.get('name')!r}: no train split configured")
        validation = load_split(src, "validation") if not src.get("recast") else []
        if validation is None:
            rng.shuffle(train)
            n_val = max(1, len(train) // 10)
            validation, train = train[:n_val], train[n_val:]
        train = _cap_groups(train, src.get("group_caps"), rng)
        train = _weighted(_cap(train, src.get("max_train_samples"), rng), float(src.get("weight", 1.0)), rng)
        if src.get("recast"):  # a stance source in an entailment config: training-only NLI pairs
            out["train"] += _recast(train, src, data_cfg, rng)
            continue
        out["train"] += train
        out["validation"] += _cap(validation, src.get("max_eval_samples"), rng)
        test = load_split(src, "test")
        _warn_overlap(src, train, validation, test)
        if test:
            out["test"] += _cap(test, src.get("max_eval_samples"), rng)
    if data_cfg.get("hypotheses") is not None:  # an entailment config: recast rows only, no stance augmentation
        from stance.data.entailment import check_hypotheses, swapped_neutrals

        recast_rows = [r for r in out["train"] if "stance_target" in r]
        out["train"] += swapped_neutrals(recast_rows, float(data_cfg.get("swap_neutral", 0.0) or 0.0),
                                         check_hypotheses(data_cfg["hypotheses"]), rng)
        return out
    # templates and lexicon statements are about the targets of the data's own training rows, not the extra ones
    real = list(out["train"])
    out["train"] += extra_train_rows(data_cfg, rng)
    swap = float(data_cfg.get("target_swap", 0.0) or 0.0)
    out["train"] += target_swap(out["train"], swap, rng)
    per_label = int(data_cfg.get("polarity_templates", 0) or 0)
    if per_label:
        from stance.data.templates import template_rows

        out["train"] += template_rows(real, per_label, label_set(data_cfg), rng)
    # the implicit pairs must dominate: never more statements than half the data's own training rows
    n_lexicon = min(int(data_cfg.get("lexicon_statements", 0) or 0), len(real) // 2)
    if n_lexicon:
        from stance.data.lexicon import lexicon_rows

        out["train"] += lexicon_rows(real, n_lexicon, label_set(data_cfg), random.Random(seed))
    return out


def _cap_groups(rows: list[dict], caps: Mapping[str, int] | None, rng: random.Random) -> list[dict]:
    """Rows with at most ``caps[g]`` of each group ``g`` (the source column of a file that pools several
    datasets, e.g. the NLI pairs' ``source``); groups without a cap are kept whole."""
    if not caps:
        return rows
    out: list[dict] = []
    for group in sorted({r["group"] for r in rows}):
        part = [r for r in rows if r["group"] == group]
        out += _cap(part, caps.get(group), rng)
    return out


def _recast(rows: list[dict], src: Mapping[str, Any], data_cfg: Mapping[str, Any],
            rng: random.Random) -> list[dict]:
    """A stance source's training rows as NLI pairs (stance.data.entailment); ``recast``: the target kind
    (person, topic, claim) or ``auto`` (guessed per target)."""
    from stance.data.entailment import check_hypotheses, recast

    if data_cfg.get("hypotheses") is None:
        raise DataError(f"data source {src.get('name')!r} sets recast, but data.hypotheses is not set "
                        "(recasting belongs in an entailment data config: data=entailment)")
    kind = None if str(src["recast"]) == "auto" else str(src["recast"])
    return recast(rows, check_hypotheses(data_cfg["hypotheses"]), kind=kind, rng=rng,
                  polarities=str(data_cfg.get("recast_polarities", "both")))


def extra_train_rows(data_cfg: Mapping[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Training rows of ``data.extra_train`` (name -> data config, e.g. perspectrum): training-only sources mixed
    into the training rows, capped by their ``max_train_samples``; never validated or tested on. An optional one
    whose folder is missing is skipped with a warning."""
    extra = data_cfg.get("extra_train") or {}
    rows: list[dict[str, Any]] = []
    if not extra:
        return rows
    for src in sources({"sources": extra}).values():
        part = load_split(src, "train")
        if part is None:
            raise DataError(f"extra training source {src.get('name')!r}: no train split configured")
        rows += _cap(part, src.get("max_train_samples"), rng)
    return rows


def label_set(data_cfg: Mapping[str, Any]) -> list[str]:
    """The model's labels: ``data.labels``, or the union of the sources' labels in canonical order."""
    if data_cfg.get("labels"):
        return list(data_cfg["labels"])
    union = {lab for src in sources(data_cfg).values() for lab in (src.get("labels") or LABELS)}
    return [lab for lab in LABELS if lab in union]
