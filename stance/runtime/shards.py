"""Round-robin parts of an input: which items this process handles (``shard=i/n``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from stance.errors import ConfigError

_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (0-based) of ``count`` equal round-robin parts of an input."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ConfigError(f"shard {self.index}/{self.count}: need 0 <= index < count")

    @property
    def is_whole(self) -> bool:
        return self.count == 1

    def owns(self, position: int) -> bool:
        """Whether the item at ``position`` (0-based, in input order) belongs to this shard."""
        return shard_of(position, self.count) == self.index

    def select(self, items: Any) -> Any:
        """This shard's items of an iterable, lazily, in input order."""
        return (item for k, item in enumerate(items) if shard_of(k, self.count) == self.index)

    @property
    def tag(self) -> str:
        """File-name tag, e.g. ``shard-03-of-16``."""
        width = len(str(self.count - 1))
        return f"shard-{self.index:0{width}d}-of-{self.count}"

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(position: int, count: int) -> int:
    """The shard (0-based) that item ``position`` of an input goes to, out of ``count``: round-robin."""
    if count < 1:
        raise ConfigError(f"shard count must be >= 1, got {count}")
    return position % count


def parse_shard(spec: Any) -> Shard | None:
    """``"i/n"`` (0-based ``i``) as a :class:`Shard`; None/empty as None. Bad specs raise ``ValueError``."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return None
    match = _SHARD_RE.match(str(spec))
    if not match:
        raise ConfigError(f"shard={spec!r}: expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. shard=0/4")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or index >= count:
        raise ConfigError(f"shard={spec!r}: expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. shard=0/4")
    return Shard(index, count)
