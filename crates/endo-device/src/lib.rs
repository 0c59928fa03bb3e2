//! # endo-device
//!
//! The *device side* of Endochain's endogenous identity (Chen, Han, Zhang 2023, "Endogenous
//! Security Formal Definition, Innovation Mechanisms, and Experiment Research in Industrial
//! Internet", §3 and §5, Figs. 6 and 7): a faithful **model** of an industrial-IoT device whose
//! key pair and 32-byte ID come from its SRAM PUF, and the `endochain-device` command-line tool
//! built on it. Everything cryptographic is `endo-crypto`; this crate only plays the device.
//!
//! ## What is simulated, and what is real
//!
//! | a real device | this model |
//! |---|---|
//! | the chip's silicon: the manufacturing mismatch that fixes every SRAM cell's start-up value | a 32-byte *PUF seed* ([`endo_crypto::puf::SramPuf::manufacture`]) |
//! | a power-up read of the SRAM, with thermal noise | [`endo_crypto::puf::SramPuf::read`] with a bit-error rate (default here 10 %) |
//! | enrolment at the factory: fuzzy-extractor `Gen`, helper data kept in flash | [`Device::enroll`]: one read (or the majority of several), [`endo_crypto::fuzzy::enroll`]; the helper data and the public key go into the device file |
//! | every power-up: a fresh noisy read, `Rep`, key derivation; the secret is never stored | [`Device::power_up`]: a fresh read, [`endo_crypto::fuzzy::reconstruct`], [`endo_crypto::identity::DeviceKeypair::from_puf_key`] |
//! | answering the chain's challenge | [`Device::prove`]: [`endo_crypto::nizk::prove_identity`], byte for byte what `pallet-device-identity` verifies |
//!
//! The device file ([`Device::to_json`]) holds the PUF seed and model parameters (the
//! "silicon"), the public helper data, the public key and the ID; never the PUF key or the
//! secret scalar, which are re-derived at every power-up and dropped. **In this model the PUF
//! seed stands for the chip itself: whoever holds the device file holds the device**, exactly
//! as whoever holds a real chip can power it up. Keep device files as you would keep the
//! devices.
//!
//! ## Proof purposes
//!
//! The pallet (`pallets/device-identity`, `messages.rs`) binds every proof to a *purpose*; the
//! tags are `endo_crypto::device_identity`'s, shared with the pallet:
//!
//! * registration: [`REGISTER_PURPOSE_TAG`] followed by
//!   `SCALE((authority: u32, controller: Option<AccountId>, credential))`. The caller (a
//!   polkadot.js script, a gateway) builds these bytes from the chain's metadata and passes them
//!   raw, so that this crate does not depend on the runtime's types;
//! * authentication: [`AUTHENTICATE_PURPOSE`] (the shorthand `authenticate` of [`parse_purpose`]).
//!
//! ## The controller's consent
//!
//! A registration that binds a controller account carries that account's signature of
//! [`controller_consent_message`]: `SCALE((CONTROLLER_CONSENT_TAG, genesis_hash, ID,
//! public_key, authority: u32))`, the pallet's `messages::controller_consent_message`.
//! `endochain-device consent` prints it for an external signer (a wallet, polkadot.js), or
//! signs it itself with an sr25519 secret URI ([`Consent`]).
//!
//! ## The KGC's enrolment co-signature
//!
//! An IBE credential carries, besides the SM9 signature, the enrolment's expiry and the KGC's
//! sr25519 co-signature of [`enrolment_message`]: `SCALE((ENROLMENT_TAG, genesis_hash,
//! authority: u32, ID, expires_at: u32))`, the pallet's `messages::enrolment_message`, which
//! the chain checks before anything expensive. `expires_at` is the last block at which the
//! enrolment is valid, chosen by the KGC: after it the device can neither register nor
//! authenticate, and a revoked device's record can be removed from the chain.
//! `endochain-device enrolment-key` prints the public key of a KGC's enrolment key (what
//! `set_enrolment_key` takes) and `endochain-device enrol --expires-at <BLOCK>` co-signs a
//! device ID and its expiry with it ([`Enrolment`]); the caller puts both into the credential
//! (`{ Ibe: { signature, expiresAt, enrolment } }`) before building the registration purpose.
//!
//! ## The authorities: a KGC issues IBE credentials, a CA certificates
//!
//! The *authority side* of device identity (paper Fig. 6, steps 2-4: the domain's trusted
//! authority registers the device and hands it its credential) lives in [`Kgc`] and [`Ca`]:
//!
//! * [`Kgc`] (`endochain-device kgc new | show | issue`): an IBE domain's SM9 key generation
//!   centre (`endo_crypto::Sm9Kgc`) with an sr25519 enrolment key. Its public parts are the
//!   arguments of `register_authority` (`AuthorityKey::Ibe`, the 128-byte master signature
//!   public key `Ppub-s`) and `set_enrolment_key`. [`Kgc::issue`] extracts the signing key of
//!   the identity `hex(ID)`, signs the 32 ID bytes (GM/T 0044,
//!   `endo_crypto::device_identity::ibe_credential_statement`), co-signs
//!   [`enrolment_message`], checks both, and returns `Credential::Ibe { signature, expires_at,
//!   enrolment }`: what the proxy nodes (`verify_ibe_credential`) and the pallet
//!   (`verify_enrolment`) accept;
//! * [`Ca`] (`endochain-device ca new | show | issue`): a PKI domain's CA with an Ed25519,
//!   Sr25519 or ECDSA key ([`CaScheme`]); its public key is `AuthorityKey::Pki`, and
//!   [`Ca::issue`] signs [`certificate_message`] (ECDSA: its `blake2_256`, as Substrate's
//!   `MultiSignature` verifies it), giving `Credential::Pki { certificate }`.
//!
//! Both keep their secrets in a key file (JSON, [`KGC_FORMAT`] / [`CA_FORMAT`], written
//! owner-only and never overwritten without `--force`) that is checked when read: format (a
//! file of another kind is named as such), every field's form, and that the public keys
//! recorded in it are the secrets'. `endochain-device enroll --kgc | --ca` issues the
//! credential right after the PUF enrolment and stores it in the device file; `show` prints it.
//! Every credential and key is printed in the JSON form `@polkadot/api` takes for the call
//! arguments ([`Credential::to_json`]).
//!
//! `endochain-device tags` prints every tag of the protocol ([`tags_json`]), so that callers in
//! other languages take the bytes from here instead of copying them.
//!
//! ## Errors
//!
//! Every failure is an [`Error`] with a message that says what is wrong and where: bad hex,
//! wrong lengths, out-of-range parameters, a missing, corrupt or inconsistent device, KGC or CA
//! file, a failed key reconstruction. Nothing here panics on user input; [`Error::exit_code`] gives
//! the tool's exit status.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

