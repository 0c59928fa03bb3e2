//! The protocol's message formats: the SCALE-encoded bytes that a device proves, a CA signs and
//! the chain derives, and the check of a CA's certificate. Pure functions, no storage access;
//! unit-tested here (the Acala pattern: logic apart from FRAME).
//!
//! Every byte string that is hashed, signed or put into a proof transcript starts with a tag
//! naming its purpose and version. The tags, the byte lengths and the SM9 structural checks are
//! `endo_crypto::device_identity`'s, shared with the device tool and the proxy nodes; the
//! formats here need SCALE and Substrate's signature types, so they live in the pallet.

use alloc::vec::Vec;
use codec::Encode;
use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature, MultiSigner,
};

use crate::types::{
	AuthEpoch, AuthorityId, CaKey, Certificate, Credential, DeviceId, EnrolmentKey,
	EnrolmentSignature,
};

pub use endo_crypto::device_identity::{
	AUTHENTICATE_PURPOSE, CERTIFICATE_TAG, CHALLENGE_TAG, CONTROLLER_CONSENT_TAG,
	CROSS_DOMAIN_PURPOSE_TAG, ENROLMENT_TAG, PROXY_KEY_TAG, PROXY_VOTE_TAG, REGISTER_PURPOSE_TAG,
};

/// The message a proxy key signs to show that it belongs to `account` (`set_proxy_key`):
/// `SCALE((PROXY_KEY_TAG, genesis_hash, account))`. Nobody can claim another node's key, nor
/// replay the proof on another chain.
pub fn proxy_key_message<AccountId: Encode>(
	genesis_hash: &[u8; 32],
	account: &AccountId,
) -> Vec<u8> {
	(PROXY_KEY_TAG, genesis_hash, account).encode()
}

/// The NIZK purpose of a device's own cross-domain request:
/// `CROSS_DOMAIN_PURPOSE_TAG || SCALE(target)`. With the epoch's challenge, a proof is good for
/// one device, one target domain and one epoch.
pub fn cross_domain_purpose(target: AuthorityId) -> Vec<u8> {
	let mut purpose = CROSS_DOMAIN_PURPOSE_TAG.to_vec();
	target.encode_to(&mut purpose);
	purpose
}

/// The message a proxy node's off-chain worker signs for a vote:
/// `SCALE((PROXY_VOTE_TAG, genesis_hash, vote))`. The vote names the proxy key, the device, the
/// statement, the epoch and the subject (the credential or request it is about), and the
/// genesis hash the chain, so a signature serves one vote on one registration or request.
pub fn proxy_vote_message<Key: Encode>(
	genesis_hash: &[u8; 32],
	vote: &crate::types::ProxyVote<Key>,
) -> Vec<u8> {
	(PROXY_VOTE_TAG, genesis_hash, vote).encode()
}

/// The NIZK purpose of a registration proof:
/// `REGISTER_PURPOSE_TAG || SCALE((authority, controller, credential))`, where `controller` is
/// the controller account (`Option<AccountId>`; its consent signature is not part of it).
///
/// Binding the controller and the credential into the proof means a registration seen in the
/// transaction pool cannot be re-submitted with another controller or a garbage credential.
pub fn register_purpose<AccountId: Encode, BlockNumber: Encode>(
	authority: AuthorityId,
	controller: Option<&AccountId>,
	credential: &Credential<BlockNumber>,
) -> Vec<u8> {
	let mut purpose = REGISTER_PURPOSE_TAG.to_vec();
	(authority, controller, credential).encode_to(&mut purpose);
	purpose
}

/// The message a controller account signs to consent to its binding to a device:
/// `SCALE((CONTROLLER_CONSENT_TAG, genesis_hash, device, public_key, authority))`.
///
/// # Security
/// The device's proof binds the controller account (in [`register_purpose`]); this signature is
/// the account's side: it names the chain, the device by ID and key, and the authority, so it
/// cannot be moved to another device, domain or chain. It does not expire: a device ID
/// registers at most once (a revoked ID never again), so a consent can serve only that device's
/// registration, or its new attempt after a rejection or a timeout.
pub fn controller_consent_message(
	genesis_hash: &[u8; 32],
	device: &DeviceId,
	public_key: &[u8; 32],
	authority: AuthorityId,
) -> Vec<u8> {
	(CONTROLLER_CONSENT_TAG, genesis_hash, device, public_key, authority).encode()
}

