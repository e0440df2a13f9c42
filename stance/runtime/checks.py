"""Checks of user-given values and output places that every command makes before anything expensive starts;
each failure is a :class:`~stance.errors.ConfigError` (one line, exit status 2) naming the key and the value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stance.errors import ConfigError, OutputPathError

_DEVICE = re.compile(r"(cpu|cuda|mps)(?::(\d+))?")


def as_int(value: Any, key: str, minimum: int | None = None, optional: bool = False) -> int | None:
    """``value`` as an int (``None`` allowed when ``optional``), at least ``minimum``."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("+-").isdigit():
        raise ConfigError(f"{key}={value!r}: expected a whole number")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ConfigError(f"{key}={number}: must be at least {minimum}")
    return number


def as_float(value: Any, key: str, low: float | None = None, high: float | None = None,
             optional: bool = False) -> float | None:
    """``value`` as a finite float (``None`` allowed when ``optional``) within ``[low, high]``."""
    if value is None and optional:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}={value!r}: expected a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ConfigError(f"{key}={value!r}: expected a finite number")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ConfigError(f"{key}={number:g}: must be between {low:g} and {high:g}" if low is not None and high
                          is not None else f"{key}={number:g}: must be at least {low:g}" if low is not None else
                          f"{key}={number:g}: must be at most {high:g}")
    return number


def as_bool(value: Any, key: str) -> bool:
    """``value`` as a bool: true/false (Hydra parses those), not any other word."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    raise ConfigError(f"{key}={value!r}: expected true or false")


def check_device(value: Any, key: str = "device") -> str:
    """``cpu``, ``cuda``, ``cuda:N`` or ``mps``, present on this machine."""
    device = str(value or "cpu")
    match = _DEVICE.fullmatch(device)
    if match is None:
        raise ConfigError(f"{key}={device!r}: expected cpu, cuda, cuda:N or mps")
    kind, index = match.group(1), int(match.group(2) or 0)
    if kind == "cuda":
        import torch

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if index >= count:
            raise ConfigError(f"{key}={device!r}: this machine has {count} CUDA device(s)"
                              + ("" if count else "; use device=cpu"))
    elif kind == "mps":
        import torch

        if not torch.backends.mps.is_available():
            raise ConfigError(f"{key}={device!r}: MPS is not available here; use device=cpu")
    return device


def check_output_files(files: Iterable[str | Path]) -> None:
    """Each file can be written: not a directory, its folder creatable (created here) and writable."""
    for file in (Path(f).expanduser() for f in files):
        if file.is_dir():
            raise OutputPathError(f"output {str(file)!r} is a directory; give a file name")
        make_dir(file.parent, f"the folder of output {str(file)!r}")


def check_creatable_dir(folder: Path, what: str) -> None:
    """Say in one line why ``folder`` could not be created (a file where a folder of its path should be); creates
    nothing."""
    folder = Path(folder).expanduser()
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise OutputPathError(f"{what} cannot be created: {str(parent)!r} is a file, not a directory")
            return


def make_dir(folder: Path, what: str) -> None:
    """Create ``folder`` (and its parents) or say in one line why it cannot be."""
    folder = Path(folder).expanduser()
    check_creatable_dir(folder, what)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputPathError(f"{what} {str(folder)!r} cannot be created ({e.strerror or e})") from None
