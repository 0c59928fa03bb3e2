#!/usr/bin/env bash
# The static checks of the workspace, one line each:
#   fmt     cargo fmt --all -- --check (rustfmt.toml)
#   js      prettier --check of the JavaScript in e2e/, zombienet/scripts/ (and dashboard/)
#   clippy  cargo clippy --release --workspace --all-targets -- -D warnings, and the pallets
#           with --features runtime-benchmarks (the [workspace.lints] table, clippy.toml)
#   doc     cargo doc --workspace --no-deps with every rustdoc warning denied (broken links)
#   links   relative links of README.md, docs/ and the crate docs resolve (check-links.mjs)
#   deny    cargo deny --offline check licenses bans sources (deny.toml)
# A failing check prints its findings (file names and lines) under its line.
#
# Usage: ./scripts/check.sh [--only CHECK]... [--self-test]
#   --self-test  shows that every check fails on a deliberately broken input (a misformatted
#                line, a new unwrap, a broken doc link, a disallowed licence, ...) and passes on
#                the same input fixed, in scratch crates outside the workspace (seconds)
# shellcheck disable=SC2016 # the scratch crates' Rust sources are single-quoted on purpose
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
checks=(fmt js clippy doc links deny)
only=()
self_test=0
while [ $# -gt 0 ]; do
	case "$1" in
		--only)
			if [[ " ${checks[*]} " == *" ${2:-none} "* ]]; then only+=("$2"); shift; else
				echo "check.sh: --only needs one of: ${checks[*]}" >&2; usage >&2; exit 2
			fi ;;
		--self-test) self_test=1 ;;
		-h | --help) usage; exit 0 ;;
		*) echo "check.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
want() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

cd "$ENDO_ROOT" || exit 1
logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT
# clippy and rustdoc do not need the wasm runtime; skipping it keeps the checks fast.
export SKIP_WASM_BUILD=1

# The JavaScript trees prettier checks, each with the prettier pinned in its own package.json;
# the scripts in scripts/ are checked with e2e's.
js_dirs=()
for d in e2e zombienet dashboard; do [ -f "$d/package.json" ] && js_dirs+=("$d"); done
prettier_bin() { echo "$ENDO_ROOT/${1:-e2e}/node_modules/.bin/prettier"; }

# --- the checks, each writes its findings to stdout and returns non-zero on failure -----------
check_fmt() { cargo fmt --all -- --check -l; }
check_js() {
	local d p rc=0
	for d in "${js_dirs[@]}"; do
		p="$(prettier_bin "$d")"
		[ -x "$p" ] || { echo "prettier is not installed in $d/ (npm ci there)"; rc=1; continue; }
		(cd "$d" && "$p" --check --log-level warn '**/*.{js,mjs}') || rc=1
	done
	"$(prettier_bin)" --check --log-level warn 'scripts/*.mjs' || rc=1
	return $rc
}
check_clippy() {
	cargo clippy --quiet --release --workspace --all-targets -- -D warnings &&
		cargo clippy --quiet --release -p pallet-device-identity -p pallet-proof-of-trust -p pallet-uiv-sharing \
			--features runtime-benchmarks --all-targets -- -D warnings
}
check_doc() { RUSTDOCFLAGS="-D warnings" cargo doc --quiet --release --workspace --no-deps; }
check_links() { node scripts/check-links.mjs; }
check_deny() {
	command -v cargo-deny >/dev/null 2>&1 || { echo "cargo-deny is not installed (scripts/setup.sh)"; return 1; }
	# Only errors are printed; warnings (deprecated licence spellings upstream) are not findings.
	cargo deny --offline --log-level error check licenses bans sources
}

run_check() {
	local name="$1" start rc
	start=$(date +%s)
	"check_$name" >"$logdir/$name.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		printf 'check %-7s ok      (%3d s)\n' "$name" $(($(date +%s) - start))
	else
		printf 'check %-7s FAILED  (%3d s)\n' "$name" $(($(date +%s) - start))
		sed 's/^/    /' "$logdir/$name.log" | tail -n 60
	fi
	return $rc
}

