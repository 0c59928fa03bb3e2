//! The TA's dynamic tokens (UIV-TSP, paper 002, sec. 3.2, 3.4.1 and 3.5.3).
//!
//! * [`access_token`] (the paper's tokenaccess, sec. 3.2.1-3.2.2): the implicit access
//!   credential of one SW for one uiv, a hash of the uiv's meta information, the SW and a
//!   one-time random number. The TA draws a fresh nonce at the end of every access, so the token
//!   changes each time (sec. 3.2.2, "to avoid malicious inference").
//! * [`tracing_token`] (tokentracing, sec. 3.2.2): the current access token hashed with the SW
//!   host's fingerprint (the paper uses its MAC address); embedded in the delivered package, and
//!   recomputed by the package's self-check ([`check_tracing`], sec. 3.4.1).
//! * [`commitment`]: the chain never sees a token (sec. 3.3: tokens "are only held by the
//!   system"); it stores this hiding commitment instead. A token is 256 bits from a hash with a
//!   secret nonce, so the commitment needs no further salt.
//! * [`trap_commitment`] (Algorithm 3's trap, sec. 3.5.2): the TA's hiding commitment, made when
//!   it delivers to a deferred (R3) SW, to whether that package is the real uiv or a false one
//!   (a trap), salted with 32 random bytes so that the one bit cannot be guessed; the TA opens
//!   it with the bit and the salt once a leak is reported (or at will).
//! * [`TokenHistory`]: per (case, SW), `link_0 = genesis(case, SW)` and
//!   `link_n = H(TOKEN_UPDATE, link_{n-1}, commitment_n)`. The chain keeps the head link; given
//!   the commitments, anyone recomputes it ([`verify_history`]), so the TA cannot rewrite a
//!   token's past without the head changing.
//!
//! Preimages (tags in [`crate::hash::tags`]; `[n]` is a length byte, `u32`/`u64` little-endian):
//!
//! ```text
//! access_token  = H([29] "endochain/uiv/access-token/v1"   || vul_meta_hash(32) || len(sw) u32 || sw || nonce(32))
//! tracing_token = H([30] "endochain/uiv/tracing-token/v1"  || access_token(32) || host_fingerprint)
//! commitment    = H([33] "endochain/uiv/token-commitment/v1" || token(32))
//! genesis       = H([30] "endochain/uiv/token-genesis/v1"  || case u64 || len(sw) u32 || sw)
//! link          = H([29] "endochain/uiv/token-update/v1"   || previous_link(32) || commitment(32))
//! trap          = H([26] "endochain/uiv/trap-flag/v1"      || tracing_commitment(32) || trap u8 (1: trap, 0: real) || salt(32))
//! ```

use crate::hash::{ct_eq, tagged, tags, Hasher, Sha256};
use crate::Error;
use codec::{Decode, Encode};
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A 32-byte hash.
pub type Hash = [u8; 32];

/// The access token of one SW for one uiv. Secret: held by the TA only, zeroed on drop, and
/// printed as `AccessToken(..)`.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AccessToken(pub [u8; 32]);

/// The tracing token embedded in a delivered package. Secret until a leak is traced.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TracingToken(pub [u8; 32]);

impl fmt::Debug for AccessToken {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("AccessToken(..)")
	}
}

impl fmt::Debug for TracingToken {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("TracingToken(..)")
	}
}

impl AccessToken {
	/// The token's bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}
}

impl TracingToken {
	/// The token's bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}
}

fn len_u32(bytes: &[u8]) -> [u8; 4] {
	u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes()
}

/// `access_token` with hasher `H` (see the module docs for the preimage).
pub fn access_token_with<H: Hasher>(
	vul_meta_hash: &Hash,
	sw: &[u8],
	nonce: &[u8; 32],
) -> AccessToken {
	AccessToken(tagged::<H>(tags::ACCESS_TOKEN, &[vul_meta_hash, &len_u32(sw), sw, nonce]))
}

