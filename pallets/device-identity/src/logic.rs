//! Pure functions of the pallet: message formats, structural checks, the challenge derivation.
//! No storage access; unit-tested here (the Acala pattern: logic apart from FRAME).
//!
//! Every byte string that is hashed, signed or put into a proof transcript starts with a tag
//! naming its purpose and version (the list is in the crate docs, "Domain separation").

use alloc::vec::Vec;
use codec::Encode;
use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature, MultiSigner,
};

use crate::types::{
	AuthorityId, CaKey, Certificate, Credential, DeviceId, EpochIndex, SM9_MASTER_KEY_BYTES,
	SM9_SIGNATURE_BYTES,
};

/// Tag of the NIZK purpose of a registration proof.
pub const REGISTER_PURPOSE_TAG: &[u8] = b"endochain/device-identity/register/v1";
/// The NIZK purpose of an authentication proof (the epoch enters through the challenge).
pub const AUTHENTICATE_PURPOSE: &[u8] = b"endochain/device-identity/authenticate/v1";
/// Tag of the message a CA signs in a [`Certificate`].
pub const CERTIFICATE_TAG: &[u8] = b"endochain/device-identity/certificate/v1";
/// Tag of the challenge derivation, also the subject passed to `Randomness::random`.
pub const CHALLENGE_TAG: &[u8] = b"endochain/device-identity/challenge/v1";

/// The SM9 base-field prime `q` of GM/T 0044 (big-endian).
const SM9_Q: [u8; 32] = [
	0xB6, 0x40, 0x00, 0x00, 0x02, 0xA3, 0xA6, 0xF1, 0xD6, 0x03, 0xAB, 0x4F, 0xF5, 0x8E, 0xC7, 0x45,
	0x21, 0xF2, 0x93, 0x4B, 0x1A, 0x7A, 0xEE, 0xDB, 0xE5, 0x6F, 0x9B, 0x27, 0xE3, 0x51, 0x45, 0x7D,
];
/// The SM9 group order `n` (big-endian).
const SM9_N: [u8; 32] = [
	0xB6, 0x40, 0x00, 0x00, 0x02, 0xA3, 0xA6, 0xF1, 0xD6, 0x03, 0xAB, 0x4F, 0xF5, 0x8E, 0xC7, 0x44,
	0x49, 0xF2, 0x93, 0x4B, 0x18, 0xEA, 0x8B, 0xEE, 0xE5, 0x6E, 0xE1, 0x9C, 0xD6, 0x9E, 0xCF, 0x25,
];

fn chunk32(bytes: &[u8]) -> impl Iterator<Item = &[u8; 32]> {
	bytes.chunks_exact(32).filter_map(|c| c.try_into().ok())
}

fn is_zero(bytes: &[u8]) -> bool {
	bytes.iter().all(|&b| b == 0)
}

/// An SM9 master signature public key is four big-endian coordinates below `q` (two Fp2
/// elements), not all zero. This is the structural part of the validation; whether the point
/// lies on the twist and in G2 needs curve arithmetic, which runs off chain (the admin origin
/// that registers authorities is trusted, and proxy nodes parse the key with
/// `endo_crypto::Sm9MasterSignPublicKey::from_bytes` before verifying anything with it).
pub fn sm9_master_key_well_formed(key: &[u8; SM9_MASTER_KEY_BYTES]) -> bool {
	!is_zero(key) && chunk32(key).all(|c| c < &SM9_Q)
}

/// An SM9 signature `h || 0x04 || x || y` with `1 <= h < n` and coordinates below `q`, not the
/// point at infinity (all zero). Structural only; the proxy nodes verify it.
pub fn ibe_signature_well_formed(signature: &[u8; SM9_SIGNATURE_BYTES]) -> bool {
	let (h, rest) = signature.split_at(32);
	let h_ok = !is_zero(h) && h < &SM9_N[..];
	let Some((&tag, point)) = rest.split_first() else { return false };
	h_ok && tag == 0x04 && !is_zero(point) && chunk32(point).all(|c| c < &SM9_Q)
}

/// A CA key is usable: not all zero, and for ECDSA a compressed SEC1 encoding (prefix 2 or 3).
/// Keys that pass but are not valid curve points make every certificate fail
/// ([`verify_certificate`] then returns `false`), so nothing accepts them by mistake.
pub fn ca_key_well_formed(key: &CaKey) -> bool {
	match key {
		CaKey::Ed25519(k) => !is_zero(k.as_ref()),
		CaKey::Sr25519(k) => !is_zero(k.as_ref()),
		CaKey::Ecdsa(k) => matches!(AsRef::<[u8]>::as_ref(k).first(), Some(2 | 3)),
	}
}

