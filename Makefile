# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv from uv.lock when it is missing or stale (uv itself is bootstrapped
# into .tools/ from PyPI when it is not on PATH). Nothing here downloads a Python.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
RUN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint bench wheelhouse clean venv native

venv: $(VENV)/.synced

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"
	touch $@

# The compiled matcher: screening's hot modules through mypyc into
# src/interdiction/screening/_native/ (about a minute; a no-op while it is current). Without
# a C compiler screening runs as Python, with the same results, slower.
native: $(VENV)/.synced
	$(RUN)/python -m interdiction.screening.native_build || true

demo: native
	$(RUN)/python -m interdiction.demo

test: native
	$(RUN)/python -m pytest -q

lint: $(VENV)/.synced
	$(RUN)/ruff check src tests benchmarks
	$(RUN)/ruff format --check src tests benchmarks
	$(RUN)/mypy

bench: native
	$(RUN)/python -m benchmarks.run

# Every wheel needed to install interdiction on an air-gapped machine:
#   pip install --no-index --find-links wheelhouse interdiction
# With the compiled matcher built, interdiction's wheel carries it (hatch_build.py) and is
# tagged for this Python and platform.
wheelhouse: native
	rm -rf wheelhouse && mkdir -p wheelhouse
	$(UV) export --frozen --no-default-groups --no-emit-project --format requirements-txt > wheelhouse/requirements.txt
	$(RUN)/python -m pip --version >/dev/null 2>&1 || $(UV) pip install --python $(RUN)/python pip
	# pip wheel takes published wheels and builds the rest here (PyICU has no wheel on PyPI:
	# it is compiled against this machine's ICU, so build the wheelhouse on the target's OS).
	$(RUN)/python -m pip wheel --wheel-dir wheelhouse -r wheelhouse/requirements.txt
	$(UV) build --wheel --out-dir wheelhouse

clean:
	rm -rf $(VENV) .tools dist build wheelhouse .pytest_cache .mypy_cache .ruff_cache
	rm -rf src/interdiction/screening/_native src/interdiction/screening/_native.*
