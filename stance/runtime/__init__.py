"""The process and machine a job runs on: ranks, shards, hardware and precision, run files, wandb tracking.

The bottom layer: imports nothing of ``stance`` but :mod:`stance.errors`."""
