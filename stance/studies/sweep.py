"""Hyper-parameter search with Optuna over ``stance.training.train``, resumable from SQLite storage.

``python scripts/sweep.py hparams_search=optuna [train overrides...]`` composes the ``train`` config as
``stance-train`` would (the ``hparams_search`` group holds the search space and the study settings),
then runs trials until ``hparams_search.n_trials`` have completed. Each trial is a run directory
``<hparams_search.dir>/<number>`` and, with ``logger=wandb``, its own wandb run in the group
``<study_name>``; ``stance-compare <hparams_search.dir>`` tabulates them. Hydra's Optuna sweeper plugin
is not used: it pins ``optuna<3`` (see docs/evaluation.md).
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict

from stance.errors import EXIT_USAGE, StanceError, SweepConfigError, report_error

log = logging.getLogger(__name__)

DIMENSION_TYPES = ("float", "int", "categorical")



def search_space(params: Mapping[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """The dimensions under ``hparams_search.params``: ``{"trainer.learning_rate": {"type": ...}}``, validated."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in params.items():
        path = f"{prefix}{key}"
        if not isinstance(value, Mapping):
            raise SweepConfigError(f"hparams_search.params.{path}: expected a mapping with a `type`, got {value!r}")
        if "type" not in value:
            out.update(search_space(value, f"{path}."))
            continue
        kind = value["type"]
        where = f"hparams_search.params.{path}"
        if kind not in DIMENSION_TYPES:
            raise SweepConfigError(f"{where}.type: {kind!r} is not one of {DIMENSION_TYPES}")
        if kind == "categorical":
            if not value.get("choices"):
                raise SweepConfigError(f"{where}: a categorical dimension needs a non-empty `choices` list")
        else:
            for bound in ("low", "high"):
                if not isinstance(value.get(bound), (int, float)) or isinstance(value.get(bound), bool):
                    raise SweepConfigError(f"{where}.{bound}: expected a number, got {value.get(bound)!r}")
            if value["low"] > value["high"]:
                raise SweepConfigError(f"{where}: low {value['low']} is above high {value['high']}")
            if value.get("log") and value["low"] <= 0:
                raise SweepConfigError(f"{where}: a log-scale dimension needs low > 0")
        out[path] = dict(value)
    return out


