//! Non-interactive zero-knowledge identity proof (the paper's Fig. 7).
//!
//! The paper's device picks a random `r`, computes `c = Hash(r + ID')` and sends the proof
//! `R`. Here that is a Schnorr proof of knowledge of the device secret `s` behind the public
//! key `P = s * B`, made non-interactive with a merlin (Fiat-Shamir) transcript that binds the
//! chain, the device, the purpose and a fresh challenge:
//!
//! ```text
//! prover:   r random, R = r * B                       (commitment, "r" of Fig. 7)
//!           c = challenge(transcript)                  ("c = Hash(r, ID')")
//!           z = r + c * s                              (response, the proof "R")
//! proof:    compress(R) || z                           (32 + 32 bytes)
//! verifier: ID = SHA-256(tags::DEVICE_ID, pk), z * B - c * P = R
//! ```
//!
//! # Transcript
//!
//! merlin 3 (STROBE-128 over Keccak-f\[1600\]); every `append_message(label, data)` is
//! merlin's length-prefixed operation:
//!
//! ```text
//! t = Transcript::new(b"endochain/identity-proof/v1")
//! t.append_message(b"genesis-hash", genesis_hash)          32 bytes
//! t.append_message(b"device-id",    device_id)             32 bytes
//! t.append_message(b"public-key",   compressed P)          32 bytes
//! t.append_message(b"purpose",      purpose)               any length
//! t.append_message(b"challenge",    challenge)             32 bytes
//! t.append_message(b"commitment",   compressed R)          32 bytes
//! t.challenge_bytes(b"c", 64 bytes) -> c = from_bytes_mod_order_wide (little-endian)
//! ```
//!
//! Because every public input enters the challenge, a proof made for one chain, device, purpose
//! or challenge does not verify for any other: replay needs the verifier to reuse a challenge,
//! and the chain issues a fresh one per authentication.
//!
//! The nonce `r` comes from merlin's transcript RNG: the transcript state (all public inputs),
//! rekeyed with the secret `s`, finalized with 32 bytes from the caller's RNG. It is therefore
//! unpredictable if either the caller's RNG is good or `s` is unknown, and a broken RNG cannot
//! make two different statements share a nonce (which would reveal `s`).
//!
//! Verification needs no allocation and no `std`; it costs one double-base scalar
//! multiplication (variable time: all its inputs are public).
//!
//! # Batch verification
//!
//! [`verify_identity_proofs_batch`] checks `n` proofs of one genesis hash, purpose and challenge
//! (a gateway's `authenticate_batch`) with one multiscalar multiplication instead of `n`
//! double-base ones: with coefficients `a_i`,
//!
//! ```text
//! (sum a_i z_i) * B - sum a_i * R_i - sum (a_i c_i) * P_i = 0        (2n + 1 points)
//! ```
//!
//! Every valid proof makes its term `a_i (z_i B - R_i - c_i P_i)` zero, so a batch of valid
//! proofs always passes. If some proof is invalid, its term is a non-zero point of the
//! prime-order Ristretto group, and the sum is zero only if the coefficients happen to cancel
//! it: for coefficients drawn uniformly from `2^128` values *after* the proofs are fixed, that
//! happens with probability at most `2^-128`. The runtime has no RNG, so the coefficients are
//! derived by hashing the whole batch (a merlin transcript
//! `endochain/identity-proof-batch/v1` over the genesis hash, the purpose, the challenge, the
//! number of proofs and every `(ID, public key, R, z)`, then 16 bytes per coefficient). That is
//! sound because the coefficients are unpredictable to whoever made the proofs: changing any
//! byte of any proof changes every coefficient, so a forger cannot choose bad proofs that
//! cancel under coefficients it knows in advance; it can only try batch after batch, each
//! passing with probability `2^-128` (the random-oracle argument of Fiat-Shamir, which the
//! proofs themselves rest on). Ristretto has no small subgroup (no cofactor), so the batch
//! verdict equals the verdict of checking each proof on its own, except with that probability.
//! The batch fails as a whole: it does not say which proof is bad (a caller that needs to know
//! verifies the proofs one by one).

