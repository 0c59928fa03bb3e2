# Sourced by the project's scripts: one place for the build environment.
# shellcheck shell=bash
ENDO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ENDO_ROOT
# rustup's cargo first: Debian's rustc-web also installs /usr/bin/cargo.
export PATH="$HOME/.cargo/bin:$PATH"
# One persistent target dir outside the clone, shared by dev.sh, test.sh and CI.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/endochain/target}"
# The wasm runtime is compiled by Debian's rustc-web (see scripts/setup.sh).
export WASM_BUILD_TOOLCHAIN="${WASM_BUILD_TOOLCHAIN:-debian-web}"
# The target dir is outside the clone: tell the wasm builder where the workspace (and its
# Cargo.lock) is, so that the runtime's wasm build uses the locked versions.
export WASM_BUILD_WORKSPACE_HINT="$ENDO_ROOT"
# One cargo profile for building and testing.
export ENDO_PROFILE=release
export ENDO_NODE_BIN="$CARGO_TARGET_DIR/$ENDO_PROFILE/endochain-node"
# The device simulator the e2e tests drive (crates/endo-device).
export ENDO_DEVICE_BIN="${ENDO_DEVICE_BIN:-$CARGO_TARGET_DIR/$ENDO_PROFILE/endochain-device}"
# The vulnerability-sharing tool the e2e tests drive (crates/endo-uiv-cli).
export ENDO_UIV_BIN="${ENDO_UIV_BIN:-$CARGO_TARGET_DIR/$ENDO_PROFILE/endochain-uiv}"

# Runs scripts/setup.sh when a prerequisite of the build or the tests is missing, so that
# dev.sh and test.sh work on a fresh machine and stay fast on a prepared one.
endo_ensure_setup() {
	local missing=()
	command -v cargo >/dev/null 2>&1 || missing+=("cargo")
	command -v protoc >/dev/null 2>&1 || missing+=("protoc")
	command -v clang >/dev/null 2>&1 || missing+=("clang")
	command -v node >/dev/null 2>&1 || missing+=("node")
	command -v npm >/dev/null 2>&1 || missing+=("npm")
	[ -x /usr/bin/rustc ] && /usr/bin/rustc --version 2>/dev/null | grep -q . || missing+=("rustc-web")
	rustup toolchain list 2>/dev/null | grep -q '^debian-web' || missing+=("debian-web toolchain")
	[ -x "/usr/lib/rustlib/$(uname -m)-unknown-linux-gnu/bin/rust-lld" ] || missing+=("rust-lld link")
	local stamp=/usr/lib/rustlib/wasm32v1-none/lib/.endochain-rustc-version
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(/usr/bin/rustc --version 2>/dev/null)" ]; then
		missing+=("wasm32v1-none sysroot")
	fi
	[ "$(cargo-deny --version 2>/dev/null)" = "cargo-deny 0.20.2" ] || missing+=("cargo-deny")
	local d
	for d in e2e zombienet; do
		if [ -f "$ENDO_ROOT/$d/package-lock.json" ] && { [ ! -d "$ENDO_ROOT/$d/node_modules" ] ||
			[ "$ENDO_ROOT/$d/package-lock.json" -nt "$ENDO_ROOT/$d/node_modules/.package-lock.json" ]; }; then
			missing+=("$d/node_modules")
		fi
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "[setup] missing: ${missing[*]} -> running scripts/setup.sh"
		bash "$ENDO_ROOT/scripts/setup.sh"
	fi
}
