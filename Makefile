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

.PHONY: setup train test predict bench clean

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
		output=outputs/predict/articles.jsonl $(ARGS)
	@if [ -f "$(SEED_ARTICLE)" ]; then \
		$(VENV)/bin/stance-predict model_dir=outputs/latest input=$(SEED_ARTICLE) \
			targets='[military intervention in Venezuela, Juan Guaido]' output=outputs/predict/caracas.jsonl $(ARGS); \
	else echo "($(SEED_ARTICLE) not found: seed demo skipped)"; fi

clean:
	rm -rf outputs multirun .pytest_cache
