# Two commands do everything on a fresh machine with only python3 and make:
#   make book   -> .venv, pinned install, executed notebooks, HTML book in _build/html
#   make test   -> the same set-up, then the whole test suite (PYTEST_ARGS="tests/test_data.py -x" narrows it)
#   make pdf    -> the whole book as a PDF in _build/latex/book.pdf
# `make test` and `make pdf` also fetch what the browser and PDF tests need outside Python (Chromium, axe-core,
# TeX Live): with apt when running as root, else they say so loudly and those tests skip (fail under CI=true).
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
EDITION ?= instructor
PYTEST_ARGS ?=
PIP     := $(BIN)/python -m pip --disable-pip-version-check --no-input

.PHONY: book test setup lock clean clean-all student bench pdf tools browser-tools pdf-tools

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

test: setup tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

pdf: setup pdf-tools
	$(BIN)/livelihoods build
	$(BIN)/python -c "from jupyter_book.cli.main import main; main()" build . --builder pdflatex
	@echo "the PDF: _build/latex/book.pdf"

# --- tools outside Python for the browser, accessibility and PDF tests (tests/browser_helpers.py) -----------
CHROMIUM     ?= /usr/bin/chromium
AXE_VERSION  := 4.14.1
NPM_PREFIX   := .cache/npm
AXE_JS       := $(NPM_PREFIX)/node_modules/axe-core/axe.min.js
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

tools: browser-tools pdf-tools

browser-tools:
	@$(call apt_need,test -x $(CHROMIUM),chromium,Chromium)
	@$(call apt_need,command -v npm,npm,npm (to fetch axe-core))
	@if [ ! -f $(AXE_JS) ] && command -v npm >/dev/null 2>&1; then \
	  echo "installing axe-core $(AXE_VERSION) from npm into $(NPM_PREFIX)"; \
	  npm install --silent --no-audit --no-fund --prefix $(NPM_PREFIX) axe-core@$(AXE_VERSION) \
	  || echo "*** COULD NOT INSTALL axe-core: the accessibility tests will be skipped (failed under CI=true) ***"; \
	fi

pdf-tools:
	@$(call apt_need,command -v xelatex && command -v latexmk && command -v pdftoppm && kpsewhich capt-of.sty && fc-list | grep -q FreeSerif,$(PDF_PACKAGES),TeX Live and poppler (the PDF))

# Regenerate the pinned lock after changing dependencies in pyproject.toml (needs network).
lock: | $(BIN)/python
	$(PIP) install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra test -o requirements.lock --no-header --quiet
	sed -i '1i # Pinned environment for pip (Python 3.11). Regenerate with `make lock` after changing pyproject.toml.' requirements.lock
	$(BIN)/python .ci/environment_yml.py

clean:
	rm -rf _build/html _build/student _build/runs _build/jupyter_execute _build/latex

clean-all:
	rm -rf _build $(VENV)

# Measure build performance on this machine; writes bench/results.md (several minutes).
bench: setup
	$(BIN)/python bench/run.py