mod authority;
mod credential;
mod device;
mod error;
mod file;
pub mod hexarg;

pub use authority::{Ca, CaScheme, Kgc, CA_FORMAT, KGC_FORMAT};
pub use credential::{
	AuthorityKey, CaKey, CaSignature, Certificate, Credential, ECDSA_PUBLIC_KEY_BYTES,
	ECDSA_SIGNATURE_BYTES, SIGNATURE_BYTES,
};
pub use device::{
	Device, Identity, ProofOutput, BIAS_TOLERANCE, DEFAULT_BIT_ERROR_RATE, FORMAT,
	MAX_ENROLMENT_READS,
};
pub use endo_crypto::device_identity::{
	AUTHENTICATE_PURPOSE, CERTIFICATE_TAG, CONTROLLER_CONSENT_TAG, CROSS_DOMAIN_PURPOSE_TAG,
	ENROLMENT_TAG, PROXY_KEY_TAG, PROXY_VOTE_TAG, REGISTER_PURPOSE_TAG,
};
pub use error::{Error, FileKind};

use codec::Encode;
use endo_crypto::device_identity::CHALLENGE_TAG;
use serde::Serialize;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

/// The domain-separation tags of `pallet-device-identity`'s messages, as `endochain-device tags`
/// prints them: `{ "registerPurposeTag", "authenticatePurpose", "certificateTag",
/// "challengeTag", "controllerConsentTag", "enrolmentTag", "crossDomainPurposeTag",
/// "proxyVoteTag", "proxyKeyTag" }`, each as `0x` hex of its ASCII bytes.
pub fn tags_json() -> String {
	#[derive(Serialize)]
	#[serde(rename_all = "camelCase")]
	struct Out {
		register_purpose_tag: String,
		authenticate_purpose: String,
		certificate_tag: String,
		challenge_tag: String,
		controller_consent_tag: String,
		enrolment_tag: String,
		cross_domain_purpose_tag: String,
		proxy_vote_tag: String,
		proxy_key_tag: String,
	}
	device::json_pretty(&Out {
		register_purpose_tag: hexarg::to_hex(REGISTER_PURPOSE_TAG),
		authenticate_purpose: hexarg::to_hex(AUTHENTICATE_PURPOSE),
		certificate_tag: hexarg::to_hex(CERTIFICATE_TAG),
		challenge_tag: hexarg::to_hex(CHALLENGE_TAG),
		controller_consent_tag: hexarg::to_hex(CONTROLLER_CONSENT_TAG),
		enrolment_tag: hexarg::to_hex(ENROLMENT_TAG),
		cross_domain_purpose_tag: hexarg::to_hex(CROSS_DOMAIN_PURPOSE_TAG),
		proxy_vote_tag: hexarg::to_hex(PROXY_VOTE_TAG),
		proxy_key_tag: hexarg::to_hex(PROXY_KEY_TAG),
	})
}

