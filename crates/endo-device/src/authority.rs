//! The authority side of device identity (paper Fig. 6): an IBE domain's key generation centre
//! ([`Kgc`]: SM9 master key and sr25519 enrolment key) and a PKI domain's certificate authority
//! ([`Ca`]: an Ed25519, Sr25519 or ECDSA signing key), their key files, and the credentials they
//! issue, byte for byte what `pallet-device-identity` (and, for SM9, its proxy nodes) verify.

use std::{fmt, path::Path, str::FromStr};

use endo_crypto::{
	device_identity::{ibe_credential_statement, verify_ibe_credential},
	Sm9Kgc, Sm9MasterSignPublicKey,
};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use sp_core::{crypto::Zeroize, ecdsa, ed25519, sr25519, Pair};

use crate::{
	certificate_message,
	credential::{AuthorityKeyJson, CaSignature, Certificate},
	device::json_pretty,
	file,
	hexarg::{parse_hex, parse_hex_array, to_hex},
	AuthorityKey, CaKey, Credential, Enrolment, Error, FileKind,
};

/// The `format` field of a KGC file.
pub const KGC_FORMAT: &str = "endochain-kgc/v1";
/// The `format` field of a CA file.
pub const CA_FORMAT: &str = "endochain-ca/v1";

/// What the `note` field of a KGC or CA file says (informative; not read back).
const SECRET_NOTE: &str = "secret: whoever holds this file can issue credentials in the \
                           authority's domain; keep it offline";

/// A 32-byte secret seed, wiped when dropped.
#[derive(Clone)]
struct Seed([u8; 32]);

impl Drop for Seed {
	fn drop(&mut self) {
		self.0.zeroize();
	}
}

/// `{ "authorityKey", "enrolmentKey"? }`: the public parts of an authority, as `kgc show` and
/// `ca show` print them (`register_authority`'s and `set_enrolment_key`'s arguments).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PublicJson {
	authority_key: AuthorityKeyJson,
	#[serde(skip_serializing_if = "Option::is_none")]
	enrolment_key: Option<String>,
}

// --- KGC ------------------------------------------------------------------------------------

/// An IBE domain's key generation centre: the SM9 master key (`ks || ke`), whose signature
/// public key `Ppub-s` is the domain's `AuthorityKey::Ibe`, and the sr25519 enrolment key that
/// co-signs every device it issues a credential for (`set_enrolment_key`).
pub struct Kgc {
	sm9: Sm9Kgc,
	master: Sm9MasterSignPublicKey,
	enrolment_seed: Seed,
	enrolment: sr25519::Pair,
}

impl fmt::Debug for Kgc {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		// The master key and the enrolment seed are secret: not printed.
		f.debug_struct("Kgc")
			.field("authority_key", &to_hex(&self.master.to_bytes()))
			.field("enrolment_key", &to_hex(self.enrolment.public().as_ref()))
			.finish_non_exhaustive()
	}
}

/// The KGC file, version 1 (camelCase for JavaScript callers).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KgcFileV1 {
	format: String,
	#[serde(default)]
	note: String,
	/// `ks || ke`, 64 bytes: secret.
	master_key: String,
	/// The sr25519 enrolment key's 32-byte seed (a mini secret key): secret.
	enrolment_seed: String,
	authority_key: AuthorityKeyJson,
	enrolment_key: String,
}

impl Kgc {
	/// Draws a fresh SM9 master key and enrolment seed from `rng`.
	pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Error> {
		let sm9 = Sm9Kgc::generate(rng);
		let mut seed = Seed([0; 32]);
		rng.fill_bytes(&mut seed.0);
		Self::from_parts(sm9, seed)
	}

	fn from_parts(sm9: Sm9Kgc, enrolment_seed: Seed) -> Result<Self, Error> {
		let master = sm9.sign_public_key().map_err(Error::Sm9)?;
		let enrolment = sr25519::Pair::from_seed(&enrolment_seed.0);
		Ok(Self { sm9, master, enrolment_seed, enrolment })
	}