use alloc::vec::Vec;
use curve25519_dalek::{
	constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE},
	ristretto::{CompressedRistretto, RistrettoPoint},
	scalar::Scalar,
	traits::{IsIdentity, VartimeMultiscalarMul},
};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::{
	hash::tags,
	identity::{DeviceId, DeviceKeypair, DevicePublicKey},
	ProofError,
};

/// Size of a serialized [`IdentityProof`].
pub const IDENTITY_PROOF_BYTES: usize = 64;

/// A Schnorr identity proof: commitment `R` (compressed Ristretto) and response `z` (scalar).
#[derive(Clone, Copy, Debug)]
pub struct IdentityProof {
	commitment: CompressedRistretto,
	/// `commitment`, decompressed once when parsed.
	commitment_point: RistrettoPoint,
	response: Scalar,
}

impl PartialEq for IdentityProof {
	fn eq(&self, other: &Self) -> bool {
		// The point is a function of its canonical encoding.
		self.commitment == other.commitment && self.response == other.response
	}
}

impl Eq for IdentityProof {}

impl IdentityProof {
	/// `commitment || response`, 64 bytes.
	pub fn to_bytes(&self) -> [u8; IDENTITY_PROOF_BYTES] {
		let mut out = [0u8; IDENTITY_PROOF_BYTES];
		out[..32].copy_from_slice(self.commitment.as_bytes());
		out[32..].copy_from_slice(self.response.as_bytes());
		out
	}

	/// Parses a proof. Fails with [`ProofError::ProofMalformed`] if the length is not 64, the
	/// commitment is not a canonical Ristretto encoding or the response is not a canonical
	/// scalar (below the group order).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
		let bytes: &[u8; IDENTITY_PROOF_BYTES] =
			bytes.try_into().map_err(|_| ProofError::ProofMalformed)?;
		let mut commitment = [0u8; 32];
		commitment.copy_from_slice(&bytes[..32]);
		let mut response = [0u8; 32];
		response.copy_from_slice(&bytes[32..]);
		let commitment = CompressedRistretto(commitment);
		let commitment_point = commitment.decompress().ok_or(ProofError::ProofMalformed)?;
		let response = Option::<Scalar>::from(Scalar::from_canonical_bytes(response))
			.ok_or(ProofError::ProofMalformed)?;
		Ok(Self { commitment, commitment_point, response })
	}

	/// The commitment `R`.
	pub fn commitment(&self) -> [u8; 32] {
		self.commitment.to_bytes()
	}

	/// The response `z`.
	pub fn response(&self) -> [u8; 32] {
		self.response.to_bytes()
	}
}

fn transcript(
	genesis_hash: &[u8; 32],
	device_id: &DeviceId,
	public_key: &DevicePublicKey,
	purpose: &[u8],
	challenge: &[u8; 32],
) -> Transcript {
	let mut t = Transcript::new(tags::IDENTITY_PROOF);
	t.append_message(b"genesis-hash", genesis_hash);
	t.append_message(b"device-id", device_id.as_bytes());
	t.append_message(b"public-key", public_key.as_bytes());
	t.append_message(b"purpose", purpose);
	t.append_message(b"challenge", challenge);
	t
}

fn challenge_scalar(t: &mut Transcript, commitment: &CompressedRistretto) -> Scalar {
	t.append_message(b"commitment", commitment.as_bytes());
	let mut wide = [0u8; 64];
	t.challenge_bytes(b"c", &mut wide);
	Scalar::from_bytes_mod_order_wide(&wide)
}

