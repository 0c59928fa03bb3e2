//! Runs the `endochain-device` binary: enrol, show, prove (the proof verifies with
//! `endo-crypto` exactly as the pallet verifies it), the protocol's tags, and every error is a
//! clear message with a non-zero exit status, never a panic.

#![allow(clippy::unwrap_used)]

use std::{
	fs,
	path::{Path, PathBuf},
	process::{Command, Output},
};

use endo_crypto::{device_identity, nizk::verify_identity_proof_bytes, DeviceId, DevicePublicKey};
use endo_device::{AUTHENTICATE_PURPOSE, REGISTER_PURPOSE_TAG};

const SEED: &str = "0x0101010101010101010101010101010101010101010101010101010101010101";
const GENESIS: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";
const CHALLENGE: &str = "0x2222222222222222222222222222222222222222222222222222222222222222";

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("endo-device-cli-{}-{name}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).unwrap();
	dir
}

fn run(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_endochain-device")).args(args).output().unwrap()
}

fn stdout_json(output: &Output) -> serde_json::Value {
	assert!(
		output.status.success(),
		"exit {:?}, stderr: {}",
		output.status.code(),
		String::from_utf8_lossy(&output.stderr)
	);
	serde_json::from_slice(&output.stdout).unwrap()
}

/// Asserts a failure with exit status `code` and a one-line error containing `needle`.
fn assert_fails(output: &Output, code: i32, needle: &str) {
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
	assert!(output.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&output.stdout));
	assert!(stderr.contains(needle), "expected {needle:?} in stderr: {stderr}");
	assert!(!stderr.contains("panicked"), "panic: {stderr}");
}

fn bytes32(value: &serde_json::Value) -> [u8; 32] {
	let text = value.as_str().unwrap();
	assert!(text.starts_with("0x"), "{text}");
	hex::decode(&text[2..]).unwrap().try_into().unwrap()
}

fn enroll(dir: &Path, extra: &[&str]) -> (PathBuf, serde_json::Value) {
	let file = dir.join("device.json");
	let mut args = vec!["enroll", "--seed", SEED, "--out", file.to_str().unwrap()];
	args.extend_from_slice(extra);
	let identity = stdout_json(&run(&args));
	(file, identity)
}

fn verify(identity: &serde_json::Value, purpose: &[u8], challenge: &str, proof: &[u8]) -> bool {
	let key = DevicePublicKey::from_bytes(&bytes32(&identity["publicKey"])).unwrap();
	let id = DeviceId::from_bytes(bytes32(&identity["id"]));
	let challenge: [u8; 32] = hex::decode(&challenge[2..]).unwrap().try_into().unwrap();
	let genesis: [u8; 32] = hex::decode(&GENESIS[2..]).unwrap().try_into().unwrap();
	verify_identity_proof_bytes(&genesis, &id, &key, purpose, &challenge, proof).is_ok()
}