# --- self-test: every check on a broken input and on the same input fixed ---------------------
# Scratch crates take the workspace's own configuration (rustfmt.toml, the [workspace.lints]
# table, clippy.toml, deny.toml, .prettierrc.json), so the self-test exercises the real policy.
self_test() {
	local scratch failures=0
	scratch="$(mktemp -d)"
	# Every scratch crate shares one target dir outside the workspace's.
	export CARGO_TARGET_DIR="$scratch/target"
	expect() { # expect fail|pass NAME PATTERN COMMAND...: a failure must print PATTERN
		local want="$1" name="$2" pattern="$3" got
		shift 3
		if "$@" >"$scratch/out.log" 2>&1; then got=pass; else got=fail; fi
		if [ "$got" = fail ] && ! grep -q -- "$pattern" "$scratch/out.log"; then
			got="fail for another reason"
		fi
		if [ "$got" = "$want" ]; then
			printf 'self-test %-34s ok (%s as expected)\n' "$name" "$want"
		else
			printf 'self-test %-34s FAILED (expected %s, got %s)\n' "$name" "$want" "$got"
			sed 's/^/    /' "$scratch/out.log" | tail -n 20
			failures=$((failures + 1))
		fi
	}
	new_crate() { # new_crate DIR LICENCE LIB_RS
		mkdir -p "$1/src"
		cp rustfmt.toml clippy.toml "$1/"
		cat >"$1/Cargo.toml" <<-TOML
			[package]
			name = "scratch-$(basename "$1")"
			version = "0.1.0"
			edition = "2021"
			license = "$2"
			publish = false

			[lints]
			workspace = true

			[workspace]
		TOML
		# The workspace's lint table, verbatim.
		sed -n '/^\[workspace\.lints\.rust\]/,/^\[workspace\.dependencies\]/p' Cargo.toml |
			sed '$d' >>"$1/Cargo.toml"
		printf '%s\n' "$3" >"$1/src/lib.rs"
		(cd "$1" && cargo generate-lockfile --offline --quiet)
	}
	local good='//! A scratch crate.

/// Doubles `x`.
pub fn double(x: u32) -> Option<u32> {
	x.checked_mul(2)
}'
	new_crate "$scratch/good" "Apache-2.0" "$good"

	# fmt: a misformatted line.
	new_crate "$scratch/fmt" "Apache-2.0" "${good/x.checked_mul(2)/x.checked_mul( 2 )}"
	expect fail "fmt: misformatted line" "src/lib.rs" bash -c "cd '$scratch/fmt' && cargo fmt -- --check -l"
	expect pass "fmt: formatted crate" "" bash -c "cd '$scratch/good' && cargo fmt -- --check -l"

	# js: a misformatted JavaScript file.
	mkdir -p "$scratch/js"
	cp .prettierrc.json "$scratch/js/"
	printf "const a = { b:1 }\n" >"$scratch/js/bad.js"
	printf "const a = { b: 1 };\n" >"$scratch/js/good.js"
	expect fail "js: misformatted file" "bad.js" bash -c "cd '$scratch/js' && '$(prettier_bin)' --check bad.js"
	expect pass "js: formatted file" "" bash -c "cd '$scratch/js' && '$(prettier_bin)' --check good.js"

	# clippy: a new unwrap in library code.
	new_crate "$scratch/unwrap" "Apache-2.0" '//! A scratch crate.

/// Parses `s`.
pub fn parse(s: &str) -> u32 {
	s.parse().unwrap()
}'
	expect fail "clippy: unwrap in library code" "unwrap_used" bash -c "cd '$scratch/unwrap' && cargo clippy --quiet --offline -- -D warnings"
	expect pass "clippy: checked code" "" bash -c "cd '$scratch/good' && cargo clippy --quiet --offline -- -D warnings"

	# doc: a broken intra-doc link.
	new_crate "$scratch/doc" "Apache-2.0" '//! A scratch crate, see [`NoSuchItem`].

/// Doubles `x`.
pub fn double(x: u32) -> Option<u32> {
	x.checked_mul(2)
}'
	expect fail "doc: broken intra-doc link" "unresolved link" bash -c "cd '$scratch/doc' && RUSTDOCFLAGS='-D warnings' cargo doc --quiet --offline --no-deps"
	expect pass "doc: resolving links" "" bash -c "cd '$scratch/good' && RUSTDOCFLAGS='-D warnings' cargo doc --quiet --offline --no-deps"

	# links: a README that links to a missing page, and one whose link resolves.
	mkdir -p "$scratch/links/bad/docs" "$scratch/links/good/docs"
	printf '# T\n\nSee [the page](docs/MISSING.md).\n' >"$scratch/links/bad/README.md"
	printf '# T\n\nSee [the page](docs/PAGE.md#a-heading).\n' >"$scratch/links/good/README.md"
	printf '# Page\n\n## A heading\n' >"$scratch/links/good/docs/PAGE.md"
	expect fail "links: link to a missing page" "MISSING.md: no such file" node scripts/check-links.mjs "$scratch/links/bad"
	expect pass "links: resolving link" "" node scripts/check-links.mjs "$scratch/links/good"

	# deny: a crate under a licence the policy does not allow.
	new_crate "$scratch/licence" "GPL-2.0-only" "$good"
	cp deny.toml "$scratch/licence/"
	cp deny.toml "$scratch/good/"
	# The workspace's per-crate bans name crates a scratch crate does not have: only licences.
	expect fail "deny: disallowed licence (GPL-2.0)" "GPL-2.0-only" bash -c "cd '$scratch/licence' && cargo deny --offline --log-level error check licenses"
	expect pass "deny: allowed licence (Apache-2.0)" "" bash -c "cd '$scratch/good' && cargo deny --offline --log-level error check licenses"

	rm -rf "$scratch"
	[ "$failures" -eq 0 ]
}

if [ "$self_test" -eq 1 ]; then
	self_test
	exit $?
fi

failed=()
for c in "${checks[@]}"; do
	want "$c" || continue
	run_check "$c" || failed+=("$c")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "check.sh: failed: ${failed[*]}"
	exit 1
fi
