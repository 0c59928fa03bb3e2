//! A device's domain credential, as `pallet-device-identity` takes it (`types::Credential`):
//! the domain types here, and their JSON in the form `@polkadot/api` accepts for the call
//! arguments (enum variants as keys, fields in camelCase, bytes as `0x` hex, block numbers as
//! numbers).

use endo_crypto::{
	device_identity::{SM9_MASTER_KEY_BYTES, SM9_SIGNATURE_BYTES},
	Sm9Signature,
};
use serde::{Deserialize, Serialize};

use crate::{
	hexarg::{parse_hex_array, to_hex},
	Error,
};

/// Bytes of an Ed25519 or Sr25519 signature.
pub const SIGNATURE_BYTES: usize = 64;
/// Bytes of a Substrate ECDSA signature (`r || s || recovery id`).
pub const ECDSA_SIGNATURE_BYTES: usize = 65;
/// Bytes of a compressed secp256k1 public key.
pub const ECDSA_PUBLIC_KEY_BYTES: usize = 33;

/// A CA's signature of a certificate message, by scheme: the pallet's `MultiSignature`.
/// ECDSA signs `blake2_256(message)`, as everywhere in Substrate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CaSignature {
	/// An Ed25519 signature.
	Ed25519([u8; SIGNATURE_BYTES]),
	/// An Sr25519 (Schnorrkel) signature.
	Sr25519([u8; SIGNATURE_BYTES]),
	/// A recoverable secp256k1 signature.
	Ecdsa([u8; ECDSA_SIGNATURE_BYTES]),
}

/// A CA's certificate for a device (the pallet's `Certificate`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Certificate {
	/// The certified device's ID.
	pub subject: [u8; 32],
	/// The last block at which the certificate is valid.
	pub expires_at: u32,
	/// The CA's signature of [`crate::certificate_message`]`(genesis_hash, subject,
	/// expires_at)`.
	pub signature: CaSignature,
}

/// A device's domain credential (the pallet's `Credential`, with the runtime's `u32` block
/// numbers).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Credential {
	/// IBE domain: the KGC's SM9 signature of the 32 ID bytes by the identity `hex(ID)`, the
	/// enrolment's expiry and the KGC's sr25519 co-signature of
	/// [`crate::enrolment_message`].
	Ibe {
		/// `h || 0x04 || x || y`, 97 bytes (GM/T 0044).
		signature: [u8; SM9_SIGNATURE_BYTES],
		/// The last block at which the enrolment is valid.
		expires_at: u32,
		/// The enrolment key's signature, 64 bytes.
		enrolment: [u8; SIGNATURE_BYTES],
	},
	/// PKI domain: a certificate from the CA.
	Pki {
		/// The certificate.
		certificate: Certificate,
	},
}

/// An authority's key (the pallet's `AuthorityKey`), what `register_authority` takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AuthorityKey {
	/// An SM9 KGC's master signature public key `Ppub-s`, 128 bytes.
	Ibe([u8; SM9_MASTER_KEY_BYTES]),
	/// A CA's key.
	Pki(CaKey),
}

/// A CA's public key (the pallet's `CaKey`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CaKey {
	/// An Ed25519 key.
	Ed25519([u8; 32]),
	/// An Sr25519 key.
	Sr25519([u8; 32]),
	/// A compressed secp256k1 key.
	Ecdsa([u8; ECDSA_PUBLIC_KEY_BYTES]),
}

// --- JSON -----------------------------------------------------------------------------------

/// `Credential` as polkadot.js takes it: `{ "Ibe": { "signature", "expiresAt", "enrolment" } }`
/// or `{ "Pki": { "certificate": { "subject", "expiresAt", "signature": { "<Scheme>" } } } }`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) enum CredentialJson {
	Ibe(IbeJson),
	Pki(PkiJson),
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct IbeJson {
	signature: String,
	expires_at: u32,
	enrolment: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PkiJson {
	certificate: CertificateJson,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CertificateJson {
	subject: String,
	expires_at: u32,
	signature: SchemeJson,
}

/// A value of one of the three Substrate signature schemes: `{ "Sr25519": "0x.." }`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) enum SchemeJson {
	Ed25519(String),
	Sr25519(String),
	Ecdsa(String),
}

/// `AuthorityKey` as polkadot.js takes it: `{ "Ibe": "0x.." }` or `{ "Pki": { "Sr25519": "0x.." } }`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) enum AuthorityKeyJson {
	Ibe(String),
	Pki(SchemeJson),
}