	/// The domain's `AuthorityKey::Ibe`: the SM9 master signature public key, 128 bytes.
	pub fn authority_key(&self) -> AuthorityKey {
		AuthorityKey::Ibe(self.master.to_bytes())
	}

	/// The enrolment key's public key (what `set_enrolment_key` takes). The same key signs for
	/// `endochain-device enrol --kgc-suri 0x<enrolmentSeed>`.
	pub fn enrolment_key(&self) -> sr25519::Public {
		self.enrolment.public()
	}

	/// `{ "authorityKey": { "Ibe": "0x.." }, "enrolmentKey": "0x.." }`: the arguments of
	/// `register_authority` and `set_enrolment_key`.
	pub fn public_json(&self) -> String {
		json_pretty(&PublicJson {
			authority_key: self.authority_key().to_wire(),
			enrolment_key: Some(to_hex(self.enrolment_key().as_ref())),
		})
	}

	/// Issues the IBE credential of the device `id` under `authority` on the chain
	/// `genesis_hash`, enrolled until block `expires_at`: extracts the SM9 signing key of the
	/// identity `hex(ID)`, signs the ID bytes with it (GM/T 0044, nonce from `rng`), co-signs
	/// the enrolment message with the enrolment key, and checks both signatures before
	/// returning them.
	pub fn issue<R: RngCore + CryptoRng + ?Sized>(
		&self,
		genesis_hash: &[u8; 32],
		authority: u32,
		id: &[u8; 32],
		expires_at: u32,
		rng: &mut R,
	) -> Result<Credential, Error> {
		let (identity, message) = ibe_credential_statement(id);
		let key = self.sm9.user_signing_key(&identity).map_err(Error::Sm9)?;
		let signature = key.sign_raw(&self.master, &message, rng).map_err(Error::Sm9)?.to_bytes();
		// Defensive: what the proxy nodes will check.
		verify_ibe_credential(&self.master.to_bytes(), id, &signature).map_err(Error::Sm9)?;
		let enrolment = Enrolment::new(&self.enrolment, genesis_hash, authority, id, expires_at);
		if !sr25519::Pair::verify(&enrolment.signature, &enrolment.message, &enrolment.public) {
			return Err(Error::SelfCheck("the enrolment co-signature"));
		}
		Ok(Credential::Ibe { signature, expires_at, enrolment: enrolment.signature.0 })
	}

	/// The KGC file: format, note, the secrets (master key, enrolment seed) and the public
	/// keys, in hex (pretty JSON).
	pub fn to_json(&self) -> String {
		json_pretty(&KgcFileV1 {
			format: KGC_FORMAT.into(),
			note: SECRET_NOTE.into(),
			master_key: to_hex(self.sm9.to_bytes().as_slice()),
			enrolment_seed: to_hex(&self.enrolment_seed.0),
			authority_key: self.authority_key().to_wire(),
			enrolment_key: to_hex(self.enrolment_key().as_ref()),
		})
	}

	/// Parses and checks a KGC file: its format, every field's form, the master key's range,
	/// and that the public keys are the secrets'.
	pub fn from_json(text: &str) -> Result<Self, Error> {
		Self::parse(text).map_err(|reason| key_file(FileKind::Kgc, "<input>", reason))
	}

	fn parse(text: &str) -> Result<Self, String> {
		file::check_format(text, KGC_FORMAT)?;
		let file: KgcFileV1 = serde_json::from_str(text).map_err(|e| e.to_string())?;
		let field = |e: Error| e.to_string();
		// The secret's hex is not echoed in errors: `parse_hex` reports only the position.
		let master = parse_hex("masterKey", &file.master_key).map_err(field)?;
		let sm9 = Sm9Kgc::from_bytes(&master).map_err(|_| {
			format!(
				"masterKey: not an SM9 master key (64 bytes: ks || ke, each in [1, n-1]; got {} \
				 bytes)",
				master.len()
			)
		})?;
		let seed =
			Seed(parse_hex_array::<32>("enrolmentSeed", &file.enrolment_seed).map_err(field)?);
		let kgc = Self::from_parts(sm9, seed).map_err(field)?;
		if !matches!(file.authority_key, AuthorityKeyJson::Ibe(_)) {
			return Err("authorityKey: a KGC's key is an IBE key ({ \"Ibe\": \"0x..\" })".into());
		}
		let authority_key =
			AuthorityKey::from_wire(&file.authority_key, "authorityKey").map_err(field)?;
		if authority_key != kgc.authority_key() {
			return Err("authorityKey is not the public key of masterKey".into());
		}
		let enrolment_key =
			parse_hex_array::<32>("enrolmentKey", &file.enrolment_key).map_err(field)?;
		if enrolment_key != kgc.enrolment_key().0 {
			return Err("enrolmentKey is not the public key of enrolmentSeed".into());
		}
		Ok(kgc)
	}

