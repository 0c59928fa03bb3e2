#!/usr/bin/env bash
# Benchmarks endo-crypto and prints a markdown table beside the paper's Table 2 (SM9) and
# Table 3 (CP-ABE) at 1 KB, 1 MB and 10 MB, with the speed-up, plus the NIZK identity proof and
# the PUF fuzzy extractor. The table goes to stdout, cargo's and criterion's output to stderr.
#
# Usage: ./scripts/bench-crypto.sh [--failure-rate] [criterion filter...] [-- CRITERION_FLAGS...]
#   --failure-rate   also run the fuzzy extractor's 10,000-reads-per-BER failure-rate table
#                    (examples/puf_failure_rate.rs, about a minute)
#   filter           passed to criterion, e.g. `sm9/encrypt` (the table then shows only those)
#   --               everything after it goes to criterion (e.g. -- --save-baseline main)
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/endochain/target, see scripts/env.sh),
# CARGO_BUILD_JOBS. Takes about 3-5 minutes on a 2-core machine once the crate is built (10 MB
# benchmarks use 10 samples).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
failure_rate=0
filters=()
while [ $# -gt 0 ]; do
	case "$1" in
		--failure-rate) failure_rate=1 ;;
		-h | --help) usage; exit 0 ;;
		--) shift; filters+=("$@"); break ;;
		-*) echo "bench-crypto.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
		*) filters+=("$1") ;;
	esac
	shift
done

# stdout carries only the table.
endo_ensure_setup >&2
cd "$ENDO_ROOT"

echo "[bench-crypto] cargo bench -p endo-crypto --bench crypto ${filters[*]:-}" >&2
cargo bench -p endo-crypto --bench crypto -- ${filters[@]+"${filters[@]}"} >&2

echo
echo "## endo-crypto benchmarks ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo
cargo run --quiet --release -p endo-crypto --example bench_report -- "$CARGO_TARGET_DIR/criterion"

if [ "$failure_rate" -eq 1 ]; then
	echo
	cargo run --quiet --release -p endo-crypto --example puf_failure_rate
fi
