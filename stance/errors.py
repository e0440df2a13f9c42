"""Every error `stance` reports to a user: one hierarchy, one line each, exit status 2 from the commands.

Each class also derives from the built-in exception its callers caught before (``ValueError``, ``RuntimeError``,
``FileNotFoundError``), so library users' ``except`` clauses keep working.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: exit status of every console script for bad input or configuration
EXIT_USAGE = 2


class StanceError(Exception):
    """Bad input, configuration or environment: the message names the file, line or field at fault."""


class ConfigError(StanceError, ValueError):
    """A configuration value that cannot be used (unknown key, wrong type, contradicting options)."""


class DataError(StanceError, ValueError):
    """A dataset file that is missing, unreadable or invalid (wrong column, empty text, unknown label)."""


class UnknownLabelError(DataError):
    """A label outside the label scheme in use."""


class InputNotFoundError(StanceError, FileNotFoundError):
    """An input path (articles, targets, runs) that does not exist."""


class ModelLoadError(StanceError, RuntimeError):
    """A model directory that is missing, incomplete or unreadable."""


class ModelConfigError(ConfigError):
    """A model configuration (backbone, pooling, input format) that cannot be built."""


class PredictConfigError(ConfigError):
    """A ``stance-predict`` option that cannot be used (targets, output, prefilter, shard)."""


class OutputPathError(ConfigError):
    """An output path that would overwrite an input, be read back as input, or write through a symbolic link."""


class OutputExistsError(OutputPathError):
    """An output left by an earlier run, given neither ``resume=true`` nor ``overwrite=true``."""


class ResumeMismatchError(PredictConfigError):
    """``resume=true`` over an output written with other targets, another model or another input."""


class ResumeStateError(PredictConfigError):
    """``resume=true`` over an output that does not hold what its ledger says (missing, shorter, other rows)."""


class OutputBusyError(PredictConfigError):
    """An output that another process is writing at this moment."""


class OutputWriteError(StanceError, OSError):
    """An output that cannot be written (disk full, no permission); what was written before stays valid."""


class DistillError(ConfigError):
    """Distillation settings or teachers that cannot be used."""


class SweepConfigError(ConfigError):
    """A hyper-parameter search space or storage that cannot be used."""


class CompareError(StanceError, ValueError):
    """Run directories that cannot be compared (none found, unreadable metrics)."""


class DistributedSetupError(StanceError, RuntimeError):
    """The processes of one job cannot agree on something (run directory, shard) without help."""


def report_error(command: str, err: BaseException) -> None:
    """Print ``command: error: message`` as one line on stderr."""
    message = " ".join(str(err).split()) or type(err).__name__
    print(f"{command}: error: {message}", file=sys.stderr, flush=True)


def guarded(command: str, func: Callable[[], T]) -> T:
    """Run ``func``; a :class:`StanceError` (or an ``OSError``: a disk full, a file gone) ends the process with one
    line on stderr and exit status 2.

    ``HYDRA_FULL_ERROR=1`` re-raises instead, so developers see the stack.
    """
    try:
        return func()
    except StanceError as err:
        if os.environ.get("HYDRA_FULL_ERROR") == "1":
            raise
        report_error(command, err)
        raise SystemExit(EXIT_USAGE) from None
    except OSError as err:  # the user's files and disks (full, read-only, gone): not a bug of ours
        if os.environ.get("HYDRA_FULL_ERROR") == "1":
            raise
        where = f"{err.filename}: " if err.filename else ""
        report_error(command, StanceError(f"{where}{err.strerror or err}"))
        raise SystemExit(EXIT_USAGE) from None
