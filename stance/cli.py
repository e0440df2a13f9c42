"""Console entry points. Each Hydra job is a plain ``run(cfg)`` function in its own module;
this file only composes the config and calls it, so tests can call ``run`` directly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module

from stance.paths import config_dir, register_resolvers


def _hydra_job(config_name: str, target: str) -> Callable[[], object]:
    import hydra

    register_resolvers()
    module_name, func_name = target.split(":")

    @hydra.main(version_base="1.3", config_path=str(config_dir()), config_name=config_name)
    def _main(cfg):  # noqa: ANN001 - Hydra passes a DictConfig
        return getattr(import_module(module_name), func_name)(cfg)

    return _main()


def train_main() -> object:
    return _hydra_job("train", "stance.training:run")


def eval_main() -> object:
    return _hydra_job("eval", "stance.evaluation:run")


def predict_main() -> object:
    return _hydra_job("predict", "stance.predict:run")


def quotes_main() -> object:
    return _hydra_job("quotes", "stance.quotes_cli:run")


def compare_main(argv: list[str] | None = None) -> int:
    from stance.runs import main

    return main(sys.argv[1:] if argv is None else argv)