/// The message a controller account signs to consent to its binding to the device `id` with
/// key `public_key` under `authority`, on the chain with `genesis_hash`:
/// `SCALE((CONTROLLER_CONSENT_TAG, genesis_hash, id, public_key, authority))`, byte for byte
/// `pallet_device_identity::messages::controller_consent_message`.
pub fn controller_consent_message(
	genesis_hash: &[u8; 32],
	id: &[u8; 32],
	public_key: &[u8; 32],
	authority: u32,
) -> Vec<u8> {
	(CONTROLLER_CONSENT_TAG, genesis_hash, id, public_key, authority).encode()
}

/// A controller's consent, as `endochain-device consent` prints it.
pub struct Consent {
	/// The message to sign ([`controller_consent_message`]).
	pub message: Vec<u8>,
	/// The controller's sr25519 key and its signature of `message`, when signed here.
	pub signed: Option<(sr25519::Public, sr25519::Signature)>,
}

impl Consent {
	/// The consent message for `identity` under `authority` on the chain `genesis_hash`,
	/// signed with the sr25519 secret URI `controller_suri` (`//Alice`, a mnemonic with a
	/// derivation path, `0x` and a 32-byte seed) if one is given.
	pub fn new(
		genesis_hash: &[u8; 32],
		identity: &Identity,
		authority: u32,
		controller_suri: Option<&str>,
	) -> Result<Self, Error> {
		let message =
			controller_consent_message(genesis_hash, &identity.id, &identity.public_key, authority);
		let signed = match controller_suri {
			None => None,
			Some(suri) => {
				// The parse error may quote the secret: say what is wrong without it.
				let pair =
					sr25519::Pair::from_string(suri, None).map_err(|_| Error::InvalidArgument {
						what: "--controller-suri".into(),
						reason: "not a valid sr25519 secret URI (a `//Name` dev key, a \
							mnemonic or 0x and a 32-byte seed, with an optional derivation path)"
							.into(),
					})?;
				Some((pair.public(), pair.sign(&message)))
			}
		};
		Ok(Self { message, signed })
	}

	/// `{ "message" }` alone, or with `"controller": { "account" (SS58, prefix 42),
	/// "publicKey", "signature": { "Sr25519": "0x.." } }`: the `controller` argument of
	/// `register_device` as polkadot.js takes it (`MultiSignature::Sr25519`).
	pub fn to_json(&self) -> String {
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Signature {
			#[serde(rename = "Sr25519")]
			sr25519: String,
		}
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Controller {
			account: String,
			public_key: String,
			signature: Signature,
		}
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Out {
			message: String,
			#[serde(skip_serializing_if = "Option::is_none")]
			controller: Option<Controller>,
		}
		device::json_pretty(&Out {
			message: hexarg::to_hex(&self.message),
			controller: self.signed.as_ref().map(|(public, signature)| Controller {
				account: public.to_ss58check(),
				public_key: hexarg::to_hex(public.as_ref()),
				signature: Signature { sr25519: hexarg::to_hex(signature.as_ref()) },
			}),
		})
	}
}

