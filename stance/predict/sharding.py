"""``shard=i/n``: the part of a ``stance-predict`` input that one of several independent processes handles.

A thin filter, nothing more: article *k* of the input goes to part *k mod n*, and each process writes the output
it is given (``output=preds-3-of-16.jsonl``), with its own ledger and summaries; no step of ours merges the
parts. One run over many machines is ``engine=ray`` (docs/scaling.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stance.errors import PredictConfigError
from stance.runtime.ranks import world_size
from stance.runtime.shards import Shard, parse_shard


@dataclass
class ShardRun:
    """This process's part of a ``stance-predict`` run: ``shard=i/n``, or the whole input."""

    final_output: str
    shard: Shard

    @classmethod
    def for_config(cls, cfg: Any) -> ShardRun:
        """The part ``cfg.shard`` names; launcher ranks (torchrun, accelerate) are refused, since nothing of ours
        merges what they would write."""
        if world_size() > 1:
            raise PredictConfigError(
                "stance-predict does not split itself among torchrun/accelerate ranks: run engine=ray (one run "
                "over many processes or machines), or independent processes with shard=i/n and one output each")
        return cls(str(cfg.get("output")), parse_shard(cfg.get("shard")) or Shard())

    @property
    def sharded(self) -> bool:
        return not self.shard.is_whole

    @property
    def output(self) -> str:
        return self.final_output

    def select(self, articles: Any) -> Any:
        """This shard's articles (round-robin by input position), lazily."""
        return articles if not self.sharded else self.shard.select(articles)

    @staticmethod
    def device(requested: str | None) -> str:
        return requested or "cpu"
