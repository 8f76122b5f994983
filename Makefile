# The two commands: `make` (set up, install, build every quarter that changed) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
TESTPY := $(VENV)/.test-installed
SYSDEPS := $(VENV)/.system-deps
TESTDEPS := $(VENV)/.test-deps
# Every Python package at the version and hashes the lock pins (make lock writes them): what the build
# needs, and with the test tools.
LOCK     := requirements/build.txt
TESTLOCK := requirements/test.txt
UV       := $(VENV)/lock-tools/bin/uv
UV_VERSION := 0.13.10
LOCKED   = $(UV) pip compile pyproject.toml requirements/tools.in --universal --python-version 3.11 \
           --generate-hashes --quiet
AXE     := node_modules/axe-core/axe.min.js
INPUTS  ?= inputs
OUTPUTS ?= outputs
# QUARTER=2020-21-Q3 picks one quarter; without it `make` builds every quarter that changed, and
# check, status, release and watch act on the newest quarter folder.
QUARTER ?=
# `make REISSUE=1 QUARTER=...` starts that quarter's next major version; `make release BY=name` says who released.
REISSUE ?=
BY      ?= $(USER)
NEWEST   = $(shell ls -d $(INPUTS)/[0-9][0-9][0-9][0-9]-[0-9][0-9]-Q[1-4] 2>/dev/null | sort | tail -n 1)
ONE      = $(if $(QUARTER),$(INPUTS)/$(QUARTER),$(NEWEST))
NEED_ONE = $(if $(ONE),,echo "no quarter folder in $(INPUTS)/: make one, e.g. make templates QUARTER=2020-21-Q3" >&2; exit 2;)

.PHONY: all build test check status feedback install templates release watch preview bench fuzz clean-venv accept-golden lock

all: build

# The locked packages exactly (--require-hashes: nothing else, nothing newer), then assemble itself, built
# with the locked setuptools. editable_mode=compat: the package found by a plain path in a .pth file, not an
# import hook (~20 ms of every Python start here, a no-op make's included).
$(READY): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq --require-hashes --no-deps -r $(LOCK)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq --no-deps --no-build-isolation -e . \
		--config-settings editable_mode=compat
	@touch $@

# The test tools, as the lock pins them (make test; make alone never installs them).
$(TESTPY): $(TESTLOCK) $(READY)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq --require-hashes --no-deps -r $(TESTLOCK)
	@touch $@

# Update the lock deliberately, from pyproject.toml's requirements (and requirements/tools.in: pip and
# setuptools), for every platform and Python 3.11 and newer; review the diff, then commit it.
lock:
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV)/lock-tools && $(VENV)/lock-tools/bin/pip install -qq uv==$(UV_VERSION); }
	$(LOCKED) -o $(LOCK)
	$(LOCKED) --extra test -o $(TESTLOCK)
	git diff --stat -- $(LOCK) $(TESTLOCK)

# What the PDF needs from the system: an Arial-metric font, fast font subsetting, a fallback font.
$(SYSDEPS): tools/system-deps.sh
	@sh tools/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# What the tests need besides: LibreOffice Writer, Chromium and its driver, Node.js (tools/system-deps.sh
# --test), and axe-core from npm, as package-lock.json pins it.
$(TESTDEPS): tools/system-deps.sh
	@sh tools/system-deps.sh --test
	@mkdir -p $(VENV) && touch $@

$(AXE): package.json package-lock.json $(TESTDEPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(READY) $(SYSDEPS)

# Build every quarter whose returns or templates changed, judged by content (hashes), not file times;
# a line for each quarter left as it was. A released quarter whose returns did not change is never rebuilt.
build: install
	@$(BIN)/assemble all $(INPUTS) --outputs $(OUTPUTS) $(if $(QUARTER),--quarter $(QUARTER)) $(if $(REISSUE),--reissue)

# Each area's return for QUARTER (pre-filled from the quarter before), and the quarter's folder.
templates: install
	@test -n "$(QUARTER)" || { echo "say which quarter: make templates QUARTER=2020-21-Q3" >&2; exit 2; }
	@$(BIN)/assemble templates $(INPUTS)/$(QUARTER) --outputs $(OUTPUTS)

check: install
	@$(NEED_ONE) $(BIN)/assemble check $(ONE) --outputs $(OUTPUTS)

status: install
	@$(NEED_ONE) $(BIN)/assemble status $(ONE) --outputs $(OUTPUTS)

# For each return with a problem, a copy with each problem as a comment or note where it stands, and a
# text for each area's reply, into outputs/QUARTER/feedback/ (every build writes them too).
feedback: install
	@$(NEED_ONE) $(BIN)/assemble feedback $(ONE) --outputs $(OUTPUTS)

release: install
	@$(NEED_ONE) $(BIN)/assemble release $(ONE) --outputs $(OUTPUTS) $(if $(BY),--by "$(BY)")

watch: install
	@$(NEED_ONE) $(BIN)/assemble watch $(ONE) --outputs $(OUTPUTS)

# The quarter rendered with the current templates into outputs/QUARTER/preview/, marked PREVIEW: no version.
preview: install
	@$(NEED_ONE) $(BIN)/assemble preview $(ONE) --outputs $(OUTPUTS)

# Style and types first (ruff with its complexity ceiling; mypy, strict on assemble/, checking the tests' bodies
# too): either failing fails the tests.
test: install $(TESTPY) $(TESTDEPS) $(AXE)
	$(BIN)/ruff check assemble tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

# Medians of whole-process runs; writes bench/results.md. Not part of `make test`.
bench: install $(TESTPY)
	$(BIN)/python tools/bench.py

# Fuzz the readers for FUZZ_SECONDS (default 600), seeded with the sample. Not part of `make test`.
FUZZ_SECONDS ?= 600
fuzz: install $(TESTPY)
	$(BIN)/python tools/fuzz.py --seconds $(FUZZ_SECONDS)

clean-venv:
	rm -rf $(VENV)

# Rewrite the goldens from the sample: the merged outline and the Word document's parts
# (tests/golden/docx/, normalised XML); review the diff before committing them.
accept-golden: install $(TESTPY)
	$(BIN)/python tools/accept_golden.py --inputs $(INPUTS)
	git diff --stat tests/golden; git status --short tests/golden

