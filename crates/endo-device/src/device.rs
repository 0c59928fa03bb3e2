//! The device model: enrolment, the device file, power-up and identity proofs.

use std::path::Path;

use endo_crypto::{
	fuzzy::{self, HelperData, HELPER_DATA_BYTES},
	identity::{DeviceId, DeviceKeypair, DevicePublicKey},
	nizk::{self, IDENTITY_PROOF_BYTES},
	puf::{PufConfig, PufResponse, SramPuf, RESPONSE_BITS},
};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::{
	credential::CredentialJson,
	file,
	hexarg::{parse_hex, parse_hex_array, to_hex},
	Credential, Error, FileKind,
};

/// The `format` field of a device file.
pub const FORMAT: &str = "endochain-device/v1";

/// The tool's default bit-error rate of a PUF read (10 %: a harsh industrial environment; the
/// fuzzy extractor is dimensioned for 15 %, `docs/ENDOGENOUS-IDENTITY.md` §3.4).
pub const DEFAULT_BIT_ERROR_RATE: f64 = 0.10;

/// The most reads an enrolment may take the majority of.
pub const MAX_ENROLMENT_READS: u32 = 15;

/// How far the weight of the enrolment reference may be from that of an unbiased PUF
/// (`RESPONSE_BITS / 2` = 5504, standard deviation 53) before the device is rejected
/// (`docs/ENDOGENOUS-IDENTITY.md` §3.5: "a deviation beyond ±300 should reject the device").
pub const BIAS_TOLERANCE: u32 = 300;

/// What the `model` field of a device file says (informative; not read back).
const MODEL: &str = "simulated SRAM PUF (endo_crypto::puf::SramPuf); pufSeed stands for the \
                     chip's silicon: whoever holds this file holds the device";

/// A device: a (simulated) SRAM PUF and what its enrolment left in flash. It holds no secret
/// key: the key pair is re-derived from a fresh PUF read at every [`Device::power_up`].
#[derive(Clone)]
pub struct Device {
	puf_seed: [u8; 32],
	config: PufConfig,
	enrolment_reads: u32,
	helper: HelperData,
	public_key: DevicePublicKey,
	id: DeviceId,
	credential: Option<Credential>,
}

impl core::fmt::Debug for Device {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		// The PUF seed is the chip itself: not printed.
		f.debug_struct("Device")
			.field("id", &to_hex(self.id.as_bytes()))
			.field("config", &self.config)
			.field("enrolment_reads", &self.enrolment_reads)
			.field("credential", &self.credential)
			.finish_non_exhaustive()
	}
}

/// A device's public identity, as `endochain-device show` prints it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Identity {
	/// The device ID, `SHA-256(endochain/identity/device-id/v1, public_key)`.
	pub id: [u8; 32],
	/// The PUF-derived public key (compressed Ristretto255).
	pub public_key: [u8; 32],
}

impl Identity {
	/// `{ "id": "0x..", "publicKey": "0x.." }`.
	pub fn to_json(&self) -> String {
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Out {
			id: String,
			public_key: String,
		}
		let out = Out { id: to_hex(&self.id), public_key: to_hex(&self.public_key) };
		json_pretty(&out)
	}
}

/// An identity proof with the identity it is for, as `endochain-device prove` prints it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ProofOutput {
	/// The device ID.
	pub id: [u8; 32],
	/// The public key.
	pub public_key: [u8; 32],
	/// The NIZK identity proof `compress(R) || z`, 64 bytes, as `register_device`,
	/// `authenticate` and `authenticate_batch` take it.
	pub proof: [u8; IDENTITY_PROOF_BYTES],
}

impl ProofOutput {
	/// `{ "id": "0x..", "publicKey": "0x..", "proof": "0x.." }`.
	pub fn to_json(&self) -> String {
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Out {
			id: String,
			public_key: String,
			proof: String,
		}
		let out = Out {
			id: to_hex(&self.id),
			public_key: to_hex(&self.public_key),
			proof: to_hex(&self.proof),
		};
		json_pretty(&out)
	}
}

/// The device file, version 1 (camelCase for JavaScript callers).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DeviceFileV1 {
	format: String,
	#[serde(default)]
	model: String,
	puf_seed: String,
	puf: PufModelV1,
	enrolment_reads: u32,
	helper_data: String,
	public_key: String,
	id: String,
	/// The domain credential its authority issued at enrolment, if any (polkadot.js form).
	#[serde(
		default,
		skip_serializing_if = "Option::is_none",
		deserialize_with = "credential_field"
	)]
	credential: Option<CredentialJson>,
}

