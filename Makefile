# Shopkeeper developer commands. `make help` lists them.
.PHONY: help install demo test test-pg lint bench migration

PG_URL ?= postgresql+psycopg://root@127.0.0.1:5432/test

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install:  ## install Shopkeeper with its development tools
	pip install -e ".[dev]"

demo:  ## run the whole product on http://127.0.0.1:8000 (SQLite, demo catalog)
	shopkeeper demo

test:  ## the CI run: lint + the whole suite on SQLite and PostgreSQL
	bash .ci/run

test-fast:  ## the suite on SQLite only, no lint
	python -m pytest -q

test-pg:  ## integration and end-to-end tests on PostgreSQL
	SHOPKEEPER_TEST_DATABASE_URL=$(PG_URL) python -m pytest -q -m "not browser" tests/integration tests/e2e

lint:  ## ruff, mypy and the import contracts
	ruff check src tests benchmarks && mypy && lint-imports

bench:  ## every benchmark (prints figures; never asserted)
	python benchmarks/run_all.py

migration:  ## cut a new Alembic migration from the models: make migration m="add x"
	python -m shopkeeper.migrations_cli "$(m)"