	/// Reads and checks a KGC file ([`Kgc::from_json`]).
	pub fn load(path: &Path) -> Result<Self, Error> {
		let text = file::read(path)?;
		Self::parse(&text)
			.map_err(|reason| key_file(FileKind::Kgc, &path.display().to_string(), reason))
	}

	/// Writes the KGC file, owner-only on Unix. Fails with [`Error::Exists`] if `path` exists,
	/// unless `overwrite`.
	pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), Error> {
		file::write_private(path, &self.to_json(), overwrite, FileKind::Kgc)
	}
}

fn key_file(kind: FileKind, source: &str, reason: String) -> Error {
	Error::KeyFile { kind, source: source.into(), reason }
}

// --- CA -------------------------------------------------------------------------------------

/// The signature scheme of a CA's key.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum CaScheme {
	/// Ed25519.
	Ed25519,
	/// Sr25519 (Schnorrkel), the default: what polkadot.js keyrings use.
	#[default]
	Sr25519,
	/// ECDSA over secp256k1, signing `blake2_256(message)`.
	Ecdsa,
}

impl CaScheme {
	/// Every scheme, in the order of the pallet's `CaKey`.
	pub const ALL: [CaScheme; 3] = [CaScheme::Ed25519, CaScheme::Sr25519, CaScheme::Ecdsa];

	/// `ed25519`, `sr25519` or `ecdsa`.
	pub fn name(self) -> &'static str {
		match self {
			CaScheme::Ed25519 => "ed25519",
			CaScheme::Sr25519 => "sr25519",
			CaScheme::Ecdsa => "ecdsa",
		}
	}
}

impl fmt::Display for CaScheme {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.name())
	}
}

impl FromStr for CaScheme {
	type Err = String;

	fn from_str(text: &str) -> Result<Self, String> {
		CaScheme::ALL
			.into_iter()
			.find(|scheme| scheme.name().eq_ignore_ascii_case(text.trim()))
			.ok_or_else(|| format!("{text:?} is not a signature scheme (ed25519, sr25519, ecdsa)"))
	}
}

#[derive(Clone)]
enum Signer {
	// Boxed: an Ed25519 pair is twice the size of the others.
	Ed25519(Box<ed25519::Pair>),
	Sr25519(sr25519::Pair),
	Ecdsa(ecdsa::Pair),
}

impl Signer {
	/// The key pair of `seed` for `scheme`; `None` if the seed is not a key of the scheme
	/// (for ECDSA: zero or not below the group order).
	fn from_seed(scheme: CaScheme, seed: &[u8; 32]) -> Option<Self> {
		Some(match scheme {
			CaScheme::Ed25519 => {
				Signer::Ed25519(Box::new(ed25519::Pair::from_seed_slice(seed).ok()?))
			}
			CaScheme::Sr25519 => Signer::Sr25519(sr25519::Pair::from_seed_slice(seed).ok()?),
			CaScheme::Ecdsa => Signer::Ecdsa(ecdsa::Pair::from_seed_slice(seed).ok()?),
		})
	}
}

/// A PKI domain's certificate authority: a signing key of one of Substrate's three schemes,
/// whose public key is the domain's `AuthorityKey::Pki`.
#[derive(Clone)]
pub struct Ca {
	seed: Seed,
	signer: Signer,
}

