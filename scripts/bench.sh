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
#     console summary and the raw JSON under $ENDO_BENCH_TARGET_DIR/results/.
#
# Usage: scripts/bench.sh [--steps N] [--repeat N] [--check] [pallet_name...]
#   pallet_name   e.g. pallet_device_identity; default: every pallet of pallets/ that
#                 runtime/src/benchmarks.rs lists.
#   --check       run every benchmark once (steps 2, repeat 1) without writing weights.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
endo_ensure_setup

steps=50
repeat=20
check=0
pallets=()
while [ $# -gt 0 ]; do
	case "$1" in
		--steps) steps="${2:?--steps needs a number}"; shift ;;
		--repeat) repeat="${2:?--repeat needs a number}"; shift ;;
		--check) check=1 ;;
		-h | --help) sed -n '2,21p' "$0"; exit 0 ;;
		pallet_*) pallets+=("$1") ;;
		*) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# The pallets of this workspace that the runtime benchmarks.
if [ ${#pallets[@]} -eq 0 ]; then
	while read -r p; do
		[ -d "$ENDO_ROOT/pallets/$(echo "${p#pallet_}" | tr _ -)" ] && pallets+=("$p")
	done < <(grep -Eo '^\s*\[pallet_[a-z_]+' "$ENDO_ROOT/runtime/src/benchmarks.rs" | tr -d '[ \t')
fi
[ ${#pallets[@]} -gt 0 ] || { echo "bench.sh: no pallet to benchmark" >&2; exit 2; }
for p in "${pallets[@]}"; do
	dir="$ENDO_ROOT/pallets/$(echo "${p#pallet_}" | tr _ -)"
	[ -d "$dir" ] || { echo "bench.sh: $p has no directory $dir" >&2; exit 2; }
done

bench_target="${ENDO_BENCH_TARGET_DIR:-$HOME/.cache/endochain/target-bench}"
wasm="$bench_target/$ENDO_PROFILE/wbuild/endochain-runtime/endochain_runtime.compact.compressed.wasm"
results="$bench_target/results"
mkdir -p "$results"

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
	dir="$ENDO_ROOT/pallets/$(echo "${p#pallet_}" | tr _ -)"
	out=()
	[ "$check" -eq 1 ] || out=(--output "$dir/src/weights.rs" --template "$ENDO_ROOT/scripts/weight-template.hbs")
	echo "-- $p (steps $steps, repeat $repeat)"
	"$ENDO_NODE_BIN" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$p" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--json-file "$results/$p.json" \
		"${out[@]}" 2>&1 | tee "$results/$p.txt"
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || { echo "bench.sh: benchmarks of $p failed (log: $results/$p.txt)" >&2; exit "$rc"; }
	[ "$check" -eq 1 ] || echo "wrote $dir/src/weights.rs"
done
