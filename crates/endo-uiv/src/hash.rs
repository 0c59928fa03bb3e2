//! The hasher abstraction and the domain-separation tags of every hash in the crate.
//!
//! UIV-TSP (paper 002) says "hash" for its tokens (sec. 3.2) and its log tree (sec. 3.3);
//! Endochain uses SHA-256 (DESIGN.md: "`sha2` where the papers say hash"). Every preimage is
//! `[len(tag)] || tag || fields`: the one-byte tag length makes the framing unambiguous, so no
//! hash of one kind can be presented as a hash of another kind.
//!
//! # Plugging a host function
//!
//! Inside the runtime, SHA-256 is cheaper through the host. A pallet supplies it as
//!
//! ```ignore
//! pub struct HostSha256;
//! impl endo_uiv::Hasher for HostSha256 {
//!     fn hash(data: &[u8]) -> [u8; 32] {
//!         sp_io::hashing::sha2_256(data)
//!     }
//! }
//! ```
//!
//! and calls the `*_with::<HostSha256>` functions; they give the same bytes as the plain
//! functions, which use [`Sha256`].

use alloc::vec::Vec;
use sha2::Digest;

/// A 256-bit hash function. Implementations must be SHA-256 (FIPS 180-4) for their results to
/// agree with the rest of the chain.
pub trait Hasher {
	/// The hash of `data`.
	fn hash(data: &[u8]) -> [u8; 32];

	/// The hash of the concatenation of `parts`. The default concatenates into one buffer;
	/// implementations with an incremental interface may override it (same result).
	fn hash_parts(parts: &[&[u8]]) -> [u8; 32] {
		let len = parts.iter().fold(0usize, |n, p| n.saturating_add(p.len()));
		let mut buffer = Vec::with_capacity(len);
		for part in parts {
			buffer.extend_from_slice(part);
		}
		Self::hash(&buffer)
	}
}

/// SHA-256 from the `sha2` crate, the crate's default [`Hasher`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Sha256;

impl Hasher for Sha256 {
	fn hash(data: &[u8]) -> [u8; 32] {
		sha2::Sha256::digest(data).into()
	}

	fn hash_parts(parts: &[&[u8]]) -> [u8; 32] {
		let mut hasher = sha2::Sha256::new();
		for part in parts {
			hasher.update(part);
		}
		hasher.finalize().into()
	}
}

/// The domain-separation tags. Each is hashed as `[len(tag)] || tag` before the fields.
pub mod tags {
	/// `access_token = H(ACCESS_TOKEN, vul_meta_hash, len(sw) as u32 LE, sw, nonce)`
	/// (UIV-TSP sec. 3.2.1-3.2.2, tokenaccess).
	pub const ACCESS_TOKEN: &[u8] = b"endochain/uiv/access-token/v1";
	/// `tracing_token = H(TRACING_TOKEN, access_token, host_fingerprint)` (sec. 3.2.2,
	/// tokentracing: the access token and the SW host's MAC address).
	pub const TRACING_TOKEN: &[u8] = b"endochain/uiv/tracing-token/v1";
	/// `commitment = H(COMMITMENT, token)`: what the chain holds instead of a token.
	pub const COMMITMENT: &[u8] = b"endochain/uiv/token-commitment/v1";
	/// `genesis = H(TOKEN_GENESIS, case as u64 LE, len(sw) as u32 LE, sw)`: the first link of
	/// a per-(case, SW) token history.
	pub const TOKEN_GENESIS: &[u8] = b"endochain/uiv/token-genesis/v1";
	/// `link = H(TOKEN_UPDATE, previous_link, new_commitment)`: one token update.
	pub const TOKEN_UPDATE: &[u8] = b"endochain/uiv/token-update/v1";
	/// `genesis = H(CASE_GENESIS, case as u64 LE, vendor, opened_at_block as u32 LE)`.
	pub const CASE_GENESIS: &[u8] = b"endochain/uiv/case-genesis/v1";
	/// `link = H(CASE_LINK, prev_link, leaf_hash)`: one step of a case's log chain.
	pub const CASE_LINK: &[u8] = b"endochain/uiv/case-link/v1";
	/// `leaf_hash = H(LOG_LEAF, SCALE(entry))`: a leaf of the per-block log tree.
	pub const LOG_LEAF: &[u8] = b"endochain/uiv/log-leaf/v1";
	/// `node = H(LOG_NODE, left, right)`: an inner node of the per-block log tree.
	pub const LOG_NODE: &[u8] = b"endochain/uiv/log-node/v1";
	/// `root = H(LOG_ROOT, leaf_count as u32 LE, tree_root)`: the block's log root, which binds
	/// the number of leaves.
	pub const LOG_ROOT: &[u8] = b"endochain/uiv/log-root/v1";
	/// `key = H(REPORT_KEY, ephemeral_public, shared_point)`: the key of a report sealed to a
	/// TA's report key (`seal`, std).
	pub const REPORT_KEY: &[u8] = b"endochain/uiv/report-key/v1";
	/// `key = H(PACKAGE_KEY, ephemeral_public, shared_point)`: the key of a package sealed to a
	/// granted SW's account key (`seal`, std).
	pub const PACKAGE_KEY: &[u8] = b"endochain/uiv/package-key/v1";
	/// `host_id = H(HOST_ID, fingerprint)`: the identifier of an SW host that the tracing token
	/// binds (`package::host_id`).
	pub const HOST_ID: &[u8] = b"endochain/uiv/host-id/v1";
	/// `H(FETCH_REQUEST, genesis, case as u64 LE, sw, host_id)`: what an SW signs to fetch its
	/// package from the TA's node (`package::fetch_message`).
	pub const FETCH_REQUEST: &[u8] = b"endochain/uiv/fetch-request/v1";
	/// `H(END_REQUEST, genesis, case as u64 LE, sw, tracing_commitment)`: what an SW signs to
	/// end its access (`package::end_message`).
	pub const END_REQUEST: &[u8] = b"endochain/uiv/end-request/v1";
	/// `H(REPORT_CONTEXT, genesis, ta, opener)`: the context a report is sealed in
	/// (`package::report_context`).
	pub const REPORT_CONTEXT: &[u8] = b"endochain/uiv/report-context/v1";
	/// `H(PACKAGE_CONTEXT, genesis, sw)`: the context a package is sealed in
	/// (`package::package_context`).
	pub const PACKAGE_CONTEXT: &[u8] = b"endochain/uiv/package-context/v1";
	/// `host_secret = H(HOST_SECRET, fingerprint)`: what an SW host derives from its
	/// fingerprint and sends (only) to the TA; `host_id` hashes it (`package::host_secret`).
	pub const HOST_SECRET: &[u8] = b"endochain/uiv/host-secret/v1";
	/// `key = H(HOST_KEY, host_secret, access_token)`: the key of a package's inner,
	/// host-bound layer (`seal::guard`, std).
	pub const HOST_KEY: &[u8] = b"endochain/uiv/host-key/v1";
	/// `check = H(WATERMARK, len(payload) as u16 LE, payload)[..4]`: the check bytes of a mark
	/// embedded in a report's plaintext (`watermark`).
	pub const WATERMARK: &[u8] = b"endochain/uiv/watermark/v1";
	/// `H(TRAP_FLAG, tracing_commitment, flag byte, salt)`: the TA's commitment to whether a
	/// delivery to a deferred SW was a false uiv (`token::trap_commitment`).
	pub const TRAP_FLAG: &[u8] = b"endochain/uiv/trap-flag/v1";
}

