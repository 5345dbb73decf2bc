# The executable book on Mali's security crisis. Two commands set everything up:
#   make book   - create .venv, install the locked requirements and the library, build _build/html
#   make test   - the same environment, then every test: `make check` first (lint, library and
#                 data tests, about a minute), then the book build, browser, refresh and nbval
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
EVENTS ?=
# The study period: empty means the study's first day and the data's last month
# (src/analysis/study.py), so no date is typed here.
START ?=
END ?=
JB_FLAGS := -W -n --keep-going

.PHONY: all book check test refresh clean lint lock datapackage vendor check-build chromium linkcheck bench pdf latex

all: book

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (mali-book)" > /dev/null
	touch $(STAMP)

_static/vega-bundle.js: $(STAMP)
	$(PY) -m analysis vendor-js --out $@

vendor: _static/vega-bundle.js

# The data checks rerun only when the data, the bibliography or the library change.
CHECKED := _build/.data-checked
DATA_FILES := $(shell find data -type f -not -name '*.set-aside.csv' -not -path 'data/external/*' 2> /dev/null)
$(CHECKED): $(STAMP) $(DATA_FILES) references.bib $(wildcard src/analysis/*.py src/analysis/*/*.py)
	$(PY) -m analysis datapackage --check
	$(PY) -m analysis validate data/events.csv
	mkdir -p $(@D) && touch $@

## book: build the HTML book into _build/html (renders the committed notebook outputs)
book: $(STAMP) _static/vega-bundle.js $(CHECKED)
	$(BIN)/jupyter-book build . --builder html $(JB_FLAGS)
	$(MAKE) --no-print-directory check-build

check-build:
	test -s _build/html/index.html
	test -s _build/html/chapters/history.html
	n=$$(ls _build/html/chapters/*.html | wc -l); test "$$n" -ge 7 || { echo "only $$n chapter pages built" >&2; exit 1; }

## chromium: Debian's Chromium for the browser tests of the built book
chromium:
	command -v chromium > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; }

LINTED := src tests chapters benchmarks

## check: the fast tier - lint, then the library and data tests (no book build, no notebook run)
check: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/pytest -q -m "not slow" -n 2 tests

## test: every test, in the environment make book uses: the fast tier first, then the slow one
## (one shared book build, the browser, Papermill runs) and nbval on every chapter
test: $(STAMP) _static/vega-bundle.js chromium
	$(MAKE) --no-print-directory check
	$(BIN)/pytest -q -m slow -n 2 --dist loadgroup tests
	$(BIN)/pytest -q --nbval --nbval-current-env -n 2 --dist loadfile chapters

## refresh: re-execute every chapter (EVENTS="a.csv b.csv" to use and merge other event files),
## write _build/what-changed.md, then rebuild
refresh: $(STAMP) _static/vega-bundle.js
	$(PY) -m analysis refresh $(foreach e,$(EVENTS),--events $(e)) --start "$(START)" --end "$(END)"
	$(MAKE) --no-print-directory book

## latex: Debian's LaTeX for the PDF, an Arabic font (Amiri) and poppler's tools to check the
## pages (installed when missing; needs root for apt)
latex:
	command -v xelatex > /dev/null && command -v latexmk > /dev/null && command -v pdftoppm > /dev/null && test -n "$$(fc-list :family=Amiri)" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk fonts-freefont-otf lmodern tex-gyre fonts-hosny-amiri poppler-utils > /dev/null; }

## pdf: the whole book as one PDF, every chart a static image rendered by vl-convert
pdf: $(STAMP) _static/vega-bundle.js latex
	$(PY) -m analysis pdf-sources --out _build/pdf-src
	$(BIN)/jupyter-book build _build/pdf-src --builder pdflatex
	cp _build/pdf-src/_build/latex/mali-security-crisis.pdf _build/mali-security-crisis.pdf
	@echo "wrote _build/mali-security-crisis.pdf"

## bench: benchmarks of the build and data paths (a few minutes; results in _build/bench/)
bench: $(STAMP) _static/vega-bundle.js
	$(PY) -m benchmarks.bench --repeats $(or $(REPEATS),3)

## linkcheck: check the external links of the book (needs the internet; not part of make test)
linkcheck: $(STAMP) _static/vega-bundle.js
	$(BIN)/jupyter-book build . --builder linkcheck

datapackage: $(STAMP)
	$(PY) -m analysis datapackage

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)

## lock: recompile requirements.txt (exact pins with hashes) from requirements.in
lock:
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in

clean:
	rm -rf _build _static/vega-bundle.js .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
