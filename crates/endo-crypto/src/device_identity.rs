//! The device-identity protocol's bytes (paper Figs. 5-7): what `pallet-device-identity`, the
//! `endochain-device` tool, proxy nodes and the tests must agree on byte for byte.
//!
//! * the domain-separation tags of the chain's messages (every byte string that is hashed,
//!   signed or put into a proof transcript starts with a tag naming its purpose and version);
//! * the byte lengths of keys, proofs and credentials;
//! * the structural checks of SM9 master keys and signatures that the runtime can afford (no
//!   curve arithmetic: [`sm9_master_key_well_formed`], [`ibe_signature_well_formed`]);
//! * what an IBE credential states ([`ibe_credential_statement`]) and (std) the proxy nodes'
//!   verdict on it, with this crate's SM9 ([`ibe_credential_verdict`]).
//!
//! The SCALE-encoded messages built from these tags (the registration purpose, the certificate
//! message, the controller's consent, the KGC's enrolment co-signature, the epoch challenge) are
//! defined where SCALE is, in the pallet's `messages` module.
//! Everything here is no_std except the verdict.

use crate::identity::DeviceId;

pub use crate::{identity::PUBLIC_KEY_BYTES, nizk::IDENTITY_PROOF_BYTES as PROOF_BYTES};

/// Tag of the NIZK purpose of a registration proof; the purpose is this tag followed by
/// `SCALE((authority, controller, credential))`.
pub const REGISTER_PURPOSE_TAG: &[u8] = b"endochain/device-identity/register/v1";
/// The NIZK purpose of an authentication proof (the epoch enters through the challenge).
pub const AUTHENTICATE_PURPOSE: &[u8] = b"endochain/device-identity/authenticate/v1";
/// Tag of the message a certificate authority signs in a PKI certificate:
/// `SCALE((tag, genesis_hash, subject, expires_at))`.
pub const CERTIFICATE_TAG: &[u8] = b"endochain/device-identity/certificate/v1";
/// Tag of the epoch challenge derivation
/// `blake2_256(SCALE((tag, epoch, randomness, parent_hash)))`, also the subject passed to the
/// runtime's randomness source.
pub const CHALLENGE_TAG: &[u8] = b"endochain/device-identity/challenge/v1";
/// Tag of the message a controller account signs to consent to being bound to a device:
/// `SCALE((tag, genesis_hash, device_id, device_public_key, authority))`.
pub const CONTROLLER_CONSENT_TAG: &[u8] = b"endochain/controller-consent/v1";
/// Tag of the message an IBE authority (KGC) co-signs, with its sr25519 enrolment key, for
/// every device ID it issues a credential for:
/// `SCALE((tag, genesis_hash, authority, device_id, expires_at))`, where `expires_at` is the
/// last block (the runtime's block number, `u32`) at which the enrolment is valid. The chain
/// checks this co-signature in the transaction pool, before anything expensive; the SM9
/// credential itself is verified off chain by the proxy nodes. (`v1` co-signed no expiry;
/// its co-signatures never verify under `v2`.)
pub const ENROLMENT_TAG: &[u8] = b"endochain/device-identity/enrolment/v2";

/// Tag of the NIZK purpose of a device's own cross-domain request; the purpose is this tag
/// followed by `SCALE(target authority: u32)` (the epoch enters through the challenge).
pub const CROSS_DOMAIN_PURPOSE_TAG: &[u8] = b"endochain/device-identity/cross-domain/v1";
/// Tag of the message a proxy node's off-chain worker signs with its proxy key (key type
/// `edpx`) for each attestation it submits: `SCALE((tag, genesis_hash, vote))`, where `vote`
/// names the proxy key, the device, the statement, the epoch and the statement's subject (the
/// registration's credential, or the cross-domain request, it is about).
pub const PROXY_VOTE_TAG: &[u8] = b"endochain/device-identity/proxy-vote/v1";
/// Tag of the message a proxy key signs to show that it belongs to an account
/// (`set_proxy_key`): `SCALE((tag, genesis_hash, account))`.
pub const PROXY_KEY_TAG: &[u8] = b"endochain/device-identity/proxy-key/v1";

