"""PolNeAR-style attribution files: one article a JSONL line with its text and annotated attributions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stance.errors import DataError, InputNotFoundError


def _spans(value: Any, where: str, length: int) -> list[list[int]]:
    if not isinstance(value, list) or not all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in value):
        raise DataError(f"{where}: expected a list of [start, end] character offsets, got {value!r}")
    for s, e in value:
        if not 0 <= s <= e <= length:
            raise DataError(f"{where}: span [{s}, {e}] lies outside the text ({length} characters)")
    return value


def load_attributions(path: str | Path) -> list[dict[str, Any]]:
    """The articles of ``path`` as dicts ``{id, text, attributions: [{content, source, cue, direct}]}``
    (``source`` and ``cue`` may be empty); an invalid line raises :class:`~stance.errors.DataError` naming it."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"attribution file not found: {path}")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}, line {n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where}: invalid JSON ({exc.msg})") from None
            text = row.get("text") if isinstance(row, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise DataError(f"{where}: field 'text' must be a non-empty string")
            atts = row.get("attributions")
            if not isinstance(atts, list):
                raise DataError(f"{where}: field 'attributions' must be a list")
            clean = []
            for k, a in enumerate(atts):
                if not isinstance(a, dict):
                    raise DataError(f"{where}: attribution {k} is not an object")
                clean.append({part: _spans(a.get(part, []), f"{where}, attribution {k}, {part}", len(text))
                              for part in ("content", "source", "cue")} | {"direct": bool(a.get("direct", False))})
            rows.append({"id": str(row.get("id", f"{path.name}:{n}")), "text": text, "attributions": clean})
    if not rows:
        raise DataError(f"{path}: no articles")
    return rows
