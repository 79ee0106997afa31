# wijknet: the two commands are `make serve` and `make test`; both run `make install` first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUTPUT ?= output
HOST ?= 127.0.0.1
PORT ?= 8000
ADMIN_PORT ?= 8081
DATE ?=
PYTEST_ARGS ?=

DATE_ARG := $(if $(DATE),--date $(DATE),)

.PHONY: install serve admin html test clean publish validate lint browser-deps lock

install: $(VENV)/.installed node_modules/.installed

# Exactly the versions in requirements/lock.txt (every package, with hashes), then wijknet
# itself; `make lock` writes the lock file anew from pyproject.toml.
$(VENV)/.installed: pyproject.toml requirements/lock.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	@rm -rf wijknet.egg-info  # left by older installs: it hides the wijknet.hosts entry point
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

UV_VERSION := 0.13.9
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra test --universal \
	  --python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock" \
	  -o requirements/lock.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

html: install
	$(BIN)/wijknet build --output $(OUTPUT) $(DATE_ARG)

publish: install
	$(BIN)/wijknet build --pelican-settings publishconf.py --output $(OUTPUT) $(DATE_ARG)

validate: install
	$(BIN)/wijknet validate $(DATE_ARG)

serve: install
	$(BIN)/wijknet serve --host $(HOST) --port $(PORT) --output $(OUTPUT) $(DATE_ARG)

# The moderators' desk on this checkout: the site as with `make serve`, and decap-server
# (npm) on 127.0.0.1:$(ADMIN_PORT) for http://127.0.0.1:$(PORT)/admin/ (docs/moderatie.md).
admin: install
	$(BIN)/wijknet serve --admin --admin-port $(ADMIN_PORT) --host 127.0.0.1 --port $(PORT) --output $(OUTPUT) $(DATE_ARG)

# Debian's chromium for the browser tests (no browser download); only where apt-get can.
browser-deps:
	@test -n "$$WIJKNET_CHROMIUM" || command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium ontbreekt: installeer het pakket 'chromium'" >&2; fi; }

test: install browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(OUTPUT) .pytest_cache .hypothesis benchmarks/out
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