/// `access_token` with SHA-256: the token of SW account `sw` for the uiv whose meta
/// information hashes to `vul_meta_hash`, under the one-time `nonce`.
pub fn access_token(vul_meta_hash: &Hash, sw: &[u8], nonce: &[u8; 32]) -> AccessToken {
	access_token_with::<Sha256>(vul_meta_hash, sw, nonce)
}

/// `tracing_token` with hasher `H`.
pub fn tracing_token_with<H: Hasher>(
	access: &AccessToken,
	host_fingerprint: &[u8],
) -> TracingToken {
	TracingToken(tagged::<H>(tags::TRACING_TOKEN, &[access.as_bytes(), host_fingerprint]))
}

/// `tracing_token` with SHA-256, for the SW host identified by `host_fingerprint`.
pub fn tracing_token(access: &AccessToken, host_fingerprint: &[u8]) -> TracingToken {
	tracing_token_with::<Sha256>(access, host_fingerprint)
}

/// The package's self-check (sec. 3.4.1): whether the tracing token recomputed on the present
/// host equals the embedded one. `false` means the package left the host it was delivered to.
/// Constant-time in the comparison.
pub fn check_tracing_with<H: Hasher>(
	access: &AccessToken,
	host_fingerprint: &[u8],
	embedded: &TracingToken,
) -> bool {
	ct_eq(tracing_token_with::<H>(access, host_fingerprint).as_bytes(), embedded.as_bytes())
}

/// [`check_tracing_with`] with SHA-256.
pub fn check_tracing(
	access: &AccessToken,
	host_fingerprint: &[u8],
	embedded: &TracingToken,
) -> bool {
	check_tracing_with::<Sha256>(access, host_fingerprint, embedded)
}

/// The commitment to a token's 32 bytes, with hasher `H`.
pub fn commitment_with<H: Hasher>(token: &[u8; 32]) -> Hash {
	tagged::<H>(tags::COMMITMENT, &[token])
}

/// The commitment to a token's 32 bytes (an [`AccessToken`] or [`TracingToken`]'s `as_bytes`),
/// with SHA-256.
pub fn commitment(token: &[u8; 32]) -> Hash {
	commitment_with::<Sha256>(token)
}

/// The TA's commitment to whether the package with tracing commitment `tracing_commitment` is
/// a trap (`trap == true`, a false uiv) or the real report, under the secret random `salt`, with
/// hasher `H` (see the module docs for the preimage).
pub fn trap_commitment_with<H: Hasher>(
	tracing_commitment: &Hash,
	trap: bool,
	salt: &[u8; 32],
) -> Hash {
	tagged::<H>(tags::TRAP_FLAG, &[tracing_commitment, &[u8::from(trap)], salt])
}

/// [`trap_commitment_with`] with SHA-256.
pub fn trap_commitment(tracing_commitment: &Hash, trap: bool, salt: &[u8; 32]) -> Hash {
	trap_commitment_with::<Sha256>(tracing_commitment, trap, salt)
}

/// The genesis link of the token history of SW `sw` in case `case`, with hasher `H`.
pub fn history_genesis_with<H: Hasher>(case: u64, sw: &[u8]) -> Hash {
	tagged::<H>(tags::TOKEN_GENESIS, &[&case.to_le_bytes(), &len_u32(sw), sw])
}

/// [`history_genesis_with`] with SHA-256.
pub fn history_genesis(case: u64, sw: &[u8]) -> Hash {
	history_genesis_with::<Sha256>(case, sw)
}

/// The link after `previous` once a token with `new_commitment` is issued, with hasher `H`.
pub fn update_link_with<H: Hasher>(previous: &Hash, new_commitment: &Hash) -> Hash {
	tagged::<H>(tags::TOKEN_UPDATE, &[previous, new_commitment])
}

/// [`update_link_with`] with SHA-256.
pub fn update_link(previous: &Hash, new_commitment: &Hash) -> Hash {
	update_link_with::<Sha256>(previous, new_commitment)
}

/// One step of a token history as the chain records it.
#[derive(
	Encode,
	Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct HistoryStep {
	/// The commitment of the token issued at this step.
	pub commitment: Hash,
	/// The link after this step.
	pub link: Hash,
}