impl fmt::Debug for Ca {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		// The seed is secret: not printed.
		f.debug_struct("Ca")
			.field("scheme", &self.scheme())
			.field("key", &self.ca_key())
			.finish_non_exhaustive()
	}
}

/// The CA file, version 1.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CaFileV1 {
	format: String,
	#[serde(default)]
	note: String,
	scheme: String,
	/// The key's 32-byte seed: secret.
	seed: String,
	authority_key: AuthorityKeyJson,
}

impl Ca {
	/// Draws a fresh key of `scheme` from `rng`.
	pub fn generate<R: RngCore + CryptoRng + ?Sized>(scheme: CaScheme, rng: &mut R) -> Self {
		loop {
			let mut seed = Seed([0; 32]);
			rng.fill_bytes(&mut seed.0);
			// Only ECDSA rejects seeds, with probability below 2^-127.
			if let Some(signer) = Signer::from_seed(scheme, &seed.0) {
				return Self { seed, signer };
			}
		}
	}

	/// The key's scheme.
	pub fn scheme(&self) -> CaScheme {
		match self.signer {
			Signer::Ed25519(_) => CaScheme::Ed25519,
			Signer::Sr25519(_) => CaScheme::Sr25519,
			Signer::Ecdsa(_) => CaScheme::Ecdsa,
		}
	}

	/// The CA's public key (the pallet's `CaKey`).
	pub fn ca_key(&self) -> CaKey {
		match &self.signer {
			Signer::Ed25519(pair) => CaKey::Ed25519(pair.public().0),
			Signer::Sr25519(pair) => CaKey::Sr25519(pair.public().0),
			Signer::Ecdsa(pair) => CaKey::Ecdsa(pair.public().0),
		}
	}

	/// The domain's `AuthorityKey::Pki`.
	pub fn authority_key(&self) -> AuthorityKey {
		AuthorityKey::Pki(self.ca_key())
	}

	/// `{ "authorityKey": { "Pki": { "<Scheme>": "0x.." } } }`: `register_authority`'s
	/// argument.
	pub fn public_json(&self) -> String {
		json_pretty(&PublicJson {
			authority_key: self.authority_key().to_wire(),
			enrolment_key: None,
		})
	}

	/// Issues the certificate of the device `subject` on the chain `genesis_hash`, valid until
	/// block `expires_at`: the CA's signature of [`certificate_message`] (ECDSA: of its
	/// `blake2_256`), checked before it is returned.
	pub fn issue(
		&self,
		genesis_hash: &[u8; 32],
		subject: &[u8; 32],
		expires_at: u32,
	) -> Result<Credential, Error> {
		let message = certificate_message(genesis_hash, subject, expires_at);
		let (signature, verified) = match &self.signer {
			Signer::Ed25519(pair) => {
				let signature = pair.sign(&message);
				let verified = ed25519::Pair::verify(&signature, &message, &pair.public());
				(CaSignature::Ed25519(signature.0), verified)
			}
			Signer::Sr25519(pair) => {
				let signature = pair.sign(&message);
				let verified = sr25519::Pair::verify(&signature, &message, &pair.public());
				(CaSignature::Sr25519(signature.0), verified)
			}
			Signer::Ecdsa(pair) => {
				let signature = pair.sign(&message);
				let verified = ecdsa::Pair::verify(&signature, &message, &pair.public());
				(CaSignature::Ecdsa(signature.0), verified)
			}
		};
		if !verified {
			return Err(Error::SelfCheck("the certificate signature"));
		}
		Ok(Credential::Pki {
			certificate: Certificate { subject: *subject, expires_at, signature },
		})
	}

	/// The CA file: format, note, scheme, the seed and the public key, in hex (pretty JSON).
	pub fn to_json(&self) -> String {
		json_pretty(&CaFileV1 {
			format: CA_FORMAT.into(),
			note: SECRET_NOTE.into(),
			scheme: self.scheme().name().into(),
			seed: to_hex(&self.seed.0),
			authority_key: self.authority_key().to_wire(),
		})
	}