/// The message an IBE authority's enrolment key co-signs for the device `id` under
/// `authority`, on the chain with `genesis_hash`, enrolled until block `expires_at` (the
/// runtime's block number, `u32`):
/// `SCALE((ENROLMENT_TAG, genesis_hash, authority, id, expires_at))`, byte for byte
/// `pallet_device_identity::messages::enrolment_message`.
pub fn enrolment_message(
	genesis_hash: &[u8; 32],
	authority: u32,
	id: &[u8; 32],
	expires_at: u32,
) -> Vec<u8> {
	(ENROLMENT_TAG, genesis_hash, authority, id, expires_at).encode()
}

/// The message a CA signs for the device `subject` on the chain with `genesis_hash`, valid
/// until block `expires_at` (the runtime's block number, `u32`):
/// `SCALE((CERTIFICATE_TAG, genesis_hash, subject, expires_at))`, byte for byte
/// `pallet_device_identity::messages::certificate_message`.
pub fn certificate_message(
	genesis_hash: &[u8; 32],
	subject: &[u8; 32],
	expires_at: u32,
) -> Vec<u8> {
	(CERTIFICATE_TAG, genesis_hash, subject, expires_at).encode()
}

/// A KGC's sr25519 enrolment key from a secret URI (`//Name`, a mnemonic with an optional
/// derivation path, `0x` and a 32-byte seed); `what` names the argument in the error, which
/// never quotes the secret.
pub fn enrolment_pair(what: &str, suri: &str) -> Result<sr25519::Pair, Error> {
	sr25519::Pair::from_string(suri, None).map_err(|_| Error::InvalidArgument {
		what: what.into(),
		reason: "not a valid sr25519 secret URI (a `//Name` dev key, a mnemonic or 0x and a \
			32-byte seed, with an optional derivation path)"
			.into(),
	})
}

/// A proxy node's key and its proof of belonging to `account` on the chain `genesis_hash`, as
/// `endochain-device proxy-key` prints them: `{ "key", "proof" }`, the arguments of
/// `set_proxy_key` (the proof is the key's sr25519 signature of
/// `SCALE((PROXY_KEY_TAG, genesis_hash, account))`, byte for byte
/// `pallet_device_identity::messages::proxy_key_message`).
pub fn proxy_key_json(pair: &sr25519::Pair, genesis_hash: &[u8; 32], account: &[u8; 32]) -> String {
	#[derive(Serialize)]
	struct Out {
		key: String,
		proof: String,
	}
	let message = (PROXY_KEY_TAG, genesis_hash, account).encode();
	device::json_pretty(&Out {
		key: hexarg::to_hex(pair.public().as_ref()),
		proof: hexarg::to_hex(pair.sign(&message).as_ref()),
	})
}

/// An account given as SS58 (any prefix) or as `0x` and 32 bytes of hex; `what` names the
/// argument in the error.
pub fn parse_account(what: &str, text: &str) -> Result<[u8; 32], Error> {
	if let Ok(account) = sp_core::crypto::AccountId32::from_ss58check(text) {
		return Ok(account.into());
	}
	hexarg::parse_hex(what, text)?.try_into().map_err(|_| Error::InvalidArgument {
		what: what.into(),
		reason: "not an SS58 address nor 32 bytes of hex".into(),
	})
}

/// `{ "publicKey": "0x.." }`: the enrolment key's public key, as `set_enrolment_key` takes it.
pub fn enrolment_key_json(pair: &sr25519::Pair) -> String {
	#[derive(Serialize)]
	#[serde(rename_all = "camelCase")]
	struct Out {
		public_key: String,
	}
	device::json_pretty(&Out { public_key: hexarg::to_hex(pair.public().as_ref()) })
}

/// A KGC's co-signature of a device ID and its enrolment's expiry, as `endochain-device enrol`
/// prints it.
pub struct Enrolment {
	/// The message signed ([`enrolment_message`]).
	pub message: Vec<u8>,
	/// The last block at which the enrolment is valid: the `expires_at` field of the IBE
	/// credential.
	pub expires_at: u32,
	/// The enrolment key.
	pub public: sr25519::Public,
	/// Its signature of `message`: the `enrolment` field of an IBE credential.
	pub signature: sr25519::Signature,
}

