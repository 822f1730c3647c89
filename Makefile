# Two commands: `make app` starts the app, `make test` runs the tests.
# Both set up everything first (virtual environment, pinned packages, pose models).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app test lint setup models browser bench

app: setup
	$(BIN)/streamlit run app.py

test: setup browser lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Code style and the import contract ([tool.ruff], [tool.importlinter] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

setup: $(STAMP) models

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

models: $(STAMP)
	$(BIN)/python models/provide.py

# Headless Chromium for the browser tests, ffmpeg for the webcam test's real clip and iproute2
# (`ip`) for the no-outbound test's network namespace (Debian packages). Without root the tests
# that need them skip.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v ffmpeg >/dev/null 2>&1 \
	    || ! command -v ip >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium ffmpeg iproute2 >/dev/null; \
	  else echo "chromium, ffmpeg or ip missing and not root: the tests that need them will be skipped"; fi; fi

bench: setup
	PYTHONPATH=. $(BIN)/python -m benchmarks.run
