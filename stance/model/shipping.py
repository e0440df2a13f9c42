"""A trained model directory copied into the package's shipped models (``stance/resources/models/NAME``): the
weights cast to fp16 safetensors (half the size; they load back in fp32), its config and tokenizer files."""

from __future__ import annotations

import shutil
from pathlib import Path

from stance.errors import ModelLoadError

#: the files of a model directory besides its weights
_MODEL_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def ship(model_dir: Path, out_dir: Path, dtype: str = "fp16") -> Path:
    """Write ``model_dir``'s weights (in ``dtype``: fp16, bf16 or fp32) and files into ``out_dir``, keeping
    whatever else is already there (its MODEL_CARD.md); return the weights file."""
    import torch
    from safetensors.torch import load_file, save_file

    dtypes = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}
    if dtype not in dtypes:
        raise ModelLoadError(f"ship: dtype must be one of {sorted(dtypes)}, got {dtype!r}")
    weights = Path(model_dir) / "model.safetensors"
    if not weights.is_file():
        raise ModelLoadError(f"{model_dir}: no model.safetensors to ship")
    state = {k: (v.to(dtypes[dtype]) if v.is_floating_point() else v).contiguous()
             for k, v in load_file(str(weights)).items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in _MODEL_FILES:
        if (Path(model_dir) / name).is_file():
            shutil.copy2(Path(model_dir) / name, out_dir / name)
    save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    return out_dir / "model.safetensors"


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Copy a trained model into the package's shipped models (fp16).")
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--dtype", default="fp16", choices=["fp16", "bf16", "fp32"])
    args = ap.parse_args(argv)
    try:
        weights = ship(args.model_dir, args.out_dir, args.dtype)
    except ModelLoadError as e:
        print(f"error: {e}")
        return 2
    print(f"{weights} ({weights.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
