"""A module path for launchers that need one: ``torchrun ... -m stance.launch train|predict|eval OVERRIDES``.

``torchrun --nproc_per_node 2 -m stance.launch train model=tiny`` runs exactly what ``stance-train model=tiny``
runs, on every rank (so does ``torchrun --no-python stance-train ...`` where the console script is on PATH).
"""

from __future__ import annotations

import sys

from stance.errors import EXIT_USAGE, ConfigError, report_error

JOBS = ("train", "predict", "eval")


def main(argv: list[str] | None = None) -> object:
    """Pop the job name from ``sys.argv`` and run that job's Hydra entry point with the rest."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in JOBS:
        report_error("python -m stance.launch", ConfigError(
            f"the first argument must be a job: python -m stance.launch {{{'|'.join(JOBS)}}} [hydra overrides...]"))
        raise SystemExit(EXIT_USAGE)
    job, rest = args[0], args[1:]
    sys.argv = [f"stance-{job}", *rest]
    from stance import cli

    return getattr(cli, f"{job}_main")()


if __name__ == "__main__":
    main()
