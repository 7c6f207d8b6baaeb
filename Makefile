# One command to set up from nothing and run, one to set up and test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup browser ocr proxy run ingest check fix test test-fast bench clean-index

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# Debian's Tesseract with its Vietnamese model, to read scanned PDFs (and the DejaVu fonts the OCR
# test renders its scanned page with).
ocr:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie \
	   && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { apt-get update -qq && \
	   apt-get install -y -qq tesseract-ocr tesseract-ocr-vie fonts-dejavu-core >/dev/null; }

# Debian's nginx and openssl, for the test of a shared Chroma server behind an authenticating reverse
# proxy (README, "A shared Chroma server"). The package's own service is stopped if its install started it.
proxy:
	@{ test -x /usr/sbin/nginx && command -v openssl >/dev/null 2>&1; } || { apt-get update -qq && \
	   apt-get install -y -qq nginx-light openssl >/dev/null && { invoke-rc.d nginx stop >/dev/null 2>&1 || true; }; }

run: setup
	$(PY) ui.py

ingest: setup
	$(PY) -m assistant ingest

# Lint and type-check the whole package (configured in pyproject.toml).
check: setup
	$(PY) -m ruff check assistant ui.py tests
	$(PY) -m mypy

# Apply ruff's safe fixes (import order, modern syntax).
fix: setup
	$(PY) -m ruff check --fix assistant ui.py tests

# Everything: the checks, then every test (real model, Chroma server, browser, CLI processes).
test: setup browser ocr proxy check
	$(PY) -m pytest -q

# The quick loop: no model, no server, no browser (about 15 s).
test-fast: setup
	$(PY) -m pytest -q -m "not integration"

# The performance benchmark (about 75 minutes at 10,000 articles on 2 cores); appends to artifacts/bench.jsonl.
ARTICLES ?= 10000
bench: setup
	$(PY) -m assistant bench --articles $(ARTICLES) --out artifacts/bench.jsonl

clean-index:
	rm -rf index/chroma index/*.sqlite3 index/*.lock
