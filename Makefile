# Every target does its own set-up, so a fresh clone needs only `make run` or `make test`.
# The project's Python: the first of these that is 3.11 or later (override with PYTHON=...). It is
# looked up once, and only when a recipe needs it.
PYTHON_CANDIDATES := python3 python3.13 python3.12 python3.11
ifeq ($(origin PYTHON),undefined)
PYTHON = $(eval PYTHON := $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(p)))))$(PYTHON)
endif
NO_PYTHON := No Python 3.11 or later found (tried $(PYTHON_CANDIDATES)). Install one (Debian/Ubuntu: apt-get install python3) or run make PYTHON=/path/to/python3.11+
# The browser bundle's Python (3.13, Pyodide's own) is found by tutor/toolchain.py, which honours
# PYODIDE_PYTHON when it is set; see the README's "Stock machines".
export PYODIDE_PYTHON
VENV := .venv
BIN := $(VENV)/bin
PYODIDE_VENV := .venv-pyodide
FLASK := $(BIN)/flask --app app

.PHONY: run test check bench bench-tools cjk-font screenshot system-deps setup assets bundle translations clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) tutor build-lessons
	$(FLASK) tutor compress-static
	$(FLASK) tutor draw-posters
	$(FLASK) tutor seed-demo-course
	$(BIN)/honcho start -f Procfile

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup --durations=25

check: setup
	$(FLASK) tutor check-lessons

bench: setup bench-tools cjk-font
	$(BIN)/python -m bench
	$(BIN)/python bench/lesson_weight.py
	$(BIN)/python bench/lighthouse_scores.py --runs 3
	$(BIN)/python bench/slow_first_visit.py --runs 2 --compare
	$(BIN)/python -m bench.lab_session --students 1000 --spread 180
	$(BIN)/python -m bench.budgets

# Lighthouse for `make bench` only (never for `make run`): npm ci checks every package against
# bench/lighthouse/package-lock.json's integrity hashes.
bench-tools: bench/lighthouse/node_modules/.package-lock.json

bench/lighthouse/node_modules/.package-lock.json: bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --ignore-scripts

# The server's instance folder (secret key, caches, lesson builds) is made here, by the user who
# sets the checkout up, so a server or test started as another user finds it.
setup: system-deps $(VENV)/.installed assets bundle translations
	mkdir -p instance

# Debian packages: Chromium for browser tests and the animations' posters, bubblewrap for the
# grading sandbox, Node.js and npm to fetch the pinned front-end assets and to run Pyodide in the
# parity test, and python3.X-venv when the chosen Python has no ensurepip (Debian and Ubuntu split
# it out). Only for `make test` and `make bench` (TEST_SERVERS): PostgreSQL and Redis, whose
# servers the storage and reliability tests start on 127.0.0.1 (tests/servers.py), and wrk for
# the throughput ratios (bench/budgets.py) — `make run` does not install database servers that
# would start as system services and that the site, on SQLite, never uses.
# Ubuntu's only Chromium package installs the snap, which Playwright cannot drive: there
# tutor.chromium prints what to do instead of failing later.
test bench: TEST_SERVERS := yes
system-deps:
	@test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }
	@missing=""; \
	if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null \
	  && ! grep -qs '^ID=ubuntu' /etc/os-release; then missing="$$missing chromium"; fi; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$(TEST_SERVERS)" ]; then \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
	    || missing="$$missing postgresql"; \
	  command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	  command -v wrk >/dev/null || missing="$$missing wrk"; \
	fi; \
	if [ ! -x $(BIN)/python ] && ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	  missing="$$missing $$($(PYTHON) -c 'import sys; print("python3.%d-venv" % sys.version_info[1])')"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y $$missing; \
	fi
	@$(PYTHON) -m tutor.chromium

# An existing venv keeps its own Python: `venv` over it with another version would mix the two.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || { test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }; \
	  echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q -e . --group dev
	touch $@

assets: $(VENV)/.installed
	$(BIN)/python -m tutor.assets

# UI strings: the .po files are committed, the .mo files are built here (see docs/authoring.md).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d tutor/web/translations

# Finds (or gets) a Python 3.13 for pyodide-build in $(PYODIDE_VENV); without one it still builds
# a working, source-only bundle and says what that costs (tutor/bundle.py, tutor/toolchain.py).
bundle: $(VENV)/.installed assets
	$(BIN)/python -m tutor.bundle $(PYODIDE_VENV)

clean:
	rm -rf $(VENV) $(PYODIDE_VENV) static/vendor build/tools bench/lighthouse/node_modules instance

# Chinese pages drawn here need a CJK font, as a Chinese reader's phone has one: for the
# screenshot's glyphs, and for Lighthouse's Chinese figures (without one, every Han character
# goes through font fallback and the page is measured with missing glyphs).
cjk-font:
	@fc-list :lang=zh | grep -q . || { sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y fonts-noto-cjk; }

screenshot: setup cjk-font
	$(BIN)/python docs/screenshot.py
