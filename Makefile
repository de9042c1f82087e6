# The kit's commands. `make build` and `make test` set everything up first.
.PHONY: setup build serve check test test-fast bench screenshots wheel clean

export NO_MKDOCS_2_WARNING := 1
VENV := .venv/bin

setup:
	@bash scripts/setup.sh

build: setup  ## Build the sample report (every edition and the PDFs) into site/
	$(VENV)/csr-kit build

serve: setup  ## Live preview on http://127.0.0.1:8000/ (no PDF)
	$(VENV)/csr-kit serve

check: setup  ## Check every source file without publishing
	$(VENV)/csr-kit check

test: setup  ## Lint and type-check, then run the whole test suite (site, conversion, data, PDF, browser)
	$(VENV)/ruff check src tests benchmarks scripts
	$(VENV)/mypy
	$(VENV)/python -m pytest -q

screenshots: setup  ## Screenshots of site/ (every page of every edition, desktop and phone) into screenshots/
	$(VENV)/python scripts/screenshots.py

bench: setup  ## Benchmarks against the plain stack (results: benchmarks/RESULTS.md)
	$(VENV)/python benchmarks/run.py

wheel: setup  ## The kit as a versioned package for report repositories: dist/csr_kit-<version>-py3-none-any.whl
	rm -rf build  # setuptools would reuse it, with files deleted since the last wheel
	$(VENV)/pip wheel --no-deps --disable-pip-version-check -q -w dist .
	rm -rf build
	@ls dist/csr_kit-*.whl

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
