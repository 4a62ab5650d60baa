# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint bench icons wheel wheel-test bundle bundle-test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# A stamp per extra: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(PY) -m uat_explorer

lint: $(VENV)/.installed-test
	$(PY) -m ruff check uat_explorer tests benchmarks
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Both benches run even if the first misses a goal; the exit status says if either did.
bench: $(VENV)/.installed-bench $(VENV)/.installed-test
	$(PY) benchmarks/bench_core.py; core=$$?; \
	$(PY) benchmarks/bench_gui.py; gui=$$?; \
	$(PY) benchmarks/bench_workspaces.py; workspaces=$$?; \
	exit $$((core || gui || workspaces))

# The PNG icons are rendered from the hand-written SVG (rsvg-convert, from librsvg2-bin);
# run this after editing the SVG and commit both.
ICONS := uat_explorer/resources/icons
icons:
	for size in 16 22 24 32 48 64 128 256 512; do \
	    rsvg-convert -w $$size -h $$size $(ICONS)/uat-explorer.svg -o $(ICONS)/uat-explorer-$$size.png; \
	done

# The wheel and sdist, into dist/.
wheel: $(VENV)/.installed-test
	rm -f dist/uat_explorer-*
	$(PY) -m build --outdir dist .

# The wheel installed into a fresh venv outside the checkout, and run from there.
wheel-test: wheel
	UAT_WHEEL="$$(ls dist/uat_explorer-*.whl)" QT_QPA_PLATFORM=offscreen \
	    $(PY) -m pytest tests/e2e/test_wheel.py

# A one-folder app for this machine, in dist/uat-explorer/, frozen from a venv of its own
# that holds exactly the wheel (built from the sdist: no stale build/lib, no test tools).
BUNDLE_VENV := build/bundle-venv
bundle: wheel
	test -x $(BUNDLE_VENV)/bin/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BUNDLE_VENV)/bin/python -m pip install --quiet "$$(ls dist/uat_explorer-*.whl)[bundle]"
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps dist/uat_explorer-*.whl
	$(BUNDLE_VENV)/bin/python -m PyInstaller --noconfirm --log-level WARN \
	    --distpath dist --workpath build/pyinstaller packaging/uat-explorer.spec
	du -sh dist/uat-explorer

bundle-test: bundle $(VENV)/.installed-test
	UAT_BUNDLE=dist/uat-explorer QT_QPA_PLATFORM=offscreen \
	    $(PY) -m pytest tests/e2e/test_bundle.py
