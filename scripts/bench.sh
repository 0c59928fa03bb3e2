#!/usr/bin/env bash
# Measures the weights of Endochain's own pallets with frame-benchmarking and writes their
# `src/weights.rs`.
#
#  1. Builds the runtime's wasm with the `runtime-benchmarks` feature in a target dir of its own
#     (ENDO_BENCH_TARGET_DIR, default $HOME/.cache/endochain/target-bench), so that the normal
#     build never embeds benchmark code and stays warm. `cargo check` is enough: the wasm comes
#     out of the runtime's build script, the native code is only type-checked.
#  2. Runs `endochain-node benchmark pallet --runtime <that wasm>` for each pallet, on the
#     genesis of the runtime's `development` preset. Any build of the node can do this (the
#     benchmarks run in the wasm); the one dev.sh and test.sh build is used, built if missing.
#  3. Writes pallets/<name>/src/weights.rs through scripts/weight-template.hbs, and keeps the
#     console summary and the raw JSON under $ENDO_BENCH_TARGET_DIR/results/. The command
#     recorded in the header names files of the repository by relative paths (the benchmarks
#     run from its root) and the two target dirs as $CARGO_TARGET_DIR and $ENDO_BENCH_TARGET_DIR.
#
# Usage: ./scripts/bench.sh [--steps N] [--repeat N] [--check] [pallet_name...]
#   pallet_name   e.g. pallet_device_identity; default: every pallet of pallets/ that
#                 runtime/src/benchmarks.rs lists.
#   --check       run every benchmark once (steps 2, repeat 1) without writing weights.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
steps=50
repeat=20
check=0
pallets=()
while [ $# -gt 0 ]; do
	case "$1" in
		--steps) steps="${2:?--steps needs a number}"; shift ;;
		--repeat) repeat="${2:?--repeat needs a number}"; shift ;;
		--check) check=1 ;;
		-h | --help) usage; exit 0 ;;
		pallet_*) pallets+=("$1") ;;
		*) echo "bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

endo_ensure_setup
# Every path given to the benchmark below is relative to the repository's root.
cd "$ENDO_ROOT"
pallet_dir() { echo "pallets/$(echo "${1#pallet_}" | tr _ -)"; }

# The pallets of this workspace that the runtime benchmarks.
if [ ${#pallets[@]} -eq 0 ]; then
	while read -r p; do
		[ -d "$(pallet_dir "$p")" ] && pallets+=("$p")
	done < <(grep -Eo '^\s*\[pallet_[a-z_]+' runtime/src/benchmarks.rs | tr -d '[ \t')
fi
[ ${#pallets[@]} -gt 0 ] || { echo "bench.sh: no pallet to benchmark" >&2; exit 2; }
for p in "${pallets[@]}"; do
	[ -d "$(pallet_dir "$p")" ] || { echo "bench.sh: $p has no directory $(pallet_dir "$p")" >&2; exit 2; }
done

bench_target="${ENDO_BENCH_TARGET_DIR:-$HOME/.cache/endochain/target-bench}"
wasm="$bench_target/$ENDO_PROFILE/wbuild/endochain-runtime/endochain_runtime.compact.compressed.wasm"
results="$bench_target/results"
mkdir -p "$results"

# The header of a generated weights.rs records the command; the node, the wasm and the JSON
# live in the target dirs outside the repository: name those by their variables, so that the
# header reads the same on every machine. Only the header's `//! ` lines are rewritten.
relative_header() {
	ENDO_FROM_BENCH="$bench_target/" ENDO_FROM_TARGET="$CARGO_TARGET_DIR/" ENDO_FROM_ROOT="$ENDO_ROOT/" \
		perl -pi -e 'if (m{^//! }) {
			s{\Q$ENV{ENDO_FROM_BENCH}\E}{\$ENDO_BENCH_TARGET_DIR/}g;
			s{\Q$ENV{ENDO_FROM_TARGET}\E}{\$CARGO_TARGET_DIR/}g;
			s{\Q$ENV{ENDO_FROM_ROOT}\E}{}g;
		}' "$1"
}

echo "== [1/3] runtime wasm with runtime-benchmarks (target dir $bench_target)"
CARGO_TARGET_DIR="$bench_target" cargo check --release -p endochain-runtime --features runtime-benchmarks
[ -f "$wasm" ] || { echo "bench.sh: the wasm build left no $wasm" >&2; exit 1; }

if [ ! -x "$ENDO_NODE_BIN" ]; then
	echo "== [2/3] building endochain-node"
	cargo test --release --workspace --no-run
else
	echo "== [2/3] endochain-node: $ENDO_NODE_BIN"
fi

echo "== [3/3] benchmarks: ${pallets[*]}"
[ "$check" -eq 1 ] && { steps=2; repeat=1; }
for p in "${pallets[@]}"; do
	weights="$(pallet_dir "$p")/src/weights.rs"
	out=()
	[ "$check" -eq 1 ] || out=(--output "$weights" --template scripts/weight-template.hbs)
	echo "-- $p (steps $steps, repeat $repeat)"
	if ! "$ENDO_NODE_BIN" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$p" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--json-file "$results/$p.json" \
		"${out[@]}" 2>&1 | tee "$results/$p.txt"; then
		echo "bench.sh: benchmarks of $p failed (log: $results/$p.txt)" >&2
		exit 1
	fi
	if [ "$check" -eq 0 ]; then
		relative_header "$weights"
		echo "wrote $weights"
	fi
done
