"""Time ratios for the linear-time tests: a function on a text made of one repeated unit and on a text ten times as
long, as a ratio of best times (a slow or busy machine slows both alike, so the ratio holds where wall-clock limits
would not)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: 10 times the input: linear gives a ratio of 10, quadratic 100. 40 leaves room for a busy shared machine, where
#: single measurements of linear code ranged 4-25
MAX_RATIO = 40


def of_size(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def best_time(fn: Callable[[str], Any], text: str, repeat: int) -> float:
    """The shortest of ``repeat`` timings of ``fn(text)``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def size_ratio(fn: Callable[[str], Any], unit: str, small: int, large: int, repeat: int = 3) -> tuple[float, float, float]:
    """``(small time, large time, large / small)`` for ``fn`` on ``unit`` repeated to ``small`` and ``large``
    characters."""
    t_small = best_time(fn, of_size(unit, small), repeat)
    t_large = best_time(fn, of_size(unit, large), repeat)
    return t_small, t_large, t_large / max(t_small, 1e-4)
