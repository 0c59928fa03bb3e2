//! Dynamic tokens: known tags, the generic and concrete hashers agree, and a token history
//! cannot be rewritten.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use endo_uiv::hash::{tags, Hasher, Sha256};
use endo_uiv::token::{self, HistoryStep, TokenHistory};
use endo_uiv::Error;
use proptest::prelude::*;

/// A SHA-256 that only implements `hash` (as a pallet's host-function hasher would).
struct OneShot;
impl Hasher for OneShot {
	fn hash(data: &[u8]) -> [u8; 32] {
		Sha256::hash(data)
	}
}

#[test]
fn tag_lengths_as_documented() {
	assert_eq!(tags::ACCESS_TOKEN.len(), 29);
	assert_eq!(tags::TRACING_TOKEN.len(), 30);
	assert_eq!(tags::COMMITMENT.len(), 33);
	assert_eq!(tags::TOKEN_GENESIS.len(), 30);
	assert_eq!(tags::TOKEN_UPDATE.len(), 29);
}

#[test]
fn access_token_preimage_is_as_documented() {
	let meta = [0x11u8; 32];
	let sw = [0x22u8; 32];
	let nonce = [0x33u8; 32];
	let mut preimage = vec![29u8];
	preimage.extend_from_slice(b"endochain/uiv/access-token/v1");
	preimage.extend_from_slice(&meta);
	preimage.extend_from_slice(&32u32.to_le_bytes());
	preimage.extend_from_slice(&sw);
	preimage.extend_from_slice(&nonce);
	assert_eq!(token::access_token(&meta, &sw, &nonce).0, Sha256::hash(&preimage));

	let access = token::access_token(&meta, &sw, &nonce);
	let mut preimage = vec![30u8];
	preimage.extend_from_slice(b"endochain/uiv/tracing-token/v1");
	preimage.extend_from_slice(access.as_bytes());
	preimage.extend_from_slice(b"mac");
	assert_eq!(token::tracing_token(&access, b"mac").0, Sha256::hash(&preimage));
}

proptest! {
	#[test]
	fn generic_and_concrete_hashers_agree(
		meta in any::<[u8; 32]>(),
		sw in prop::collection::vec(any::<u8>(), 0..64),
		nonce in any::<[u8; 32]>(),
		host in prop::collection::vec(any::<u8>(), 0..32),
		case in any::<u64>(),
	) {
		let a = token::access_token(&meta, &sw, &nonce);
		prop_assert_eq!(&a, &token::access_token_with::<OneShot>(&meta, &sw, &nonce));
		let t = token::tracing_token(&a, &host);
		prop_assert_eq!(&t, &token::tracing_token_with::<OneShot>(&a, &host));
		prop_assert!(token::check_tracing_with::<OneShot>(&a, &host, &t));
		prop_assert_eq!(token::commitment(a.as_bytes()), token::commitment_with::<OneShot>(a.as_bytes()));
		prop_assert_eq!(token::history_genesis(case, &sw), token::history_genesis_with::<OneShot>(case, &sw));
	}

	/// A package moved to any other host fails its self-check.
	#[test]
	fn tracing_fails_on_another_host(
		nonce in any::<[u8; 32]>(),
		host in prop::collection::vec(any::<u8>(), 1..16),
		other in prop::collection::vec(any::<u8>(), 1..16),
	) {
		prop_assume!(host != other);
		let a = token::access_token(&[1; 32], &[2; 32], &nonce);
		let t = token::tracing_token(&a, &host);
		prop_assert!(token::check_tracing(&a, &host, &t));
		prop_assert!(!token::check_tracing(&a, &other, &t));
		// A renewed token (fresh nonce) no longer matches the old tracing token.
		let mut fresh = nonce;
		fresh[0] ^= 1;
		let renewed = token::access_token(&[1; 32], &[2; 32], &fresh);
		prop_assert!(!token::check_tracing(&renewed, &host, &t));
	}

	/// The chain's head is reproducible from the commitments, and any rewrite (a changed,
	/// removed, inserted or swapped commitment, or a changed link) is detected.
	#[test]
	fn history_cannot_be_rewritten(
		commitments in prop::collection::vec(any::<[u8; 32]>(), 1..12),
		pick in any::<prop::sample::Index>(),
		edit in 0u8..5,
	) {
		let genesis = token::history_genesis(7, &[9; 32]);
		let mut history = TokenHistory::new(7, &[9; 32]);
		prop_assert_eq!(history.head, genesis);
		let steps: Vec<HistoryStep> = commitments.iter().map(|c| history.push(*c)).collect();
		prop_assert_eq!(history.len as usize, commitments.len());
		prop_assert_eq!(token::verify_history(&genesis, &steps), Ok(history.head));
		prop_assert_eq!(token::history_head(&genesis, &commitments), history.head);

		let i = pick.index(steps.len());
		let mut forged = steps.clone();
		match edit {
			0 => forged[i].commitment[0] ^= 1,
			1 => forged[i].link[31] ^= 1,
			2 => { forged.remove(i); },
			3 => forged.insert(i, HistoryStep { commitment: [0xaa; 32], link: [0xbb; 32] }),
			_ => {
				prop_assume!(forged.len() > 1);
				let j = (i + 1) % forged.len();
				prop_assume!(forged[i] != forged[j]);
				forged.swap(i, j);
			},
		}
		// Either a link fails, or (after removing the last step) the head differs.
		match token::verify_history(&genesis, &forged) {
			Err(e) => prop_assert_eq!(e, Error::HistoryRewritten),
			Ok(head) => prop_assert_ne!(head, history.head),
		}
	}
}
