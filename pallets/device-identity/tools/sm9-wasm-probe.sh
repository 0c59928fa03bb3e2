#!/usr/bin/env bash
# Measures what one SM9 signature verification (GM/T 0044, `sm9_core` 0.5.0, no_std) and one
# NIZK identity-proof verification (`endo-crypto`, no_std) cost natively and in wasm
# (wasm32v1-none, timed in Node's V8 as a stand-in for the node's wasmtime). This is the
# measurement behind pallet-device-identity's decision to verify SM9 credentials off chain
# (crate docs, docs/ENDOGENOUS-IDENTITY.md §8; the figures are in docs/PERFORMANCE.md, "SM9 in
# the runtime") and behind the NIZK cost in its weights.rs.
#
# Needs: rustup's cargo, the `debian-web` toolchain with wasm32v1-none (scripts/setup.sh,
# DESIGN.md "Wasm toolchain"), node. Builds a throw-away crate in $PROBE_DIR (default
# ~/.cache/endochain/sm9-wasm-probe) with its own target dir; touches nothing in the repo.
# Usage: pallets/device-identity/tools/sm9-wasm-probe.sh [runs]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
probe="${PROBE_DIR:-$HOME/.cache/endochain/sm9-wasm-probe}"
runs="${1:-3}"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="$probe/target"
vectors="$repo/crates/endo-crypto/tests/data"
get() { grep "^$1 *=" "$2" | head -1 | sed 's/.*= *//' | tr -d ' \n'; }

mkdir -p "$probe/src" "$probe/examples"
cat > "$probe/Cargo.toml" <<EOF
[package]
name = "sm9-wasm-probe"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
sm9_core = { version = "=0.5.0", default-features = false }
sm3 = { version = "0.4", default-features = false }
endo-crypto = { path = "$repo/crates/endo-crypto", default-features = false }

[profile.release]
panic = "abort"
lto = true
codegen-units = 1

[workspace]
EOF

sm9="$vectors/sm9_gmt0044.txt"
nizk="$vectors/identity_proof.txt"
cat > "$probe/src/lib.rs" <<EOF
//! GM/T 0044-2016 Annex A signature (identity "Alice") and the first vector of
//! endo-crypto's identity_proof.txt, verified natively or in wasm.
#![cfg_attr(target_family = "wasm", no_std)]
extern crate alloc;
use sm3::{Digest, Sm3};
use sm9_core::{fast_pairing, Fr, Group, Gt, G1, G2};

const PPUB_S: [u8; 128] = sm9_core::hex!("$(get ppub_s "$sm9")");
const MSG: &[u8] = &sm9_core::hex!("$(get signed_message "$sm9")");
const SIG: [u8; 97] = sm9_core::hex!("$(get signature "$sm9")");

fn hash_to_range(i: u8, parts: &[&[u8]]) -> Fr {
	let mut ha = [0u8; 64];
	for (counter, out) in [1u32, 2].iter().zip(ha.chunks_mut(32)) {
		let mut sm3 = Sm3::new();
		sm3.update([i]);
		for part in parts { sm3.update(part); }
		sm3.update(counter.to_be_bytes());
		out.copy_from_slice(&sm3.finalize());
	}
	Fr::from_hash(&ha[..40]).unwrap()
}

/// g = e(P1, Ppub-s), once per master key (endo-crypto caches it the same way).
pub fn master_g() -> Gt { fast_pairing(G1::one(), G2::from_slice(&PPUB_S).unwrap()) }

/// GM/T 0044 part 2 section 7.1, as endo_crypto::Sm9MasterSignPublicKey::verify_raw.
pub fn sm9_verify(g: Option<&Gt>) -> bool {
	let ppub = G2::from_slice(&PPUB_S).unwrap();
	let g = match g { Some(g) => *g, None => master_g() };
	let h = Fr::from_slice(&SIG[..32]).unwrap();
	let s = G1::from_slice(&SIG[33..]).unwrap();
	let h1 = hash_to_range(1, &[b"Alice", &[1u8]]);
	let w = fast_pairing(s, G2::one() * h1 + ppub) * g.pow(h);
	hash_to_range(2, &[MSG, &w.to_slice()]) == h
}

