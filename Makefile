# Every target sets itself up: a fresh clone needs nothing but python3 and make.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f 2>/dev/null) \
	dbt_project/dbt_project.yml dbt_project/profiles.yml

export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: install postgres-server chromium run report test dev lint format sample erase clean bench

$(INSTALLED): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $@

# Deployed code and `make run` read this manifest; `dagster dev` rebuilds it on reload.
$(MANIFEST): $(INSTALLED) $(DBT_SOURCES)
	cd dbt_project && ../$(VENV)/bin/dbt parse --quiet --profiles-dir .

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

install: $(INSTALLED) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

# FULL_REFRESH=1 reads every export again and rebuilds every model from scratch;
# EXPECT_SHRINK=salesforce/lead (or all) lets those exports shrink past the volume guard.
run: install
	$(PYTHON) -m orchestration.nightly $(if $(FULL_REFRESH),--full-refresh) \
		$(if $(EXPECT_SHRINK),--expect-shrink '$(EXPECT_SHRINK)')

# The Monday review of any week from the BI file `make run` published:
# make report [WEEK=2026-10-19] (default: the last complete week).
report: install
	$(PYTHON) -m orchestration.reports.run $(if $(WEEK),--week "$(WEEK)")

# tests/test_postgres_instance.py starts a throwaway PostgreSQL server; it fails (not
# skips) without the server binaries, so install Debian's package when they are absent.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null || { \
		echo "Installing the PostgreSQL server (needed by the test suite)"; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# tests/test_report_in_browser.py opens the review in Debian's Chromium through its
# ChromeDriver; it fails (not skips) without them, so install them when absent.
chromium:
	@{ command -v chromium && command -v chromedriver; } >/dev/null || { \
		echo "Installing Chromium and ChromeDriver (needed by the test suite)"; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# tests/test_bi_file.py opens the published BI file with the oldest DuckDB the README
# promises BI tools can use, installed into an environment of its own.
OLD_DUCKDB_VENV := .venv-duckdb-1.1
OLD_DUCKDB := $(OLD_DUCKDB_VENV)/.installed
$(OLD_DUCKDB):
	python3 -m venv $(OLD_DUCKDB_VENV)
	$(OLD_DUCKDB_VENV)/bin/python -m pip install --quiet 'duckdb==1.1.3' pytz
	touch $@

test: install postgres-server chromium $(OLD_DUCKDB)
	$(PYTHON) -m pytest

dev: install
	$(VENV)/bin/dagster dev -w workspace.yaml

lint: install
	$(VENV)/bin/ruff check orchestration tests seeds bench
	$(VENV)/bin/ruff format --check orchestration tests seeds bench
	$(VENV)/bin/sqlfluff lint dbt_project

format: install
	$(VENV)/bin/ruff check --fix orchestration tests seeds bench
	$(VENV)/bin/ruff format orchestration tests seeds bench

# GDPR erasure of one person: make erase EMAIL=person@example.com
erase: install
	@test -n "$(EMAIL)" || { echo "usage: make erase EMAIL=person@example.com"; exit 2; }
	$(PYTHON) -m orchestration.erase "$(EMAIL)"

# The shipped samples are committed; this regenerates both deterministically: the
# Salesforce + Marketo org (seeds/sample) and the HubSpot portal (seeds/sample_hubspot).
sample: install
	$(PYTHON) seeds/generate_sample.py --out seeds/sample
	$(PYTHON) seeds/generate_hubspot.py --out seeds/sample_hubspot

# Speed and memory on generated data (bench/run_bench.py): make bench [BENCH_SIZE=M]
BENCH_SIZE ?= S
BENCH_MEMORY_LIMIT ?= 3GB
BENCH_THREADS ?= 2
# e.g. BENCH_VARIANTS=C at size L, where the whole set takes hours
BENCH_VARIANTS ?= load,read,A,B,C,D,E
BENCH_INSTALLED := $(VENV)/.bench-installed

$(BENCH_INSTALLED): $(INSTALLED)
	$(PYTHON) -m pip install --quiet -e '.[bench]'
	touch $@

bench: install $(BENCH_INSTALLED)
	$(PYTHON) -m bench.run_bench --size $(BENCH_SIZE) \
		--memory-limit $(BENCH_MEMORY_LIMIT) --threads $(BENCH_THREADS) \
		--variants $(BENCH_VARIANTS)

clean:
	rm -rf $(VENV) $(OLD_DUCKDB_VENV) data dbt_project/target dbt_project/logs
