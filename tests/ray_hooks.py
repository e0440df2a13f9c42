"""Fault injection for the Ray engine tests, run in every Ray worker the session fixture starts (its runtime_env's
``worker_process_setup_hook``): a scoring actor dies, once, when a test asks for it by creating a file."""

from __future__ import annotations

import os
from pathlib import Path


def install() -> None:
    """Wrap the scoring actor's call: the first call after ``$STANCE_TEST_RAY_FLAGS/crash-scorer`` appears kills
    its process (as a lost node or the OOM killer would)."""
    flags = os.environ.get("STANCE_TEST_RAY_FLAGS")
    if not flags:
        return
    from stance.predict import ray_engine

    original = ray_engine.ScoreArticles.__call__

    def call(self, batch):  # noqa: ANN001, ANN202 - the wrapped actor method
        try:  # a rename succeeds in one process only: exactly one actor dies
            os.rename(Path(flags) / "crash-scorer", Path(flags) / "crashed-scorer")
        except FileNotFoundError:
            return original(self, batch)
        os._exit(1)

    ray_engine.ScoreArticles.__call__ = call