/// The Fiat-Shamir challenge scalar `c` of a proof (exposed for test vectors and for other
/// implementations to check their transcript).
pub fn proof_challenge(
	genesis_hash: &[u8; 32],
	device_id: &DeviceId,
	public_key: &DevicePublicKey,
	purpose: &[u8],
	challenge: &[u8; 32],
	commitment: &[u8; 32],
) -> [u8; 32] {
	let mut t = transcript(genesis_hash, device_id, public_key, purpose, challenge);
	challenge_scalar(&mut t, &CompressedRistretto(*commitment)).to_bytes()
}

/// Proves possession of the device secret for `(genesis_hash, purpose, challenge)`.
pub fn prove_identity<R: RngCore + CryptoRng + ?Sized>(
	keypair: &DeviceKeypair,
	genesis_hash: &[u8; 32],
	purpose: &[u8],
	challenge: &[u8; 32],
	rng: &mut R,
) -> IdentityProof {
	let mut t =
		transcript(genesis_hash, keypair.device_id(), keypair.public_key(), purpose, challenge);
	let secret_bytes = Zeroizing::new(keypair.secret().to_bytes());
	let mut nonce_rng = t
		.build_rng()
		.rekey_with_witness_bytes(b"device-secret", secret_bytes.as_slice())
		.finalize(&mut RngRef(rng));
	let nonce = Zeroizing::new(Scalar::random(&mut nonce_rng));
	let commitment_point = &*nonce * RISTRETTO_BASEPOINT_TABLE;
	let commitment = commitment_point.compress();
	let c = challenge_scalar(&mut t, &commitment);
	let response = *nonce + c * keypair.secret().scalar();
	IdentityProof { commitment, commitment_point, response }
}

/// Verifies an identity proof. `Ok(())` only if `device_id` is the ID of `public_key` and the
/// proof was made with the matching secret for exactly this genesis hash, purpose and
/// challenge; otherwise [`ProofError::IdentityMismatch`], [`ProofError::ProofMalformed`] or
/// [`ProofError::ProofInvalid`] (the public key is parsed already, so never
/// [`ProofError::PublicKeyMalformed`]).
pub fn verify_identity_proof(
	genesis_hash: &[u8; 32],
	device_id: &DeviceId,
	public_key: &DevicePublicKey,
	purpose: &[u8],
	challenge: &[u8; 32],
	proof: &IdentityProof,
) -> Result<(), ProofError> {
	if DeviceId::from_public_key(public_key) != *device_id {
		return Err(ProofError::IdentityMismatch);
	}
	let commitment = proof.commitment_point;
	let mut t = transcript(genesis_hash, device_id, public_key, purpose, challenge);
	let c = challenge_scalar(&mut t, &proof.commitment);
	// z * B - c * P must equal R.
	let expected = RistrettoPoint::vartime_double_scalar_mul_basepoint(
		&-c,
		public_key.point(),
		&proof.response,
	);
	if expected == commitment {
		Ok(())
	} else {
		Err(ProofError::ProofInvalid)
	}
}

/// Verifies a proof given as bytes (see [`verify_identity_proof`]); malformed bytes give
/// [`ProofError::ProofMalformed`].
pub fn verify_identity_proof_bytes(
	genesis_hash: &[u8; 32],
	device_id: &DeviceId,
	public_key: &DevicePublicKey,
	purpose: &[u8],
	challenge: &[u8; 32],
	proof: &[u8],
) -> Result<(), ProofError> {
	let proof = IdentityProof::from_bytes(proof)?;
	verify_identity_proof(genesis_hash, device_id, public_key, purpose, challenge, &proof)
}

/// One proof of a batch: the device's ID, its public key and its proof.
pub type BatchEntry = (DeviceId, DevicePublicKey, IdentityProof);

