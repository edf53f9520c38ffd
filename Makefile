# Two commands do everything on a fresh Debian machine:
#   make demo   - install what is missing, then run `intake demo` on the bundled packages
#   make test   - install what is missing, then run the whole test suite
.PHONY: setup demo test bench

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/intake demo

test: setup
	.venv/bin/ruff check .
	.venv/bin/mypy
	# --dist loadscope: a module's tests on one worker, so its module fixture (a whole campaign
	# run) is built once, not once per worker; the slowest steps listed, to keep the suite under 20 min
	.venv/bin/python -m pytest -n 2 --dist loadscope -p no:cacheprovider --durations=30

bench: setup
	.venv/bin/python bench/bench_forms.py
	.venv/bin/python bench/bench_ocr.py
	.venv/bin/python bench/bench_pipeline.py --server
	.venv/bin/python bench/bench_hostile.py
