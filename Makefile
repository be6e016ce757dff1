# rawbank: `make dev` runs everything on this machine, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: dev test install catalogs docs clean

$(BIN)/python:
	@echo "Creating $(VENV) with $(PYTHON) ..."
	@echo "  $(PYTHON) से $(VENV) बनाया जा रहा है ..."
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "rawbank needs Python 3.11; run: make PYTHON=/path/to/python3.11\n  rawbank को Python 3.11 चाहिए; चलाएँ: make PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "Installing rawbank and what the tests need into $(VENV) (first time takes a minute) ..."
	@echo "  rawbank और जाँच के लिए ज़रूरी पैकेज $(VENV) में लगाए जा रहे हैं (पहली बार एक मिनट लगता है) ..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

install: $(VENV)/.installed

dev: install
	$(BIN)/rawbank dev

# pytest exits 5 when it collects no test; that is not a failure of the code under test,
# so it is reported and passed, while every other non-zero exit fails the run.
# The test files run in TEST_JOBS processes at once (pytest-xdist), each file whole in one of them, so
# a file's fixtures start once; most tests wait on brokers and services more than they compute,
# and 2 took a clean clone's run from 24 to 15 minutes on a 2-core machine. TEST_JOBS=0: one process.
TEST_JOBS ?= 2
test: install
	@$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)"; echo "  make test: pytest को कोई जाँच नहीं मिली (exit 5)"; exit 0; fi; exit $$rc

# After changing a text: extract every marked text (babel.cfg), bring both .po files up to date,
# translate the new entries in shared/translations/hi/LC_MESSAGES/messages.po, then run this again
# to compile the .mo files (committed, so a fresh clone needs no build step).
CATALOGS := shared/translations
catalogs: install
	$(BIN)/pybabel extract -F babel.cfg --project=rawbank --sort-output --add-location=file -w 100 \
		-o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d $(CATALOGS) --statistics

# After changing an event type, a payload field or a consumer's EVENT_HANDLERS: write docs/events.md
# anew from the code (tests/unit/test_eventdoc.py fails while it is stale).
docs: install
	$(BIN)/python -m shared.eventdoc > docs/events.md.new && mv docs/events.md.new docs/events.md

clean:
	rm -rf $(VENV) .pytest_cache test-output
