# The two commands of the README, plus lint. PYTHON must be an interpreter that imports Odoo 18.0.
PYTHON ?= python3
PORT ?= 8069
export PORT

.PHONY: run test lint deps i18n pytest pg-start pg-stop clean

run:  ## Odoo with the addon and demo data on a private PostgreSQL, at http://localhost:$(PORT)
	@$(PYTHON) scripts/dev.py run

test:  ## fresh database, install the addon, run all its tests
	@$(PYTHON) scripts/dev.py test

lint:  ## pre-commit: ruff, pylint-odoo and friends
	@$(PYTHON) -m pre_commit --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet -r requirements-dev.txt
	@$(PYTHON) -m pre_commit run --all-files --show-diff-on-failure

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