/// Verifies `entries`, proofs that all answer the same `(genesis_hash, purpose, challenge)`,
/// with one multiscalar multiplication (see the module docs, "Batch verification", for the
/// equation and why coefficients derived from the batch itself are sound).
///
/// `Ok(())` if every proof verifies (an empty batch verifies); otherwise
/// [`ProofError::IdentityMismatch`] if some ID is not its key's (checked first, no curve
/// arithmetic), else [`ProofError::ProofInvalid`] for the batch as a whole: at least one proof
/// does not verify, which one is not said. The verdict equals "every
/// [`verify_identity_proof`] is `Ok`", except with probability at most `2^-128` per batch.
///
/// Costs `n` transcripts and one variable-time multiscalar multiplication of `2n + 1` points
/// (all inputs are public); it allocates two vectors of `2n + 1` elements.
pub fn verify_identity_proofs_batch(
	genesis_hash: &[u8; 32],
	purpose: &[u8],
	challenge: &[u8; 32],
	entries: &[BatchEntry],
) -> Result<(), ProofError> {
	if entries.iter().any(|(id, key, _)| DeviceId::from_public_key(key) != *id) {
		return Err(ProofError::IdentityMismatch);
	}
	let mut coefficients = batch_coefficients(genesis_hash, purpose, challenge, entries);
	let mut scalars = Vec::with_capacity(entries.len().saturating_mul(2).saturating_add(1));
	let mut points = Vec::with_capacity(scalars.capacity());
	let mut base = Scalar::ZERO;
	for (id, key, proof) in entries {
		let a = coefficients.next_coefficient();
		let mut t = transcript(genesis_hash, id, key, purpose, challenge);
		let c = challenge_scalar(&mut t, &proof.commitment);
		base += a * proof.response;
		scalars.push(-a);
		points.push(proof.commitment_point);
		scalars.push(-(a * c));
		points.push(*key.point());
	}
	scalars.push(base);
	points.push(RISTRETTO_BASEPOINT_POINT);
	if RistrettoPoint::vartime_multiscalar_mul(&scalars, &points).is_identity() {
		Ok(())
	} else {
		Err(ProofError::ProofInvalid)
	}
}

/// The coefficients of a batch: a transcript over every public input of every proof, read out
/// 128 bits at a time.
struct BatchCoefficients(Transcript);

impl BatchCoefficients {
	fn next_coefficient(&mut self) -> Scalar {
		let mut bytes = [0u8; 32];
		self.0.challenge_bytes(b"coefficient", &mut bytes[..16]);
		Scalar::from_bytes_mod_order(bytes)
	}
}

fn batch_coefficients(
	genesis_hash: &[u8; 32],
	purpose: &[u8],
	challenge: &[u8; 32],
	entries: &[BatchEntry],
) -> BatchCoefficients {
	let mut t = Transcript::new(tags::IDENTITY_PROOF_BATCH);
	t.append_message(b"genesis-hash", genesis_hash);
	t.append_message(b"purpose", purpose);
	t.append_message(b"challenge", challenge);
	t.append_u64(b"count", entries.len() as u64);
	for (id, key, proof) in entries {
		t.append_message(b"device-id", id.as_bytes());
		t.append_message(b"public-key", key.as_bytes());
		t.append_message(b"commitment", proof.commitment.as_bytes());
		t.append_message(b"response", proof.response.as_bytes());
	}
	BatchCoefficients(t)
}

/// Lets an unsized `RngCore + CryptoRng` be passed where merlin wants a sized one.
struct RngRef<'a, R: ?Sized>(&'a mut R);

impl<R: RngCore + ?Sized> RngCore for RngRef<'_, R> {
	fn next_u32(&mut self) -> u32 {
		self.0.next_u32()
	}
	fn next_u64(&mut self) -> u64 {
		self.0.next_u64()
	}
	fn fill_bytes(&mut self, dest: &mut [u8]) {
		self.0.fill_bytes(dest)
	}
	fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
		self.0.try_fill_bytes(dest)
	}
}