pub fn nizk_verify() -> bool {
	let genesis = sm9_core::hex!("$(get genesis_hash "$nizk")");
	let id = sm9_core::hex!("$(get device_id "$nizk")");
	let pk = sm9_core::hex!("$(get public_key "$nizk")");
	let purpose = sm9_core::hex!("$(get purpose "$nizk")");
	let challenge = sm9_core::hex!("$(get challenge "$nizk")");
	let proof = sm9_core::hex!("$(get proof "$nizk")");
	let Ok(pk) = endo_crypto::DevicePublicKey::from_bytes(&pk) else { return false };
	endo_crypto::verify_identity_proof_bytes(
		&genesis, &endo_crypto::DeviceId::from_bytes(id), &pk, &purpose, &challenge, &proof,
	)
	.is_ok()
}

#[cfg(target_family = "wasm")]
mod wasm {
	use core::alloc::{GlobalAlloc, Layout};
	struct Bump;
	static mut NEXT: usize = 0;
	const HEAP: usize = 32 << 20;
	static mut ARENA: [u8; HEAP] = [0; HEAP];
	unsafe impl GlobalAlloc for Bump {
		unsafe fn alloc(&self, l: Layout) -> *mut u8 {
			let start = (NEXT + l.align() - 1) & !(l.align() - 1);
			if start + l.size() > HEAP { return core::ptr::null_mut(); }
			NEXT = start + l.size();
			core::ptr::addr_of_mut!(ARENA).cast::<u8>().add(start)
		}
		unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
	}
	#[global_allocator]
	static A: Bump = Bump;
	#[panic_handler]
	fn panic(_: &core::panic::PanicInfo) -> ! { core::arch::wasm32::unreachable() }
	fn reset() { unsafe { NEXT = 0 } }

	#[no_mangle]
	pub extern "C" fn sm9_cached(n: u32) -> u32 {
		reset();
		let g = super::master_g();
		(0..n).filter(|_| super::sm9_verify(Some(&g))).count() as u32
	}
	#[no_mangle]
	pub extern "C" fn sm9_full(n: u32) -> u32 {
		reset();
		(0..n).filter(|_| super::sm9_verify(None)).count() as u32
	}
	#[no_mangle]
	pub extern "C" fn nizk(n: u32) -> u32 {
		reset();
		(0..n).filter(|_| super::nizk_verify()).count() as u32
	}
}
EOF

cat > "$probe/examples/native.rs" <<'EOF'
use std::time::Instant;
fn per_call(n: u32, f: impl Fn() -> bool) -> f64 {
	assert!(f());
	let start = Instant::now();
	for _ in 0..n {
		assert!(f());
	}
	start.elapsed().as_secs_f64() / f64::from(n)
}
fn main() {
	let g = sm9_wasm_probe::master_g();
	println!("native NIZK verify: {:.1} us", 1e6 * per_call(5000, sm9_wasm_probe::nizk_verify));
	println!("native SM9 verify (cached g): {:.3} ms", 1e3 * per_call(100, || sm9_wasm_probe::sm9_verify(Some(&g))));
	println!("native SM9 verify (with g): {:.3} ms", 1e3 * per_call(100, || sm9_wasm_probe::sm9_verify(None)));
}
EOF

cat > "$probe/run.mjs" <<'EOF'
import { readFileSync } from 'node:fs';
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), {});
const e = instance.exports;
const time = (f, n) => {
  f(Math.max(1, n / 10)); // warm up (tier-up)
  const start = process.hrtime.bigint();
  const ok = f(n);
  if (ok !== n) throw new Error('a verification failed');
  return Number(process.hrtime.bigint() - start) / n;
};
console.log(`wasm (V8) NIZK verify: ${(time(e.nizk, 5000) / 1e3).toFixed(1)} us`);
console.log(`wasm (V8) SM9 verify (cached g): ${(time(e.sm9_cached, 50) / 1e6).toFixed(3)} ms`);
console.log(`wasm (V8) SM9 verify (with g): ${(time(e.sm9_full, 50) / 1e6).toFixed(3)} ms`);
EOF

cd "$probe"
nice -n 19 cargo +debian-web build -q --release --lib --target wasm32v1-none -j 1
nice -n 19 cargo build -q --release --example native -j 1
wasm="$CARGO_TARGET_DIR/wasm32v1-none/release/sm9_wasm_probe.wasm"
echo "sm9_core $(grep -A1 'name = "sm9_core"' Cargo.lock | grep version | cut -d'"' -f2) built for wasm32v1-none without std: $(stat -c %s "$wasm") bytes"
for _ in $(seq "$runs"); do
	echo "--- $(uptime | sed 's/.*load/load/')"
	"$CARGO_TARGET_DIR/release/examples/native"
	node run.mjs "$wasm"
done