	/// Parses and checks a CA file: its format, every field's form, the seed, and that the
	/// public key is the seed's, of the named scheme.
	pub fn from_json(text: &str) -> Result<Self, Error> {
		Self::parse(text).map_err(|reason| key_file(FileKind::Ca, "<input>", reason))
	}

	fn parse(text: &str) -> Result<Self, String> {
		file::check_format(text, CA_FORMAT)?;
		let file: CaFileV1 = serde_json::from_str(text).map_err(|e| e.to_string())?;
		let field = |e: Error| e.to_string();
		let scheme: CaScheme = file.scheme.parse().map_err(|e| format!("scheme: {e}"))?;
		let seed = Seed(parse_hex_array::<32>("seed", &file.seed).map_err(field)?);
		let signer = Signer::from_seed(scheme, &seed.0)
			.ok_or_else(|| format!("seed: not a secret key of {scheme}"))?;
		let ca = Self { seed, signer };
		if !matches!(file.authority_key, AuthorityKeyJson::Pki(_)) {
			return Err("authorityKey: a CA's key is a PKI key ({ \"Pki\": { .. } })".into());
		}
		let authority_key =
			AuthorityKey::from_wire(&file.authority_key, "authorityKey").map_err(field)?;
		if authority_key != ca.authority_key() {
			return Err(format!("authorityKey is not the {scheme} public key of seed"));
		}
		Ok(ca)
	}

	/// Reads and checks a CA file ([`Ca::from_json`]).
	pub fn load(path: &Path) -> Result<Self, Error> {
		let text = file::read(path)?;
		Self::parse(&text)
			.map_err(|reason| key_file(FileKind::Ca, &path.display().to_string(), reason))
	}

