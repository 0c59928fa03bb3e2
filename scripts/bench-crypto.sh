#!/usr/bin/env bash
# Benchmarks endo-crypto and prints a markdown table beside the paper's Table 2 (SM9) and
# Table 3 (CP-ABE) at 1 KB, 1 MB and 10 MB, with the speed-up, plus the NIZK identity proof and
# the PUF fuzzy extractor.
#
# Usage: scripts/bench-crypto.sh [--failure-rate] [criterion filter...]
#   --failure-rate   also run the fuzzy extractor's 10,000-reads-per-BER failure-rate table
#                    (examples/puf_failure_rate.rs, about a minute)
#   filter           passed to criterion, e.g. `sm9/encrypt` (the table then shows only those)
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/endochain/target), CARGO_BUILD_JOBS.
# Takes about 3-5 minutes on a 2-core machine once the crate is built (10 MB benchmarks use
# 10 samples).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/endochain/target}"
cd "$ROOT"

failure_rate=0
filters=()
for arg in "$@"; do
  case "$arg" in
    --failure-rate) failure_rate=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) filters+=("$arg") ;;
  esac
done

echo "==> cargo bench -p endo-crypto --bench crypto ${filters[*]:-}" >&2
cargo bench -p endo-crypto --bench crypto -- ${filters[@]+"${filters[@]}"} >&2

echo
echo "## endo-crypto benchmarks ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo
cargo run --quiet --release -p endo-crypto --example bench_report -- "$CARGO_TARGET_DIR/criterion"

if [ "$failure_rate" -eq 1 ]; then
  echo
  cargo run --quiet --release -p endo-crypto --example puf_failure_rate
fi
