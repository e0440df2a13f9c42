"""The end of a multirun: the ``stance-compare`` table of its runs and the command that redraws it with a chart
(a Hydra callback, listed in ``configs/hydra/default.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback

from stance.errors import CompareError
from stance.studies.compare import compare, format_table


class CompareAtMultirunEnd(Callback):
    """After the last job of ``-m`` (a grid or a sweep): print the runs' comparison and how to get it again."""

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            result = compare([str(sweep_dir)])
        except CompareError:  # no finished run with metrics.json (a failed sweep, stance-eval jobs): say nothing
            return
        print(f"\nmultirun: {len(result['runs'])} runs under {sweep_dir}, sorted by {result['sort']}")
        print(format_table(result["rows"], result["keys"], result["metrics"]))
        print(f"again, with a chart: stance-compare {sweep_dir} --sort {result['sort']}", flush=True)