/// `H([len(tag)] || tag || parts...)`. Tags are constants shorter than 256 bytes.
pub fn tagged<H: Hasher>(tag: &[u8], parts: &[&[u8]]) -> [u8; 32] {
	let len = [u8::try_from(tag.len()).unwrap_or(u8::MAX)];
	let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len().saturating_add(2));
	all.push(&len);
	all.push(tag);
	all.extend_from_slice(parts);
	H::hash_parts(&all)
}

/// Compares two 32-byte values in time independent of where they differ.
pub fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
	a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A hasher that only has the required method, so `hash_parts` takes the default path.
	struct Plain;
	impl Hasher for Plain {
		fn hash(data: &[u8]) -> [u8; 32] {
			Sha256::hash(data)
		}
	}

	#[test]
	fn sha256_known_answer() {
		// FIPS 180-4 example "abc".
		let expected = [
			0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
			0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
			0xf2, 0x00, 0x15, 0xad,
		];
		assert_eq!(Sha256::hash(b"abc"), expected);
		assert_eq!(Sha256::hash_parts(&[b"a", b"", b"bc"]), expected);
	}

	#[test]
	fn default_and_incremental_parts_agree() {
		let parts: [&[u8]; 3] = [b"endochain", b"/uiv/", &[0u8; 70]];
		assert_eq!(Plain::hash_parts(&parts), Sha256::hash_parts(&parts));
		assert_eq!(
			tagged::<Plain>(tags::LOG_LEAF, &parts),
			tagged::<Sha256>(tags::LOG_LEAF, &parts)
		);
	}

	#[test]
	fn tags_are_distinct_and_short() {
		let all = [
			tags::ACCESS_TOKEN,
			tags::TRACING_TOKEN,
			tags::COMMITMENT,
			tags::TOKEN_GENESIS,
			tags::TOKEN_UPDATE,
			tags::CASE_GENESIS,
			tags::CASE_LINK,
			tags::LOG_LEAF,
			tags::LOG_NODE,
			tags::LOG_ROOT,
			tags::REPORT_KEY,
			tags::PACKAGE_KEY,
			tags::HOST_ID,
			tags::FETCH_REQUEST,
			tags::END_REQUEST,
			tags::REPORT_CONTEXT,
			tags::PACKAGE_CONTEXT,
			tags::HOST_SECRET,
			tags::HOST_KEY,
			tags::WATERMARK,
			tags::TRAP_FLAG,
		];
		for (i, a) in all.iter().enumerate() {
			assert!(a.len() < 256);
			for b in all.iter().skip(i + 1) {
				assert_ne!(a, b);
			}
		}
	}

	#[test]
	fn ct_eq_detects_any_byte() {
		let a = [7u8; 32];
		assert!(ct_eq(&a, &a));
		for i in 0..32 {
			let mut b = a;
			b[i] ^= 1;
			assert!(!ct_eq(&a, &b));
		}
	}
}
