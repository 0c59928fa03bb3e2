#!/usr/bin/env bash
# Sets up the machine if needed, builds the node and starts a single-validator dev chain
# (Alice authors with BABE and finalizes with GRANDPA) that polkadot.js apps can follow.
#
# Usage: ./scripts/dev.sh [--no-build] [-- NODE_FLAGS...]
#   --no-build   start the node that is already built
#   --           everything after it goes to endochain-node (e.g. -- --rpc-port 9955)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
build=1
node_args=()
while [ $# -gt 0 ]; do
	case "$1" in
		--no-build) build=0 ;;
		-h | --help) usage; exit 0 ;;
		--) shift; node_args=("$@"); break ;;
		*) echo "dev.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

endo_ensure_setup
cd "$ENDO_ROOT"
if [ "$build" = 1 ]; then
	# Build exactly what test.sh builds (the workspace's tests included), so that the node
	# binary and its dependencies are compiled once for both scripts.
	echo "[dev] building the workspace (release; target dir $CARGO_TARGET_DIR)"
	cargo test --release --workspace --no-run
fi
[ -x "$ENDO_NODE_BIN" ] || { echo "dev.sh: $ENDO_NODE_BIN not built" >&2; exit 1; }

rpc_port=""
for ((i = 0; i < ${#node_args[@]}; i++)); do
	[ "${node_args[$i]}" = "--rpc-port" ] && rpc_port="${node_args[$((i + 1))]:-}"
done
args=(--dev --tmp --rpc-cors all)
if [ -z "$rpc_port" ]; then
	rpc_port=9944
	args+=(--rpc-port "$rpc_port")
fi
cat <<MSG

  Endochain dev chain starting (Ctrl-C stops it; state is temporary).
  RPC endpoint:    ws://127.0.0.1:${rpc_port}
  polkadot.js:     https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer

MSG
exec "$ENDO_NODE_BIN" "${args[@]}" "${node_args[@]}"
