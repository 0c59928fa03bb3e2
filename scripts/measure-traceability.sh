#!/usr/bin/env bash
# Measures the traceability delay of the tracing marks (UIV-TSP paper 002, sec. 4.2, Fig. 12):
# for credentials of k = 64, 128, 256, 512, 1024 bits embedded m = 1..4 times into seeded
# ~8 KiB vulnerability reports, the TA's embedding time, and the tracer's delay (extraction,
# SHA-256 commitment, lookup in an index of deliveries) on a leaked copy after a random leak
# transformation (crates/endo-ml/src/traceability.rs). Writes traceability.csv,
# traceability-leaks.csv, traceability.md, traceability_delay.png and traceability_traced.png
# into docs/uiv-sharing/ (or --out DIR); docs/uiv-sharing/TRACEABILITY.md discusses them.
#
# Usage: ./scripts/measure-traceability.sh [--runs N] [--deliveries N] [--seed S] [--out DIR]
#   (defaults: 200 runs per point, 10,000 deliveries, seed 1; a few seconds once endo-ml is
#   built)
#
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/endochain/target, see scripts/env.sh).
# Builds and measures under flock /tmp/endochain-cargo.lock: it waits for other builds on the
# machine, and no build of ours competes with the timing.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
out="$ENDO_ROOT/docs/uiv-sharing"
args=()
while [ $# -gt 0 ]; do
	case "$1" in
		--runs | --deliveries | --seed)
			[ $# -ge 2 ] || { echo "measure-traceability.sh: $1 needs a value" >&2; exit 2; }
			args+=("$1" "$2"); shift ;;
		--out)
			[ $# -ge 2 ] || { echo "measure-traceability.sh: --out needs a value" >&2; exit 2; }
			out="$2"; shift ;;
		-h | --help) usage; exit 0 ;;
		*) echo "measure-traceability.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

cd "$ENDO_ROOT"
echo "[measure-traceability] cargo build --release -p endo-ml" >&2
flock /tmp/endochain-cargo.lock cargo build --release -p endo-ml --bin endochain-trust >&2
mkdir -p "$out"
# The measurement is single-threaded and takes a few seconds: it holds the build lock meanwhile.
exec flock /tmp/endochain-cargo.lock "$CARGO_TARGET_DIR/release/endochain-trust" traceability \
	--out "$out" ${args[@]+"${args[@]}"}