/// The `credential` field, with errors prefixed by its name (serde's own messages name only
/// the innermost field).
fn credential_field<'de, D: serde::Deserializer<'de>>(
	deserializer: D,
) -> Result<Option<CredentialJson>, D::Error> {
	let value = serde_json::Value::deserialize(deserializer)?;
	serde_json::from_value(value)
		.map(Some)
		.map_err(|e| serde::de::Error::custom(format!("credential: {e}")))
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PufModelV1 {
	bit_error_rate: f64,
	one_probability: f64,
}

impl Device {
	/// "Manufactures" the device's SRAM PUF from `puf_seed` with the model parameters `config`,
	/// takes `reads` noisy power-up reads (the reference is their bitwise majority; 1 = a single
	/// read), rejects a too biased PUF ([`BIAS_TOLERANCE`]) and runs the fuzzy extractor's
	/// enrolment. `rng` supplies the read noise and the enrolment randomness: the result is
	/// deterministic given `puf_seed`, `config`, `reads` and the RNG's stream. Each enrolment
	/// draws fresh randomness, so enrolling a PUF again gives it a new key pair and ID.
	pub fn enroll<R: RngCore + CryptoRng + ?Sized>(
		puf_seed: [u8; 32],
		config: PufConfig,
		reads: u32,
		rng: &mut R,
	) -> Result<Self, Error> {
		check_config(&config).map_err(|reason| Error::InvalidArgument {
			what: if ber_in_range(config.bit_error_rate) { "PUF model" } else { "--ber" }.into(),
			reason,
		})?;
		check_reads(reads)
			.map_err(|reason| Error::InvalidArgument { what: "--reads".into(), reason })?;
		let puf = SramPuf::manufacture(&puf_seed, config)?;
		let responses: Vec<PufResponse> = (0..reads).map(|_| puf.read(rng)).collect();
		let reference = PufResponse::majority(&responses)?;
		check_bias(&reference)?;
		let (key, helper) = fuzzy::enroll(&reference, rng);
		let keypair = DeviceKeypair::from_puf_key(&key)?;
		Ok(Self {
			puf_seed,
			config,
			enrolment_reads: reads,
			helper,
			public_key: *keypair.public_key(),
			id: *keypair.device_id(),
			credential: None,
		})
	}

	/// The device's public identity.
	pub fn identity(&self) -> Identity {
		Identity { id: self.id.to_bytes(), public_key: self.public_key.to_bytes() }
	}

	/// The domain credential stored with the device, if its authority issued one at
	/// enrolment.
	pub fn credential(&self) -> Option<&Credential> {
		self.credential.as_ref()
	}

	/// Stores `credential` with the device (replacing any). A certificate must name this
	/// device as its subject.
	pub fn set_credential(&mut self, credential: Credential) -> Result<(), String> {
		check_subject(&credential, &self.id)?;
		self.credential = Some(credential);
		Ok(())
	}

	/// `{ "id", "publicKey" }`, and `"credential"` (polkadot.js form) when the device has one:
	/// what `enroll` and `show` print.
	pub fn show_json(&self) -> String {
		#[derive(Serialize)]
		#[serde(rename_all = "camelCase")]
		struct Out {
			id: String,
			public_key: String,
			#[serde(skip_serializing_if = "Option::is_none")]
			credential: Option<CredentialJson>,
		}
		json_pretty(&Out {
			id: to_hex(self.id.as_bytes()),
			public_key: to_hex(self.public_key.as_bytes()),
			credential: self.credential.map(Credential::to_wire),
		})
	}

	/// The device ID.
	pub fn id(&self) -> &DeviceId {
		&self.id
	}

	/// The public key recorded at enrolment.
	pub fn public_key(&self) -> &DevicePublicKey {
		&self.public_key
	}

	/// The public helper data of the enrolment.
	pub fn helper_data(&self) -> &HelperData {
		&self.helper
	}

	/// The PUF model's parameters.
	pub fn config(&self) -> PufConfig {
		self.config
	}

	/// How many reads the enrolment reference was the majority of.
	pub fn enrolment_reads(&self) -> u32 {
		self.enrolment_reads
	}

	/// A power-up: a fresh noisy read of the PUF (at the device's bit-error rate, or at
	/// `bit_error_rate` to simulate a harsher environment), key reconstruction with the helper
	/// data, key derivation. [`Error::ReconstructionFailed`] if the fuzzy extractor's check
	/// fails, [`Error::KeyMismatch`] if the key is not the enrolled one.
	pub fn power_up<R: RngCore + ?Sized>(
		&self,
		bit_error_rate: Option<f64>,
		rng: &mut R,
	) -> Result<DeviceKeypair, Error> {
		let config = match bit_error_rate {
			Some(bit_error_rate) => {
				let config = PufConfig { bit_error_rate, ..self.config };
				check_config(&config)
					.map_err(|reason| Error::InvalidArgument { what: "--ber".into(), reason })?;
				config
			}
			None => self.config,
		};
		let puf = SramPuf::manufacture(&self.puf_seed, config)?;
		let read = puf.read(rng);
		let key = fuzzy::reconstruct(&read, &self.helper)?;
		let keypair = DeviceKeypair::from_puf_key(&key)?;
		if *keypair.public_key() != self.public_key {
			return Err(Error::KeyMismatch);
		}
		Ok(keypair)
	}

	/// Powers up ([`Device::power_up`]) and proves possession of the PUF-derived secret for
	/// `(genesis_hash, purpose, challenge)` with [`endo_crypto::nizk::prove_identity`]: the
	/// proof `pallet-device-identity` checks with
	/// `verify_identity_proof(genesis_hash, ID, public_key, purpose, challenge, proof)`.
	pub fn prove<R: RngCore + CryptoRng + ?Sized>(
		&self,
		genesis_hash: &[u8; 32],
		challenge: &[u8; 32],
		purpose: &[u8],
		bit_error_rate: Option<f64>,
		rng: &mut R,
	) -> Result<ProofOutput, Error> {
		let keypair = self.power_up(bit_error_rate, rng)?;
		let proof = nizk::prove_identity(&keypair, genesis_hash, purpose, challenge, rng);
		Ok(ProofOutput {
			id: keypair.device_id().to_bytes(),
			public_key: keypair.public_key().to_bytes(),
			proof: proof.to_bytes(),
		})
	}

	/// The device file: format, model note, PUF seed and parameters, enrolment reads, helper
	/// data, public key, ID (pretty JSON). No secret key: it does not exist outside a
	/// power-up.
	pub fn to_json(&self) -> String {
		let file = DeviceFileV1 {
			format: FORMAT.into(),
			model: MODEL.into(),
			puf_seed: to_hex(&self.puf_seed),
			puf: PufModelV1 {
				bit_error_rate: self.config.bit_error_rate,
				one_probability: self.config.one_probability,
			},
			enrolment_reads: self.enrolment_reads,
			helper_data: to_hex(&self.helper.to_bytes()),
			public_key: to_hex(self.public_key.as_bytes()),
			id: to_hex(self.id.as_bytes()),
			credential: self.credential.map(Credential::to_wire),
		};
		json_pretty(&file)
	}

	/// Parses and checks a device file: every field's form, the PUF parameters, the helper
	/// data's structure, the public key, that the ID is the public key's, and the credential's
	/// form (a certificate must name the device).
	pub fn from_json(text: &str) -> Result<Self, Error> {
		Self::parse(text).map_err(|reason| Error::DeviceFile { source: "<input>".into(), reason })
	}

	fn parse(text: &str) -> Result<Self, String> {
		let file: DeviceFileV1 = serde_json::from_str(text).map_err(|e| e.to_string())?;
		if file.format != FORMAT {
			return Err(format!("format is {:?}, expected {FORMAT:?}", file.format));
		}
		let field = |e: Error| e.to_string();
		let puf_seed = parse_hex_array::<32>("pufSeed", &file.puf_seed).map_err(field)?;
		let config = PufConfig {
			bit_error_rate: file.puf.bit_error_rate,
			one_probability: file.puf.one_probability,
		};
		check_config(&config).map_err(|reason| format!("puf: {reason}"))?;
		check_reads(file.enrolment_reads).map_err(|reason| format!("enrolmentReads: {reason}"))?;
		let helper_bytes = parse_hex("helperData", &file.helper_data).map_err(field)?;
		let helper = HelperData::from_bytes(&helper_bytes).map_err(|_| {
			format!(
				"helperData: not fuzzy-extractor helper data ({HELPER_DATA_BYTES} bytes starting \
				 with version 0x01; got {} bytes)",
				helper_bytes.len()
			)
		})?;
		let public_key_bytes =
			parse_hex_array::<32>("publicKey", &file.public_key).map_err(field)?;
		let public_key = DevicePublicKey::from_bytes(&public_key_bytes)
			.map_err(|_| "publicKey: not a valid Ristretto255 public key".to_string())?;
		let id = DeviceId::from_bytes(parse_hex_array::<32>("id", &file.id).map_err(field)?);
		if public_key.device_id() != id {
			return Err("id is not the ID of publicKey".into());
		}
		let credential = match &file.credential {
			None => None,
			Some(wire) => {
				let credential = Credential::from_wire(wire, "credential").map_err(field)?;
				check_subject(&credential, &id)?;
				Some(credential)
			}
		};
		Ok(Self {
			puf_seed,
			config,
			enrolment_reads: file.enrolment_reads,
			helper,
			public_key,
			id,
			credential,
		})
	}

	/// Reads and checks a device file ([`Device::from_json`]).
	pub fn load(path: &Path) -> Result<Self, Error> {
		let text = file::read(path)?;
		Self::parse(&text)
			.map_err(|reason| Error::DeviceFile { source: path.display().to_string(), reason })
	}

	/// Writes the device file (owner-only permissions on Unix: the file is the device). Fails
	/// with [`Error::Exists`] if `path` exists, unless `overwrite`.
	pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), Error> {
		file::write_private(path, &self.to_json(), overwrite, FileKind::Device)
	}
}

