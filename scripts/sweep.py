"""Optuna hyper-parameter search over stance-train (logic in stance.studies.sweep; see docs/evaluation.md).

    python scripts/sweep.py hparams_search=optuna data=quotes model=minilm hparams_search.n_trials=20

Run the same command again to resume an interrupted sweep (the study is stored in SQLite).
"""

from stance.studies.sweep import main

if __name__ == "__main__":
    raise SystemExit(main())
