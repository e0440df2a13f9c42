"""How a (text, target) pair becomes model input.

Training and inference must format pairs identically, so the format travels inside the saved model's
config (``config.stance_input``) and every consumer builds its inputs through :func:`encode_pairs`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from stance.errors import ConfigError

#: ``pair``: tokenizer(text, target), the run_glue convention.
#: ``target_first``: tokenizer(target, text), so truncation never cuts the target.
#: ``prompt``: tokenizer(text, f"stance toward {target}"), a target-aware question the model must read.
FORMATS = ("pair", "target_first", "prompt")

#: ``none``: texts as given.
#: ``tweet``: hashtags split into their words (``#StopHillary2016`` -> ``Stop Hillary 2016``; lower-case runs by
#: word frequencies with wordninja: ``#prolifeyouth`` -> ``pro life youth``), the SemEval-2016 collection tag
#: ``#SemST`` (on nearly every tweet of every class) dropped, URLs replaced by ``http``.
NORMALIZATIONS = ("none", "tweet")

_SEMST = re.compile(r"\s*#SemST\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"#(\w+)")
# word boundaries inside a hashtag: lower->Upper, letter<->digit, and the end of an acronym (USAToday -> USA Today)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _split_words(run: str) -> str:
    """A lower-case run of letters as words, unless a piece would be a single letter (acronyms: ``tcot``)."""
    if len(run) < 6 or not run.isalpha() or not run.islower():
        return run
    import wordninja

    pieces = wordninja.split(run)
    return " ".join(pieces) if all(len(p) > 1 for p in pieces) else run


def _hashtag_words(tag: str) -> str:
    return " ".join(_split_words(part) for part in _CAMEL.sub(" ", tag).replace("_", " ").split())


def normalize_tweet(text: str) -> str:
    """``#WakeUpAmerica is #SemST`` -> ``Wake Up America is``: hashtags read as words, collection tags gone."""
    text = _URL.sub("http", _SEMST.sub("", text))
    return _HASHTAG.sub(lambda m: _hashtag_words(m.group(1)), text).strip()


@dataclass(frozen=True)
class InputFormat:
    style: str = "pair"
    max_length: int = 256
    prompt_template: str = "What is the stance toward {target}?"
    normalize: str = "none"  # one of NORMALIZATIONS, applied to the texts (not the targets)
    mask_target: bool = False  # the target-use check: replace every target with a placeholder

    def __post_init__(self) -> None:
        if self.style not in FORMATS:
            raise ConfigError(f"input format {self.style!r} is not one of {FORMATS}")
        if self.normalize not in NORMALIZATIONS:
            raise ConfigError(f"text normalization {self.normalize!r} is not one of {NORMALIZATIONS}")
        if self.max_length < 16:
            raise ConfigError(f"max_length must be at least 16, got {self.max_length}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_config(cls, model_config: Any) -> InputFormat:
        """The format saved in a model's config; the run_glue pair format when none was saved."""
        saved = getattr(model_config, "stance_input", None) or {}
        known = {k: v for k, v in dict(saved).items() if k in cls.__dataclass_fields__ and k != "mask_target"}
        return cls(**known)


MASK = "[target]"


def encode_pairs(tokenizer: Any, texts: Sequence[str], targets: Sequence[str], fmt: InputFormat) -> dict[str, list]:
    """Tokenize pairs without padding (padding is done per batch by a collator)."""
    if len(texts) != len(targets):
        raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
    targets = [MASK if fmt.mask_target else t for t in targets]
    if fmt.normalize == "tweet":
        texts = [normalize_tweet(t) for t in texts]
    if fmt.style == "target_first":
        first, second = list(targets), list(texts)
    else:
        first = list(texts)
        second = list(targets) if fmt.style == "pair" else [fmt.prompt_template.format(target=t) for t in targets]
    # longest_first cuts the quotation exactly as only_first/only_second did while the target side is the
    # shorter one, and cuts an over-long target too instead of failing the whole batch ("Truncation error")
    return tokenizer(first, second, truncation="longest_first", max_length=fmt.max_length)


def long_target_warning(tokenizer: Any, target: str, fmt: InputFormat) -> str | None:
    """A warning for a target that takes over half of ``fmt.max_length`` tokens (it is cut in every pair whose
    quotation is shorter than it), else None."""
    side = fmt.prompt_template.format(target=target) if fmt.style == "prompt" else target
    n = len(tokenizer(side, add_special_tokens=False)["input_ids"])
    if n <= fmt.max_length // 2:
        return None
    shown = target if len(target) <= 60 else target[:57] + "..."
    return (f"target {shown!r} ({len(target)} characters, {n} tokens) is over half of the model's max_length "
            f"{fmt.max_length}: truncated in pairs with a shorter quotation")
