//! Domain-separated hashing: every SHA-2 hash this crate defines goes through
//! [`tagged_sha256`] or [`tagged_sha512`] with one of the tags in [`tags`]. (The SM3-based `H1`
//! and KDF of the SM9 module are the standard's own; the two `*_KEM_DEM` tags are used as AEAD
//! associated-data prefixes, and `IDENTITY_PROOF` as a merlin transcript label.)
//!
//! `H_tag(data) = SHA-2(len(tag) as one byte || tag || data)`.
//!
//! The length prefix makes the encoding of `(tag, data)` injective even if one tag were a
//! prefix of another; every `data` in this crate is either fixed-length or the last field, so
//! the whole hash input is unambiguous.

use sha2::{Digest, Sha256, Sha512};

/// The domain-separation tags of every hash and transcript in this crate (ASCII).
///
/// Each tag names its purpose and a version. Changing a derivation means a new tag.
pub mod tags {
	/// SRAM PUF model: per-cell start-up preference stream, `SHA-256(tag, seed || ctr_le32)`.
	pub const PUF_CELLS: &[u8] = b"endochain/puf/cells/v1";
	/// Fuzzy extractor: expansion of the public extractor seed into the Toeplitz diagonal bits,
	/// `SHA-256(tag, seed || ctr_le32)`.
	pub const PUF_TOEPLITZ: &[u8] = b"endochain/puf/toeplitz/v1";
	/// Fuzzy extractor: check value stored in the helper data,
	/// `SHA-256(tag, key || seed || offset)`.
	pub const PUF_CHECK: &[u8] = b"endochain/puf/check/v1";
	/// Identity: device secret scalar, `SHA-512(tag, puf_key)` reduced mod the group order.
	pub const DEVICE_SECRET: &[u8] = b"endochain/identity/secret/v1";
	/// Identity: device ID, `SHA-256(tag, compressed_public_key)`.
	pub const DEVICE_ID: &[u8] = b"endochain/identity/device-id/v1";
	/// NIZK: merlin transcript label (the Schnorr identity proof of the paper's Fig. 7).
	pub const IDENTITY_PROOF: &[u8] = b"endochain/identity-proof/v1";
	/// NIZK: merlin transcript label of the coefficients of a batch verification (over every
	/// proof of the batch).
	pub const IDENTITY_PROOF_BATCH: &[u8] = b"endochain/identity-proof-batch/v1";
	/// SM9: pre-hash of a message before SM9 signing, `SHA-256(tag, message)`.
	pub const SM9_SIGN_PREHASH: &[u8] = b"endochain/sm9/sign-prehash/v1";
	/// SM9: associated data of the AEAD that follows SM9 key encapsulation.
	pub const SM9_KEM_DEM: &[u8] = b"endochain/sm9/kem-dem/v1";
	/// CP-ABE: associated data of the AEAD that follows the AC17 encapsulation.
	pub const ABE_KEM_DEM: &[u8] = b"endochain/abe/kem-dem/v1";
}

/// `SHA-256(len(tag) || tag || part_0 || part_1 || ...)`.
pub fn tagged_sha256(tag: &[u8], parts: &[&[u8]]) -> [u8; 32] {
	let mut hasher = Sha256::new();
	hasher.update([tag_len(tag)]);
	hasher.update(tag);
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

/// `SHA-512(len(tag) || tag || part_0 || part_1 || ...)`.
pub fn tagged_sha512(tag: &[u8], parts: &[&[u8]]) -> [u8; 64] {
	let mut hasher = Sha512::new();
	hasher.update([tag_len(tag)]);
	hasher.update(tag);
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

/// Tags are short ASCII constants; a tag longer than 255 bytes would be a programming error, so
/// the length saturates rather than wraps (all tags in [`tags`] are under 40 bytes).
fn tag_len(tag: &[u8]) -> u8 {
	u8::try_from(tag.len()).unwrap_or(u8::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn tags_are_distinct_and_short() {
		let all = [
			tags::PUF_CELLS,
			tags::PUF_TOEPLITZ,
			tags::PUF_CHECK,
			tags::DEVICE_SECRET,
			tags::DEVICE_ID,
			tags::IDENTITY_PROOF,
			tags::IDENTITY_PROOF_BATCH,
			tags::SM9_SIGN_PREHASH,
			tags::SM9_KEM_DEM,
			tags::ABE_KEM_DEM,
		];
		for (i, a) in all.iter().enumerate() {
			assert!(a.len() < 64 && a.is_ascii());
			for b in &all[i + 1..] {
				assert_ne!(a, b);
			}
		}
	}

	#[test]
	fn tagged_hash_is_length_prefixed() {
		// Independent recomputation of the documented formula.
		let mut input = vec![3u8];
		input.extend_from_slice(b"abc");
		input.extend_from_slice(b"xyz");
		let expected: [u8; 32] = Sha256::digest(&input).into();
		assert_eq!(tagged_sha256(b"abc", &[b"x", b"yz"]), expected);
		// Moving a byte between tag and data changes the hash.
		assert_ne!(tagged_sha256(b"abcx", &[b"yz"]), expected);
	}
}