impl Enrolment {
	/// Co-signs the device `id` under `authority` on the chain `genesis_hash`, enrolled until
	/// block `expires_at`, with `pair`.
	pub fn new(
		pair: &sr25519::Pair,
		genesis_hash: &[u8; 32],
		authority: u32,
		id: &[u8; 32],
		expires_at: u32,
	) -> Self {
		let message = enrolment_message(genesis_hash, authority, id, expires_at);
		let signature = pair.sign(&message);
		Self { message, expires_at, public: pair.public(), signature }
	}

	/// `{ "message", "expiresAt", "publicKey", "enrolment" }`, in hex except `expiresAt` (a
	/// number); `expiresAt` and `enrolment` (64 bytes) are the IBE credential's fields.
	pub fn to_json(&self) -> String {
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Out {
			message: String,
			expires_at: u32,
			public_key: String,
			enrolment: String,
		}
		device::json_pretty(&Out {
			message: hexarg::to_hex(&self.message),
			expires_at: self.expires_at,
			public_key: hexarg::to_hex(self.public.as_ref()),
			enrolment: hexarg::to_hex(self.signature.as_ref()),
		})
	}
}

/// Parses the `--device` argument of `kgc issue` and `ca issue`: a device file (its ID is
/// taken, after the file's checks), or, when no such file exists and the text starts with `0x`,
/// the device ID itself (32 bytes hex). `what` names the argument in errors.
pub fn parse_device_arg(what: &str, text: &str) -> Result<[u8; 32], Error> {
	let path = std::path::Path::new(text);
	let trimmed = text.trim();
	if !path.exists() && (trimmed.starts_with("0x") || trimmed.starts_with("0X")) {
		return hexarg::parse_hex_array::<32>(what, trimmed);
	}
	Ok(Device::load(path)?.identity().id)
}

