//! Known-answer tests against the vector files in `tests/data/` (written by
//! `examples/gen_vectors.rs`; the derivations are specified in docs/ENDOGENOUS-IDENTITY.md).

use std::collections::HashMap;

use endo_crypto::{
	enroll_with, nizk, reconstruct, verify_identity_proof, DeviceId, DeviceKeypair,
	DevicePublicKey, EnrollmentRandomness, HelperData, IdentityProof, ProofError, PufConfig,
	PufKey, PufResponse, SramPuf,
};

/// Parses `name = value` blocks separated by blank lines.
fn blocks(text: &str) -> Vec<HashMap<String, String>> {
	let mut out = Vec::new();
	let mut current = HashMap::new();
	for line in text.lines() {
		let line = line.trim();
		if line.starts_with('#') {
			continue;
		}
		if line.is_empty() {
			if !current.is_empty() {
				out.push(std::mem::take(&mut current));
			}
			continue;
		}
		let (name, value) = line.split_once('=').expect("name = value");
		current.insert(name.trim().to_string(), value.trim().to_string());
	}
	if !current.is_empty() {
		out.push(current);
	}
	out
}

fn bytes(block: &HashMap<String, String>, name: &str) -> Vec<u8> {
	hex::decode(block.get(name).unwrap_or_else(|| panic!("missing {name}"))).expect("hex")
}

fn array<const N: usize>(block: &HashMap<String, String>, name: &str) -> [u8; N] {
	bytes(block, name).try_into().unwrap_or_else(|_| panic!("{name}: wrong length"))
}

#[test]
fn puf_model_vectors() {
	let blocks = blocks(include_str!("data/puf_model.txt"));
	assert_eq!(blocks.len(), 3);
	for block in blocks {
		let bias: f64 = block["one_probability"].parse().expect("float");
		let config = PufConfig { one_probability: bias, ..PufConfig::default() };
		let puf = SramPuf::manufacture(&array(&block, "seed"), config).expect("valid config");
		assert_eq!(puf.preferred_pattern().as_bytes().to_vec(), bytes(&block, "preferred"));
	}
}

#[test]
fn fuzzy_extractor_vectors() {
	let blocks = blocks(include_str!("data/fuzzy_extractor.txt"));
	assert_eq!(blocks.len(), 3);
	for block in blocks {
		let response = PufResponse::from_slice(&bytes(&block, "response")).expect("length");
		let message_bytes: [u8; 86] = array(&block, "message");
		let mut message = [0u16; 43];
		for (value, pair) in message.iter_mut().zip(message_bytes.chunks_exact(2)) {
			*value = u16::from_le_bytes([pair[0], pair[1]]);
		}
		let randomness = EnrollmentRandomness { message, seed: array(&block, "seed") };
		let (key, helper) = enroll_with(&response, &randomness);
		assert_eq!(helper.to_bytes().to_vec(), bytes(&block, "helper"));
		assert_eq!(key.as_bytes().to_vec(), bytes(&block, "key"));
		let noisy = PufResponse::from_slice(&bytes(&block, "noisy")).expect("length");
		let errors = u32::from_str_radix(&block["errors"], 16).expect("hex count");
		assert_eq!(noisy.hamming_distance(&response), errors);
		assert!(errors > 0);
		let helper = HelperData::from_bytes(&bytes(&block, "helper")).expect("helper");
		assert_eq!(reconstruct(&noisy, &helper), Ok(key));
	}
}

#[test]
fn identity_vectors() {
	let blocks = blocks(include_str!("data/identity.txt"));
	assert_eq!(blocks.len(), 5);
	for block in blocks {
		let keypair = DeviceKeypair::from_puf_key(&PufKey::from_bytes(array(&block, "puf_key")))
			.expect("key");
		assert_eq!(keypair.secret().to_bytes().to_vec(), bytes(&block, "secret"));
		assert_eq!(keypair.public_key().as_bytes().to_vec(), bytes(&block, "public_key"));
		assert_eq!(keypair.device_id().as_bytes().to_vec(), bytes(&block, "device_id"));
		assert_eq!(keypair.device_id().to_hex().to_vec(), bytes(&block, "sm9_identity"));
		// The ID is a function of the public key alone.
		let pk = DevicePublicKey::from_bytes(&array(&block, "public_key")).expect("valid key");
		assert_eq!(pk.device_id(), DeviceId::from_bytes(array(&block, "device_id")));
	}
}

#[test]
fn identity_proof_vectors() {
	let blocks = blocks(include_str!("data/identity_proof.txt"));
	assert_eq!(blocks.len(), 3);
	for block in blocks {
		let genesis = array(&block, "genesis_hash");
		let id = DeviceId::from_bytes(array(&block, "device_id"));
		let pk = DevicePublicKey::from_bytes(&array(&block, "public_key")).expect("valid key");
		let purpose = bytes(&block, "purpose");
		let challenge = array(&block, "challenge");
		let proof = IdentityProof::from_bytes(&bytes(&block, "proof")).expect("well-formed");
		assert_eq!(verify_identity_proof(&genesis, &id, &pk, &purpose, &challenge, &proof), Ok(()));
		let c =
			nizk::proof_challenge(&genesis, &id, &pk, &purpose, &challenge, &proof.commitment());
		assert_eq!(c.to_vec(), bytes(&block, "c"));
		// The device in the vector is the one its PUF key derives.
		let keypair = DeviceKeypair::from_puf_key(&PufKey::from_bytes(array(&block, "puf_key")))
			.expect("key");
		assert_eq!(keypair.device_id(), &id);
		// One bit anywhere in the proof breaks it.
		let good = proof.to_bytes();
		for position in [0usize, 31, 32, 63] {
			let mut bad = good;
			bad[position] ^= 0x01;
			let result =
				nizk::verify_identity_proof_bytes(&genesis, &id, &pk, &purpose, &challenge, &bad);
			assert!(
				matches!(result, Err(ProofError::ProofInvalid) | Err(ProofError::ProofMalformed)),
				"bit flip at {position}: {result:?}"
			);
		}
	}
}
