#!/usr/bin/env bash
# Sets up an Endochain build machine. Idempotent: on a prepared machine it only checks. Runs as
# root (or with sudo) on a fresh Debian 12 (bookworm) machine; the other scripts run it by
# themselves when a prerequisite is missing (endo_ensure_setup in scripts/env.sh).
#
#  1. Debian packages the build needs (rustc-web for the wasm runtime, lld-22 to link it,
#     protobuf-compiler and clang for libp2p / bindgen crates).
#  2. Links Debian's compiler as the rustup toolchain `debian-web` (WASM_BUILD_TOOLCHAIN).
#  3. Builds the precompiled core/alloc/compiler_builtins for wasm32v1-none once with Debian's
#     compiler and installs them into its sysroot (redone when rustc-web changes).
#  4. Installs the npm dependencies of e2e/ and zombienet/ from their lockfiles (npm ci).
#  5. Installs cargo-deny (pinned) for scripts/check.sh, and checks that rustup's clippy and
#     rustfmt components are there.
#
# Usage: ./scripts/setup.sh
set -euo pipefail
# env.sh only sets variables and defines a function: safe before any Rust tool is installed.
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
	"") ;;
	-h | --help) usage; exit 0 ;;
	*) echo "setup.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
esac

say() { echo "[setup] $*"; }
die() { echo "setup.sh: $*" >&2; exit 1; }

APT_PACKAGES=(rustc-web cargo-web rust-web-src lld-22 protobuf-compiler clang libclang-dev
	pkg-config make git curl ca-certificates nodejs npm iproute2 procps fonts-dejavu-core)
WASM_TARGET=wasm32v1-none
SYSROOT_LIB=/usr/lib/rustlib/${WASM_TARGET}/lib
STAMP="${SYSROOT_LIB}/.endochain-rustc-version"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "run as root (or install sudo): packages must be installed"
	SUDO="sudo"
fi

# --- 1. Debian packages --------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
	# nodejs/npm may come from elsewhere (e.g. a preinstalled Node.js): accept the commands.
	case "$p" in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	$SUDO apt-get update -qq || die "apt-get update failed"
	if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
		failed=()
		for p in "${missing[@]}"; do
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" \
				>/dev/null 2>&1 || failed+=("$p")
		done
		[ ${#failed[@]} -eq 0 ] || die "could not install Debian package(s): ${failed[*]}"
	fi
else
	say "Debian packages present"
fi

# --- 2. rustup toolchains --------------------------------------------------------------------
command -v rustup >/dev/null 2>&1 || die "rustup not found: install the Rust toolchain with rustup first"
command -v cargo >/dev/null 2>&1 || die "cargo (rustup) not found on PATH"
if ! rustup toolchain list | grep -q '^debian-web'; then
	say "linking Debian's rustc-web as rustup toolchain debian-web"
	rustup toolchain link debian-web /usr || die "rustup toolchain link debian-web /usr failed"
else
	say "rustup toolchain debian-web linked"
fi
# rustc links wasm with `rust-lld -flavor wasm`; Debian's rustc-web looks for it in its
# sysroot, where no package puts it: link LLVM 22's multi-call lld there.
HOST_BIN=/usr/lib/rustlib/$(/usr/bin/rustc -vV | sed -n 's/^host: //p')/bin
if [ ! -x "$HOST_BIN/rust-lld" ]; then
	[ -x /usr/lib/llvm-22/bin/lld ] || die "lld-22 is not installed: the wasm link would fail"
	say "linking $HOST_BIN/rust-lld -> /usr/lib/llvm-22/bin/lld"
	$SUDO mkdir -p "$HOST_BIN"
	$SUDO ln -sf /usr/lib/llvm-22/bin/lld "$HOST_BIN/rust-lld"
fi

# --- 3. wasm32v1-none sysroot ----------------------------------------------------------------
want="$(/usr/bin/rustc --version)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && ls "$SYSROOT_LIB"/libcore-*.rlib >/dev/null 2>&1; then
	say "wasm32v1-none sysroot present for $want"
else
	say "building core/alloc for ${WASM_TARGET} with $want (once, about a minute)"
	scratch="$(mktemp -d)"
	trap 'rm -rf "$scratch"' EXIT
	mkdir -p "$scratch/src"
	cat >"$scratch/Cargo.toml" <<'TOML'
[package]
name = "sysroot-seed"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
panic = "abort"
lto = true
TOML
	printf '#![no_std]\nextern crate alloc;\npub fn f(v: &alloc::vec::Vec<u8>) -> usize { v.len() }\n' >"$scratch/src/lib.rs"
	( cd "$scratch" && CARGO_TARGET_DIR="$scratch/target" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
			RUSTFLAGS="-Cembed-bitcode=yes -Zforce-unstable-if-unmarked" \
			/usr/bin/cargo build --quiet --release --target "$WASM_TARGET" -Zbuild-std=core,alloc ) \
		|| die "building core/alloc for ${WASM_TARGET} failed (is rust-web-src installed?)"
	$SUDO mkdir -p "$SYSROOT_LIB"
	$SUDO rm -f "$SYSROOT_LIB"/lib{core,alloc,compiler_builtins}-*.rlib
	for l in core alloc compiler_builtins; do
		$SUDO cp "$scratch/target/${WASM_TARGET}/release/deps/lib${l}-"*.rlib "$SYSROOT_LIB/" \
			|| die "missing lib${l} for ${WASM_TARGET}"
	done
	echo "$want" | $SUDO tee "$STAMP" >/dev/null
fi

# --- 4. npm dependencies ---------------------------------------------------------------------
for dir in e2e zombienet; do
	if [ -f "$ENDO_ROOT/$dir/package-lock.json" ]; then
		if [ ! -d "$ENDO_ROOT/$dir/node_modules" ] || [ "$ENDO_ROOT/$dir/package-lock.json" -nt "$ENDO_ROOT/$dir/node_modules/.package-lock.json" ]; then
			say "npm ci in $dir/"
			( cd "$ENDO_ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error ) || die "npm ci failed in $dir/"
		else
			say "npm dependencies of $dir/ present"
		fi
	fi
done

# --- 5. check tools ---------------------------------------------------------------------------
CARGO_DENY_VERSION=0.20.2
if [ "$(cargo-deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
	say "installing cargo-deny $CARGO_DENY_VERSION (once, a few minutes)"
	CARGO_TARGET_DIR="$HOME/.cache/endochain/tools-target" \
		cargo install --quiet --locked cargo-deny --version "$CARGO_DENY_VERSION" ||
		die "cargo install cargo-deny failed"
else
	say "cargo-deny $CARGO_DENY_VERSION present"
fi
for tool in cargo-clippy rustfmt; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool not found: install rustup's clippy and rustfmt components"
done

say "done"
