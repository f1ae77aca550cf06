# Every target does its own set-up, so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3.11
# pyodide py-compile needs the host Python's minor version to equal Pyodide's (3.13 for 0.29.x).
PYODIDE_PYTHON ?= $(firstword $(foreach p,python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13),$(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && echo $(p))))
VENV := .venv
BIN := $(VENV)/bin
PYODIDE_VENV := .venv-pyodide
FLASK := $(BIN)/flask --app app

.PHONY: run test check bench screenshot system-deps setup assets bundle translations clean

run: setup
	$(FLASK) tutor init-db
	-$(FLASK) tutor regrade-pending
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

check: setup
	$(FLASK) tutor check-lessons

bench: setup
	$(BIN)/python -m bench

setup: system-deps $(VENV)/.installed assets bundle translations

# Debian packages: Chromium for browser tests, bubblewrap for the grading sandbox, Node.js and
# npm to fetch the pinned front-end assets and to run Pyodide in the parity test.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=25.1"
	$(BIN)/pip install -q -e . --group dev
	touch $@

$(PYODIDE_VENV)/.installed:
	@test -n "$(PYODIDE_PYTHON)" || { echo 'Python 3.13 is needed to build the Pyodide bundle (set PYODIDE_PYTHON)'; exit 1; }
	$(PYODIDE_PYTHON) -m venv $(PYODIDE_VENV)
	$(PYODIDE_VENV)/bin/pip install -q "pyodide-build==0.39.*" pkginfo build
	touch $@

assets: $(VENV)/.installed
	$(BIN)/python -m tutor.assets

# UI strings: the .po files are committed, the .mo files are built here (see docs/authoring.md).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d tutor/web/translations

bundle: $(VENV)/.installed $(PYODIDE_VENV)/.installed assets
	$(BIN)/python -m tutor.bundle $(PYODIDE_VENV)

clean:
	rm -rf $(VENV) $(PYODIDE_VENV) static/vendor instance

# Chinese glyphs in the picture need a CJK font (learners' own browsers bring theirs).
screenshot: setup
	@fc-list :lang=zh | grep -q . || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk; }
	$(BIN)/python docs/screenshot.py