/// Parses a `--purpose` argument: the word `authenticate` gives [`AUTHENTICATE_PURPOSE`];
/// anything else must be the purpose bytes in hex (`0x` prefix optional), not empty.
pub fn parse_purpose(text: &str) -> Result<Vec<u8>, Error> {
	if text.trim() == "authenticate" {
		return Ok(AUTHENTICATE_PURPOSE.to_vec());
	}
	let bytes = hexarg::parse_hex("--purpose", text)?;
	if bytes.is_empty() {
		return Err(Error::InvalidArgument {
			what: "--purpose".into(),
			reason: "empty; give the purpose bytes in hex or `authenticate`".into(),
		});
	}
	Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn purpose_shorthand_and_hex() {
		assert_eq!(parse_purpose("authenticate").unwrap(), AUTHENTICATE_PURPOSE);
		let hex = format!("0x{}", hex::encode(REGISTER_PURPOSE_TAG));
		assert_eq!(parse_purpose(&hex).unwrap(), REGISTER_PURPOSE_TAG);
		assert_eq!(parse_purpose("0a0B").unwrap(), vec![0x0a, 0x0b]);
	}

	#[test]
	fn tags_are_the_protocol_bytes() {
		let json: serde_json::Value = serde_json::from_str(&tags_json()).unwrap();
		let bytes = |key: &str| hexarg::parse_hex(key, json[key].as_str().unwrap()).unwrap();
		assert_eq!(bytes("registerPurposeTag"), REGISTER_PURPOSE_TAG);
		assert_eq!(bytes("authenticatePurpose"), AUTHENTICATE_PURPOSE);
		assert_eq!(bytes("certificateTag"), CERTIFICATE_TAG);
		assert_eq!(bytes("challengeTag"), CHALLENGE_TAG);
		assert_eq!(bytes("controllerConsentTag"), CONTROLLER_CONSENT_TAG);
		assert_eq!(bytes("enrolmentTag"), ENROLMENT_TAG);
		assert_eq!(bytes("crossDomainPurposeTag"), CROSS_DOMAIN_PURPOSE_TAG);
		assert_eq!(bytes("proxyVoteTag"), PROXY_VOTE_TAG);
		assert_eq!(bytes("proxyKeyTag"), PROXY_KEY_TAG);
		assert_eq!(json.as_object().unwrap().len(), 9);
	}

	#[test]
	fn consent_message_is_the_pallets_format() {
		// compact(len) ‖ tag ‖ genesis ‖ ID ‖ key ‖ authority (u32 LE), as the pallet's
		// `messages::controller_consent_message` test spells it out.
		let message = controller_consent_message(&[1; 32], &[2; 32], &[3; 32], 4);
		let mut expected = vec![(CONTROLLER_CONSENT_TAG.len() as u8) << 2];
		expected.extend_from_slice(CONTROLLER_CONSENT_TAG);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&[3; 32]);
		expected.extend_from_slice(&4u32.to_le_bytes());
		assert_eq!(message, expected);
	}

	#[test]
	fn consent_is_signed_by_the_controller_uri() {
		let identity = Identity { id: [2; 32], public_key: [3; 32] };
		let consent = Consent::new(&[1; 32], &identity, 4, Some("//Dave")).unwrap();
		let (public, signature) = consent.signed.unwrap();
		assert_eq!(public, sr25519::Pair::from_string("//Dave", None).unwrap().public());
		assert!(sr25519::Pair::verify(&signature, &consent.message, &public));
		let json: serde_json::Value = serde_json::from_str(&consent.to_json()).unwrap();
		assert_eq!(json["controller"]["account"], public.to_ss58check());
		assert!(json["controller"]["signature"]["Sr25519"].as_str().unwrap().starts_with("0x"));
		// Unsigned: the message alone, for an external signer.
		let unsigned = Consent::new(&[1; 32], &identity, 4, None).unwrap();
		let json: serde_json::Value = serde_json::from_str(&unsigned.to_json()).unwrap();
		assert_eq!(json.as_object().unwrap().len(), 1);
		assert!(matches!(
			Consent::new(&[1; 32], &identity, 4, Some("not a uri")),
			Err(Error::InvalidArgument { .. })
		));
	}

	#[test]
	fn enrolment_is_the_pallets_format_signed_by_the_kgc() {
		// compact(len) ‖ tag ‖ genesis ‖ authority (u32 LE) ‖ ID ‖ expiry (u32 LE), as the
		// pallet's `messages::enrolment_message` test spells it out.
		let message = enrolment_message(&[1; 32], 4, &[2; 32], 100);
		let mut expected = vec![(ENROLMENT_TAG.len() as u8) << 2];
		expected.extend_from_slice(ENROLMENT_TAG);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&4u32.to_le_bytes());
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&100u32.to_le_bytes());
		assert_eq!(message, expected);
		assert_ne!(message, enrolment_message(&[1; 32], 4, &[2; 32], 101));
		let pair = enrolment_pair("--kgc-suri", "//Kgc").unwrap();
		let enrolment = Enrolment::new(&pair, &[1; 32], 4, &[2; 32], 100);
		assert_eq!(enrolment.message, message);
		assert!(sr25519::Pair::verify(&enrolment.signature, &message, &pair.public()));
		let json: serde_json::Value = serde_json::from_str(&enrolment.to_json()).unwrap();
		assert_eq!(json["expiresAt"], 100);
		let signature =
			hexarg::parse_hex("enrolment", json["enrolment"].as_str().unwrap()).unwrap();
		assert_eq!(signature.len(), 64);
		let Err(error) = enrolment_pair("--kgc-suri", "not a uri") else {
			panic!("not a secret URI, accepted")
		};
		assert!(error.to_string().starts_with("--kgc-suri"), "{error}");
	}

	#[test]
	fn certificate_message_is_the_pallets_format() {
		// compact(len) ‖ tag ‖ genesis ‖ subject ‖ expiry (u32 LE), as the e2e test's
		// `issueCertificate` builds it.
		let message = certificate_message(&[1; 32], &[2; 32], 100);
		let mut expected = vec![(CERTIFICATE_TAG.len() as u8) << 2];
		expected.extend_from_slice(CERTIFICATE_TAG);
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&[2; 32]);
		expected.extend_from_slice(&100u32.to_le_bytes());
		assert_eq!(message, expected);
	}

	#[test]
	fn purpose_errors() {
		assert!(matches!(parse_purpose("0x"), Err(Error::InvalidArgument { .. })));
		assert!(matches!(parse_purpose(""), Err(Error::InvalidArgument { .. })));
		assert!(matches!(parse_purpose("authenticat"), Err(Error::Hex { .. })));
		assert!(matches!(parse_purpose("0xabc"), Err(Error::Hex { .. })));
		let message = parse_purpose("register").unwrap_err().to_string();
		assert!(message.contains("--purpose"), "{message}");
	}
}