/// A certificate stored with a device must certify that device.
fn check_subject(credential: &Credential, id: &DeviceId) -> Result<(), String> {
	match credential.subject() {
		Some(subject) if subject != id.to_bytes() => {
			Err("credential: the certificate's subject is not this device's ID".into())
		}
		_ => Ok(()),
	}
}

/// The model's parameter ranges (`endo_crypto::puf::PufConfig`), with a readable reason.
fn check_config(config: &PufConfig) -> Result<(), String> {
	let ber = config.bit_error_rate;
	if !ber_in_range(ber) {
		return Err(format!("bit-error rate {ber} is not a number in [0, 0.5]"));
	}
	let bias = config.one_probability;
	if !(bias.is_finite() && (0.0..=1.0).contains(&bias)) {
		return Err(format!("one-probability {bias} is not a number in [0, 1]"));
	}
	Ok(())
}

fn ber_in_range(ber: f64) -> bool {
	ber.is_finite() && (0.0..=0.5).contains(&ber)
}

fn check_reads(reads: u32) -> Result<(), String> {
	if reads % 2 == 1 && reads <= MAX_ENROLMENT_READS {
		Ok(())
	} else {
		Err(format!("{reads} is not an odd number of reads from 1 to {MAX_ENROLMENT_READS}"))
	}
}

