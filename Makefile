# ClaimBench. `make test` is the CI command; `make bench` regenerates every number and figure.
# Both install the system packages they need first (scripts/install-deps.sh, idempotent).

SWIFT     ?= swift
CLAIMBENCH = .build/release/claimbench
THREADS   ?= 1
PRESET    ?= smoke
SUITE     ?=
REASON    ?=

.PHONY: all deps build build-debug test slurm-test check bench plots golden perf perf-peers peers report clean help

all: build

help:
	@echo "make test     build, unit tests, golden check of every suite at the smoke preset, figures (CI)"
	@echo "make bench    every suite at the default preset, figures into plots/, results/report.md;"
	@echo "              work units already in results/cache under the same key are reused (claimbench why --preset default says which and why not)"
	@echo "make slurm-test  CI: start a one-node Slurm on localhost (root), run kde's smoke preset as a 2-shard job array,"
	@echo "              merge it in a dependent job and check the merged run against the golden (scripts/ci-slurm.sh)"
	@echo "make check    golden check at PRESET (default smoke)"
	@echo "make golden SUITE=<id> PRESET=<preset> REASON='why'   re-record a golden file, calibrated under other OpenBLAS cores and 2 threads (about 4x the preset's run time)"
	@echo "make plots    redraw figures from the newest runs (no rerun)"
	@echo "make perf     kernel benchmarks as ratios to this machine's limits (release build)"
	@echo "make peers    Python peers (POT, numpy, torch) in .venv-peers, pinned versions from PyPI"
	@echo "make perf-peers   make perf, then the peers on the same inputs: peers.csv in each perf run"
	@echo "make clean    remove build products, run outputs and the result cache (goldens and plots stay)"

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product claimbench

build-debug: deps
	$(SWIFT) build --build-tests

# CI. Unit tests in debug and once more in release (the optimiser must not change a result),
# then the golden check twice: as this machine runs by default, and under a second OpenBLAS
# core with 2 threads, so a green run means the goldens hold on other CPUs too. One release
# build with tests serves both the release tests and the claimbench binary.
test: build-debug
	$(SWIFT) test --skip-build
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	$(SWIFT) test -c release --skip-build -Xswiftc -enable-testing
	$(CLAIMBENCH) check --preset smoke --threads 1
	$(CLAIMBENCH) check --preset smoke --threads 2 --blas-core "$$($(CLAIMBENCH) platform --alternate-core)"
	$(CLAIMBENCH) plot --from latest

# CI, after test: shards on a real Slurm (single node, localhost), merged and checked; see README,
# "Past one machine". Needs root to start munged, slurmctld and slurmd.
slurm-test: build
	bash scripts/ci-slurm.sh

check: build
	$(CLAIMBENCH) check --preset $(PRESET) --threads $(THREADS)

# A claim that is not reproduced (exit 2) is a finding, not a failure of the bench: the figures
# and the report are still regenerated. Errors (exit 1) stop it.
bench: build
	@$(CLAIMBENCH) run --preset default --threads $(THREADS); status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 2 ]; then exit $$status; fi; \
	$(CLAIMBENCH) plot --from latest --publish && $(CLAIMBENCH) report --preset default || exit $$?; \
	if [ $$status -eq 2 ]; then echo "bench: some claims were not reproduced; see the verdicts above and results/report.md"; fi

plots: build
	$(CLAIMBENCH) plot --from latest

report: build
	$(CLAIMBENCH) report --preset default

golden: build
	@test -n "$(SUITE)" || { echo "usage: make golden SUITE=<id> PRESET=<preset> REASON='why the values move'"; exit 64; }
	$(CLAIMBENCH) golden $(SUITE) --preset $(PRESET) --threads $(THREADS) $(if $(REASON),--reason "$(REASON)",)

perf: build
	$(CLAIMBENCH) perf --threads $(THREADS)

# The peers of `perf --peers` in a virtual environment (.venv-peers, gitignored). torch's PyPI
# wheel pulls the CUDA 13 runtime packages (several GB) and does not import without them;
# PEERS_TORCH names what to install for torch instead (a CPU-only wheel file), or is empty to
# skip torch, whose peers are then reported as missing.
PEERS_VENV  ?= .venv-peers
PEERS_TORCH ?= -r peers/requirements-torch.txt
peers:
	test -x $(PEERS_VENV)/bin/python || python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install -r peers/requirements.txt
	$(if $(strip $(PEERS_TORCH)),$(PEERS_VENV)/bin/python -m pip install $(PEERS_TORCH),@echo "peers: torch skipped (PEERS_TORCH is empty)")

perf-peers: build
	$(CLAIMBENCH) perf --peers --threads $(THREADS) $(if $(wildcard $(PEERS_VENV)/bin/python),--python $(PEERS_VENV)/bin/python,)

clean:
	rm -rf .build results/runs results/cache
