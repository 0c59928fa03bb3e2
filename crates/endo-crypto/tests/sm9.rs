//! SM9: round trips, rejection of wrong keys and tampering, and thousands of malformed inputs
//! without a panic. (Known-answer tests against GM/T 0044-2016 are unit tests in `src/sm9.rs`,
//! reading `tests/data/sm9_gmt0044.txt`.)

#![cfg(feature = "std")]

use endo_crypto::{
	sm9::SM9_CIPHERTEXT_OVERHEAD, DeviceKeypair, PufKey, Sm9Error, Sm9Kgc,
	Sm9MasterEncryptPublicKey, Sm9MasterSignPublicKey, Sm9Signature, Sm9UserDecryptionKey,
	Sm9UserSigningKey,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn setup(seed: u64) -> (ChaCha20Rng, Sm9Kgc) {
	let mut rng = ChaCha20Rng::seed_from_u64(seed);
	let kgc = Sm9Kgc::generate(&mut rng);
	(rng, kgc)
}

#[test]
fn encryption_roundtrip_at_several_sizes() {
	let (mut rng, kgc) = setup(1);
	// The paper encrypts models to the server's endogenous ID: use a device ID as identity.
	let server = DeviceKeypair::from_puf_key(&PufKey::from_bytes([3; 32])).expect("key");
	let id = server.device_id().to_hex();
	let mpk = kgc.encrypt_public_key().expect("mpk");
	let dk = kgc.user_decryption_key(&id).expect("user key");
	for size in [0usize, 1, 1024, 1 << 20] {
		let mut payload = vec![0u8; size];
		rng.fill_bytes(&mut payload);
		let ct = mpk.encrypt(&id, &payload, &mut rng).expect("encrypt");
		assert_eq!(ct.len(), size + SM9_CIPHERTEXT_OVERHEAD);
		assert_eq!(dk.decrypt(&ct).expect("decrypt"), payload);
	}
}

#[test]
fn wrong_keys_and_identities_do_not_decrypt() {
	let (mut rng, kgc) = setup(2);
	let mpk = kgc.encrypt_public_key().expect("mpk");
	let ct = mpk.encrypt(b"server", b"global model", &mut rng).expect("encrypt");
	let other_user = kgc.user_decryption_key(b"device-7").expect("key");
	assert_eq!(other_user.decrypt(&ct), Err(Sm9Error::DecryptionFailed));
	let (_, other_kgc) = setup(3);
	let other_kgc_key = other_kgc.user_decryption_key(b"server").expect("key");
	assert_eq!(other_kgc_key.decrypt(&ct), Err(Sm9Error::DecryptionFailed));
	assert_eq!(
		kgc.user_decryption_key(b"server").expect("key").decrypt(&ct).expect("ok"),
		b"global model"
	);
}

#[test]
fn every_tampered_ciphertext_is_rejected() {
	let (mut rng, kgc) = setup(4);
	let mpk = kgc.encrypt_public_key().expect("mpk");
	let dk = kgc.user_decryption_key(b"server").expect("key");
	let ct = mpk.encrypt(b"server", &[7u8; 200], &mut rng).expect("encrypt");
	for position in (0..ct.len()).step_by(7).chain([ct.len() - 1]) {
		let mut bad = ct.clone();
		bad[position] ^= 0x04;
		let result = dk.decrypt(&bad);
		assert!(
			matches!(result, Err(Sm9Error::CiphertextMalformed) | Err(Sm9Error::DecryptionFailed)),
			"position {position}: {result:?}"
		);
	}
	assert_eq!(dk.decrypt(&ct[..SM9_CIPHERTEXT_OVERHEAD - 1]), Err(Sm9Error::CiphertextMalformed));
	assert_eq!(dk.decrypt(&ct[..ct.len() - 1]), Err(Sm9Error::DecryptionFailed));
}

#[test]
fn signatures() {
	let (mut rng, kgc) = setup(5);
	let mpk = kgc.sign_public_key().expect("mpk");
	let sk = kgc.user_signing_key(b"edge-node-1").expect("key");
	let model = vec![0x5au8; 4096];
	let sig = sk.sign(&mpk, &model, &mut rng).expect("sign");
	assert_eq!(mpk.verify(b"edge-node-1", &model, &sig), Ok(()));
	assert_eq!(mpk.verify(b"edge-node-2", &model, &sig), Err(Sm9Error::SignatureInvalid));
	assert_eq!(mpk.verify(b"edge-node-1", &model[1..], &sig), Err(Sm9Error::SignatureInvalid));
	let (_, other) = setup(6);
	let other_mpk = other.sign_public_key().expect("mpk");
	assert_eq!(other_mpk.verify(b"edge-node-1", &model, &sig), Err(Sm9Error::SignatureInvalid));
	// A model above the parallel pre-hash threshold.
	let big = vec![0xc3u8; endo_crypto::sm9::PARALLEL_PREHASH_BYTES + 1000];
	let big_sig = sk.sign(&mpk, &big, &mut rng).expect("sign");
	assert_eq!(mpk.verify(b"edge-node-1", &big, &big_sig), Ok(()));
	assert_eq!(mpk.verify(b"edge-node-1", &big[1..], &big_sig), Err(Sm9Error::SignatureInvalid));
	assert_eq!(mpk.verify(b"edge-node-1", &model, &big_sig), Err(Sm9Error::SignatureInvalid));
	// Round trip through bytes.
	let sig2 = Sm9Signature::from_bytes(&sig.to_bytes()).expect("valid");
	assert_eq!(sig2, sig);
	// Any single-bit change of the signature is rejected.
	let bytes = sig.to_bytes();
	for position in [0usize, 16, 31, 32, 33, 64, 96] {
		let mut bad = bytes;
		bad[position] ^= 0x01;
		let result =
			Sm9Signature::from_bytes(&bad).and_then(|s| mpk.verify(b"edge-node-1", &model, &s));
		assert!(
			matches!(result, Err(Sm9Error::SignatureMalformed) | Err(Sm9Error::SignatureInvalid)),
			"position {position}: {result:?}"
		);
	}
}

#[test]
fn keys_roundtrip_through_bytes() {
	let (mut rng, kgc) = setup(7);
	let kgc2 = Sm9Kgc::from_bytes(kgc.to_bytes().as_slice()).expect("kgc");
	assert_eq!(kgc2.to_bytes(), kgc.to_bytes());
	let spk = Sm9MasterSignPublicKey::from_bytes(&kgc.sign_public_key().expect("spk").to_bytes())
		.expect("spk");
	let epk =
		Sm9MasterEncryptPublicKey::from_bytes(&kgc.encrypt_public_key().expect("epk").to_bytes())
			.expect("epk");
	let sk = Sm9UserSigningKey::from_bytes(&kgc.user_signing_key(b"a").expect("sk").to_bytes())
		.expect("sk");
	let dk =
		Sm9UserDecryptionKey::from_bytes(&kgc.user_decryption_key(b"a").expect("dk").to_bytes())
			.expect("dk");
	assert_eq!(sk.identity(), b"a");
	let sig = sk.sign(&spk, b"m", &mut rng).expect("sign");
	assert_eq!(spk.verify(b"a", b"m", &sig), Ok(()));
	let ct = epk.encrypt(b"a", b"m", &mut rng).expect("encrypt");
	assert_eq!(dk.decrypt(&ct).expect("decrypt"), b"m");
}

#[test]
fn identities_are_validated() {
	let (mut rng, kgc) = setup(8);
	let long = [b'x'; 129];
	for bad in [&b""[..], &long[..], b"a\0b"] {
		assert_eq!(kgc.user_signing_key(bad).err(), Some(Sm9Error::IdentityMalformed));
		assert_eq!(kgc.user_decryption_key(bad).err(), Some(Sm9Error::IdentityMalformed));
		let mpk = kgc.encrypt_public_key().expect("mpk");
		assert_eq!(mpk.encrypt(bad, b"m", &mut rng).err(), Some(Sm9Error::IdentityMalformed));
	}
	assert!(kgc.user_signing_key(&[b'x'; 128]).is_ok());
}

#[test]
fn master_keys_out_of_range_are_rejected() {
	assert_eq!(Sm9Kgc::from_bytes(&[0u8; 64]).err(), Some(Sm9Error::KeyMalformed));
	assert_eq!(Sm9Kgc::from_bytes(&[0xffu8; 64]).err(), Some(Sm9Error::KeyMalformed));
	assert_eq!(Sm9Kgc::from_bytes(&[1u8; 63]).err(), Some(Sm9Error::KeyMalformed));
	assert!(Sm9Kgc::from_bytes(&[1u8; 64]).is_ok());
}

/// Thousands of random byte strings as keys, signatures and ciphertexts: always a specific
/// error, never a panic, and never the backend's caught panic (inputs are validated first).
#[test]
fn random_bytes_never_panic() {
	let (mut rng, kgc) = setup(9);
	let spk = kgc.sign_public_key().expect("spk");
	let dk = kgc.user_decryption_key(b"server").expect("dk");
	let valid_sig =
		kgc.user_signing_key(b"server").expect("sk").sign(&spk, b"m", &mut rng).expect("sig");
	let lengths = [0usize, 1, 32, 63, 64, 65, 66, 96, 97, 98, 128, 129, 130, 200];
	let random = |rng: &mut ChaCha20Rng| {
		let len = if rng.gen_bool(0.5) {
			lengths[rng.gen_range(0..lengths.len())]
		} else {
			rng.gen_range(0..300)
		};
		let mut bytes = vec![0u8; len];
		rng.fill_bytes(&mut bytes);
		bytes
	};
	for _ in 0..2000 {
		let bytes = random(&mut rng);
		let results = [
			Sm9Kgc::from_bytes(&bytes).map(|_| ()),
			Sm9MasterSignPublicKey::from_bytes(&bytes).map(|_| ()),
			Sm9MasterEncryptPublicKey::from_bytes(&bytes).map(|_| ()),
			Sm9UserSigningKey::from_bytes(&bytes).map(|_| ()),
			Sm9UserDecryptionKey::from_bytes(&bytes).map(|_| ()),
			Sm9Signature::from_bytes(&bytes).and_then(|s| spk.verify(b"server", b"m", &s)),
			dk.decrypt(&bytes).map(|_| ()),
		];
		for result in results {
			// 64 random bytes are a valid KGC key (two scalars below n) with probability ~0.5.
			if bytes.len() == 64 && result.is_ok() {
				continue;
			}
			assert!(
				result.is_err() && result != Err(Sm9Error::Backend),
				"{result:?} for {bytes:02x?}"
			);
		}
	}
	// Structured near-misses: valid point, random scalar; valid scalar, random point; ciphertexts
	// with a valid version byte and C1 taken from a real ciphertext.
	let mpk = kgc.encrypt_public_key().expect("mpk");
	let real = mpk.encrypt(b"server", b"payload", &mut rng).expect("ct");
	for _ in 0..300 {
		let mut sig = valid_sig.to_bytes();
		rng.fill_bytes(&mut sig[..32]);
		let result = Sm9Signature::from_bytes(&sig).and_then(|s| spk.verify(b"server", b"m", &s));
		assert!(matches!(
			result,
			Err(Sm9Error::SignatureMalformed) | Err(Sm9Error::SignatureInvalid)
		));
		let mut sig = valid_sig.to_bytes();
		rng.fill_bytes(&mut sig[33..]);
		assert_eq!(Sm9Signature::from_bytes(&sig).err(), Some(Sm9Error::SignatureMalformed));
		let mut ct = real[..65].to_vec();
		let mut tail = vec![0u8; rng.gen_range(0..64)];
		rng.fill_bytes(&mut tail);
		ct.extend(tail);
		let result = dk.decrypt(&ct);
		assert!(
			matches!(result, Err(Sm9Error::CiphertextMalformed) | Err(Sm9Error::DecryptionFailed)),
			"{result:?}"
		);
	}
}
