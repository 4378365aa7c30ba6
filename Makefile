# Two commands do everything on a fresh machine with only python3 and make:
#   make book   -> .venv, pinned install, executed notebooks, HTML book in _build/html
#   make test   -> the same set-up, then the whole test suite
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
EDITION ?= instructor
PIP     := $(BIN)/python -m pip --disable-pip-version-check --no-input

.PHONY: book test setup lock clean clean-all student bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	@echo "installing the pinned environment into $(VENV) (first time only)"
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (livelihoods)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

book: setup
	$(BIN)/livelihoods build --edition $(EDITION)

student:
	$(MAKE) book EDITION=student

test: setup
	$(BIN)/python -m pytest

# Regenerate the pinned lock after changing dependencies in pyproject.toml (needs network).
lock: | $(BIN)/python
	$(PIP) install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra test -o requirements.lock --no-header --quiet
	sed -i '1i # Pinned environment for pip (Python 3.11). Regenerate with `make lock` after changing pyproject.toml.' requirements.lock
	$(BIN)/python .ci/environment_yml.py

clean:
	rm -rf _build/html _build/student _build/runs _build/jupyter_execute

clean-all:
	rm -rf _build $(VENV)

# Measure build performance on this machine; writes bench/results.md (several minutes).
bench: setup
	$(BIN)/python bench/run.py
