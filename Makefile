# Two commands for a fresh machine with Python 3.11+ and make:  make run  /  make test
# Everything is installed from PyPI into local folders: .tools (uv), .venv (the project,
# from uv.lock) and .venv-checkov (checkov pins old boto3/packaging, so it lives apart).

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BYSIDE := $(VENV)/bin/byside
CHECKOV_VENV := .venv-checkov
PACK_VENV := policies/venv
BUILD := build
KEYS := $(BUILD)/keys
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run test bench schema pack clean checkov-env

help:
	@echo "make run    - set up, then validate + show the zones, preview every zone (+ conformance), review the sample DC access, plan a sample"
	@echo "              maintenance notice, run the gate, sign the sample reviews with a throwaway key and build the evidence pack (offline)"
	@echo "make test   - set up, then run the whole test suite"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md"
	@echo "make schema - regenerate zones/schema.json"
	@echo "make pack   - regenerate the policy pack's generated files (zone facts, requirements.txt, ...)"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --compile-bytecode  # bytecode now: every process would compile the SDKs again
	@# ... and this project's own modules (PYTHONDONTWRITEBYTECODE keeps Python from writing them later):
	@# ~0.15 s of every gate run otherwise, its CLI and each stack's pack process compiling byside/ and policies/.
	$(VENV)/bin/python -m compileall -q -j0 -x '/(venv|\.venv[^/]*)/' byside policies zones infra audits
	@touch $@

# The Pulumi CLI runs the program and the policy pack through uv (Pulumi.yaml, policies/PulumiPolicy.yaml:
# toolchain uv) and looks for `uv` on PATH. `. .tools/env` puts a folder holding only this uv first on
# PATH (not .tools/bin, whose python and pip would shadow the system ones) - docs/preview.md.
$(TOOLS)/env: $(UV)
	@mkdir -p $(TOOLS)/path && ln -sf ../bin/uv $(TOOLS)/path/uv
	@printf '# Source it (. .tools/env) before pulumi commands: the uv that make setup installed, on PATH.\nexport PATH="%s:$$PATH"\n' \
	  "$(abspath $(TOOLS))/path" > $@.tmp && mv $@.tmp $@

# The policy pack's own environment (policies/PulumiPolicy.yaml: toolchain pip, virtualenv venv),
# from its requirements.txt alone - as the CLI builds it for a published pack.
$(PACK_VENV)/.synced: $(UV) policies/requirements.txt
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(PACK_VENV)
	$(UV) pip sync --quiet --compile-bytecode --python $(PACK_VENV)/bin/python policies/requirements.txt
	@touch $@

setup: $(VENV)/.synced $(TOOLS)/env $(PACK_VENV)/.synced

$(CHECKOV_VENV)/.synced: $(UV) requirements/checkov.lock.txt
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(CHECKOV_VENV)
	VIRTUAL_ENV=$(abspath $(CHECKOV_VENV)) $(UV) pip sync --quiet --compile-bytecode requirements/checkov.lock.txt
	@touch $@

checkov-env: $(CHECKOV_VENV)/.synced

run: setup checkov-env
	$(BYSIDE) zones validate
	$(BYSIDE) zones show
	$(BYSIDE) preview --zone all --out-dir $(BUILD)/preview
	$(BYSIDE) conformance
	$(BYSIDE) audit dc-access --dc dc-lis --year 2025 --authorized audits/examples/dc-lis/authorized.csv \
	  --events audits/examples/dc-lis/events.csv --roster audits/examples/dc-lis/roster.csv \
	  --previous audits/examples/dc-lis/previous-review.json --out $(BUILD)/audit/dc-lis
	$(BYSIDE) audit dc-access --dc dc-mad --year 2025 --authorized audits/examples/dc-mad/authorized.csv \
	  --events audits/examples/dc-mad/events.csv --roster audits/examples/dc-mad/roster.csv --out $(BUILD)/audit/dc-mad
	$(BYSIDE) maintenance plan --zone we1 --start '2026-06-12 01:00' --duration 2h --today 2026-06-08 \
	  --out-dir $(BUILD)/maintenance
	$(BYSIDE) check
	@# The annual review closed: the sample decisions signed with a throwaway SSH key made in build/keys
	@# (never committed), each signed folder verified, then the auditor's evidence pack. The pack lists
	@# the cloud access review as missing offline (it needs an AWS account): exit 1 is expected here.
	@mkdir -p $(KEYS)
	@test -f $(KEYS)/reviewer || ssh-keygen -q -t ed25519 -N '' -C "make run throwaway key" -f $(KEYS)/reviewer
	@printf 'reviewer@byside.example namespaces="byside-review" %s\n' "$$(cut -d' ' -f1,2 $(KEYS)/reviewer.pub)" \
	  > $(KEYS)/allowed_signers
	for dc in dc-lis dc-mad; do \
	  $(BYSIDE) audit dc-access sign $(BUILD)/audit/$$dc --decisions audits/examples/$$dc/decisions.csv \
	    --reviewer "Head of Security" --date 2026-01-20 --key $(KEYS)/reviewer --out $(BUILD)/signed/$$dc && \
	  $(BYSIDE) audit dc-access verify $(BUILD)/signed/$$dc --allowed-signers $(KEYS)/allowed_signers || exit 1; \
	done
	$(BYSIDE) evidence --year 2025 --search $(BUILD)/signed --allowed-signers $(KEYS)/allowed_signers \
	  --out $(BUILD)/evidence || [ $$? -eq 1 ]

test: setup checkov-env
	$(VENV)/bin/python -m pytest -q

bench: setup checkov-env
	$(VENV)/bin/python -m bench.run

schema: setup
	$(BYSIDE) zones schema > zones/schema.json

# The pack's generated files (zone facts, window code, taggable types, requirements.txt): after a
# change to zones/, a provider upgrade or a new lock (tests fail while they are stale).
pack: setup
	$(VENV)/bin/python -m byside.pack_build

clean:
	rm -rf $(BUILD) .pytest_cache .hypothesis