/// The message an IBE authority (KGC) co-signs with its enrolment key for every device ID it
/// issues an SM9 credential for:
/// `SCALE((ENROLMENT_TAG, genesis_hash, authority, device, expires_at))`, where `expires_at`
/// is the last block at which the enrolment is valid (the runtime's block number, as in
/// [`certificate_message`]).
///
/// # Security
/// The SM9 credential is verified off chain (by the proxy nodes), so the chain cannot tell a
/// forged one from a genuine one; this co-signature is what it can check, cheaply, in the
/// transaction pool: without it anybody could fill the pending registrations with made-up
/// devices. It names the chain, the authority and the device, so it cannot be moved to another
/// device, domain or chain. It expires at `expires_at`, chosen by the KGC: after it the device
/// can neither register nor authenticate, so a revoked IBE device's tombstone can be removed
/// once the enrolment has expired (`reclaim.rs`) without its old registration becoming
/// replayable.
pub fn enrolment_message<BlockNumber: Encode>(
	genesis_hash: &[u8; 32],
	authority: AuthorityId,
	device: &DeviceId,
	expires_at: &BlockNumber,
) -> Vec<u8> {
	(ENROLMENT_TAG, genesis_hash, authority, device, expires_at).encode()
}

/// Checks an enrolment co-signature ([`enrolment_message`]) with the authority's sr25519
/// enrolment key (`sp_io::crypto::sr25519_verify`).
pub fn verify_enrolment<BlockNumber: Encode>(
	key: &EnrolmentKey,
	genesis_hash: &[u8; 32],
	authority: AuthorityId,
	device: &DeviceId,
	expires_at: &BlockNumber,
	signature: &EnrolmentSignature,
) -> bool {
	let message = enrolment_message(genesis_hash, authority, device, expires_at);
	sp_io::crypto::sr25519_verify(
		&sp_core::sr25519::Signature::from_raw(*signature),
		&message,
		&sp_core::sr25519::Public::from_raw(*key),
	)
}

/// The message a CA signs:
/// `SCALE((CERTIFICATE_TAG, genesis_hash, subject, expires_at))`.
pub fn certificate_message<BlockNumber: Encode>(
	genesis_hash: &[u8; 32],
	subject: &DeviceId,
	expires_at: &BlockNumber,
) -> Vec<u8> {
	(CERTIFICATE_TAG, genesis_hash, subject, expires_at).encode()
}

/// Checks a certificate's signature with the CA's key (Substrate's `MultiSignature` rules;
/// ECDSA signs `blake2_256(message)`).
pub fn verify_certificate<BlockNumber: Encode>(
	ca: &CaKey,
	genesis_hash: &[u8; 32],
	certificate: &Certificate<BlockNumber>,
) -> bool {
	let signer = match ca {
		CaKey::Ed25519(k) => MultiSigner::Ed25519(*k),
		CaKey::Sr25519(k) => MultiSigner::Sr25519(*k),
		CaKey::Ecdsa(k) => MultiSigner::Ecdsa(*k),
	};
	let scheme_matches = matches!(
		(ca, &certificate.signature),
		(CaKey::Ed25519(_), MultiSignature::Ed25519(_))
			| (CaKey::Sr25519(_), MultiSignature::Sr25519(_))
			| (CaKey::Ecdsa(_), MultiSignature::Ecdsa(_))
	);
	let message = certificate_message(genesis_hash, &certificate.subject, &certificate.expires_at);
	scheme_matches && certificate.signature.verify(&message[..], &signer.into_account())
}

