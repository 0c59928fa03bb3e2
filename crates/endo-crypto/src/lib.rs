//! # endo-crypto
//!
//! The cryptographic core of Endochain's *endogenous identity* (Chen, Han, Zhang 2023,
//! "Endogenous Security Formal Definition, Innovation Mechanisms, and Experiment Research in
//! Industrial Internet", sections 3 to 5), shared by the runtime (no_std, wasm) and the node and
//! CLI (std).
//!
//! | module | what | paper | build |
//! |---|---|---|---|
//! | [`puf`] | SRAM PUF model: seeded per-cell start-up preference, noisy reads | §3, §5 (Fig. 6 step 1) | no_std |
//! | [`code`] | RM(1,8) `[256, 9, 128]` code, ML decoding by fast Hadamard transform | | no_std |
//! | [`fuzzy`] | fuzzy extractor: code-offset sketch + Toeplitz strong extractor + check | | no_std |
//! | [`identity`] | device secret, public key (Ristretto255) and ID from the PUF key | Fig. 6 steps 1-3 | no_std |
//! | [`nizk`] | Schnorr NIZK identity proof bound to chain, device, purpose, challenge; batch verification | Fig. 7 | no_std (alloc) |
//! | [`device_identity`] | the chain protocol's tags and byte lengths, SM9 structural checks; the proxies' SM9 verdict on an IBE credential (std) | Figs. 5-7 | no_std (verdict: std) |
//! | `sm9` (std) | SM9 (GM/T 0044-2016) KGC, signatures, KEM + AEAD encryption | §4 Algorithm 1, Table 2 | std |
//! | `abe` (std) | CP-ABE (AC17) by trust level | §4 Algorithm 1, Table 3 | std |
//!
//! ## Flow
//!
//! ```text
//! enrolment:      x = PufResponse::majority(&[5 reads])  (K, P) = fuzzy::enroll(x)   P public
//! every power-up: K = fuzzy::reconstruct(puf.read(), P)
//!                 (s, pk, ID) = DeviceKeypair::from_puf_key(K)
//! authentication: proof = nizk::prove_identity(keypair, genesis, purpose, challenge)
//! on chain:       nizk::verify_identity_proof(genesis, ID, pk, purpose, challenge, proof)
//! a batch:        nizk::verify_identity_proofs_batch(genesis, purpose, challenge, entries)
//! ```
//!
//! ## For pallets (no_std)
//!
//! A pallet stores a device's [`DeviceId`] (32 bytes) and [`DevicePublicKey`] (32 bytes,
//! validated on parsing), issues a fresh 32-byte challenge, and checks a 64-byte
//! [`IdentityProof`] with [`verify_identity_proof`]`(genesis_hash, device_id, public_key,
//! purpose, challenge, proof)`. All types have fixed-size `to_bytes`/`from_bytes` without SCALE;
//! parsing the key and the proof and verifying the proof fail with one small enum,
//! [`ProofError`], which the pallet maps variant by variant to its own errors. The protocol's
//! tags, byte lengths and the structural checks of SM9 keys and signatures are in
//! [`device_identity`].
//!
//! ## Exact derivations
//!
//! All hashes are length-prefixed, tagged SHA-2 ([`hash`]): `H_tag(d) = SHA-2(len(tag) || tag
//! || d)` with the tags in [`hash::tags`]. Integers are little-endian unless said otherwise;
//! bit `i` of a byte string is bit `i % 8` (least significant first) of byte `i / 8`.
//!
//! * PUF cell preference: `u_i` = `i`-th LE `u32` of `SHA-256(PUF_CELLS, seed || ctr_le32)`,
//!   preferred value `u_i < one_probability * 2^32` ([`puf`]).
//! * Fuzzy extractor: `w = x XOR RM(m)`, `K_j = XOR_i x_i t_{i+j}` with `t` from
//!   `SHA-256(PUF_TOEPLITZ, s || ctr_le32)`, check `SHA-256(PUF_CHECK, K || s || w)`, helper
//!   data `0x01 || w || s || check` ([`fuzzy`]).
//! * Identity: `s = SHA-512(DEVICE_SECRET, K) mod l`, `pk = compress(s B)`,
//!   `ID = SHA-256(DEVICE_ID, pk)` ([`identity`]).
//! * Proof: merlin transcript `endochain/identity-proof/v1` over genesis hash, ID, pk,
//!   purpose, challenge, commitment ([`nizk`]).
//!
//! `docs/ENDOGENOUS-IDENTITY.md` in the repository repeats these with the design rationale, the
//! failure-rate analysis and the helper-data leakage argument; `tests/data/` holds test vectors.
//!
//! ## Errors and bad input
//!
//! One public error per concern, each with only the outcomes of its functions: [`PufError`]
//! (PUF model, fuzzy extractor, key derivation), [`ProofError`] (public keys, identity proofs),
//! `Sm9Error` and `AbeError` (std). Malformed keys, proofs, ciphertexts, helper data or
//! identities give a specific variant, never a panic and never a wrong "valid". The std backends
//! (`sm9`, `rabe`) are known to panic on some malformed inputs; this crate validates inputs
//! before calling them and additionally runs them under `catch_unwind`, mapping a panic to the
//! error's `Backend` variant (this needs `panic = "unwind"`, the workspace's release setting).
//!
//! ## Randomness
//!
//! The no_std API takes the caller's RNG (`rand_core` 0.6 `RngCore + CryptoRng`); nothing here
//! pulls `getrandom` into a no_std build.

#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

extern crate alloc;

#[cfg(feature = "std")]
pub mod abe;
#[cfg(feature = "std")]
mod backend;
pub mod code;
pub mod device_identity;
mod error;
pub mod fuzzy;
pub mod hash;
pub mod identity;
pub mod nizk;
pub mod puf;
#[cfg(feature = "std")]
pub mod sm9;
#[cfg(test)]
mod test_data;

#[cfg(feature = "std")]
pub use error::{AbeError, Sm9Error};
pub use error::{ProofError, PufError};
pub use fuzzy::{enroll, enroll_with, reconstruct, EnrollmentRandomness, HelperData, PufKey};
pub use identity::{DeviceId, DeviceKeypair, DevicePublicKey, DeviceSecret};
pub use nizk::{
	prove_identity, verify_identity_proof, verify_identity_proof_bytes,
	verify_identity_proofs_batch, IdentityProof,
};
pub use puf::{PufConfig, PufResponse, SramPuf};

#[cfg(feature = "std")]
pub use abe::{AbeAuthority, AbePublicKey, AbeUserKey, TrustLevel};
#[cfg(feature = "std")]
pub use sm9::{
	Sm9Kgc, Sm9MasterEncryptPublicKey, Sm9MasterSignPublicKey, Sm9Signature, Sm9UserDecryptionKey,
	Sm9UserSigningKey,
};

/// Highest trust level of the CP-ABE scheme (levels are `0..=MAX_TRUST_LEVEL`).
pub const MAX_TRUST_LEVEL: u8 = 15;

/// Longest accepted SM9 identity, in bytes (the `sm9` crate passes identities to its key
/// encapsulation as a NUL-terminated 128-byte buffer).
pub const MAX_SM9_IDENTITY_LEN: usize = 128;