impl<R: CryptoRng + ?Sized> CryptoRng for RngRef<'_, R> {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use crate::fuzzy::PufKey;
	use rand_chacha::rand_core::SeedableRng;
	use rand_chacha::ChaCha20Rng;

	const GENESIS: [u8; 32] = [7; 32];
	const CHALLENGE: [u8; 32] = [9; 32];

	fn keypair(seed: u8) -> DeviceKeypair {
		DeviceKeypair::from_puf_key(&PufKey::from_bytes([seed; 32])).unwrap()
	}

	fn verify(kp: &DeviceKeypair, purpose: &[u8], proof: &IdentityProof) -> Result<(), ProofError> {
		verify_identity_proof(&GENESIS, kp.device_id(), kp.public_key(), purpose, &CHALLENGE, proof)
	}

	#[test]
	fn completeness() {
		let mut rng = ChaCha20Rng::seed_from_u64(1);
		let kp = keypair(1);
		let proof = prove_identity(&kp, &GENESIS, b"register", &CHALLENGE, &mut rng);
		assert_eq!(verify(&kp, b"register", &proof), Ok(()));
		let again = IdentityProof::from_bytes(&proof.to_bytes()).unwrap();
		assert_eq!(again, proof);
		// Nonces are fresh: two proofs of the same statement differ.
		let other = prove_identity(&kp, &GENESIS, b"register", &CHALLENGE, &mut rng);
		assert_ne!(other.commitment(), proof.commitment());
		assert_eq!(verify(&kp, b"register", &other), Ok(()));
	}

	#[test]
	fn challenge_scalar_is_exposed_consistently() {
		let mut rng = ChaCha20Rng::seed_from_u64(2);
		let kp = keypair(2);
		let proof = prove_identity(&kp, &GENESIS, b"auth", &CHALLENGE, &mut rng);
		let c = proof_challenge(
			&GENESIS,
			kp.device_id(),
			kp.public_key(),
			b"auth",
			&CHALLENGE,
			&proof.commitment(),
		);
		// z = r + c s  <=>  z B = R + c P.
		let c = Scalar::from_canonical_bytes(c).unwrap();
		let z = Scalar::from_canonical_bytes(proof.response()).unwrap();
		let r = CompressedRistretto(proof.commitment()).decompress().unwrap();
		let p = kp.public_key().point();
		assert_eq!(&z * RISTRETTO_BASEPOINT_TABLE, r + c * p);
	}

	/// `n` devices' proofs of one statement (seeds from `first`).
	fn batch_of(n: u8, first: u8, rng: &mut ChaCha20Rng) -> Vec<BatchEntry> {
		(0..n)
			.map(|i| {
				let kp = keypair(first.wrapping_add(i));
				let proof = prove_identity(&kp, &GENESIS, b"auth", &CHALLENGE, rng);
				(*kp.device_id(), *kp.public_key(), proof)
			})
			.collect()
	}

	fn batch_verdict(entries: &[BatchEntry]) -> Result<(), ProofError> {
		verify_identity_proofs_batch(&GENESIS, b"auth", &CHALLENGE, entries)
	}

	fn single_verdicts_ok(entries: &[BatchEntry]) -> bool {
		entries.iter().all(|(id, key, proof)| {
			verify_identity_proof(&GENESIS, id, key, b"auth", &CHALLENGE, proof).is_ok()
		})
	}

	/// `proof` with its response changed by `delta` (still a canonical scalar).
	fn shifted(proof: &IdentityProof, delta: Scalar) -> IdentityProof {
		IdentityProof { response: proof.response + delta, ..*proof }
	}

	#[test]
	fn batch_of_good_proofs_verifies() {
		let mut rng = ChaCha20Rng::seed_from_u64(3);
		assert_eq!(batch_verdict(&[]), Ok(()));
		let entries = batch_of(20, 1, &mut rng);
		assert_eq!(batch_verdict(&entries), Ok(()));
		// Another purpose, challenge or chain: the whole batch fails.
		assert_eq!(
			verify_identity_proofs_batch(&GENESIS, b"other", &CHALLENGE, &entries),
			Err(ProofError::ProofInvalid)
		);
		assert_eq!(
			verify_identity_proofs_batch(&GENESIS, b"auth", &[1; 32], &entries),
			Err(ProofError::ProofInvalid)
		);
		assert_eq!(
			verify_identity_proofs_batch(&[1; 32], b"auth", &CHALLENGE, &entries),
			Err(ProofError::ProofInvalid)
		);
	}

	#[test]
	fn errors_that_cancel_in_a_sum_do_not_cancel_in_a_batch() {
		// z_0 + d and z_1 - d: the plain sum of the two equations still holds; the batch's
		// coefficients, derived from the changed proofs, tell them apart.
		let mut rng = ChaCha20Rng::seed_from_u64(4);
		let mut entries = batch_of(2, 30, &mut rng);
		let delta = Scalar::from(12345u64);
		entries[0].2 = shifted(&entries[0].2, delta);
		entries[1].2 = shifted(&entries[1].2, -delta);
		assert!(!single_verdicts_ok(&entries));
		assert_eq!(batch_verdict(&entries), Err(ProofError::ProofInvalid));
	}

	#[test]
	fn an_id_not_of_its_key_is_a_mismatch() {
		let mut rng = ChaCha20Rng::seed_from_u64(5);
		let mut entries = batch_of(3, 40, &mut rng);
		entries[2].0 = *keypair(99).device_id();
		assert_eq!(batch_verdict(&entries), Err(ProofError::IdentityMismatch));
	}

	#[test]
	fn coefficients_depend_on_every_proof() {
		let mut rng = ChaCha20Rng::seed_from_u64(6);
		let entries = batch_of(3, 50, &mut rng);
		let first = |entries: &[BatchEntry]| {
			batch_coefficients(&GENESIS, b"auth", &CHALLENGE, entries).next_coefficient()
		};
		let base = first(&entries);
		let mut other = entries.clone();
		other[2].2 = shifted(&other[2].2, Scalar::ONE);
		assert_ne!(first(&other), base);
		other = entries.clone();
		other.swap(0, 1);
		assert_ne!(first(&other), base);
		assert_ne!(first(&entries[..2]), base);
	}

	proptest::proptest! {
		#![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

		/// The batch verdict equals the per-proof verdict: all good passes; one bad proof
		/// anywhere (response, commitment of another proof, another device's key, another
		/// challenge) fails the batch.
		#[test]
		fn batch_verdict_equals_per_proof_verdict(
			n in 1u8..12,
			bad in proptest::option::of((0u8..12, 0u8..4)),
			seed in proptest::prelude::any::<u64>(),
		) {
			let mut rng = ChaCha20Rng::seed_from_u64(seed);
			let mut entries = batch_of(n, (seed % 200) as u8, &mut rng);
			if let Some((at, how)) = bad {
				let at = usize::from(at % n);
				let (id, key, proof) = entries[at];
				entries[at].2 = match how {
					0 => shifted(&proof, Scalar::ONE),
					1 => {
						let other = keypair(250);
						let p = prove_identity(&other, &GENESIS, b"auth", &CHALLENGE, &mut rng);
						IdentityProof { commitment: p.commitment, commitment_point: p.commitment_point, ..proof }
					}
					2 => {
						// A valid proof of another device, presented for this one.
						let other = keypair(251);
						prove_identity(&other, &GENESIS, b"auth", &CHALLENGE, &mut rng)
					}
					_ => {
						let kp = keypair((seed % 200) as u8 + at as u8);
						assert_eq!(kp.device_id(), &id);
						assert_eq!(kp.public_key(), &key);
						prove_identity(&kp, &GENESIS, b"auth", &[0xee; 32], &mut rng)
					}
				};
			}
			let expected = if single_verdicts_ok(&entries) { Ok(()) } else { Err(ProofError::ProofInvalid) };
			proptest::prop_assert_eq!(expected.is_ok(), bad.is_none());
			proptest::prop_assert_eq!(batch_verdict(&entries), expected);
		}
	}
}