/// The challenge of epoch `index`:
/// `blake2_256(SCALE((CHALLENGE_TAG, index, random_seed, parent_hash)))`.
///
/// `random_seed` is the runtime's randomness (BABE's randomness of one epoch ago), the parent
/// hash ties the challenge to the chain the epoch starts on, and the index keeps challenges
/// distinct even if the randomness does not change between two epochs.
///
/// # Security
/// The challenge gives freshness, not secrecy. It is known as soon as the epoch's parent block
/// is built, one block before the epoch opens, and the author of that block can choose among
/// the challenges of the block candidates it builds (grinding). Neither helps an attacker: a
/// proof still answers one epoch only, so nothing can be replayed across epochs, and the
/// proof's soundness does not rest on an unpredictable challenge (the NIZK's own Fiat-Shamir
/// challenge hashes the prover's commitment); a device that learns the challenge a block early
/// gains one block of time, nothing else.
pub fn challenge(index: AuthEpoch, random_seed: &[u8], parent_hash: &[u8]) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(CHALLENGE_TAG, index, random_seed, parent_hash).encode())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use sp_core::{ecdsa, ed25519, sr25519, Pair};

	#[test]
	fn certificates_verify_per_scheme_and_chain() {
		let genesis = [7u8; 32];
		let subject = [9u8; 32];
		let message = certificate_message(&genesis, &subject, &100u64);
		let ed = ed25519::Pair::from_seed(&[1; 32]);
		let sr = sr25519::Pair::from_seed(&[2; 32]);
		let ec = ecdsa::Pair::from_seed(&[3; 32]);
		let cases: [(CaKey, MultiSignature); 3] = [
			(CaKey::Ed25519(ed.public()), ed.sign(&message).into()),
			(CaKey::Sr25519(sr.public()), sr.sign(&message).into()),
			(CaKey::Ecdsa(ec.public()), ec.sign(&message).into()),
		];
		for (ca, signature) in cases.iter().cloned() {
			let certificate = Certificate { subject, expires_at: 100u64, signature };
			assert!(verify_certificate(&ca, &genesis, &certificate));
			// Another chain, another subject, another expiry: all fail.
			assert!(!verify_certificate(&ca, &[8; 32], &certificate));
			let other = Certificate { subject: [1; 32], ..certificate.clone() };
			assert!(!verify_certificate(&ca, &genesis, &other));
			let later = Certificate { expires_at: 101, ..certificate.clone() };
			assert!(!verify_certificate(&ca, &genesis, &later));
		}
		// A signature of another scheme (or by another CA) never verifies.
		let (ed_key, _) = cases[0].clone();
		let (_, sr_sig) = cases[1].clone();
		let forged = Certificate { subject, expires_at: 100u64, signature: sr_sig };
		assert!(!verify_certificate(&ed_key, &genesis, &forged));
	}

	#[test]
	fn purposes_bind_every_registration_field() {
		let credential =
			Credential::<u64>::Ibe { signature: [5; 97], expires_at: 100, enrolment: [1; 64] };
		let base = register_purpose(1, Some(&7u64), &credential);
		assert!(base.starts_with(REGISTER_PURPOSE_TAG));
		assert_ne!(base, register_purpose(2, Some(&7u64), &credential));
		assert_ne!(base, register_purpose(1, Some(&8u64), &credential));
		assert_ne!(base, register_purpose(1, None::<&u64>, &credential));
		let other =
			Credential::<u64>::Ibe { signature: [6; 97], expires_at: 100, enrolment: [1; 64] };
		assert_ne!(base, register_purpose(1, Some(&7u64), &other));
		let later =
			Credential::<u64>::Ibe { signature: [5; 97], expires_at: 101, enrolment: [1; 64] };
		assert_ne!(base, register_purpose(1, Some(&7u64), &later));
		assert_ne!(base.as_slice(), AUTHENTICATE_PURPOSE);
		// The controller is encoded as the call's `Option<AccountId>`.
		let mut expected = REGISTER_PURPOSE_TAG.to_vec();
		(1u32, Some(7u64), &credential).encode_to(&mut expected);
		assert_eq!(base, expected);
	}

	#[test]
	fn consents_bind_chain_device_key_and_authority() {
		let base = controller_consent_message(&[1; 32], &[2; 32], &[3; 32], 4);
		assert_ne!(base, controller_consent_message(&[9; 32], &[2; 32], &[3; 32], 4));
		assert_ne!(base, controller_consent_message(&[1; 32], &[9; 32], &[3; 32], 4));
		assert_ne!(base, controller_consent_message(&[1; 32], &[2; 32], &[9; 32], 4));
		assert_ne!(base, controller_consent_message(&[1; 32], &[2; 32], &[3; 32], 5));
		// compact(31) ‖ tag ‖ genesis ‖ device ‖ key ‖ authority (u32 LE): what the device
		// tool and polkadot.js build.
		let mut expected = alloc::vec![(CONTROLLER_CONSENT_TAG.len() as u8) << 2];
		expected.extend_from_slice(CONTROLLER_CONSENT_TAG);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&[3; 32]);
		expected.extend_from_slice(&4u32.to_le_bytes());
		assert_eq!(base, expected);
		// An sr25519 account's consent verifies for it only, as `MultiSignature`.
		let controller = sr25519::Pair::from_seed(&[4; 32]);
		let signature: MultiSignature = controller.sign(&base).into();
		let account = MultiSigner::from(controller.public()).into_account();
		assert!(signature.verify(&base[..], &account));
		let other = MultiSigner::from(sr25519::Pair::from_seed(&[5; 32]).public()).into_account();
		assert!(!signature.verify(&base[..], &other));
	}

	#[test]
	fn enrolments_bind_chain_authority_device_and_expiry() {
		let base = enrolment_message(&[1; 32], 4, &[2; 32], &100u32);
		assert_ne!(base, enrolment_message(&[9; 32], 4, &[2; 32], &100u32));
		assert_ne!(base, enrolment_message(&[1; 32], 5, &[2; 32], &100u32));
		assert_ne!(base, enrolment_message(&[1; 32], 4, &[9; 32], &100u32));
		assert_ne!(base, enrolment_message(&[1; 32], 4, &[2; 32], &101u32));
		// compact(len) ‖ tag ‖ genesis ‖ authority (u32 LE) ‖ device ‖ expiry (the runtime's
		// block number, u32 LE): what the device tool builds.
		let mut expected = alloc::vec![(ENROLMENT_TAG.len() as u8) << 2];
		expected.extend_from_slice(ENROLMENT_TAG);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&4u32.to_le_bytes());
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&100u32.to_le_bytes());
		assert_eq!(base, expected);
		assert!(ENROLMENT_TAG.ends_with(b"/v2"));
		// The KGC's key verifies its own co-signature only, for this chain, authority, device
		// and expiry only.
		let kgc = sr25519::Pair::from_seed(&[4; 32]);
		let key = kgc.public().0;
		let signature = kgc.sign(&base).0;
		assert!(verify_enrolment(&key, &[1; 32], 4, &[2; 32], &100u32, &signature));
		assert!(!verify_enrolment(&key, &[9; 32], 4, &[2; 32], &100u32, &signature));
		assert!(!verify_enrolment(&key, &[1; 32], 5, &[2; 32], &100u32, &signature));
		assert!(!verify_enrolment(&key, &[1; 32], 4, &[9; 32], &100u32, &signature));
		let other = sr25519::Pair::from_seed(&[5; 32]).public().0;
		assert!(!verify_enrolment(&other, &[1; 32], 4, &[2; 32], &100u32, &signature));
		assert!(!verify_enrolment(&key, &[1; 32], 4, &[2; 32], &100u32, &[0; 64]));
	}

	#[test]
	fn an_enrolment_cosigned_for_one_expiry_does_not_verify_for_another() {
		let kgc = sr25519::Pair::from_seed(&[4; 32]);
		let key = kgc.public().0;
		let signature = kgc.sign(&enrolment_message(&[1; 32], 4, &[2; 32], &100u32)).0;
		assert!(verify_enrolment(&key, &[1; 32], 4, &[2; 32], &100u32, &signature));
		for other in [0u32, 99, 101, u32::MAX] {
			assert!(!verify_enrolment(&key, &[1; 32], 4, &[2; 32], &other, &signature));
		}
		// Nor a co-signature of the old format (`v1`, no expiry) under the new one.
		let mut old = alloc::vec![(ENROLMENT_TAG.len() as u8) << 2];
		old.extend_from_slice(b"endochain/device-identity/enrolment/v1");
		old.extend_from_slice(&[1; 32]);
		old.extend_from_slice(&4u32.to_le_bytes());
		old.extend_from_slice(&[2; 32]);
		let legacy = kgc.sign(&old).0;
		assert!(!verify_enrolment(&key, &[1; 32], 4, &[2; 32], &100u32, &legacy));
	}

	#[test]
	fn challenges_differ_per_input() {
		let c = challenge(1, &[1; 32], &[2; 32]);
		assert_ne!(c, challenge(2, &[1; 32], &[2; 32]));
		assert_ne!(c, challenge(1, &[3; 32], &[2; 32]));
		assert_ne!(c, challenge(1, &[1; 32], &[4; 32]));
		// Matches the documented formula.
		let mut input = Vec::new();
		CHALLENGE_TAG.encode_to(&mut input);
		1u32.encode_to(&mut input);
		[1u8; 32][..].encode_to(&mut input);
		[2u8; 32][..].encode_to(&mut input);
		assert_eq!(c, sp_io::hashing::blake2_256(&input));
	}
}
