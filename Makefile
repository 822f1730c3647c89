# Two commands: `make app` starts the app, `make test` runs the tests.
# Both set up everything first (virtual environment, pinned packages, pose models).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app test lint setup models browser postgres bench bench-estimator bench-setup mirror

app: setup mirror
	$(BIN)/streamlit run app.py

test: setup mirror browser postgres lint
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
# (`ip`) for the no-outbound test's network namespace, poppler-utils (`pdftotext`) for reading
# the PDFs back (Debian packages). Without root the tests that need them skip.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v ffmpeg >/dev/null 2>&1 \
	    || ! command -v ip >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium ffmpeg iproute2 poppler-utils >/dev/null; \
	  else echo "chromium, ffmpeg, ip or pdftotext missing and not root: the tests that need them will be skipped"; fi; fi

# PostgreSQL's server programs (Debian package postgresql: initdb, pg_ctl) for the records tests'
# second engine; the tests start a throwaway cluster of their own in a temp folder on a free local
# port and stop it. Without them (and without root) the PostgreSQL runs of the records tests skip.
postgres:
	@if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL missing and not root: the records tests run on SQLite only"; fi; fi

# Benchmark-only packages (requirements-bench.txt: the body model anny and a CPU PyTorch), into
# the same virtual environment. The app and `make test` never need them.
BENCH_STAMP := $(VENV)/.bench-installed

bench-setup: $(BENCH_STAMP)

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $(BENCH_STAMP)

# Every benchmark; the estimator's part generates its test sets from fixed seeds into
# $POSTURE_BENCH_DATA (else benchmarks/data, git-ignored) the first time only.
bench: setup bench-setup mirror browser
	PYTHONPATH=. $(BIN)/python -m benchmarks.run

# Only the estimator's report: held-out bodies (seed 909), the single-mesh set, real photos, real clip.
bench-estimator: setup bench-setup
	PYTHONPATH=. $(BIN)/python -m benchmarks.fit.bench $(BENCH_ARGS)

# The live mirror's browser side (webapp/mirror): the pose landmarker's WebAssembly runtime
# from npm (exact versions in package-lock.json) and the lite model, copied beside the
# component's own files into webapp/mirror/build, which the app serves itself.
MIRROR := webapp/mirror
TASKS_VISION := $(MIRROR)/node_modules/@mediapipe/tasks-vision
MIRROR_STAMP := $(MIRROR)/build/.built

mirror: $(MIRROR_STAMP)

$(MIRROR_STAMP): $(MIRROR)/package.json $(MIRROR)/package-lock.json $(wildcard $(MIRROR)/src/*) models/SHA256SUMS | models
	cd $(MIRROR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf $(MIRROR)/build
	mkdir -p $(MIRROR)/build/wasm
	cp $(MIRROR)/src/* $(MIRROR)/build/
	cp $(TASKS_VISION)/vision_bundle.js $(MIRROR)/build/
	cp $(TASKS_VISION)/wasm/vision_wasm_internal.js $(TASKS_VISION)/wasm/vision_wasm_internal.wasm \
	   $(TASKS_VISION)/wasm/vision_wasm_nosimd_internal.js $(TASKS_VISION)/wasm/vision_wasm_nosimd_internal.wasm \
	   $(MIRROR)/build/wasm/
	cp models/pose_landmarker_lite.task $(MIRROR)/build/
	touch $@
