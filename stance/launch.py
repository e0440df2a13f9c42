"""A module path for launchers that need one: ``torchrun ... -m stance.launch train|predict|eval OVERRIDES``.

``torchrun --nproc_per_node 2 -m stance.launch train model=tiny`` runs exactly what ``stance-train model=tiny``
runs, on every rank (so does ``torchrun --no-python stance-train ...`` where the console script is on PATH).
"""

from __future__ import annotations

import sys

JOBS = ("train", "predict", "eval")


def main(argv: list[str] | None = None) -> object:
    """Pop the job name from ``sys.argv`` and run that job's Hydra entry point with the rest."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in JOBS:
        print(f"usage: python -m stance.launch {{{'|'.join(JOBS)}}} [hydra overrides...]", file=sys.stderr)
        raise SystemExit(2)
    job, rest = args[0], args[1:]
    sys.argv = [f"stance-{job}", *rest]
    from stance import cli

    return getattr(cli, f"{job}_main")()


if __name__ == "__main__":
    main()
