# The two set-up commands of the README. Each installs what it needs on a fresh machine
# (Python 3.11, root, package registries only) and then does its job.
PYTHON ?= python3

.PHONY: serve test lint install install-test build assets npm chromium virtuoso nginx

install:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e .

install-test:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

build: install
	cpsgraph build

# The browser's front-end packages (package.json, package-lock.json), copied into the git-ignored
# server/cpsgraph/static/vendor/: Cytoscape.js and YASGUI are served by us, never from a CDN.
npm:
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)

assets: npm
	npm ci --no-audit --no-fund
	$(PYTHON) server/cpsgraph/vendor.py

# Debian's Chromium for the end-to-end tests, driven by Playwright (installed by the `test` extra) through
# its executable path; `playwright install`, which downloads a browser, is never used.
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# Debian's Virtuoso Open Source 7 for the remote-store tests (tests/endpoint start their own on loopback
# ports, with the database in a temporary directory; the package's own service is never started).
virtuoso:
	command -v virtuoso-t >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource)

# Debian's nginx for the replica tests (tests/endpoint/test_replicas.py runs deploy/nginx/cpsgraph.conf on loopback
# ports, with its files in a temporary directory; the package's own service is never started or used).
nginx:
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx)

# ruff alone (what `make test` runs first).
lint: install-test
	$(PYTHON) -m ruff check .

# Run the service on the embedded store (http://127.0.0.1:8000/).
serve: build assets
	cpsgraph serve

# Lint (ruff, configured in pyproject.toml), then run the whole test suite; either failing fails `make test`.
test: install-test assets chromium virtuoso nginx
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest
