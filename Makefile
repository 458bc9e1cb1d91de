VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501
# run-team binds here; the default keeps the app on this machine, behind a reverse proxy (README, Team deployment).
HOST ?= localhost

.PHONY: venv migrate run run-team test train bench lint clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) -m db

run: migrate
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address localhost

# The same app on the team's PostgreSQL server: DATABASE_URL must name it (never echoed: it holds a password).
run-team: venv
	@test -n "$$DATABASE_URL" || { echo "run-team: set DATABASE_URL=postgresql+psycopg://USER:PASSWORD@HOST:5432/DB" >&2; exit 2; }
	$(PY) -m db
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(HOST) --server.headless true

test: venv
	$(PY) -m pytest -q -ra -p no:cacheprovider tests

train: migrate
	$(PY) -m core.train

bench: migrate
	$(PY) -m core.bench --json

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
