# The two commands: `make` (set up, install, build every quarter) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
SYSDEPS := $(VENV)/.system-deps
INPUTS  ?= inputs
OUTPUTS ?= outputs
STAMP   := $(OUTPUTS)/.built
# `make REISSUE=1` starts the next major version; `make release BY=name` releases the newest.
REISSUE ?=
BY      ?= $(USER)

.PHONY: all build test check install templates release bench fuzz clean-venv accept-golden accept-templates

all: build

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# What the PDF needs from the system: an Arial-metric font and fast font subsetting.
$(SYSDEPS): tools/system-deps.sh
	@sh tools/system-deps.sh
	@mkdir -p $(VENV) && touch $@

install: $(READY) $(SYSDEPS)

# Rebuild only when an input, a template or the code is newer than the last build.
build: install
	@if [ ! -f $(STAMP) ] || [ -n "$$(find $(INPUTS) templates assemble pyproject.toml -newer $(STAMP) ! -path "*/__pycache__*" -print -quit)" ]; then \
		$(BIN)/assemble all $(INPUTS) --outputs $(OUTPUTS) $(if $(REISSUE),--reissue) && touch $(STAMP); \
	else echo "up to date: nothing changed since the last build"; fi

# Blank submission templates per area for QUARTER (e.g. make templates QUARTER=2020-21-Q3).
QUARTER ?= 2020-21-Q3
templates: install
	$(BIN)/assemble templates $(INPUTS)/$(QUARTER) --outputs $(OUTPUTS)

release: install
	@for q in $(INPUTS)/*/; do $(BIN)/assemble release "$$q" --outputs $(OUTPUTS) $(if $(BY),--by "$(BY)") || exit 1; done

check: install
	@for q in $(INPUTS)/*/; do $(BIN)/assemble check "$$q" || exit 1; done

test: install
	$(BIN)/python -m pytest

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

# Record each template's hash after raising its version in templates/versions.toml.
accept-templates: install
	$(BIN)/python tools/accept_golden.py --templates
	git diff --stat tests/golden