fn check_bias(reference: &PufResponse) -> Result<(), Error> {
	let expected = (RESPONSE_BITS / 2) as u32;
	let weight = reference.weight();
	if weight.abs_diff(expected) > BIAS_TOLERANCE {
		return Err(Error::PufBiased { weight, expected });
	}
	Ok(())
}

pub(crate) fn json_pretty<T: Serialize>(value: &T) -> String {
	// Serializing plain structs of strings and numbers cannot fail; fall back to an empty
	// object rather than panic.
	serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use crate::{
		parse_purpose, CaSignature, Certificate, AUTHENTICATE_PURPOSE, REGISTER_PURPOSE_TAG,
	};
	use endo_crypto::nizk::verify_identity_proof_bytes;
	use rand::SeedableRng;
	use rand_chacha::ChaCha20Rng;
	use std::fs;

	const SEED: [u8; 32] = [7; 32];
	const GENESIS: [u8; 32] = [0x11; 32];
	const CHALLENGE: [u8; 32] = [0x22; 32];

	fn rng(seed: u8) -> ChaCha20Rng {
		ChaCha20Rng::from_seed([seed; 32])
	}

	fn device() -> Device {
		Device::enroll(SEED, PufConfig::with_bit_error_rate(DEFAULT_BIT_ERROR_RATE), 1, &mut rng(1))
			.unwrap()
	}

	fn verify(device: &Device, purpose: &[u8], challenge: &[u8; 32], proof: &[u8]) -> bool {
		verify_identity_proof_bytes(
			&GENESIS,
			device.id(),
			device.public_key(),
			purpose,
			challenge,
			proof,
		)
		.is_ok()
	}

	#[test]
	fn proof_verifies_for_its_inputs_only() {
		let device = device();
		let mut purpose = REGISTER_PURPOSE_TAG.to_vec();
		purpose.extend_from_slice(&[0, 0, 0, 0, 0]);
		for purpose in [AUTHENTICATE_PURPOSE, purpose.as_slice()] {
			let out = device.prove(&GENESIS, &CHALLENGE, purpose, None, &mut rng(2)).unwrap();
			assert_eq!(out.id, device.identity().id);
			assert_eq!(out.public_key, device.identity().public_key);
			assert!(verify(&device, purpose, &CHALLENGE, &out.proof));
			// Another challenge, purpose or chain: rejected.
			assert!(!verify(&device, purpose, &[0x23; 32], &out.proof));
			assert!(!verify(
				&device,
				b"endochain/device-identity/other/v1",
				&CHALLENGE,
				&out.proof
			));
			let other_chain = verify_identity_proof_bytes(
				&[0x12; 32],
				device.id(),
				device.public_key(),
				purpose,
				&CHALLENGE,
				&out.proof,
			);
			assert_eq!(other_chain, Err(endo_crypto::ProofError::ProofInvalid));
		}
		// The shorthand is the pallet's authentication purpose.
		let purpose = parse_purpose("authenticate").unwrap();
		let out = device.prove(&GENESIS, &CHALLENGE, &purpose, None, &mut rng(3)).unwrap();
		assert!(verify(&device, AUTHENTICATE_PURPOSE, &CHALLENGE, &out.proof));
		assert!(!verify(&device, REGISTER_PURPOSE_TAG, &CHALLENGE, &out.proof));
	}

	#[test]
	fn every_power_up_reads_afresh_and_reconstructs_the_same_key() {
		let device = device();
		let puf = SramPuf::manufacture(&SEED, device.config()).unwrap();
		let mut noise = rng(4);
		// Two power-ups read different noisy patterns ...
		let (a, b) = (puf.read(&mut noise), puf.read(&mut noise));
		assert!(a.hamming_distance(&b) > 0);
		// ... and both give the enrolled key pair.
		for seed in 5..10 {
			let keypair = device.power_up(None, &mut rng(seed)).unwrap();
			assert_eq!(keypair.public_key(), device.public_key());
			assert_eq!(keypair.device_id(), device.id());
		}
		// 15 % (what the extractor is dimensioned for) still works.
		assert!(device.power_up(Some(0.15), &mut rng(10)).is_ok());
	}

	#[test]
	fn enrolment_is_deterministic_given_seed_and_rng() {
		let config = PufConfig::with_bit_error_rate(DEFAULT_BIT_ERROR_RATE);
		let a = Device::enroll(SEED, config, 3, &mut rng(1)).unwrap();
		let b = Device::enroll(SEED, config, 3, &mut rng(1)).unwrap();
		assert_eq!(a.to_json(), b.to_json());
		assert_eq!(a.identity(), b.identity());
		// Fresh enrolment randomness: a new identity for the same chip.
		let c = Device::enroll(SEED, config, 3, &mut rng(2)).unwrap();
		assert_ne!(a.identity(), c.identity());
		assert_ne!(a.helper_data(), c.helper_data());
		// Another chip, same randomness: another identity.
		let d = Device::enroll([8; 32], config, 3, &mut rng(1)).unwrap();
		assert_ne!(a.identity(), d.identity());
	}

	#[test]
	fn device_file_round_trips_and_holds_no_secret() {
		let device = device();
		let json = device.to_json();
		let back = Device::from_json(&json).unwrap();
		assert_eq!(back.to_json(), json);
		assert_eq!(back.identity(), device.identity());
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		let mut keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
		keys.sort();
		assert_eq!(
			keys,
			[
				"enrolmentReads",
				"format",
				"helperData",
				"id",
				"model",
				"publicKey",
				"puf",
				"pufSeed"
			]
		);
		// Neither the PUF key nor the secret scalar appears anywhere in the file.
		let keypair = device.power_up(None, &mut rng(3)).unwrap();
		let secret = hex::encode(keypair.secret().to_bytes());
		assert!(!json.contains(&secret));
		let puf = SramPuf::manufacture(&SEED, device.config()).unwrap();
		let key = fuzzy::reconstruct(&puf.read(&mut rng(4)), device.helper_data()).unwrap();
		assert!(!json.contains(&hex::encode(key.as_bytes())));
	}

	fn edit(json: &str, field: &str, value: serde_json::Value) -> String {
		let mut file: serde_json::Value = serde_json::from_str(json).unwrap();
		file[field] = value;
		file.to_string()
	}

	fn file_error(text: &str) -> String {
		match Device::from_json(text) {
			Err(e @ Error::DeviceFile { .. }) => {
				assert_eq!(e.exit_code(), 1);
				e.to_string()
			}
			other => panic!("expected a device-file error, got {other:?}"),
		}
	}

	#[test]
	fn corrupt_device_files_are_rejected_with_the_field() {
		let json = device().to_json();
		assert!(file_error("").contains("EOF"));
		assert!(file_error("{ not json").contains("key must be a string"));
		assert!(file_error(&json[..json.len() / 2]).contains("EOF"));
		let message = file_error(&edit(&json, "format", "endochain-device/v0".into()));
		assert!(message.contains("format"), "{message}");
		let message = file_error(&edit(&json, "pufSeed", "0x1234".into()));
		assert!(message.contains("pufSeed: expected 32 bytes"), "{message}");
		let message = file_error(&edit(&json, "helperData", "0xzz".into()));
		assert!(message.contains("helperData: not valid hex"), "{message}");
		let message = file_error(&edit(&json, "helperData", "0x0102".into()));
		assert!(message.contains("helperData: not fuzzy-extractor helper data"), "{message}");
		let message =
			file_error(&edit(&json, "publicKey", format!("0x{}", "ff".repeat(32)).into()));
		assert!(message.contains("publicKey: not a valid"), "{message}");
		let message = file_error(&edit(&json, "id", format!("0x{}", "00".repeat(32)).into()));
		assert!(message.contains("id is not the ID of publicKey"), "{message}");
		let message = file_error(&edit(&json, "enrolmentReads", 2.into()));
		assert!(message.contains("enrolmentReads"), "{message}");
		let message = file_error(&edit(
			&json,
			"puf",
			serde_json::json!({ "bitErrorRate": 0.7, "oneProbability": 0.5 }),
		));
		assert!(message.contains("puf: bit-error rate 0.7"), "{message}");
		let message = file_error(&edit(&json, "secretKey", "0x00".into()));
		assert!(message.contains("unknown field `secretKey`"), "{message}");
		let mut missing: serde_json::Value = serde_json::from_str(&json).unwrap();
		missing.as_object_mut().unwrap().remove("helperData");
		let message = file_error(&missing.to_string());
		assert!(message.contains("missing field `helperData`"), "{message}");
	}

	#[test]
	fn the_credential_is_stored_shown_and_checked() {
		let mut device = device();
		assert!(device.credential().is_none());
		let shown: serde_json::Value = serde_json::from_str(&device.show_json()).unwrap();
		assert_eq!(shown.as_object().unwrap().len(), 2);
		let certificate = Certificate {
			subject: device.identity().id,
			expires_at: 9,
			signature: CaSignature::Sr25519([3; 64]),
		};
		let credential = Credential::Pki { certificate };
		device.set_credential(credential).unwrap();
		let json = device.to_json();
		let back = Device::from_json(&json).unwrap();
		assert_eq!(back.credential(), Some(&credential));
		assert_eq!(back.to_json(), json);
		let shown: serde_json::Value = serde_json::from_str(&back.show_json()).unwrap();
		assert_eq!(shown["credential"]["Pki"]["certificate"]["expiresAt"], 9);
		assert_eq!(shown["id"], to_hex(&device.identity().id));
		// A certificate of another device is refused, in the file and when stored.
		let other =
			Credential::Pki { certificate: Certificate { subject: [0; 32], ..certificate } };
		assert!(device.set_credential(other).unwrap_err().contains("subject"));
		let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
		value["credential"]["Pki"]["certificate"]["subject"] = to_hex(&[0; 32]).into();
		let message = file_error(&value.to_string());
		assert!(message.contains("credential: the certificate's subject"), "{message}");
		value["credential"] = serde_json::json!({ "Ibe": { "signature": "0x00" } });
		let message = file_error(&value.to_string());
		assert!(message.contains("credential"), "{message}");
	}

	#[test]
	fn altered_helper_data_fail_reconstruction_clearly() {
		let json = device().to_json();
		let file: serde_json::Value = serde_json::from_str(&json).unwrap();
		let mut helper = parse_hex("helperData", file["helperData"].as_str().unwrap()).unwrap();
		// One bit of the code offset `w`: the check value no longer matches.
		helper[100] ^= 0x01;
		let altered =
			Device::from_json(&edit(&json, "helperData", to_hex(&helper).into())).unwrap();
		let error = altered.prove(&GENESIS, &CHALLENGE, AUTHENTICATE_PURPOSE, None, &mut rng(2));
		let error = error.unwrap_err();
		assert!(matches!(error, Error::ReconstructionFailed));
		assert_eq!(error.exit_code(), 3);
		assert!(error.to_string().contains("reconstruction failed"));
	}

	#[test]
	fn another_devices_key_is_detected() {
		let json = device().to_json();
		let other =
			Device::enroll([9; 32], PufConfig::with_bit_error_rate(0.05), 1, &mut rng(1)).unwrap();
		// A consistent (ID, key) pair of another device: the file parses, the power-up refuses.
		let swapped = edit(&json, "publicKey", to_hex(other.public_key().as_bytes()).into());
		let swapped = edit(&swapped, "id", to_hex(other.id().as_bytes()).into());
		let device = Device::from_json(&swapped).unwrap();
		assert!(matches!(device.power_up(None, &mut rng(2)), Err(Error::KeyMismatch)));
	}

	#[test]
	fn too_noisy_read_fails_reconstruction() {
		// At 50 % every read is independent of the chip: the key cannot be reconstructed.
		let error = device().power_up(Some(0.5), &mut rng(2)).unwrap_err();
		assert!(matches!(error, Error::ReconstructionFailed), "{error}");
	}

	#[test]
	fn bad_parameters_are_errors() {
		let config = |ber| PufConfig::with_bit_error_rate(ber);
		for ber in [-0.1, 0.51, f64::NAN, f64::INFINITY] {
			let error = Device::enroll(SEED, config(ber), 1, &mut rng(1)).unwrap_err();
			assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
			assert!(error.to_string().starts_with("--ber: bit-error rate"), "{error}");
			assert_eq!(error.exit_code(), 2);
			let error = device().power_up(Some(ber), &mut rng(1)).unwrap_err();
			assert!(error.to_string().starts_with("--ber: bit-error rate"), "{error}");
		}
		for reads in [0, 2, 17] {
			let error = Device::enroll(SEED, config(0.1), reads, &mut rng(1)).unwrap_err();
			assert!(error.to_string().starts_with("--reads:"), "{error}");
		}
		let bias = PufConfig { one_probability: 1.5, ..config(0.1) };
		assert!(Device::enroll(SEED, bias, 1, &mut rng(1)).is_err());
	}

	#[test]
	fn biased_puf_is_rejected_at_enrolment() {
		let biased = PufConfig { one_probability: 0.6, ..PufConfig::with_bit_error_rate(0.05) };
		let error = Device::enroll(SEED, biased, 1, &mut rng(1)).unwrap_err();
		assert!(matches!(error, Error::PufBiased { .. }), "{error}");
		// Slight bias within the tolerance is accepted.
		let slight = PufConfig { one_probability: 0.51, ..PufConfig::with_bit_error_rate(0.05) };
		assert!(Device::enroll(SEED, slight, 1, &mut rng(1)).is_ok());
	}

	#[test]
	fn save_refuses_to_overwrite_and_load_reports_the_path() {
		let dir = std::env::temp_dir().join(format!("endo-device-unit-{}", std::process::id()));
		fs::create_dir_all(&dir).unwrap();
		let path = dir.join("device.json");
		let _ = fs::remove_file(&path);
		let device = device();
		device.save(&path, false).unwrap();
		assert!(matches!(device.save(&path, false), Err(Error::Exists { .. })));
		device.save(&path, true).unwrap();
		assert_eq!(Device::load(&path).unwrap().identity(), device.identity());
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		}
		fs::write(&path, "{}").unwrap();
		let message = Device::load(&path).unwrap_err().to_string();
		assert!(message.starts_with(&path.display().to_string()), "{message}");
		assert!(message.contains("missing field"), "{message}");
		let missing = dir.join("missing.json");
		let error = Device::load(&missing).unwrap_err();
		assert!(matches!(error, Error::Io { .. }), "{error}");
		assert!(error.to_string().contains("missing.json"), "{error}");
		fs::remove_dir_all(&dir).unwrap();
	}
}