#[test]
fn enroll_show_prove() {
	let dir = scratch("flow");
	let (file, enrolled) = enroll(&dir, &["--ber", "0.10"]);
	let shown = stdout_json(&run(&["show", "--device", file.to_str().unwrap()]));
	assert_eq!(shown, enrolled);
	assert_eq!(shown.as_object().unwrap().len(), 2);

	// The device file: public material and the "silicon" only.
	let saved: serde_json::Value =
		serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
	assert_eq!(saved["format"], "endochain-device/v1");
	assert_eq!(saved["id"], shown["id"]);
	assert_eq!(saved["publicKey"], shown["publicKey"]);
	assert_eq!(saved["puf"]["bitErrorRate"], 0.1);
	assert_eq!(saved["pufSeed"].as_str().unwrap(), SEED);
	assert!(saved.get("secretKey").is_none() && saved.get("pufKey").is_none());

	// Authentication (shorthand) and a raw registration purpose.
	let mut register = REGISTER_PURPOSE_TAG.to_vec();
	register.extend_from_slice(&[3, 0, 0, 0, 0, 1]);
	let register_hex = format!("0x{}", hex::encode(&register));
	for (purpose_arg, purpose) in
		[("authenticate", AUTHENTICATE_PURPOSE), (register_hex.as_str(), register.as_slice())]
	{
		let out = stdout_json(&run(&[
			"prove",
			"--device",
			file.to_str().unwrap(),
			"--genesis",
			GENESIS,
			"--challenge",
			CHALLENGE,
			"--purpose",
			purpose_arg,
		]));
		assert_eq!(out["id"], shown["id"]);
		assert_eq!(out["publicKey"], shown["publicKey"]);
		let proof = hex::decode(&out["proof"].as_str().unwrap()[2..]).unwrap();
		assert_eq!(proof.len(), 64);
		assert!(verify(&shown, purpose, CHALLENGE, &proof));
		let other_challenge = "0x2222222222222222222222222222222222222222222222222222222222222223";
		assert!(!verify(&shown, purpose, other_challenge, &proof));
		assert!(!verify(&shown, b"another purpose", CHALLENGE, &proof));
	}
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tags_prints_the_protocol_bytes() {
	let tags = stdout_json(&run(&["tags"]));
	let bytes = |key: &str| {
		let text = tags[key].as_str().unwrap();
		assert!(text.starts_with("0x"), "{text}");
		hex::decode(&text[2..]).unwrap()
	};
	assert_eq!(bytes("registerPurposeTag"), device_identity::REGISTER_PURPOSE_TAG);
	assert_eq!(bytes("registerPurposeTag"), REGISTER_PURPOSE_TAG);
	assert_eq!(bytes("authenticatePurpose"), device_identity::AUTHENTICATE_PURPOSE);
	assert_eq!(bytes("authenticatePurpose"), AUTHENTICATE_PURPOSE);
	assert_eq!(bytes("certificateTag"), device_identity::CERTIFICATE_TAG);
	assert_eq!(bytes("challengeTag"), device_identity::CHALLENGE_TAG);
	assert_eq!(bytes("controllerConsentTag"), device_identity::CONTROLLER_CONSENT_TAG);
	assert_eq!(bytes("enrolmentTag"), device_identity::ENROLMENT_TAG);
}

#[test]
fn a_kgc_makes_its_enrolment_key_and_co_signs_device_ids() {
	use sp_core::{sr25519, Pair};
	let key = stdout_json(&run(&["enrolment-key", "--kgc-suri", "//Kgc"]));
	let public = bytes32(&key["publicKey"]);
	assert_eq!(public, sr25519::Pair::from_string("//Kgc", None).unwrap().public().0);
	// A seed gives the same key as its URI `0x..`.
	let seed = format!("0x{}", "42".repeat(32));
	let from_seed = stdout_json(&run(&["enrolment-key", "--kgc-suri", &seed]));
	assert_eq!(bytes32(&from_seed["publicKey"]), sr25519::Pair::from_seed(&[0x42; 32]).public().0);

	let id = format!("0x{}", "ab".repeat(32));
	let base = ["enrol", "--kgc-suri", "//Kgc", "--genesis", GENESIS, "--authority", "2", "--id"];
	let mut args = base.to_vec();
	args.extend([id.as_str(), "--expires-at", "5000"]);
	let enrolment = stdout_json(&run(&args));
	let genesis = bytes32(&serde_json::json!(GENESIS));
	let expected = endo_device::enrolment_message(&genesis, 2, &[0xab; 32], 5000);
	assert_eq!(enrolment["message"], format!("0x{}", hex::encode(&expected)));
	assert_eq!(enrolment["expiresAt"], 5000);
	assert_eq!(bytes32(&enrolment["publicKey"]), public);
	let signature = hex::decode(&enrolment["enrolment"].as_str().unwrap()[2..]).unwrap();
	let signature = sr25519::Signature::from_raw(signature.try_into().unwrap());
	let kgc = sr25519::Public::from_raw(public);
	assert!(sr25519::Pair::verify(&signature, &expected, &kgc));
	// Not for another authority, device or expiry.
	for other in [
		endo_device::enrolment_message(&genesis, 3, &[0xab; 32], 5000),
		endo_device::enrolment_message(&genesis, 2, &[0xac; 32], 5000),
		endo_device::enrolment_message(&genesis, 2, &[0xab; 32], 5001),
	] {
		assert!(!sr25519::Pair::verify(&signature, &other, &kgc));
	}
	// The expiry is required, and a block number.
	let mut no_expiry = base.to_vec();
	no_expiry.push(&id);
	assert_fails(&run(&no_expiry), 2, "--expires-at");
	let mut bad_expiry = base.to_vec();
	bad_expiry.extend([id.as_str(), "--expires-at", "4294967296"]);
	assert_fails(&run(&bad_expiry), 2, "--expires-at");

	// Bad input: clear errors, and the secret is not echoed.
	let output = run(&["enrolment-key", "--kgc-suri", "not-a-secret-uri"]);
	assert_fails(&output, 2, "--kgc-suri");
	assert!(!String::from_utf8_lossy(&output.stderr).contains("not-a-secret-uri"));
	let mut short = base.to_vec();
	short.extend(["0x12", "--expires-at", "5000"]);
	assert_fails(&run(&short), 2, "--id");
}

#[test]
fn consent_prints_the_message_and_signs_it_with_a_controller_uri() {
	let dir = scratch("consent");
	let (file, identity) = enroll(&dir, &[]);
	let file = file.to_str().unwrap();
	let base = ["consent", "--device", file, "--genesis", GENESIS, "--authority", "3"];

	// For an external signer: the message alone.
	let unsigned = stdout_json(&run(&base));
	let message = unsigned["message"].as_str().unwrap();
	let expected = endo_device::controller_consent_message(
		&bytes32(&serde_json::json!(GENESIS)),
		&bytes32(&identity["id"]),
		&bytes32(&identity["publicKey"]),
		3,
	);
	assert_eq!(message, format!("0x{}", hex::encode(&expected)));
	assert!(unsigned.get("controller").is_none());

	// Signed with a development key: the call's `controller` argument, same message.
	let mut args = base.to_vec();
	args.extend_from_slice(&["--controller-suri", "//Dave"]);
	let signed = stdout_json(&run(&args));
	assert_eq!(signed["message"], unsigned["message"]);
	let controller = &signed["controller"];
	let public = bytes32(&controller["publicKey"]);
	let signature =
		hex::decode(&controller["signature"]["Sr25519"].as_str().unwrap()[2..]).unwrap();
	let signature = sp_core::sr25519::Signature::from_raw(signature.try_into().unwrap());
	use sp_core::Pair;
	assert!(sp_core::sr25519::Pair::verify(
		&signature,
		&expected,
		&sp_core::sr25519::Public::from_raw(public)
	));
	// //Dave's well-known address.
	assert_eq!(controller["account"], "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy");

	// Another authority or chain: another message.
	let other = stdout_json(&run(&[
		"consent",
		"--device",
		file,
		"--genesis",
		CHALLENGE,
		"--authority",
		"3",
	]));
	assert_ne!(other["message"], unsigned["message"]);
	let other =
		stdout_json(&run(&["consent", "--device", file, "--genesis", GENESIS, "--authority", "4"]));
	assert_ne!(other["message"], unsigned["message"]);

	// Bad input: clear errors, and the secret is not echoed.
	let mut bad = base.to_vec();
	bad.extend_from_slice(&["--controller-suri", "not-a-secret-uri"]);
	let output = run(&bad);
	assert_fails(&output, 2, "--controller-suri");
	assert!(!String::from_utf8_lossy(&output.stderr).contains("not-a-secret-uri"));
	assert_fails(
		&run(&["consent", "--device", file, "--genesis", "0x12", "--authority", "3"]),
		2,
		"--genesis",
	);
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn enrolment_is_reproducible_with_an_rng_seed() {
	let dir = scratch("rng-seed");
	let rng_seed = "0x0202020202020202020202020202020202020202020202020202020202020202";
	let (file, first) = enroll(&dir, &["--rng-seed", rng_seed, "--reads", "5"]);
	let first_file = fs::read_to_string(&file).unwrap();
	let (_, again) = enroll(&dir, &["--rng-seed", rng_seed, "--reads", "5", "--force"]);
	assert_eq!(first, again);
	assert_eq!(first_file, fs::read_to_string(&file).unwrap());
	// The OS RNG: a new identity for the same chip.
	let (_, fresh) = enroll(&dir, &["--force"]);
	assert_ne!(first["id"], fresh["id"]);
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_clear_errors() {
	let dir = scratch("args");
	let out = dir.join("device.json");
	let out = out.to_str().unwrap();
	let enroll_with = |seed: &str, extra: &[&str]| {
		let mut args = vec!["enroll", "--seed", seed, "--out", out];
		args.extend_from_slice(extra);
		run(&args)
	};
	assert_fails(&enroll_with("0x0102", &[]), 2, "--seed: expected 32 bytes");
	assert_fails(&enroll_with("0xzz", &[]), 2, "--seed: not valid hex");
	assert_fails(&enroll_with(&SEED[..65], &[]), 2, "--seed: not valid hex");
	assert_fails(&enroll_with(SEED, &["--ber", "0.7"]), 2, "--ber: bit-error rate 0.7");
	assert_fails(&enroll_with(SEED, &["--ber", "many"]), 2, "--ber");
	assert_fails(&enroll_with(SEED, &["--reads", "4"]), 2, "--reads: 4 is not an odd number");
	assert_fails(&enroll_with(SEED, &["--rng-seed", "0x01"]), 2, "--rng-seed: expected 32");
	assert!(!Path::new(out).exists(), "no file written on error");
	assert_fails(&run(&["enroll", "--seed", SEED]), 2, "--out");
	assert_fails(&run(&["frobnicate"]), 2, "frobnicate");

	let (file, _) = enroll(&dir, &[]);
	assert_fails(&enroll_with(SEED, &[]), 1, "already exists");
	let file = file.to_str().unwrap();
	let prove = |genesis: &str, challenge: &str, purpose: &str| {
		run(&[
			"prove",
			"--device",
			file,
			"--genesis",
			genesis,
			"--challenge",
			challenge,
			"--purpose",
			purpose,
		])
	};
	assert_fails(&prove("0x11", CHALLENGE, "authenticate"), 2, "--genesis: expected 32 bytes");
	assert_fails(&prove(GENESIS, "0xnothex", "authenticate"), 2, "--challenge: not valid hex");
	assert_fails(&prove(GENESIS, CHALLENGE, "0x"), 2, "--purpose: empty");
	assert_fails(&prove(GENESIS, CHALLENGE, "register"), 2, "--purpose: not valid hex");
	let noisy = run(&[
		"prove",
		"--device",
		file,
		"--genesis",
		GENESIS,
		"--challenge",
		CHALLENGE,
		"--purpose",
		"authenticate",
		"--ber",
		"0.6",
	]);
	assert_fails(&noisy, 2, "--ber: bit-error rate 0.6");
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_corrupt_and_altered_device_files() {
	let dir = scratch("files");
	let prove = |file: &Path, extra: &[&str]| {
		let mut args = vec![
			"prove",
			"--device",
			file.to_str().unwrap(),
			"--genesis",
			GENESIS,
			"--challenge",
			CHALLENGE,
			"--purpose",
			"authenticate",
		];
		args.extend_from_slice(extra);
		run(&args)
	};
	let missing = dir.join("missing.json");
	assert_fails(&run(&["show", "--device", missing.to_str().unwrap()]), 1, "missing.json");
	assert_fails(&prove(&missing, &[]), 1, "missing.json");

	let (file, _) = enroll(&dir, &[]);
	let good = fs::read_to_string(&file).unwrap();
	let corrupt = dir.join("corrupt.json");
	fs::write(&corrupt, &good[..good.len() / 2]).unwrap();
	assert_fails(&run(&["show", "--device", corrupt.to_str().unwrap()]), 1, "not a valid device");
	assert_fails(&prove(&corrupt, &[]), 1, "corrupt.json: not a valid device file");

	// Altered helper data: the fuzzy extractor's check fails, no proof is printed.
	let mut value: serde_json::Value = serde_json::from_str(&good).unwrap();
	let helper = value["helperData"].as_str().unwrap();
	let mut bytes = hex::decode(&helper[2..]).unwrap();
	bytes[1] ^= 0x80;
	value["helperData"] = format!("0x{}", hex::encode(bytes)).into();
	let altered = dir.join("altered.json");
	fs::write(&altered, value.to_string()).unwrap();
	assert_fails(&prove(&altered, &[]), 3, "PUF key reconstruction failed");

	// A read far noisier than the extractor corrects: reconstruction fails too.
	assert_fails(&prove(&file, &["--ber", "0.5"]), 3, "PUF key reconstruction failed");
	// 15 %, what the extractor is dimensioned for, still proves.
	stdout_json(&prove(&file, &["--ber", "0.15"]));
	fs::remove_dir_all(&dir).unwrap();
}
