# glscore: reproducible environment, notebooks, tests.
#
#   make venv       create/refresh .venv from requirements.txt (only when stale)
#   make notebooks  execute every notebooks/NN_*.ipynb, in place (regenerates
#                   figures/); ONLY=pattern runs a subset, JOBS=2 two at once
#   make test       ruff, mypy, unit tests, nbval over the notebooks, figure check,
#                   browser checks (both cores busy: mypy and nbval run beside the tests)
#   make test-pythons  the unit tests under Python 3.12 and 3.13 (each found one)
#   make lab        Jupyter Lab in notebooks/ with a "glscore (.venv)" kernel
#   make bench      speed ratios (glscore bench) -> benchmarks/, README Speed
#   make report     static HTML report in report/ (boards, models, notebooks)
#   make browser-test  real-browser checks (JupyterLab, the report) in Chromium
#   make lint       ruff check
#   make clean      caches and build leftovers (keeps .venv; `make distclean` too)
#
# Every recipe calls .venv/bin/... explicitly: no activation needed.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# The test steps must run one after the other, even under `make -j`.
.NOTPARALLEL:

# Python 3.11 to build the venv with (python3 is accepted if it is 3.11).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3.11)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input

NB_TIMEOUT ?= 600
# Notebooks run at once by `make notebooks` (they are independent; each has its own kernel).
JOBS ?= 1
# Jupyter refuses to run as root unless told; machines here run as root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
ONLY ?=
# Two workers, a test module (a notebook, for nbval) to one of them; the modules
# that share a costly session fixture go to one worker (tests/conftest.py).
PYTEST_PARALLEL ?= -n 2 --dist loadscope
# The tests and the doctests, without nbval and the figure check (make test: with
# the browser checks); the unit tests: without the browser checks either.
TEST_ARGS := tests glscore --doctest-modules $(PYTEST_PARALLEL) \
	--ignore=tests/test_figures_reproducible.py