/// Bytes of an SM9 master signature public key `Ppub-s` (G2 point `x || y`, each coordinate an
/// Fp2 element of 64 bytes, big-endian; `Sm9MasterSignPublicKey`).
pub const SM9_MASTER_KEY_BYTES: usize = 128;
/// Bytes of an SM9 signature `h (32) || 0x04 || x (32) || y (32)` (`Sm9Signature`).
pub const SM9_SIGNATURE_BYTES: usize = 97;

/// The SM9 base-field prime `q` of GM/T 0044 (big-endian).
pub const SM9_Q: [u8; 32] = [
	0xB6, 0x40, 0x00, 0x00, 0x02, 0xA3, 0xA6, 0xF1, 0xD6, 0x03, 0xAB, 0x4F, 0xF5, 0x8E, 0xC7, 0x45,
	0x21, 0xF2, 0x93, 0x4B, 0x1A, 0x7A, 0xEE, 0xDB, 0xE5, 0x6F, 0x9B, 0x27, 0xE3, 0x51, 0x45, 0x7D,
];
/// The order `n` of the SM9 groups (big-endian).
pub const SM9_N: [u8; 32] = [
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
/// `Sm9MasterSignPublicKey::from_bytes` before verifying anything with it).
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

/// What an IBE credential states: the SM9 identity `hex(ID)` (64 lowercase ASCII hex
/// characters, [`DeviceId::to_hex`]) signed the message `ID` (the 32 ID bytes), with the
/// signing key the domain's KGC extracted for that identity. Returns `(identity, message)`.
pub fn ibe_credential_statement(device: &[u8; 32]) -> ([u8; 64], [u8; 32]) {
	(DeviceId::from_bytes(*device).to_hex(), *device)
}

/// A proxy node's verdict on a pending IBE registration's credential.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialVerdict {
	/// The credential verifies against the KGC's master key: attest `CredentialValid`.
	Valid,
	/// It does not (forged, for another identity, or not even parseable): attest
	/// `CredentialInvalid`.
	Invalid,
}

/// Verifies an IBE credential off chain: the standard GM/T 0044 SM9 signature `signature` of
/// the ID bytes, by the identity `hex(ID)`, against the KGC's master signature public key
/// ([`ibe_credential_statement`]). Errors say why it does not verify.
#[cfg(feature = "std")]
pub fn verify_ibe_credential(
	master_key: &[u8; SM9_MASTER_KEY_BYTES],
	device: &[u8; 32],
	signature: &[u8; SM9_SIGNATURE_BYTES],
) -> Result<(), crate::Sm9Error> {
	let (identity, message) = ibe_credential_statement(device);
	let master = crate::Sm9MasterSignPublicKey::from_bytes(master_key)?;
	master.verify_raw(&identity, &message, &crate::Sm9Signature::from_bytes(signature)?)
}