/// The NIZK purpose of a registration proof:
/// `REGISTER_PURPOSE_TAG || SCALE((authority, controller, credential))`.
///
/// Binding the controller and the credential into the proof means a registration seen in the
/// transaction pool cannot be re-submitted with another controller or a garbage credential.
pub fn register_purpose<AccountId: Encode, BlockNumber: Encode>(
	authority: AuthorityId,
	controller: &Option<AccountId>,
	credential: &Credential<BlockNumber>,
) -> Vec<u8> {
	let mut purpose = REGISTER_PURPOSE_TAG.to_vec();
	(authority, controller, credential).encode_to(&mut purpose);
	purpose
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

/// What a proxy node verifies for an IBE credential: the SM9 identity `hex(ID)` (64 lowercase
/// ASCII hex characters, `endo_crypto::DeviceId::to_hex`) and the signed message, the 32 ID
/// bytes. Off chain:
///
/// ```ignore
/// let (identity, message) = ibe_credential_statement(&device);
/// Sm9MasterSignPublicKey::from_bytes(&master_key)?
///     .verify_raw(&identity, &message, &Sm9Signature::from_bytes(&signature)?)
/// ```
pub fn ibe_credential_statement(device: &DeviceId) -> ([u8; 64], [u8; 32]) {
	(endo_crypto::DeviceId::from_bytes(*device).to_hex(), *device)
}

/// The challenge of epoch `index`:
/// `blake2_256(SCALE((CHALLENGE_TAG, index, random_seed, parent_hash)))`.
///
/// `random_seed` is the runtime's randomness (BABE's randomness of one epoch ago), the parent
/// hash makes the challenge unknown until the epoch's first block is built, and the index keeps
/// challenges distinct even if the randomness does not change between two epochs.
pub fn challenge(index: EpochIndex, random_seed: &[u8], parent_hash: &[u8]) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(CHALLENGE_TAG, index, random_seed, parent_hash).encode())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use sp_core::{ecdsa, ed25519, sr25519, Pair};

	/// The master signature public key of GM/T 0044-2016 Part 5 Annex A.
	fn annex_a_master_key() -> [u8; 128] {
		let hex = "9F64080B3084F733E48AFF4B41B565011CE0711C5E392CFB0AB1B6791B94C40829DBA116152D1F786CE843ED24A3B573414D2177386A92DD8F14D65696EA5E3269850938ABEA0112B57329F447E3A0CBAD3E2FDB1A77F335E89E1408D0EF1C2541E00A53DDA532DA1A7CE027B7A46F741006E85F5CDFF0730E75C05FB4E3216D";
		let bytes = sp_core::bytes::from_hex(hex).unwrap();
		bytes.try_into().unwrap()
	}

	#[test]
	fn master_key_structure() {
		let key = annex_a_master_key();
		assert!(sm9_master_key_well_formed(&key));
		assert!(!sm9_master_key_well_formed(&[0; 128]));
		// A coordinate equal to q is out of range.
		let mut bad = key;
		bad[64..96].copy_from_slice(&SM9_Q);
		assert!(!sm9_master_key_well_formed(&bad));
		assert!(!sm9_master_key_well_formed(&[0xff; 128]));
	}

	#[test]
	fn annex_a_signature_is_well_formed() {
		let hex = "823C4B21E4BD2DFE1ED92C606653E996668563152FC33F55D7BFBB9BD9705ADB0473BF96923CE58B6AD0E13E9643A406D8EB98417C50EF1B29CEF9ADB48B6D598C856712F1C2E0968AB7769F42A99586AED139D5B8B3E15891827CC2ACED9BAA05";
		let sig: [u8; 97] = sp_core::bytes::from_hex(hex).unwrap().try_into().unwrap();
		assert!(ibe_signature_well_formed(&sig));
	}

	#[test]
	fn signature_structure() {
		let mut sig = [0u8; 97];
		sig[31] = 1; // h = 1
		sig[32] = 0x04;
		sig[64] = 2; // x = 2
		sig[96] = 3; // y = 3
		assert!(ibe_signature_well_formed(&sig));
		let mut zero_h = sig;
		zero_h[31] = 0;
		assert!(!ibe_signature_well_formed(&zero_h));
		let mut h_is_n = sig;
		h_is_n[..32].copy_from_slice(&SM9_N);
		assert!(!ibe_signature_well_formed(&h_is_n));
		let mut compressed = sig;
		compressed[32] = 0x02;
		assert!(!ibe_signature_well_formed(&compressed));
		let mut x_is_q = sig;
		x_is_q[33..65].copy_from_slice(&SM9_Q);
		assert!(!ibe_signature_well_formed(&x_is_q));
		let mut infinity = sig;
		infinity[33..].fill(0);
		assert!(!ibe_signature_well_formed(&infinity));
	}

	#[test]
	fn ca_key_structure() {
		assert!(!ca_key_well_formed(&CaKey::Sr25519(sr25519::Public::from_raw([0; 32]))));
		assert!(!ca_key_well_formed(&CaKey::Ed25519(ed25519::Public::from_raw([0; 32]))));
		assert!(!ca_key_well_formed(&CaKey::Ecdsa(ecdsa::Public::from_raw([4; 33]))));
		let pair = ecdsa::Pair::from_seed(&[1; 32]);
		assert!(ca_key_well_formed(&CaKey::Ecdsa(pair.public())));
	}

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
		let credential = Credential::<u64>::Ibe { signature: [5; 97] };
		let base = register_purpose(1, &Some(7u64), &credential);
		assert!(base.starts_with(REGISTER_PURPOSE_TAG));
		assert_ne!(base, register_purpose(2, &Some(7u64), &credential));
		assert_ne!(base, register_purpose(1, &Some(8u64), &credential));
		assert_ne!(base, register_purpose(1, &None::<u64>, &credential));
		let other = Credential::<u64>::Ibe { signature: [6; 97] };
		assert_ne!(base, register_purpose(1, &Some(7u64), &other));
		assert_ne!(base.as_slice(), AUTHENTICATE_PURPOSE);
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

	#[test]
	fn ibe_statement_is_hex_identity_and_id_bytes() {
		let mut id = [0u8; 32];
		id[0] = 0xab;
		let (identity, message) = ibe_credential_statement(&id);
		assert_eq!(&identity[..2], b"ab");
		assert_eq!(message, id);
	}
}