	/// Writes the CA file, owner-only on Unix. Fails with [`Error::Exists`] if `path` exists,
	/// unless `overwrite`.
	pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), Error> {
		file::write_private(path, &self.to_json(), overwrite, FileKind::Ca)
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use crate::enrolment_message;
	use rand::SeedableRng;
	use rand_chacha::ChaCha20Rng;

	const GENESIS: [u8; 32] = [0x11; 32];
	const ID: [u8; 32] = [0x5a; 32];

	fn rng(seed: u8) -> ChaCha20Rng {
		ChaCha20Rng::from_seed([seed; 32])
	}

	fn edit(json: &str, field: &str, value: serde_json::Value) -> String {
		let mut file: serde_json::Value = serde_json::from_str(json).unwrap();
		file[field] = value;
		file.to_string()
	}

	#[test]
	fn kgc_issues_credentials_that_verify_for_their_device_only() {
		let kgc = Kgc::generate(&mut rng(1)).unwrap();
		let AuthorityKey::Ibe(master) = kgc.authority_key() else { panic!("not IBE") };
		assert!(endo_crypto::device_identity::sm9_master_key_well_formed(&master));
		let credential = kgc.issue(&GENESIS, 3, &ID, 500, &mut rng(2)).unwrap();
		let Credential::Ibe { signature, expires_at, enrolment } = credential else {
			panic!("not IBE")
		};
		assert_eq!(expires_at, 500);
		assert_eq!(verify_ibe_credential(&master, &ID, &signature), Ok(()));
		assert!(verify_ibe_credential(&master, &[0x5b; 32], &signature).is_err());
		let message = enrolment_message(&GENESIS, 3, &ID, 500);
		let enrolment = sr25519::Signature::from_raw(enrolment);
		assert!(sr25519::Pair::verify(&enrolment, &message, &kgc.enrolment_key()));
		let other = enrolment_message(&GENESIS, 4, &ID, 500);
		assert!(!sr25519::Pair::verify(&enrolment, &other, &kgc.enrolment_key()));
		// The SM9 signature is reproducible from the RNG; the key from its RNG too.
		let again = kgc.issue(&GENESIS, 3, &ID, 500, &mut rng(2)).unwrap();
		assert!(matches!(again, Credential::Ibe { signature: s, .. } if s == signature));
		let twin = Kgc::generate(&mut rng(1)).unwrap();
		assert_eq!(twin.public_json(), kgc.public_json());
		assert_ne!(Kgc::generate(&mut rng(9)).unwrap().public_json(), kgc.public_json());
		// The enrolment seed is a secret URI for `enrol --kgc-suri`.
		let suri = to_hex(&kgc.enrolment_seed.0);
		assert_eq!(
			crate::enrolment_pair("--kgc-suri", &suri).unwrap().public(),
			kgc.enrolment_key()
		);
	}

	#[test]
	fn kgc_file_round_trips_and_is_checked() {
		let kgc = Kgc::generate(&mut rng(1)).unwrap();
		let json = kgc.to_json();
		let back = Kgc::from_json(&json).unwrap();
		assert_eq!(back.to_json(), json);
		let error = |text: &str| {
			let error = Kgc::from_json(text).unwrap_err();
			assert!(matches!(error, Error::KeyFile { kind: FileKind::Kgc, .. }), "{error}");
			assert_eq!(error.exit_code(), 1);
			error.to_string()
		};
		assert!(error("").contains("not a valid KGC file"));
		assert!(error("[]").contains("not a valid KGC file"));
		assert!(error("{}").contains("missing field `format`"));
		let message = error(&edit(&json, "masterKey", to_hex(&[0; 64]).into()));
		assert!(message.contains("masterKey: not an SM9 master key"), "{message}");
		let message = error(&edit(&json, "masterKey", to_hex(&[0xff; 64]).into()));
		assert!(message.contains("masterKey: not an SM9 master key"), "{message}");
		let message = error(&edit(&json, "masterKey", "0xzz".into()));
		assert!(message.contains("masterKey: not valid hex"), "{message}");
		let message = error(&edit(&json, "enrolmentSeed", "0x01".into()));
		assert!(message.contains("enrolmentSeed: expected 32 bytes"), "{message}");
		let other = Kgc::generate(&mut rng(2)).unwrap();
		let swapped = edit(&json, "enrolmentKey", to_hex(other.enrolment_key().as_ref()).into());
		assert!(error(&swapped).contains("enrolmentKey is not the public key"));
		let value: serde_json::Value = serde_json::from_str(&other.to_json()).unwrap();
		let swapped = edit(&json, "authorityKey", value["authorityKey"].clone());
		assert!(error(&swapped).contains("authorityKey is not the public key of masterKey"));
		let message = error(&edit(&json, "extra", 1.into()));
		assert!(message.contains("unknown field `extra`"), "{message}");
		// A CA file, a device file: named as such.
		let ca = Ca::generate(CaScheme::Sr25519, &mut rng(1)).to_json();
		assert!(error(&ca).contains("this is a CA file"), "{}", error(&ca));
		let message = Ca::from_json(&json).unwrap_err().to_string();
		assert!(message.contains("not a valid CA file") && message.contains("this is a KGC file"));
		// The secrets are not echoed.
		let bad = edit(&json, "enrolmentKey", "0x00".into());
		let secret = value_of(&json, "masterKey");
		assert!(!error(&bad).contains(&secret[2..]));
	}

	fn value_of(json: &str, field: &str) -> String {
		let value: serde_json::Value = serde_json::from_str(json).unwrap();
		value[field].as_str().unwrap().to_owned()
	}

	#[test]
	fn ca_certificates_verify_per_scheme() {
		for scheme in CaScheme::ALL {
			let ca = Ca::generate(scheme, &mut rng(1));
			assert_eq!(ca.scheme(), scheme);
			assert_eq!(scheme.name().parse::<CaScheme>().unwrap(), scheme);
			let Credential::Pki { certificate } = ca.issue(&GENESIS, &ID, 77).unwrap() else {
				panic!("not PKI")
			};
			assert_eq!((certificate.subject, certificate.expires_at), (ID, 77));
			let message = certificate_message(&GENESIS, &ID, 77);
			let other = certificate_message(&GENESIS, &ID, 78);
			let (good, bad) = match (ca.ca_key(), certificate.signature) {
				(CaKey::Ed25519(key), CaSignature::Ed25519(signature)) => {
					let (key, signature) =
						(ed25519::Public::from_raw(key), ed25519::Signature::from_raw(signature));
					(
						ed25519::Pair::verify(&signature, &message, &key),
						ed25519::Pair::verify(&signature, &other, &key),
					)
				}
				(CaKey::Sr25519(key), CaSignature::Sr25519(signature)) => {
					let (key, signature) =
						(sr25519::Public::from_raw(key), sr25519::Signature::from_raw(signature));
					(
						sr25519::Pair::verify(&signature, &message, &key),
						sr25519::Pair::verify(&signature, &other, &key),
					)
				}
				(CaKey::Ecdsa(key), CaSignature::Ecdsa(signature)) => {
					let (key, signature) =
						(ecdsa::Public::from_raw(key), ecdsa::Signature::from_raw(signature));
					// Substrate's ECDSA signs the blake2_256 of the message.
					let digest = <sp_core::Blake2Hasher as sp_core::Hasher>::hash(&message).0;
					assert!(ecdsa::Pair::verify_prehashed(&signature, &digest, &key));
					(
						ecdsa::Pair::verify(&signature, &message, &key),
						ecdsa::Pair::verify(&signature, &other, &key),
					)
				}
				mismatch => panic!("scheme mismatch: {mismatch:?}"),
			};
			assert!(good && !bad, "{scheme}");
			// The file round-trips; the key is reproducible from the RNG.
			assert_eq!(Ca::from_json(&ca.to_json()).unwrap().ca_key(), ca.ca_key());
			assert_eq!(Ca::generate(scheme, &mut rng(1)).ca_key(), ca.ca_key());
		}
		assert!("rsa".parse::<CaScheme>().unwrap_err().contains("not a signature scheme"));
	}

	#[test]
	fn ca_file_is_checked() {
		let json = Ca::generate(CaScheme::Ecdsa, &mut rng(1)).to_json();
		let error = |text: &str| Ca::from_json(text).unwrap_err().to_string();
		let message = error(&edit(&json, "scheme", "ed25519".into()));
		assert!(
			message.contains("authorityKey is not the ed25519 public key of seed"),
			"{message}"
		);
		let message = error(&edit(&json, "scheme", "rsa".into()));
		assert!(message.contains("scheme: \"rsa\" is not a signature scheme"), "{message}");
		// Zero is not a secp256k1 secret key.
		let message = error(&edit(&json, "seed", to_hex(&[0; 32]).into()));
		assert!(message.contains("seed: not a secret key of ecdsa"), "{message}");
		let message = error(&edit(&json, "seed", "0x1234".into()));
		assert!(message.contains("seed: expected 32 bytes"), "{message}");
		let message = error(&edit(&json, "authorityKey", serde_json::json!({ "Ibe": "0x00" })));
		assert!(message.contains("authorityKey: a CA's key is a PKI key"), "{message}");
		let key = serde_json::json!({ "Pki": { "Ecdsa": "0x00" } });
		let message = error(&edit(&json, "authorityKey", key));
		assert!(message.contains("authorityKey: expected 33 bytes"), "{message}");
	}

	#[test]
	fn key_files_are_private_and_not_overwritten() {
		let dir =
			std::env::temp_dir().join(format!("endo-device-authority-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("kgc.json");
		let _ = std::fs::remove_file(&path);
		let kgc = Kgc::generate(&mut rng(1)).unwrap();
		kgc.save(&path, false).unwrap();
		let error = Kgc::generate(&mut rng(2)).unwrap().save(&path, false).unwrap_err();
		assert!(matches!(error, Error::Exists { kind: FileKind::Kgc, .. }), "{error}");
		assert!(error.to_string().contains("--force"), "{error}");
		assert_eq!(Kgc::load(&path).unwrap().public_json(), kgc.public_json());
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = std::fs::metadata(&path).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600);
		}
		let ca = dir.join("ca.json");
		let _ = std::fs::remove_file(&ca);
		Ca::generate(CaScheme::Ed25519, &mut rng(1)).save(&ca, false).unwrap();
		let message = Kgc::load(&ca).unwrap_err().to_string();
		assert!(message.starts_with(&ca.display().to_string()), "{message}");
		assert!(message.contains("this is a CA file"), "{message}");
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
