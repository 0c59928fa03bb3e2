#!/usr/bin/env bash
# Sets up the machine if needed, builds everything and runs every test:
#   1. cargo tests of the workspace (crates, pallets, runtime, node smoke test), release profile
#   2. the static checks (scripts/check.sh: format, lints, docs, dependency policy) and their
#      self-test; each check and each self-test case counts as one test
#   3. polkadot.js end-to-end tests (e2e/) against a dev node
#   4. zombienet multi-node tests (zombienet/)
# and ends with one line "N passed, N failed" over all of them.
#
# Usage: ./scripts/test.sh [--only cargo|checks|e2e|zombienet]...
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
only=()
while [ $# -gt 0 ]; do
	case "$1" in
		--only)
			case "${2:-}" in
				cargo | checks | e2e | zombienet) only+=("$2"); shift ;;
				*) echo "test.sh: --only needs one of cargo, checks, e2e, zombienet" >&2; usage >&2; exit 2 ;;
			esac ;;
		-h | --help) usage; exit 0 ;;
		*) echo "test.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
want() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

endo_ensure_setup || { echo "test.sh: setup failed" >&2; exit 1; }
cd "$ENDO_ROOT" || exit 1
logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT
passed=0
failed=0
suites_failed=()
start=$(date +%s)

if want cargo; then
	echo "== [1/4] cargo test --release --workspace"
	cargo test --release --workspace 2>&1 | tee "$logdir/cargo.log"
	rc=${PIPESTATUS[0]}
	p=$(grep -Eo '^test result: .* ([0-9]+) passed' "$logdir/cargo.log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
	f=$(grep -Eo '^test result: .* ([0-9]+) failed' "$logdir/cargo.log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ]; then
		suites_failed+=("cargo")
		# A build failure runs no test: count it as a failure.
		[ "$f" -gt 0 ] || failed=$((failed + 1))
	fi
fi

if want checks; then
	echo "== [2/4] static checks (scripts/check.sh --self-test, scripts/check.sh)"
	(
		./scripts/check.sh --self-test
		a=$?
		./scripts/check.sh
		b=$?
		[ "$a" -eq 0 ] && [ "$b" -eq 0 ]
	) 2>&1 | tee "$logdir/checks.log"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^(self-test .* ok \(|check +[a-z]+ +ok )' "$logdir/checks.log")
	f=$(grep -cE '^(self-test .* FAILED \(|check +[a-z]+ +FAILED )' "$logdir/checks.log")
	passed=$((passed + p))
	failed=$((failed + f))
	# Each check.sh run fails with a FAILED line; a crash without one still counts.
	if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ] || [ "$p" -eq 0 ]; then
		suites_failed+=("checks")
		[ "$f" -gt 0 ] || failed=$((failed + 1))
	fi
fi

if want e2e || want zombienet; then
	if [ ! -x "$ENDO_NODE_BIN" ] || [ ! -x "$ENDO_DEVICE_BIN" ] || [ ! -x "$ENDO_UIV_BIN" ] || ! want cargo; then
		echo "== building endochain-node, endochain-device and endochain-uiv"
		cargo test --release --workspace --no-run || { echo "test.sh: node build failed" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
	fi
fi

if want e2e; then
	echo "== [3/4] polkadot.js end-to-end tests (e2e/)"
	(cd e2e && node --test --test-concurrency=1 --test-reporter=tap tests/) 2>&1 | tee "$logdir/e2e.log"
	rc=${PIPESTATUS[0]}
	p=$(grep -E '^# pass [0-9]+' "$logdir/e2e.log" | awk '{print $3}' | tail -n1)
	f=$(grep -E '^# fail [0-9]+' "$logdir/e2e.log" | awk '{print $3}' | tail -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		suites_failed+=("e2e")
		[ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
	fi
fi

if want zombienet; then
	echo "== [4/4] zombienet multi-node tests (zombienet/)"
	for t in zombienet/*.zndsl; do
		if ./scripts/zombienet.sh "$(basename "$t")"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			suites_failed+=("zombienet:$(basename "$t")")
		fi
	done
fi

echo
echo "== test.sh finished in $(( $(date +%s) - start )) s"
[ ${#suites_failed[@]} -eq 0 ] || echo "failed suites: ${suites_failed[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#suites_failed[@]} -eq 0 ]
