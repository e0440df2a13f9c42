"""Studies over many runs: ``stance-compare``, hyper-parameter sweeps, and grids of training runs."""