impl Credential {
	pub(crate) fn to_wire(self) -> CredentialJson {
		match self {
			Credential::Ibe { signature, expires_at, enrolment } => CredentialJson::Ibe(IbeJson {
				signature: to_hex(&signature),
				expires_at,
				enrolment: to_hex(&enrolment),
			}),
			Credential::Pki { certificate } => CredentialJson::Pki(PkiJson {
				certificate: CertificateJson {
					subject: to_hex(&certificate.subject),
					expires_at: certificate.expires_at,
					signature: match certificate.signature {
						CaSignature::Ed25519(s) => SchemeJson::Ed25519(to_hex(&s)),
						CaSignature::Sr25519(s) => SchemeJson::Sr25519(to_hex(&s)),
						CaSignature::Ecdsa(s) => SchemeJson::Ecdsa(to_hex(&s)),
					},
				},
			}),
		}
	}

	/// Parses and checks the JSON form: hex and lengths of every field, and the SM9
	/// signature's structure (`h` in range, `S` a point of G1). Field names in errors are
	/// prefixed with `what` (`credential`).
	pub(crate) fn from_wire(wire: &CredentialJson, what: &str) -> Result<Self, Error> {
		Ok(match wire {
			CredentialJson::Ibe(ibe) => {
				let signature = parse_hex_array::<SM9_SIGNATURE_BYTES>(
					&format!("{what}.Ibe.signature"),
					&ibe.signature,
				)?;
				Sm9Signature::from_bytes(&signature).map_err(|_| Error::InvalidArgument {
					what: format!("{what}.Ibe.signature"),
					reason: "not an SM9 signature (h || 0x04 || x || y with h in [1, n-1] and \
						(x, y) a point of G1)"
						.into(),
				})?;
				Credential::Ibe {
					signature,
					expires_at: ibe.expires_at,
					enrolment: parse_hex_array(&format!("{what}.Ibe.enrolment"), &ibe.enrolment)?,
				}
			}
			CredentialJson::Pki(pki) => {
				let field = |name: &str| format!("{what}.Pki.certificate.{name}");
				let certificate = &pki.certificate;
				let signature = match &certificate.signature {
					SchemeJson::Ed25519(s) => {
						CaSignature::Ed25519(parse_hex_array(&field("signature.Ed25519"), s)?)
					}
					SchemeJson::Sr25519(s) => {
						CaSignature::Sr25519(parse_hex_array(&field("signature.Sr25519"), s)?)
					}
					SchemeJson::Ecdsa(s) => {
						CaSignature::Ecdsa(parse_hex_array(&field("signature.Ecdsa"), s)?)
					}
				};
				Credential::Pki {
					certificate: Certificate {
						subject: parse_hex_array(&field("subject"), &certificate.subject)?,
						expires_at: certificate.expires_at,
						signature,
					},
				}
			}
		})
	}

	/// The device ID a PKI credential certifies (`None` for IBE: the SM9 signature names the
	/// device only through the identity it verifies for).
	pub fn subject(&self) -> Option<[u8; 32]> {
		match self {
			Credential::Ibe { .. } => None,
			Credential::Pki { certificate } => Some(certificate.subject),
		}
	}

	/// The last block at which the credential is valid.
	pub fn expires_at(&self) -> u32 {
		match self {
			Credential::Ibe { expires_at, .. } => *expires_at,
			Credential::Pki { certificate } => certificate.expires_at,
		}
	}

	/// `{ "credential": <the credential> }`, as `kgc issue` and `ca issue` print it.
	pub fn to_json(&self) -> String {
		#[derive(Serialize)]
		struct Out {
			credential: CredentialJson,
		}
		crate::device::json_pretty(&Out { credential: self.to_wire() })
	}
}

impl CaKey {
	pub(crate) fn to_wire(self) -> SchemeJson {
		match self {
			CaKey::Ed25519(k) => SchemeJson::Ed25519(to_hex(&k)),
			CaKey::Sr25519(k) => SchemeJson::Sr25519(to_hex(&k)),
			CaKey::Ecdsa(k) => SchemeJson::Ecdsa(to_hex(&k)),
		}
	}

