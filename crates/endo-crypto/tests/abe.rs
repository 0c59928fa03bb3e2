//! CP-ABE by trust level: a model encrypted for "trust >= L" opens with keys of level >= L and
//! not below; payloads of any size; malformed keys and ciphertexts rejected without a panic.

#![cfg(feature = "std")]

use std::sync::OnceLock;

use endo_crypto::{
	abe::ciphertext_trust_level, AbeAuthority, AbeError, AbePublicKey, AbeUserKey, TrustLevel,
	MAX_TRUST_LEVEL,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn authority() -> &'static AbeAuthority {
	static AUTHORITY: OnceLock<AbeAuthority> = OnceLock::new();
	AUTHORITY.get_or_init(|| AbeAuthority::setup().expect("setup"))
}

fn level(l: u8) -> TrustLevel {
	TrustLevel::new(l).expect("in range")
}

#[test]
fn access_follows_trust_levels() {
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let pk = authority().public_key();
	let keys: Vec<AbeUserKey> =
		(0..=5).map(|l| authority().issue_key(level(l)).expect("key")).collect();
	for required in 0..=5u8 {
		let ct = pk.encrypt(level(required), b"global model", &mut rng).expect("encrypt");
		assert_eq!(ciphertext_trust_level(&ct), Ok(level(required)));
		for key in &keys {
			let result = key.decrypt(&ct);
			if key.level().get() >= required {
				assert_eq!(result.as_deref(), Ok(&b"global model"[..]), "key {:?}", key.level());
			} else {
				assert_eq!(result, Err(AbeError::AccessDenied), "key {:?}", key.level());
			}
		}
	}
	// The extremes.
	let top = authority().issue_key(level(MAX_TRUST_LEVEL)).expect("key");
	let ct = pk.encrypt(level(MAX_TRUST_LEVEL), b"x", &mut rng).expect("encrypt");
	assert_eq!(top.decrypt(&ct).expect("decrypt"), b"x");
	assert_eq!(keys[5].decrypt(&ct), Err(AbeError::AccessDenied));
	assert_eq!(TrustLevel::new(MAX_TRUST_LEVEL + 1), Err(AbeError::TrustLevelInvalid));
}

#[test]
fn arbitrary_size_blobs() {
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let pk = authority().public_key();
	let key = authority().issue_key(level(2)).expect("key");
	for size in [0usize, 1, 1024, 1 << 20] {
		let mut payload = vec![0u8; size];
		rng.fill_bytes(&mut payload);
		let ct = pk.encrypt(level(2), &payload, &mut rng).expect("encrypt");
		assert_eq!(key.decrypt(&ct).expect("decrypt"), payload);
	}
}

#[test]
fn keys_roundtrip_through_bytes() {
	let mut rng = ChaCha20Rng::seed_from_u64(3);
	let bytes = authority().to_bytes().expect("bytes");
	let restored = AbeAuthority::from_bytes(&bytes).expect("authority");
	let pk =
		AbePublicKey::from_bytes(&authority().public_key().to_bytes().expect("pk")).expect("pk");
	assert_eq!(pk, authority().public_key());
	// A key issued by the restored authority opens what the original public key encrypted.
	let key = restored.issue_key(level(4)).expect("key");
	let key = AbeUserKey::from_bytes(&key.to_bytes().expect("bytes")).expect("key");
	let ct = pk.encrypt(level(3), b"m", &mut rng).expect("encrypt");
	assert_eq!(key.decrypt(&ct).expect("decrypt"), b"m");
	// Another authority's key does not.
	let other = AbeAuthority::setup().expect("setup").issue_key(level(4)).expect("key");
	assert_eq!(other.decrypt(&ct), Err(AbeError::DecryptionFailed));
}

#[test]
fn tampered_ciphertexts_are_rejected() {
	let mut rng = ChaCha20Rng::seed_from_u64(4);
	let key = authority().issue_key(level(3)).expect("key");
	let ct = authority().public_key().encrypt(level(3), &[9u8; 100], &mut rng).expect("encrypt");
	let mut positions: Vec<usize> = (0..ct.len()).step_by(13).collect();
	positions.extend([1, 2, 5, ct.len() - 1]);
	for position in positions {
		let mut bad = ct.clone();
		bad[position] ^= 0x02;
		let result = key.decrypt(&bad);
		assert!(
			matches!(
				result,
				Err(AbeError::CiphertextMalformed)
					| Err(AbeError::DecryptionFailed)
					| Err(AbeError::AccessDenied)
			),
			"position {position}: {result:?}"
		);
	}
	assert_eq!(key.decrypt(&ct[..ct.len() - 17]), Err(AbeError::DecryptionFailed));
	assert_eq!(key.decrypt(&ct[..10]), Err(AbeError::CiphertextMalformed));
	assert_eq!(key.decrypt(&[]), Err(AbeError::CiphertextMalformed));
}

/// Thousands of random byte strings as keys and ciphertexts: a specific error, never a panic,
/// never the backend's caught panic.
#[test]
fn random_bytes_never_panic() {
	let mut rng = ChaCha20Rng::seed_from_u64(5);
	let key = authority().issue_key(level(MAX_TRUST_LEVEL)).expect("key");
	let real_ct = authority().public_key().encrypt(level(1), b"m", &mut rng).expect("encrypt");
	let real_key = key.to_bytes().expect("bytes");
	for i in 0..3000 {
		let bytes = match i % 3 {
			0 => {
				let mut b = vec![0u8; rng.gen_range(0..400)];
				rng.fill_bytes(&mut b);
				b
			}
			// Valid headers with random bodies.
			1 => {
				let mut b = real_ct[..6].to_vec();
				let mut body = vec![0u8; rng.gen_range(0..2000)];
				rng.fill_bytes(&mut body);
				b.extend(body);
				b
			}
			// A real ciphertext or key with a few random bytes changed.
			_ => {
				let source = if rng.gen_bool(0.5) { &real_ct[..] } else { &real_key[..] };
				let mut b = source.to_vec();
				for _ in 0..rng.gen_range(1..4) {
					let at = rng.gen_range(0..b.len());
					b[at] ^= rng.gen_range(1..=255u8);
				}
				b
			}
		};
		for (kind, result) in [
			AbeUserKey::from_bytes(&bytes).map(|_| ()),
			AbePublicKey::from_bytes(&bytes).map(|_| ()),
			AbeAuthority::from_bytes(&bytes).map(|_| ()),
		]
		.into_iter()
		.enumerate()
		{
			assert!(
				matches!(result, Err(AbeError::KeyMalformed)),
				"case {i}, parser {kind}: {result:?}"
			);
		}
		if i % 3 != 2 || i % 30 == 2 {
			// Decrypting a near-valid ciphertext costs pairings: do it for every random string
			// and for one in ten of the mutated ones.
			let result = key.decrypt(&bytes);
			assert!(
				matches!(
					result,
					Err(AbeError::CiphertextMalformed) | Err(AbeError::DecryptionFailed)
				),
				"{result:?}"
			);
		}
	}
}
