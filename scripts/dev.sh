#!/usr/bin/env bash
# Sets up the machine if needed, builds the node and starts a single-validator dev chain
# (Alice authors with BABE and finalizes with GRANDPA) that polkadot.js apps can follow.
#
# Usage: ./scripts/dev.sh [--no-build] [-- NODE_FLAGS...]
#   --no-build   start the node that is already built
#   --           everything after it goes to endochain-node (e.g. -- --rpc-port 9955)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
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

# Shows cargo's progress lines from its output on stdin: the crate being compiled, in place on
# a terminal (one line each otherwise), and cargo's waits and its final line.
build_progress() {
	local tty=0
	[ -t 1 ] && tty=1
	awk -v tty="$tty" '
		/^ +Compiling / {
			n++
			sub(/^ +Compiling /, "")
			if (tty) { printf "\r\033[K[dev] compiling (%d): %s", n, substr($0, 1, 60); open = 1 }
			else print "[dev] compiling " $0
			fflush()
			next
		}
		/^ +(Updating|Downloading|Blocking|Finished) / {
			if (open) { printf "\r\033[K"; open = 0 }
			sub(/^ +/, "")
			print "[dev] " $0
			fflush()
			next
		}
		END { if (open) printf "\r\033[K" }
	'
}

endo_ensure_setup
cd "$ENDO_ROOT"
if [ "$build" = 1 ]; then
	# Build exactly what test.sh builds (the workspace's tests included), so that the node
	# binary and its dependencies are compiled once for both scripts. Only progress is shown:
	# cargo's list of the test executables, warnings, and what dependencies print while they
	# compile (orchestra's proc macro reports "Found N strongly connected components" for
	# polkadot-overseer, which frame-benchmarking-cli pulls in, and has no switch to silence it)
	# go to the log only, which is shown if the build fails.
	build_log="$CARGO_TARGET_DIR/dev-build.log"
	mkdir -p "$CARGO_TARGET_DIR"
	echo "[dev] building the workspace (release; target dir $CARGO_TARGET_DIR; log $build_log)"
	set +e
	cargo test --release --workspace --no-run 2>&1 | tee "$build_log" | build_progress
	rc=${PIPESTATUS[0]}
	set -e
	if [ "$rc" -ne 0 ]; then
		grep -vE '^ +(Compiling|Downloaded|Executable) ' "$build_log" >&2
		echo "dev.sh: the build failed (whole output: $build_log)" >&2
		exit "$rc"
	fi
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
