# Two commands on a fresh Debian 12 machine (see README): `make run` and `make test`.
# Both install what they need themselves (scripts/bootstrap.sh) and are quick on the second run.
.DEFAULT_GOAL := help
SHELL := /bin/bash
ARGS ?=

.PHONY: help bootstrap run test test-fast test-browser check-deploy smoke ci clean

help:
	@echo "make run            set up and run the portal with demo data (web server + task worker)"
	@echo "make test           run the whole test suite (ARGS='tests/portal -k name' for a subset)"
	@echo "make test-fast      the suite without the browser tests"
	@echo "make test-browser   only the browser tests (Debian's chromium through Playwright)"
	@echo "make check-deploy   manage.py check --deploy with production-like settings"
	@echo "make smoke          start make run on a free port, log in with curl, stop it (scripts/smoke_run.sh)"
	@echo "make ci             what CI runs (.ci/run): the suite on PostgreSQL and on SQLite, checks"
	@echo "make bootstrap      only install Debian packages (as root) and the virtualenv"

bootstrap:
	@scripts/bootstrap.sh

run:
	@scripts/run.sh

test:
	@scripts/test.sh $(ARGS)

test-fast:
	@scripts/test.sh -m "not browser" $(ARGS)

test-browser:
	@scripts/test.sh -m browser $(ARGS)

check-deploy: bootstrap
	@scripts/check_deploy.sh

smoke:
	@scripts/smoke_run.sh

ci:
	@bash .ci/run

clean:
	rm -rf test-artifacts .pytest_cache var/staticfiles