UNIT_ARGS := $(TEST_ARGS) --ignore=tests/browser
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	--nbval-cell-timeout=$(NB_TIMEOUT)
NOTEBOOK_FILES := $(wildcard notebooks/*.ipynb)
# Hashes of figures/ taken before anything re-runs a notebook, and where the
# committed figures wait while nbval regenerates them (see `test`).
FIG_BASELINE := $(VENV)/.figures-baseline.json
FIG_BACKUP := $(VENV)/.figures-committed
# The copy of the checkout whose notebooks `make test` has nbval execute, and the
# logs of the steps that run beside the unit tests.
NBVAL_CHECKOUT := $(VENV)/.nbval-checkout
MYPY_LOG := $(VENV)/.mypy.log
NBVAL_LOG := $(VENV)/.nbval.log
NO_BROWSER_NOTE := browser checks: skipped, no chromium on PATH (apt-get install chromium)
comma := ,
# The shared data beside the checkout (glscore.paths.shared_data_dir's default),
# named for the copy, which has none beside it.
SHARED_BESIDE := $(abspath $(CURDIR)/../shared/data)

# Stable outputs for notebook runs and nbval (inherited by the kernels).
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
# OpenBLAS chooses kernels by CPU; a matrix product can then differ in its last
# bit between machines. One kernel on every x86-64 machine (see pipeline.runner).
ifneq ($(filter x86_64 amd64,$(shell uname -m | tr A-Z a-z)),)
export OPENBLAS_CORETYPE := Haswell
endif
# One BLAS thread per process: the tests run two workers on two cores, and
# OpenBLAS's idle threads spin (no result depends on it: written numbers never
# come from an inexact BLAS product, see glscore.analysis.resample).
export OPENBLAS_NUM_THREADS := 1
# Use the platformdirs locations and silence jupyter_core's migration warning.
export JUPYTER_PLATFORM_DIRS := 1
# Cache compiled modules (__pycache__/, git-ignored): every test subprocess and
# notebook kernel would otherwise compile glscore again (~0.1 s cpu each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help venv notebooks test unit nbval nbval-figures figures-check lint typecheck lab \
	bench report browser-test test-pythons clean distclean

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'

# ------------------------------------------------------------------ venv
# The stamp is newer than requirements.txt and pyproject.toml once the venv
# matches them; editing either (or deleting .venv) makes it stale.
venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "$(VENV) is not Python 3.11: recreating it"; rm -rf $(VENV); \
	fi
	@if [ ! -x $(BIN)/python ]; then \
	  command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; run make PYTHON=/path/to/python3.11" >&2; exit 1; }; \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "error: $(PYTHON) is not Python 3.11; run make PYTHON=/path/to/python3.11" >&2; exit 1; }; \
	  echo "creating $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@echo "installing requirements.txt into $(VENV) (pip -q: only problems are printed)"
	$(PIP) install -q --root-user-action=ignore -r requirements.txt
	$(PIP) install -q --root-user-action=ignore --no-deps -e .
	touch $(STAMP)

# ------------------------------------------------------------- notebooks
notebooks: venv
	$(BIN)/glscore run --timeout $(NB_TIMEOUT) --jobs $(JOBS) $(if $(ONLY),--only '$(ONLY)')
	$(BIN)/python -m glscore.pipeline.readme

# ------------------------------------------------------------------ test
# Every check once, both cores busy: ruff; then mypy and nbval run in the
# background while pytest runs the unit tests and the browser checks (when a
# Chromium is on PATH; .ci/run installs one) in one session, so the tests that
# read the paper data's report share one build (tests/conftest.py). nbval
# executes the notebooks of a copy of the checkout (--scratch: figures/ empty,
# the copy's package on PYTHONPATH) and compares every output; the figures
# they write there are then compared byte for byte with the committed ones
# (snapshot taken first), so the notebooks run once and the checkout's
# figures/ is never touched while the unit tests read it.
test: venv
	$(BIN)/ruff check .
	$(BIN)/python tests/test_figures_reproducible.py --snapshot $(FIG_BASELINE)
	$(BIN)/python tests/test_figures_reproducible.py --scratch $(NBVAL_CHECKOUT)
	@echo "mypy and nbval run beside the unit tests: their output follows them"
	@$(BIN)/mypy > $(MYPY_LOG) 2>&1 & mypy=$$!; \
	$(if $(NOTEBOOK_FILES),PYTHONPATH=$(abspath $(NBVAL_CHECKOUT)) \
	  GLSCORE_SHARED_DATA="$${GLSCORE_SHARED_DATA:-$(SHARED_BESIDE)}" $(BIN)/python -m pytest \
	  $(NBVAL_ARGS) -p no:xdist $(addprefix $(NBVAL_CHECKOUT)/,$(NOTEBOOK_FILES)), \
	  echo "nbval: no notebooks in notebooks/$(comma) skipped") > $(NBVAL_LOG) 2>&1 & nbval=$$!; \
	trap 'kill $$mypy $$nbval 2>/dev/null || true' EXIT; \
	failed=""; \
	env -u GLSCORE_REPORT_DIR GLSCORE_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest \
	  $(if $(CHROMIUM),$(TEST_ARGS),$(UNIT_ARGS)) || failed="$$failed unit"; \
	wait $$mypy || failed="$$failed mypy"; \
	echo "--- mypy"; cat $(MYPY_LOG); \
	rc=0; wait $$nbval || rc=$$?; \
	echo "--- nbval (the notebooks of $(NBVAL_CHECKOUT))"; \
	if [ $$rc -eq 0 ]; then tail -n 3 $(NBVAL_LOG); else cat $(NBVAL_LOG); fi; \
	if [ $$rc -eq 5 ]; then echo "nbval: no notebook cells collected"; rc=0; fi; \
	if [ $$rc -ne 0 ]; then failed="$$failed nbval"; \
	elif ! $(BIN)/python tests/test_figures_reproducible.py --compare $(FIG_BASELINE) \
	       --dir $(NBVAL_CHECKOUT)/figures; then failed="$$failed figures"; fi; \
	$(if $(CHROMIUM),,echo "$(NO_BROWSER_NOTE)";) \
	if [ -n "$$failed" ]; then echo "make test: failed:$$failed" >&2; exit 1; fi; \
	rm -rf $(NBVAL_CHECKOUT); echo "make test: every check passed"

unit: venv
	$(BIN)/python -m pytest $(UNIT_ARGS)

# nbval re-executes each notebook and compares with its stored outputs.
# No notebooks (or none collected, pytest exit 5) is not a failure.
nbval: venv
	@if [ -z "$(NOTEBOOK_FILES)" ]; then \
	  echo "nbval: no notebooks in notebooks/, skipped"; \
	else \
	  rc=0; \
	  $(BIN)/python -m pytest $(NBVAL_ARGS) $(PYTEST_PARALLEL) $(NOTEBOOK_FILES) || rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "nbval: no notebook cells collected"; rc=0; fi; \
	  exit $$rc; \
	fi

# nbval's execution must regenerate figures/ byte for byte: the committed
# figures are set aside (so a figure no longer written is missed), nbval runs
# every notebook, and figures/ is compared with the snapshot `test` took first
# (unit tests may have rewritten figures/ since). A failing nbval puts the
# committed figures back; differing figures stay in place for `git diff`.
nbval-figures: venv
	$(if $(FIG_SNAPSHOT_TAKEN),,$(BIN)/python tests/test_figures_reproducible.py --snapshot $(FIG_BASELINE))
	$(BIN)/python tests/test_figures_reproducible.py --set-aside $(FIG_BACKUP)
	$(MAKE) --no-print-directory nbval || { $(BIN)/python tests/test_figures_reproducible.py --restore $(FIG_BACKUP); exit 1; }
	$(BIN)/python tests/test_figures_reproducible.py --compare $(FIG_BASELINE) --backup $(FIG_BACKUP)

# Re-executing the notebooks (papermill, as `make notebooks` does) must
# regenerate figures/ byte for byte: compared with figures/ as it is just
# before the re-run (or the snapshot USE_FIG_BASELINE=1 names).
figures-check: venv
	GLSCORE_FIGURES_BASELINE=$(if $(USE_FIG_BASELINE),$(FIG_BASELINE)) \
	  $(BIN)/python -m pytest tests/test_figures_reproducible.py

# ----------------------------------------------------- other Pythons
# The unit tests (not nbval) under each further supported Python this machine
# has: a venv .venv-X.Y per version from the same pinned requirements.txt
# (rebuilt when requirements.txt or pyproject.toml changes). An interpreter is
# looked for in pyenv's versions, then as pythonX.Y on PATH; a missing one is a
# skip line, not a failure. `make venv` stays on 3.11.
OTHER_PYTHONS ?= 3.12 3.13

test-pythons:
	@failed=""; \
	for version in $(OTHER_PYTHONS); do \
	  py=""; \
	  root=$$(pyenv root 2>/dev/null || true); \
	  if [ -n "$$root" ]; then \
	    py=$$(ls -d "$$root"/versions/$$version.*/bin/python 2>/dev/null | sort -V | tail -n 1 \
	          || true); \
	  fi; \
	  if [ -z "$$py" ] && command -v python$$version >/dev/null 2>&1 \
	     && python$$version -c 'import sys' >/dev/null 2>&1; then \
	    py=$$(command -v python$$version); \
	  fi; \
	  if [ -z "$$py" ]; then \
	    echo "test-pythons: Python $$version skipped: no interpreter (not in pyenv's versions, no working python$$version on PATH)"; \
	    continue; \
	  fi; \
	  venv=.venv-$$version; \
	  if [ ! -f $$venv/.stamp ] || [ requirements.txt -nt $$venv/.stamp ] \
	     || [ pyproject.toml -nt $$venv/.stamp ]; then \
	    echo "test-pythons: building $$venv with $$py from requirements.txt"; \
	    rm -rf $$venv; \
	    if ! { "$$py" -m venv $$venv \
	           && $$venv/bin/python -m pip --disable-pip-version-check --no-input install -q \
	                --root-user-action=ignore -r requirements.txt \
	           && $$venv/bin/python -m pip --disable-pip-version-check --no-input install -q \
	                --root-user-action=ignore --no-deps -e .; }; then \
	      echo "test-pythons: Python $$version: the pinned requirements do not install"; \
	      failed="$$failed $$version"; continue; \
	    fi; \
	    touch $$venv/.stamp; \
	  fi; \
	  echo "test-pythons: unit tests under $$($$venv/bin/python -V)"; \
	  $$venv/bin/python -m pytest $(UNIT_ARGS) || failed="$$failed $$version"; \
	done; \
	if [ -n "$$failed" ]; then echo "test-pythons: failed under Python$$failed"; exit 1; fi

