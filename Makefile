# The two commands: `make` (set up, install, build every quarter that changed) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
SYSDEPS := $(VENV)/.system-deps
TESTDEPS := $(VENV)/.test-deps
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

.PHONY: all build test check status install templates release watch preview bench fuzz clean-venv accept-golden

all: build

# editable_mode=compat: the package found by a plain path in a .pth file, not an import hook (~20 ms
# of every Python start here, a no-op make's included).
$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq -e '.[test]' --config-settings editable_mode=compat
	@touch $@

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

release: install
	@$(NEED_ONE) $(BIN)/assemble release $(ONE) --outputs $(OUTPUTS) $(if $(BY),--by "$(BY)")

watch: install
	@$(NEED_ONE) $(BIN)/assemble watch $(ONE) --outputs $(OUTPUTS)

# The quarter rendered with the current templates into outputs/QUARTER/preview/, marked PREVIEW: no version.
preview: install
	@$(NEED_ONE) $(BIN)/assemble preview $(ONE) --outputs $(OUTPUTS)

# Style and types first (ruff, mypy strict on assemble/): either failing fails the tests.
test: install $(TESTDEPS) $(AXE)
	$(BIN)/ruff check assemble tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

# Medians of whole-process runs; writes bench/results.md. Not part of `make test`.
bench: install
	$(BIN)/python tools/bench.py

# Fuzz the readers for FUZZ_SECONDS (default 600), seeded with the sample. Not part of `make test`.
FUZZ_SECONDS ?= 600
fuzz: install
	$(BIN)/python tools/fuzz.py --seconds $(FUZZ_SECONDS)

clean-venv:
	rm -rf $(VENV)

# Rewrite the goldens from the sample: the merged outline and the Word document's parts
# (tests/golden/docx/, normalised XML); review the diff before committing them.
accept-golden: install
	$(BIN)/python tools/accept_golden.py --inputs $(INPUTS)
	git diff --stat tests/golden; git status --short tests/golden

