# The two set-up commands of the README. Each installs what it needs on a fresh machine
# (Python 3.11, root, package registries only) and then does its job.
PYTHON ?= python3

.PHONY: serve test install install-test build

install:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e .

install-test:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

build: install
	cpsgraph build

# Run the service on the embedded store (http://127.0.0.1:8000/).
serve: build
	cpsgraph serve

# Run the whole test suite.
test: install-test
	$(PYTHON) -m pytest
