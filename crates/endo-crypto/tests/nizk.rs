//! The identity proof of the paper's Fig. 7: completeness, soundness against every kind of
//! tampering and replay, property tests.

use endo_crypto::{
	enroll, nizk, prove_identity, reconstruct, verify_identity_proof, DeviceId, DeviceKeypair,
	DevicePublicKey, IdentityProof, ProofError, PufConfig, PufKey, SramPuf,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const GENESIS: [u8; 32] = [0x11; 32];
const OTHER_GENESIS: [u8; 32] = [0x12; 32];
const CHALLENGE: [u8; 32] = [0x21; 32];
const OLD_CHALLENGE: [u8; 32] = [0x20; 32];
const PURPOSE: &[u8] = b"continuous-authentication";

fn device(seed: u8) -> DeviceKeypair {
	DeviceKeypair::from_puf_key(&PufKey::from_bytes([seed; 32])).expect("nonzero scalar")
}

fn verify(
	genesis: &[u8; 32],
	id: &DeviceId,
	pk: &DevicePublicKey,
	purpose: &[u8],
	challenge: &[u8; 32],
	proof: &IdentityProof,
) -> Result<(), ProofError> {
	verify_identity_proof(genesis, id, pk, purpose, challenge, proof)
}

#[test]
fn end_to_end_from_the_puf() {
	// Enrol a simulated device, power it up again with a noisy read, derive its identity and
	// prove it: the chain only ever sees the ID, the public key and the proof.
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let puf = SramPuf::manufacture(&[0xd0; 32], PufConfig::with_bit_error_rate(0.10)).expect("cfg");
	let (enrolled, helper) = enroll(&puf.read(&mut rng), &mut rng);
	let registered = DeviceKeypair::from_puf_key(&enrolled).expect("key");

	let key = reconstruct(&puf.read(&mut rng), &helper).expect("reconstructs");
	let keypair = DeviceKeypair::from_puf_key(&key).expect("key");
	assert_eq!(keypair.device_id(), registered.device_id());
	let proof = prove_identity(&keypair, &GENESIS, PURPOSE, &CHALLENGE, &mut rng);
	assert_eq!(
		verify(
			&GENESIS,
			registered.device_id(),
			registered.public_key(),
			PURPOSE,
			&CHALLENGE,
			&proof
		),
		Ok(())
	);
}

#[test]
fn every_tampering_and_replay_is_rejected() {
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let dev = device(1);
	let other = device(2);
	let (id, pk) = (*dev.device_id(), *dev.public_key());
	let proof = prove_identity(&dev, &GENESIS, PURPOSE, &CHALLENGE, &mut rng);
	assert_eq!(verify(&GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &proof), Ok(()));

	// Wrong chain, old challenge, other purpose.
	assert_eq!(
		verify(&OTHER_GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &proof),
		Err(ProofError::ProofInvalid)
	);
	assert_eq!(
		verify(&GENESIS, &id, &pk, PURPOSE, &OLD_CHALLENGE, &proof),
		Err(ProofError::ProofInvalid)
	);
	assert_eq!(
		verify(&GENESIS, &id, &pk, b"register", &CHALLENGE, &proof),
		Err(ProofError::ProofInvalid)
	);
	assert_eq!(verify(&GENESIS, &id, &pk, b"", &CHALLENGE, &proof), Err(ProofError::ProofInvalid));

	// Wrong ID for the key, and another device's (consistent) ID and key.
	assert_eq!(
		verify(&GENESIS, other.device_id(), &pk, PURPOSE, &CHALLENGE, &proof),
		Err(ProofError::IdentityMismatch)
	);
	assert_eq!(
		verify(&GENESIS, other.device_id(), other.public_key(), PURPOSE, &CHALLENGE, &proof),
		Err(ProofError::ProofInvalid)
	);

	// Tampered commitment: another valid point, and a non-point.
	let bytes = proof.to_bytes();
	let mut tampered = bytes;
	tampered[..32].copy_from_slice(other.public_key().as_bytes());
	let tampered_proof = IdentityProof::from_bytes(&tampered).expect("still well-formed");
	assert_eq!(
		verify(&GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &tampered_proof),
		Err(ProofError::ProofInvalid)
	);
	let mut not_a_point = bytes;
	not_a_point[..32].copy_from_slice(&[0xff; 32]);
	assert_eq!(IdentityProof::from_bytes(&not_a_point), Err(ProofError::ProofMalformed));

	// Tampered response: z + 1, and a non-canonical scalar.
	let mut z_plus_one = bytes;
	z_plus_one[32] = z_plus_one[32].wrapping_add(1);
	if let Ok(p) = IdentityProof::from_bytes(&z_plus_one) {
		assert_eq!(
			verify(&GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &p),
			Err(ProofError::ProofInvalid)
		);
	}
	let mut big = bytes;
	big[32..].copy_from_slice(&[0xff; 32]);
	assert_eq!(IdentityProof::from_bytes(&big), Err(ProofError::ProofMalformed));

	// Wrong lengths.
	assert_eq!(IdentityProof::from_bytes(&bytes[..63]), Err(ProofError::ProofMalformed));
	assert_eq!(
		IdentityProof::from_bytes(&[bytes.as_slice(), &[0]].concat()),
		Err(ProofError::ProofMalformed)
	);

	// A proof from the wrong secret (another device) for this device's ID and key.
	let forged = prove_identity(&other, &GENESIS, PURPOSE, &CHALLENGE, &mut rng);
	assert_eq!(
		verify(&GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &forged),
		Err(ProofError::ProofInvalid)
	);

	// The all-zero proof (identity commitment, zero response).
	let zero = IdentityProof::from_bytes(&[0u8; 64]).expect("canonical encodings");
	assert_eq!(
		verify(&GENESIS, &id, &pk, PURPOSE, &CHALLENGE, &zero),
		Err(ProofError::ProofInvalid)
	);
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(48))]

	/// Completeness for arbitrary secrets, purposes and challenges.
	#[test]
	fn proofs_verify(
		key in any::<[u8; 32]>(),
		genesis in any::<[u8; 32]>(),
		purpose in proptest::collection::vec(any::<u8>(), 0..64),
		challenge in any::<[u8; 32]>(),
		seed in any::<u64>(),
	) {
		let dev = DeviceKeypair::from_puf_key(&PufKey::from_bytes(key)).expect("nonzero");
		let proof = prove_identity(&dev, &genesis, &purpose, &challenge, &mut ChaCha20Rng::seed_from_u64(seed));
		prop_assert_eq!(
			verify(&genesis, dev.device_id(), dev.public_key(), &purpose, &challenge, &proof),
			Ok(())
		);
	}

	/// A proof made for one device never verifies for another.
	#[test]
	fn proofs_do_not_transfer_between_devices(a in any::<[u8; 32]>(), b in any::<[u8; 32]>(), seed in any::<u64>()) {
		prop_assume!(a != b);
		let (da, db) = (
			DeviceKeypair::from_puf_key(&PufKey::from_bytes(a)).expect("nonzero"),
			DeviceKeypair::from_puf_key(&PufKey::from_bytes(b)).expect("nonzero"),
		);
		let proof = prove_identity(&da, &GENESIS, PURPOSE, &CHALLENGE, &mut ChaCha20Rng::seed_from_u64(seed));
		prop_assert_eq!(
			verify(&GENESIS, db.device_id(), db.public_key(), PURPOSE, &CHALLENGE, &proof),
			Err(ProofError::ProofInvalid)
		);
	}

	/// Any single-byte change of a valid proof, or of the public inputs, is rejected.
	#[test]
	fn any_byte_change_is_rejected(
		position in 0usize..64,
		delta in 1u8..=255,
		input in 0usize..3,
		seed in any::<u64>(),
	) {
		let mut rng = ChaCha20Rng::seed_from_u64(seed);
		let dev = device(7);
		let proof = prove_identity(&dev, &GENESIS, PURPOSE, &CHALLENGE, &mut rng);
		let mut bytes = proof.to_bytes();
		bytes[position] ^= delta;
		let result = nizk::verify_identity_proof_bytes(
			&GENESIS, dev.device_id(), dev.public_key(), PURPOSE, &CHALLENGE, &bytes);
		prop_assert!(matches!(result, Err(ProofError::ProofInvalid) | Err(ProofError::ProofMalformed)));

		let (mut genesis, mut challenge, mut purpose) = (GENESIS, CHALLENGE, PURPOSE.to_vec());
		match input {
			0 => genesis[position % 32] ^= delta,
			1 => challenge[position % 32] ^= delta,
			_ => purpose[position % PURPOSE.len()] ^= delta,
		}
		prop_assert_eq!(
			verify(&genesis, dev.device_id(), dev.public_key(), &purpose, &challenge, &proof),
			Err(ProofError::ProofInvalid)
		);
	}

	/// Random 64-byte strings are never accepted as proofs, and never panic.
	#[test]
	fn random_bytes_never_verify(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
		let dev = device(9);
		let result = nizk::verify_identity_proof_bytes(
			&GENESIS, dev.device_id(), dev.public_key(), PURPOSE, &CHALLENGE, &bytes);
		prop_assert!(result.is_err());
	}
}