def suggest(trial: Any, space: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One value per dimension from an Optuna trial."""
    values: dict[str, Any] = {}
    for name, dim in space.items():
        if dim["type"] == "float":
            values[name] = trial.suggest_float(name, float(dim["low"]), float(dim["high"]), log=bool(dim.get("log")),
                                               step=dim.get("step"))
        elif dim["type"] == "int":
            values[name] = trial.suggest_int(name, int(dim["low"]), int(dim["high"]), log=bool(dim.get("log")),
                                             step=int(dim.get("step") or 1))
        else:
            values[name] = trial.suggest_categorical(name, list(dim["choices"]))
    return values


def _override(key: str, value: Any) -> str:
    return f"{key}={json.dumps(value) if isinstance(value, str) else value}"


def _sampler(settings: Mapping[str, Any], n_done: int) -> Any:
    import optuna

    name = str(settings.get("name", "tpe")).lower()
    seed = settings.get("seed")
    # a resumed sweep must not replay the first sweep's random draws
    seed = None if seed is None else int(seed) + n_done
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, n_startup_trials=int(settings.get("n_startup_trials", 10)))
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SweepConfigError(f"hparams_search.sampler.name: {name!r} is not one of ('tpe', 'random')")


def _compose(overrides: Sequence[str]) -> DictConfig:
    from hydra import compose

    cfg = compose("train", overrides=list(overrides), return_hydra_config=True)
    with open_dict(cfg):
        del cfg["hydra"]
    return cfg


def _storage_url(storage: str, sweep_dir: Path) -> str:
    if storage.startswith("sqlite:///"):
        db = Path(storage[len("sqlite:///"):]).expanduser()
        db = db if db.is_absolute() else Path.cwd() / db
        db.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{db.resolve()}"
    return storage


def sweep(overrides: Sequence[str]) -> Any:
    """Run (or resume) the study described by ``train`` composed with ``overrides``; returns the Optuna study."""
    import optuna
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from optuna.trial import TrialState

    from stance.config import config_dir, register_resolvers
    from stance.train.trainer import train

    register_resolvers()
    overrides = list(overrides)
    GlobalHydra.instance().clear()
    with initialize_config_dir(str(config_dir()), version_base="1.3"):
        base = _compose(overrides)
        if not base.get("hparams_search"):
            raise SweepConfigError("no search configured: pass hparams_search=optuna (configs/hparams_search/)")
        hs = OmegaConf.to_container(base.hparams_search, resolve=True)
        metric = str(base.get("optimized_metric") or "")
        if not metric:
            raise SweepConfigError("optimized_metric is empty: name a key of metrics.json")
        space = search_space(hs.get("params") or {})
        if not space:
            raise SweepConfigError("hparams_search.params defines no dimension")
        direction = str(hs.get("direction", "maximize"))
        if direction not in ("maximize", "minimize"):
            raise SweepConfigError(f"hparams_search.direction: {direction!r} is not maximize or minimize")
        sweep_dir = Path(str(hs["dir"])).expanduser().resolve()
        sweep_dir.mkdir(parents=True, exist_ok=True)
        study_name = str(hs["study_name"])
        storage = _storage_url(str(hs["storage"]), sweep_dir)

        study = optuna.load_study(study_name=study_name, storage=storage) if _exists(study_name, storage) else None
        if study is not None and study.direction.name.lower() != direction:
            raise SweepConfigError(f"study {study_name!r} in {storage} optimizes {study.direction.name.lower()}, "
                                   f"not {direction}: use another hparams_search.study_name")
        n_before = len(study.trials) if study is not None else 0
        study = optuna.create_study(study_name=study_name, storage=storage, direction=direction,
                                    sampler=_sampler(hs.get("sampler") or {}, n_before), load_if_exists=True)
        if hs.get("retry_interrupted", True):
            for stale in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
                log.warning("trial %d was interrupted: marking it failed and trying its parameters again", stale.number)
                study.tell(stale.number, state=TrialState.FAIL)
                study.enqueue_trial(dict(stale.params), user_attrs={"retry_of": stale.number})
        done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
        remaining = max(0, int(hs["n_trials"]) - done)
        print(f"study {study_name!r} ({storage}): {done} trials complete, {remaining} to run; "
              f"{direction} {metric}; runs under {sweep_dir}", flush=True)

        user_keys = {o.split("=", 1)[0].lstrip("+~") for o in overrides}

        def objective(trial: Any) -> float:
            values = suggest(trial, space)
            run_dir = sweep_dir / str(trial.number)
            extra = [_override(k, v) for k, v in values.items()]
            if "run_name" not in user_keys:
                extra.append(f"run_name={study_name}-trial{trial.number}")
            if "logger.group" not in user_keys:
                extra.append(f"+logger.group={study_name}" if "group" not in base.logger else f"logger.group={study_name}")
            if "logger.job_type" not in user_keys and "job_type" in base.logger:
                extra.append("logger.job_type=sweep")
            cfg = _compose([*overrides, *extra])
            with open_dict(cfg):
                cfg.paths.output_dir = str(run_dir)
            trial.set_user_attr("run_dir", str(run_dir))
            try:
                results = train(cfg)
            finally:
                gc.collect()
            value = results.get(metric)
            if not isinstance(value, (int, float)):
                numeric = sorted(k for k, v in results.items() if isinstance(v, (int, float)))
                raise SweepConfigError(f"optimized_metric {metric!r} is not in the trial's metrics; "
                                       f"available: {', '.join(numeric)}")
            return float(value)

        if remaining:
            study.optimize(objective, n_trials=remaining, gc_after_trial=True)
        _write_summary(study, sweep_dir, metric)
    GlobalHydra.instance().clear()
    return study


def _exists(study_name: str, storage: str) -> bool:
    import optuna

    try:
        return study_name in {s.study_name for s in optuna.get_all_study_summaries(storage)}
    except Exception:  # noqa: BLE001 - a new SQLite file has no tables yet
        return False


def _write_summary(study: Any, sweep_dir: Path, metric: str) -> None:
    """``trials.csv`` (every trial) and ``best.json`` (the best trial's parameters, value and run dir)."""
    from optuna.trial import TrialState

    try:
        study.trials_dataframe().to_csv(sweep_dir / "trials.csv", index=False)
    except Exception as err:  # noqa: BLE001 - the summary is a convenience
        log.warning("could not write trials.csv: %s", err)
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not complete:
        return
    best = study.best_trial
    summary = {"study_name": study.study_name, "optimized_metric": metric, "direction": study.direction.name.lower(),
               "value": best.value, "trial": best.number, "params": best.params,
               "run_dir": best.user_attrs.get("run_dir"), "n_complete": len(complete)}
    (sweep_dir / "best.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"best trial {best.number}: {metric}={best.value:.4f} {best.params}\n"
          f"  run: {best.user_attrs.get('run_dir')}\n  compare: stance-compare {sweep_dir}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: Hydra-style overrides of the ``train`` config; 0 on success, 2 on a configuration error."""
    import os


    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(message)s")
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print(__doc__)
        return 0
    if not any(a.startswith("hparams_search=") for a in args):
        args.insert(0, "hparams_search=optuna")
    try:
        sweep(args)
    except StanceError as err:
        report_error("sweep", err)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