/// What an honest proxy node attests about a pending IBE registration: [`Valid`] if the
/// credential verifies ([`verify_ibe_credential`]), [`Invalid`] for any failure, malformed
/// master key or signature included.
///
/// [`Valid`]: CredentialVerdict::Valid
/// [`Invalid`]: CredentialVerdict::Invalid
#[cfg(feature = "std")]
pub fn ibe_credential_verdict(
	master_key: &[u8; SM9_MASTER_KEY_BYTES],
	device: &[u8; 32],
	signature: &[u8; SM9_SIGNATURE_BYTES],
) -> CredentialVerdict {
	match verify_ibe_credential(master_key, device, signature) {
		Ok(()) => CredentialVerdict::Valid,
		Err(_) => CredentialVerdict::Invalid,
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use crate::test_data::sm9_vector;

	/// The master signature public key of GM/T 0044-2016 Part 5 Annex A.
	fn annex_a_master_key() -> [u8; SM9_MASTER_KEY_BYTES] {
		sm9_vector("ppub_s").try_into().unwrap()
	}

	/// Alice's signature of GM/T 0044-2016 Part 5 Annex A.
	fn annex_a_signature() -> [u8; SM9_SIGNATURE_BYTES] {
		sm9_vector("signature").try_into().unwrap()
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
		assert!(ibe_signature_well_formed(&annex_a_signature()));
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
	fn ibe_statement_is_hex_identity_and_id_bytes() {
		let mut id = [0u8; 32];
		id[0] = 0xab;
		let (identity, message) = ibe_credential_statement(&id);
		assert_eq!(&identity[..2], b"ab");
		assert_eq!(message, id);
	}

	#[test]
	fn tags_are_distinct_and_versioned() {
		let tags = [
			REGISTER_PURPOSE_TAG,
			AUTHENTICATE_PURPOSE,
			CERTIFICATE_TAG,
			CHALLENGE_TAG,
			CONTROLLER_CONSENT_TAG,
			ENROLMENT_TAG,
		];
		for (i, tag) in tags.iter().enumerate() {
			let version = tag.rsplit(|b| *b == b'/').next().unwrap_or_default();
			assert!(tag.starts_with(b"endochain/") && version.len() >= 2 && version[0] == b'v');
			assert!(version[1..].iter().all(u8::is_ascii_digit));
			assert!(tags[i + 1..].iter().all(|other| other != tag));
		}
	}

	#[cfg(feature = "std")]
	#[test]
	fn verdict_of_genuine_forged_and_misdirected_credentials() {
		use crate::{Sm9Error, Sm9Kgc};
		use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

		let kgc = Sm9Kgc::generate(&mut ChaCha20Rng::seed_from_u64(1));
		let forger = Sm9Kgc::generate(&mut ChaCha20Rng::seed_from_u64(2));
		let master = kgc.sign_public_key().unwrap();
		let master_key = master.to_bytes();
		let credential = |kgc: &Sm9Kgc, device: &[u8; 32]| {
			let (identity, message) = ibe_credential_statement(device);
			let key = kgc.user_signing_key(&identity).unwrap();
			let master = kgc.sign_public_key().unwrap();
			key.sign_raw(&master, &message, &mut ChaCha20Rng::seed_from_u64(7)).unwrap().to_bytes()
		};
		let device = [0x5a; 32];
		let genuine = credential(&kgc, &device);
		assert_eq!(verify_ibe_credential(&master_key, &device, &genuine), Ok(()));
		assert_eq!(
			ibe_credential_verdict(&master_key, &device, &genuine),
			CredentialVerdict::Valid
		);
		// Another KGC's key for this identity.
		let forged = credential(&forger, &device);
		assert_eq!(
			verify_ibe_credential(&master_key, &device, &forged),
			Err(Sm9Error::SignatureInvalid)
		);
		assert_eq!(
			ibe_credential_verdict(&master_key, &device, &forged),
			CredentialVerdict::Invalid
		);
		// The KGC's genuine signature of another device's ID.
		let other = credential(&kgc, &[0x5b; 32]);
		assert_eq!(
			ibe_credential_verdict(&master_key, &device, &other),
			CredentialVerdict::Invalid
		);
		// Structurally valid but unparseable inputs are invalid credentials, not errors of the
		// proxy: the Annex A signature is not a device credential, a zero key not a key.
		let annex = annex_a_signature();
		assert_eq!(
			ibe_credential_verdict(&master_key, &device, &annex),
			CredentialVerdict::Invalid
		);
		assert_eq!(
			verify_ibe_credential(&[0; 128], &device, &genuine),
			Err(Sm9Error::KeyMalformed)
		);
		assert_eq!(
			ibe_credential_verdict(&[0; 128], &device, &genuine),
			CredentialVerdict::Invalid
		);
		let mut malformed = genuine;
		malformed[32] = 0x02;
		assert_eq!(
			verify_ibe_credential(&master_key, &device, &malformed),
			Err(Sm9Error::SignatureMalformed)
		);
	}
}