/// Checks a recorded history from `genesis`: every step's link must be the update link of the
/// one before and its commitment ([`Error::HistoryRewritten`] otherwise). Returns the head (the
/// genesis for an empty history).
pub fn verify_history_with<H: Hasher>(
	genesis: &Hash,
	steps: &[HistoryStep],
) -> Result<Hash, Error> {
	let mut head = *genesis;
	for step in steps {
		let expected = update_link_with::<H>(&head, &step.commitment);
		if expected != step.link {
			return Err(Error::HistoryRewritten);
		}
		head = expected;
	}
	Ok(head)
}

/// [`verify_history_with`] with SHA-256.
pub fn verify_history(genesis: &Hash, steps: &[HistoryStep]) -> Result<Hash, Error> {
	verify_history_with::<Sha256>(genesis, steps)
}

/// The head of the history made of `commitments` from `genesis`, with hasher `H`.
pub fn history_head_with<H: Hasher>(genesis: &Hash, commitments: &[Hash]) -> Hash {
	commitments.iter().fold(*genesis, |head, c| update_link_with::<H>(&head, c))
}

/// [`history_head_with`] with SHA-256.
pub fn history_head(genesis: &Hash, commitments: &[Hash]) -> Hash {
	history_head_with::<Sha256>(genesis, commitments)
}

/// The running token history of one SW in one case: what a pallet stores per (case, SW).
#[derive(
	Encode,
	Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct TokenHistory {
	/// The current head link.
	pub head: Hash,
	/// The number of tokens issued.
	pub len: u32,
}

impl TokenHistory {
	/// An empty history of SW `sw` in case `case`, with hasher `H`.
	pub fn new_with<H: Hasher>(case: u64, sw: &[u8]) -> TokenHistory {
		TokenHistory { head: history_genesis_with::<H>(case, sw), len: 0 }
	}

	/// [`TokenHistory::new_with`] with SHA-256.
	pub fn new(case: u64, sw: &[u8]) -> TokenHistory {
		TokenHistory::new_with::<Sha256>(case, sw)
	}

	/// Records the issue of a token with `commitment`, with hasher `H`; returns the step.
	pub fn push_with<H: Hasher>(&mut self, commitment: Hash) -> HistoryStep {
		self.head = update_link_with::<H>(&self.head, &commitment);
		self.len = self.len.saturating_add(1);
		HistoryStep { commitment, link: self.head }
	}

	/// [`TokenHistory::push_with`] with SHA-256.
	pub fn push(&mut self, commitment: Hash) -> HistoryStep {
		self.push_with::<Sha256>(commitment)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tokens_depend_on_every_input() {
		let meta = [1u8; 32];
		let sw = [2u8; 32];
		let nonce = [3u8; 32];
		let t = access_token(&meta, &sw, &nonce);
		assert_ne!(t, access_token(&[9u8; 32], &sw, &nonce));
		assert_ne!(t, access_token(&meta, &[9u8; 32], &nonce));
		assert_ne!(t, access_token(&meta, &sw, &[9u8; 32]));
		let tr = tracing_token(&t, b"00:1b:44:11:3a:b7");
		assert!(check_tracing(&t, b"00:1b:44:11:3a:b7", &tr));
		assert!(!check_tracing(&t, b"00:1b:44:11:3a:b8", &tr));
		assert_eq!(alloc::format!("{t:?}"), "AccessToken(..)");
	}

	#[test]
	fn trap_commitments_bind_the_flag_the_salt_and_the_package() {
		let c = commitment(&[4u8; 32]);
		let salt = [5u8; 32];
		let trap = trap_commitment(&c, true, &salt);
		assert_ne!(trap, trap_commitment(&c, false, &salt));
		assert_ne!(trap, trap_commitment(&c, true, &[6u8; 32]));
		assert_ne!(trap, trap_commitment(&commitment(&[7u8; 32]), true, &salt));
		assert_eq!(trap, tagged::<Sha256>(b"endochain/uiv/trap-flag/v1", &[&c, &[1], &salt]));
	}
}
