#!/usr/bin/env bash
# Runs the zombienet multi-node tests (native provider: local processes on 127.0.0.1).
#
# Usage: ./scripts/zombienet.sh [TEST.zndsl...]
#   Without arguments every zombienet/*.zndsl runs. Needs a built node ($ENDO_NODE_BIN).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

case "${1:-}" in
	-h | --help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "zombienet.sh: unknown option '$1'" >&2; exit 2 ;;
esac
[ -x "$ENDO_NODE_BIN" ] || { echo "zombienet.sh: $ENDO_NODE_BIN is not built" >&2; exit 1; }
cd "$ENDO_ROOT/zombienet"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(*.zndsl)

# Each network lives in its own directory under $work; whatever happens, the nodes are killed
# and the directory removed when this script ends (set ENDO_KEEP_LOGS=1 to keep the logs).
work="$(mktemp -d -t endochain-zombienet-XXXXXX)"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	pkill -f -- "$work/" 2>/dev/null || true
	if [ "${ENDO_KEEP_LOGS:-0}" = 1 ]; then
		echo "[zombienet] logs kept in $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
for t in "${tests[@]}"; do
	echo "[zombienet] $t"
	dir="$work/$(basename "$t" .zndsl)"
	if ! npx --no-install zombienet -p native -c 1 -l text -f -d "$dir" test "$t"; then
		status=1
		for log in "$dir"/logs/*.log; do
			[ -f "$log" ] || continue
			echo "---- last lines of $(basename "$log") ----"
			tail -n 30 "$log"
		done
	fi
done
exit $status
