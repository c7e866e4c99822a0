# Thin wrappers: the scripts are the source of truth (README: ./scripts/run, ./scripts/test).
.PHONY: run test lint bench

run:
	./scripts/run

test:
	./scripts/test

lint:
	./scripts/test lint

# Needs the local PostgreSQL (and Redis): `scripts/test --prepare` starts them when down.
bench:
	./scripts/test --prepare
	.venv/bin/python bench/auth_bench.py