# ------------------------------------------------------------ the rest
lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

# Interactive use: the inline backend (MPLBACKEND unset). Commit notebooks
# via `make notebooks`, not from Lab, so their outputs match nbval's Agg runs.
lab: venv
	$(BIN)/python -m ipykernel install --sys-prefix --name glscore --display-name "glscore (.venv)"
	cd notebooks && env -u MPLBACKEND ../$(BIN)/jupyter lab $(LAB_ARGS)

# The speed ratios (glscore bench; the reference scorer from $$GLSCORE_REFERENCE),
# written to benchmarks/latest.json, and the README's Speed section from it.
bench: venv
	$(BIN)/glscore bench --out benchmarks/latest.json
	$(BIN)/python -m glscore.speed.report

# Real-browser checks (tests/browser): JupyterLab runs notebooks 00 and 04,
# and the report built above is clicked through, in the system Chromium driven
# by Playwright (never a downloaded browser); screenshots in screenshots/.
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)
browser-test: venv report
	@[ -n "$(CHROMIUM)" ] || { echo "error: no chromium on PATH (apt-get install chromium)" >&2; exit 1; }
	GLSCORE_CHROMIUM=$(CHROMIUM) GLSCORE_REPORT_DIR=$(abspath $(REPORT_DIR)) \
	  $(BIN)/python -m pytest tests/browser

# The static report (not committed): every board of Scopes A-D, one page per
# model, every executed notebook; offline and byte-for-byte deterministic.
REPORT_DIR ?= report
report: venv
	$(BIN)/glscore report --out $(REPORT_DIR)

clean:
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -print0 \
	  | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache .mypy_cache .hypothesis build dist *.egg-info $(FIG_BASELINE) \
	  $(FIG_BACKUP) report screenshots

distclean: clean
	rm -rf $(VENV) .venv-3.*
