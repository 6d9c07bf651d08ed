# The two commands of the README, plus lint. PYTHON must be an interpreter that imports Odoo 18.0.
PYTHON ?= python3
PORT ?= 8069
export PORT

.PHONY: run test lint deps i18n pytest pg-start pg-stop clean upgrade-check

run:  ## Odoo with the addon and demo data on a private PostgreSQL, at http://localhost:$(PORT)
	@$(PYTHON) scripts/dev.py run

test:  ## fresh database, install the addon, run all its tests
	@$(PYTHON) scripts/dev.py test

# The hooks call ruff, pylint and the OCA checks by name: they must be the ones installed
# into $(PYTHON), found in its scripts folder (a venv's bin, pyenv's version bin, ~/.local/bin
# for pip --user) even when that folder is not on the caller's PATH.
LINT_PATH = $(shell $(PYTHON) -c 'import os, sysconfig; print(os.pathsep.join(dict.fromkeys([sysconfig.get_path("scripts"), sysconfig.get_path("scripts", os.name + "_user")])))')

lint:  ## pre-commit: OCA's module and PO checks, ruff, pylint-odoo (mandatory and optional)
	@$(PYTHON) -c "import pre_commit, ruff, pylint_odoo, oca_pre_commit_hooks" 2>/dev/null \
		|| $(PYTHON) -m pip install --quiet -r requirements-dev.txt
	@PATH="$(LINT_PATH)$(if $(LINT_PATH),:)$$PATH" $(PYTHON) -m pre_commit run --all-files --show-diff-on-failure

upgrade-check:  ## install BASE (default def2be9) with demo data, upgrade to this tree, compare the data
	@$(PYTHON) scripts/upgrade_check.py $(if $(BASE),--base $(BASE))

deps:
	@$(PYTHON) scripts/dev.py deps

pg-start:
	@$(PYTHON) scripts/dev.py pg start

pg-stop:
	@$(PYTHON) scripts/dev.py pg stop

clean:  ## stop and remove the private cluster and the demo filestore
	-@$(PYTHON) scripts/dev.py pg stop
	rm -rf .local

i18n:  ## export the .pot and merge new terms into i18n/nl.po
	@$(PYTHON) scripts/dev.py i18n

pytest:  ## pytest-odoo on an installed database (DB=vp_demo by default): the tests without HttpCase
	@$(PYTHON) scripts/dev.py pytest

# ------------------------------------------------------- benchmarks, load, faults, fuzzing
.PHONY: bench bench-compare load faults fuzz

bench:  ## every bench/bench_*.py, one table of figures against their targets
	@$(PYTHON) bench/run_all.py

bench-compare:  ## the bench on REV (temporary worktree) and on this tree, one table (ONLY=booking,report)
	@test -n "$(REV)" || { echo "usage: make bench-compare REV=<commit> [ONLY=booking]"; exit 2; }
	@$(PYTHON) bench/compare.py $(REV) $(if $(ONLY),--only $(ONLY))

load:  ## 50 employees + 5 counsellors against Odoo with 2 workers (LOAD_SECONDS=120, LOAD_THINK=1)
	@$(PYTHON) bench/load.py --seconds $(or $(LOAD_SECONDS),120) --think $(or $(LOAD_THINK),1)

faults:  ## kill Odoo / restart PostgreSQL mid-work; PASS/FAIL table
	@$(PYTHON) bench/faults.py

fuzz:  ## hypothesis fuzzing of the addon's routes and RPC methods (EXAMPLES=200)
	@$(PYTHON) -c "import hypothesis" 2>/dev/null || $(PYTHON) -m pip install --quiet -r requirements-dev.txt
	@$(PYTHON) bench/fuzz_routes.py --examples $(or $(EXAMPLES),200)
