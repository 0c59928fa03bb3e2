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

use curve25519_dalek::{
	constants::RISTRETTO_BASEPOINT_TABLE,
	ristretto::{CompressedRistretto, RistrettoPoint},
	scalar::Scalar,
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
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct IdentityProof {
	commitment: CompressedRistretto,
	response: Scalar,
}

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
		commitment.decompress().ok_or(ProofError::ProofMalformed)?;
		let response = Option::<Scalar>::from(Scalar::from_canonical_bytes(response))
			.ok_or(ProofError::ProofMalformed)?;
		Ok(Self { commitment, response })
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
	let commitment = (&*nonce * RISTRETTO_BASEPOINT_TABLE).compress();
	let c = challenge_scalar(&mut t, &commitment);
	let response = *nonce + c * keypair.secret().scalar();
	IdentityProof { commitment, response }
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
	let commitment = proof.commitment.decompress().ok_or(ProofError::ProofMalformed)?;
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
}