	pub(crate) fn from_wire(wire: &SchemeJson, what: &str) -> Result<Self, Error> {
		Ok(match wire {
			SchemeJson::Ed25519(k) => CaKey::Ed25519(parse_hex_array(what, k)?),
			SchemeJson::Sr25519(k) => CaKey::Sr25519(parse_hex_array(what, k)?),
			SchemeJson::Ecdsa(k) => CaKey::Ecdsa(parse_hex_array(what, k)?),
		})
	}
}

impl AuthorityKey {
	pub(crate) fn to_wire(self) -> AuthorityKeyJson {
		match self {
			AuthorityKey::Ibe(key) => AuthorityKeyJson::Ibe(to_hex(&key)),
			AuthorityKey::Pki(key) => AuthorityKeyJson::Pki(key.to_wire()),
		}
	}

	pub(crate) fn from_wire(wire: &AuthorityKeyJson, what: &str) -> Result<Self, Error> {
		Ok(match wire {
			AuthorityKeyJson::Ibe(key) => AuthorityKey::Ibe(parse_hex_array(what, key)?),
			AuthorityKeyJson::Pki(key) => AuthorityKey::Pki(CaKey::from_wire(key, what)?),
		})
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	fn round_trip(credential: Credential) -> serde_json::Value {
		let wire = credential.to_wire();
		let text = serde_json::to_string(&wire).unwrap();
		let back: CredentialJson = serde_json::from_str(&text).unwrap();
		assert_eq!(Credential::from_wire(&back, "credential").unwrap(), credential);
		serde_json::from_str(&text).unwrap()
	}

	#[test]
	fn credentials_are_polkadot_js_json_and_round_trip() {
		let certificate = Certificate {
			subject: [1; 32],
			expires_at: 7,
			signature: CaSignature::Ecdsa([2; ECDSA_SIGNATURE_BYTES]),
		};
		let json = round_trip(Credential::Pki { certificate });
		assert_eq!(
			json,
			serde_json::json!({ "Pki": { "certificate": {
				"subject": to_hex(&[1; 32]),
				"expiresAt": 7,
				"signature": { "Ecdsa": to_hex(&[2; 65]) },
			} } })
		);
		for signature in [CaSignature::Ed25519([3; 64]), CaSignature::Sr25519([4; 64])] {
			round_trip(Credential::Pki { certificate: Certificate { signature, ..certificate } });
		}
		let key = AuthorityKey::Pki(CaKey::Sr25519([5; 32]));
		let json = serde_json::to_value(key.to_wire()).unwrap();
		assert_eq!(json, serde_json::json!({ "Pki": { "Sr25519": to_hex(&[5; 32]) } }));
		let json = serde_json::to_value(AuthorityKey::Ibe([6; 128]).to_wire()).unwrap();
		assert_eq!(json, serde_json::json!({ "Ibe": to_hex(&[6; 128]) }));
	}

	#[test]
	fn malformed_credentials_name_the_field() {
		let parse = |json: serde_json::Value| {
			let wire: CredentialJson = serde_json::from_value(json).unwrap();
			Credential::from_wire(&wire, "credential").unwrap_err().to_string()
		};
		let message = parse(serde_json::json!({ "Ibe": {
			"signature": to_hex(&[0; 97]), "expiresAt": 1, "enrolment": to_hex(&[0; 64]),
		} }));
		assert!(message.starts_with("credential.Ibe.signature: not an SM9 signature"), "{message}");
		let message = parse(serde_json::json!({ "Ibe": {
			"signature": to_hex(&[0; 96]), "expiresAt": 1, "enrolment": to_hex(&[0; 64]),
		} }));
		assert!(message.starts_with("credential.Ibe.signature: expected 97 bytes"), "{message}");
		let message = parse(serde_json::json!({ "Pki": { "certificate": {
			"subject": to_hex(&[1; 32]), "expiresAt": 7, "signature": { "Ecdsa": to_hex(&[2; 64]) },
		} } }));
		assert!(
			message.starts_with("credential.Pki.certificate.signature.Ecdsa: expected 65 bytes"),
			"{message}"
		);
		assert!(serde_json::from_value::<CredentialJson>(serde_json::json!({ "Pkx": {} })).is_err());
	}
}
