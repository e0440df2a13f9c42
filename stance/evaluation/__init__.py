"""Scoring predictions (shared by training and ``stance-eval``), calibration, plots, and the ``stance-eval`` report."""
