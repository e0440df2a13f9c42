"""Console entry points. Each Hydra job is a plain ``run(cfg)`` function in its own module; this file only
composes the config, calls it, and turns a :class:`~stance.errors.StanceError` into one line on stderr and exit
status 2 (``HYDRA_FULL_ERROR=1`` shows the stack instead, for developers)."""

from __future__ import annotations

import sys
from importlib import import_module

from stance.config import config_dir, override_problem, register_resolvers
from stance.errors import EXIT_USAGE, ConfigError, guarded, report_error


def _check_run_dirs(command: str) -> None:
    """A ``hydra.run.dir``/``hydra.sweep.dir`` given on the command line that cannot be created is one line, not
    Hydra's traceback (Hydra creates it before the job runs)."""
    from pathlib import Path

    from stance.runtime.checks import check_creatable_dir

    for arg in sys.argv[1:]:
        key, _, value = arg.partition("=")
        if key.lstrip("+") in ("hydra.run.dir", "hydra.sweep.dir") and value and "${" not in value:
            guarded(command, lambda key=key, value=value: check_creatable_dir(Path(value), key.lstrip("+")))


def _hydra_job(command: str, config_name: str, target: str) -> object:
    import hydra

    _check_run_dirs(command)
    register_resolvers()
    problem = override_problem(config_name, sys.argv[1:])
    if problem is not None:  # one line with the fix, before Hydra's own "not in struct" or parser error
        report_error(command, ConfigError(problem))
        raise SystemExit(EXIT_USAGE)
    module_name, func_name = target.split(":")

    @hydra.main(version_base="1.3", config_path=str(config_dir()), config_name=config_name)
    def _main(cfg):  # noqa: ANN001 - Hydra passes a DictConfig
        return guarded(command, lambda: getattr(import_module(module_name), func_name)(cfg))

    return _main()


def train_main() -> object:
    return _hydra_job("stance-train", "train", "stance.train.trainer:run")


def eval_main() -> object:
    return _hydra_job("stance-eval", "eval", "stance.evaluation.report:run")


def predict_main() -> object:
    return _hydra_job("stance-predict", "predict", "stance.predict.command:run")


def quotes_main() -> object:
    return _hydra_job("stance-quotes", "quotes", "stance.predict.quotes_command:run")


def compare_main(argv: list[str] | None = None) -> int:
    from stance.studies.compare import main

    return main(sys.argv[1:] if argv is None else argv)
