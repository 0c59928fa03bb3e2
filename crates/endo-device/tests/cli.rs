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
	assert_eq!(bytes("crossDomainPurposeTag"), device_identity::CROSS_DOMAIN_PURPOSE_TAG);
	assert_eq!(bytes("proxyVoteTag"), device_identity::PROXY_VOTE_TAG);
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

// --- The authorities: KGC (IBE domain) and CA (PKI domain) ---------------------------------

const RNG_SEED: &str = "0x0303030303030303030303030303030303030303030303030303030303030303";

fn genesis() -> [u8; 32] {
	bytes32(&serde_json::json!(GENESIS))
}

fn bytes_of(value: &serde_json::Value) -> Vec<u8> {
	let text = value.as_str().unwrap();
	assert!(text.starts_with("0x"), "{text}");
	hex::decode(&text[2..]).unwrap()
}

/// `compact(len) ‖ tag ‖ genesis ‖ authority (u32 LE) ‖ ID ‖ expiry (u32 LE)`: the pallet's
/// `messages::enrolment_message`, spelled out byte by byte.
fn enrolment_bytes(authority: u32, id: &[u8; 32], expires_at: u32) -> Vec<u8> {
	let mut message = vec![(device_identity::ENROLMENT_TAG.len() as u8) << 2];
	message.extend_from_slice(device_identity::ENROLMENT_TAG);
	message.extend_from_slice(&genesis());
	message.extend_from_slice(&authority.to_le_bytes());
	message.extend_from_slice(id);
	message.extend_from_slice(&expires_at.to_le_bytes());
	message
}

/// `compact(len) ‖ tag ‖ genesis ‖ subject ‖ expiry (u32 LE)`: the pallet's
/// `messages::certificate_message`, as the e2e test's `issueCertificate` builds it.
fn certificate_bytes(subject: &[u8; 32], expires_at: u32) -> Vec<u8> {
	let mut message = vec![(device_identity::CERTIFICATE_TAG.len() as u8) << 2];
	message.extend_from_slice(device_identity::CERTIFICATE_TAG);
	message.extend_from_slice(&genesis());
	message.extend_from_slice(subject);
	message.extend_from_slice(&expires_at.to_le_bytes());
	message
}

/// Checks an IBE credential as the proxy nodes (SM9) and the pallet (enrolment co-signature)
/// do, against the public keys `kgc new` / `kgc show` printed.
fn ibe_credential_verifies(
	kgc: &serde_json::Value,
	credential: &serde_json::Value,
	authority: u32,
	id: &[u8; 32],
) -> bool {
	use sp_core::{sr25519, Pair};
	let master: [u8; 128] = bytes_of(&kgc["authorityKey"]["Ibe"]).try_into().unwrap();
	let ibe = &credential["Ibe"];
	assert_eq!(ibe.as_object().unwrap().len(), 3, "{ibe}");
	let signature: [u8; 97] = bytes_of(&ibe["signature"]).try_into().unwrap();
	let enrolment: [u8; 64] = bytes_of(&ibe["enrolment"]).try_into().unwrap();
	let expires_at = u32::try_from(ibe["expiresAt"].as_u64().unwrap()).unwrap();
	let sm9 = device_identity::verify_ibe_credential(&master, id, &signature).is_ok();
	let co_signed = sr25519::Pair::verify(
		&sr25519::Signature::from_raw(enrolment),
		enrolment_bytes(authority, id, expires_at),
		&sr25519::Public::from_raw(bytes32(&kgc["enrolmentKey"])),
	);
	sm9 && co_signed
}

/// Checks a certificate with the CA key `ca show` printed, per scheme, as Substrate's
/// `MultiSignature` does (ECDSA over `blake2_256(message)`).
fn certificate_verifies(
	ca: &serde_json::Value,
	credential: &serde_json::Value,
	id: &[u8; 32],
) -> bool {
	use sp_core::{ecdsa, ed25519, sr25519, Pair};
	let certificate = &credential["Pki"]["certificate"];
	let expires_at = u32::try_from(certificate["expiresAt"].as_u64().unwrap()).unwrap();
	if bytes32(&certificate["subject"]) != *id {
		return false;
	}
	let message = certificate_bytes(id, expires_at);
	let key = ca["authorityKey"]["Pki"].as_object().unwrap();
	let signature = certificate["signature"].as_object().unwrap();
	assert_eq!((key.len(), signature.len()), (1, 1));
	let (scheme, key) = key.iter().next().unwrap();
	let Some(signature) = signature.get(scheme) else { return false };
	let (key, signature) = (bytes_of(key), bytes_of(signature));
	match scheme.as_str() {
		"Ed25519" => ed25519::Pair::verify(
			&ed25519::Signature::from_raw(signature.try_into().unwrap()),
			&message,
			&ed25519::Public::from_raw(key.try_into().unwrap()),
		),
		"Sr25519" => sr25519::Pair::verify(
			&sr25519::Signature::from_raw(signature.try_into().unwrap()),
			&message,
			&sr25519::Public::from_raw(key.try_into().unwrap()),
		),
		"Ecdsa" => {
			let digest = <sp_core::Blake2Hasher as sp_core::Hasher>::hash(&message).0;
			let signature = ecdsa::Signature::from_raw(signature.try_into().unwrap());
			let key = ecdsa::Public::from_raw(key.try_into().unwrap());
			assert_eq!(
				ecdsa::Pair::verify_prehashed(&signature, &digest, &key),
				ecdsa::Pair::verify(&signature, &message, &key)
			);
			ecdsa::Pair::verify(&signature, &message, &key)
		}
		other => panic!("unknown scheme {other}"),
	}
}

#[test]
fn a_kgc_issues_ibe_credentials_that_verify() {
	let dir = scratch("kgc");
	let file = dir.join("kgc.json");
	let file_arg = file.to_str().unwrap();
	let kgc = stdout_json(&run(&["kgc", "new", "--out", file_arg, "--rng-seed", RNG_SEED]));
	// Exactly the arguments of `register_authority` and `set_enrolment_key`.
	assert_eq!(kgc.as_object().unwrap().len(), 2);
	assert_eq!(kgc["authorityKey"].as_object().unwrap().len(), 1);
	let master: [u8; 128] = bytes_of(&kgc["authorityKey"]["Ibe"]).try_into().unwrap();
	assert!(device_identity::sm9_master_key_well_formed(&master));
	assert_eq!(bytes_of(&kgc["enrolmentKey"]).len(), 32);
	assert_eq!(stdout_json(&run(&["kgc", "show", "--kgc", file_arg])), kgc);
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
	}

	// Reproducible from --rng-seed; overwriting needs --force.
	let saved = fs::read_to_string(&file).unwrap();
	assert_fails(&run(&["kgc", "new", "--out", file_arg]), 1, "already exists");
	assert_eq!(fs::read_to_string(&file).unwrap(), saved, "the file is untouched");
	let again =
		stdout_json(&run(&["kgc", "new", "--out", file_arg, "--force", "--rng-seed", RNG_SEED]));
	assert_eq!(again, kgc);
	assert_eq!(fs::read_to_string(&file).unwrap(), saved);
	let fresh_file = dir.join("fresh.json");
	let fresh = stdout_json(&run(&["kgc", "new", "--out", fresh_file.to_str().unwrap()]));
	assert_ne!(fresh["authorityKey"], kgc["authorityKey"]);
	assert_ne!(fresh["enrolmentKey"], kgc["enrolmentKey"]);

	// A credential for a device ID, checked as the proxy nodes and the pallet check it.
	let id = [0x5a; 32];
	let id_hex = format!("0x{}", hex::encode(id));
	let issue = |device: &str, extra: &[&str]| {
		let mut args = vec![
			"kgc",
			"issue",
			"--kgc",
			file_arg,
			"--genesis-hash",
			GENESIS,
			"--authority",
			"2",
			"--device",
			device,
			"--expires-at",
			"5000",
		];
		args.extend_from_slice(extra);
		run(&args)
	};
	let out = stdout_json(&issue(&id_hex, &[]));
	assert_eq!(out.as_object().unwrap().len(), 1);
	let credential = &out["credential"];
	assert_eq!(credential["Ibe"]["expiresAt"], 5000);
	assert!(ibe_credential_verifies(&kgc, credential, 2, &id));
	// Not for another device, authority or KGC.
	assert!(!ibe_credential_verifies(&kgc, credential, 2, &[0x5b; 32]));
	assert!(!ibe_credential_verifies(&kgc, credential, 3, &id));
	assert!(!ibe_credential_verifies(&fresh, credential, 2, &id));
	let signature: [u8; 97] = bytes_of(&credential["Ibe"]["signature"]).try_into().unwrap();
	assert!(device_identity::verify_ibe_credential(&master, &[0x5b; 32], &signature).is_err());

	// --rng-seed fixes the SM9 signature (the sr25519 co-signature is randomised by
	// schnorrkel, and verifies either way).
	let seeded = stdout_json(&issue(&id_hex, &["--rng-seed", RNG_SEED]));
	let seeded_again = stdout_json(&issue(&id_hex, &["--rng-seed", RNG_SEED]));
	assert_eq!(
		seeded["credential"]["Ibe"]["signature"],
		seeded_again["credential"]["Ibe"]["signature"]
	);
	assert_ne!(seeded["credential"]["Ibe"]["signature"], credential["Ibe"]["signature"]);
	assert!(ibe_credential_verifies(&kgc, &seeded_again["credential"], 2, &id));

	// --device also takes a device file.
	let (device_file, identity) = enroll(&dir, &[]);
	let out = stdout_json(&issue(device_file.to_str().unwrap(), &[]));
	assert!(ibe_credential_verifies(&kgc, &out["credential"], 2, &bytes32(&identity["id"])));
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_ca_certifies_devices_in_each_scheme() {
	let dir = scratch("ca");
	let id = [0x5a; 32];
	let id_hex = format!("0x{}", hex::encode(id));
	for scheme in ["sr25519", "ed25519", "ecdsa"] {
		let file = dir.join(format!("ca-{scheme}.json"));
		let file = file.to_str().unwrap();
		let ca = stdout_json(&run(&[
			"ca",
			"new",
			"--out",
			file,
			"--scheme",
			scheme,
			"--rng-seed",
			RNG_SEED,
		]));
		assert_eq!(ca.as_object().unwrap().len(), 1);
		let key = ca["authorityKey"]["Pki"].as_object().unwrap();
		let (name, key) = key.iter().next().unwrap();
		assert_eq!(name.to_lowercase(), scheme);
		assert_eq!(bytes_of(key).len(), if scheme == "ecdsa" { 33 } else { 32 });
		assert_eq!(stdout_json(&run(&["ca", "show", "--ca", file])), ca);
		assert_fails(&run(&["ca", "new", "--out", file, "--scheme", scheme]), 1, "already exists");
		let again = run(&[
			"ca",
			"new",
			"--out",
			file,
			"--scheme",
			scheme,
			"--rng-seed",
			RNG_SEED,
			"--force",
		]);
		assert_eq!(stdout_json(&again), ca);

		let out = stdout_json(&run(&[
			"ca",
			"issue",
			"--ca",
			file,
			"--genesis",
			GENESIS,
			"--device",
			&id_hex,
			"--expires-at",
			"77",
		]));
		let credential = &out["credential"];
		let certificate = &credential["Pki"]["certificate"];
		assert_eq!(certificate.as_object().unwrap().len(), 3);
		assert_eq!(certificate["expiresAt"], 77);
		assert!(certificate_verifies(&ca, credential, &id), "{scheme}");
		assert!(!certificate_verifies(&ca, credential, &[0x5b; 32]), "{scheme}");
		// Another expiry than the one signed: rejected.
		let mut later = credential.clone();
		later["Pki"]["certificate"]["expiresAt"] = 78.into();
		assert!(!certificate_verifies(&ca, &later, &id), "{scheme}");
	}
	// The default scheme is sr25519.
	let file = dir.join("ca-default.json");
	let ca = stdout_json(&run(&["ca", "new", "--out", file.to_str().unwrap()]));
	assert!(ca["authorityKey"]["Pki"]["Sr25519"].is_string());
	assert_fails(&run(&["ca", "new", "--out", "x.json", "--scheme", "rsa"]), 2, "rsa");
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn enroll_with_an_authority_stores_the_credential() {
	let dir = scratch("enroll-authority");
	let kgc_file = dir.join("kgc.json");
	let kgc = stdout_json(&run(&["kgc", "new", "--out", kgc_file.to_str().unwrap()]));
	let ca_file = dir.join("ca.json");
	let ca =
		stdout_json(&run(&["ca", "new", "--out", ca_file.to_str().unwrap(), "--scheme", "ecdsa"]));

	// IBE domain.
	let (file, enrolled) = enroll(
		&dir,
		&[
			"--kgc",
			kgc_file.to_str().unwrap(),
			"--authority",
			"4",
			"--genesis",
			GENESIS,
			"--expires-at",
			"900",
		],
	);
	let id = bytes32(&enrolled["id"]);
	assert!(ibe_credential_verifies(&kgc, &enrolled["credential"], 4, &id));
	let shown = stdout_json(&run(&["show", "--device", file.to_str().unwrap()]));
	assert_eq!(shown, enrolled);
	let saved: serde_json::Value =
		serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
	assert_eq!(saved["credential"], enrolled["credential"]);
	// The device still proves.
	let proof = stdout_json(&run(&[
		"prove",
		"--device",
		file.to_str().unwrap(),
		"--genesis",
		GENESIS,
		"--challenge",
		CHALLENGE,
		"--purpose",
		"authenticate",
	]));
	assert_eq!(proof["id"], enrolled["id"]);

	// PKI domain, same file with --force.
	let (file, enrolled) = enroll(
		&dir,
		&[
			"--ca",
			ca_file.to_str().unwrap(),
			"--genesis-hash",
			GENESIS,
			"--expires-at",
			"901",
			"--force",
		],
	);
	assert!(certificate_verifies(&ca, &enrolled["credential"], &bytes32(&enrolled["id"])));
	assert_eq!(stdout_json(&run(&["show", "--device", file.to_str().unwrap()])), enrolled);

	// Both authorities, or missing parameters: refused by the parser, nothing written.
	let out = dir.join("refused.json");
	let out = out.to_str().unwrap();
	let enroll_with = |extra: &[&str]| {
		let mut args = vec!["enroll", "--seed", SEED, "--out", out];
		args.extend_from_slice(extra);
		run(&args)
	};
	let kgc_arg = kgc_file.to_str().unwrap();
	let ca_arg = ca_file.to_str().unwrap();
	let both = [
		"--kgc",
		kgc_arg,
		"--ca",
		ca_arg,
		"--authority",
		"1",
		"--genesis",
		GENESIS,
		"--expires-at",
		"9",
	];
	assert_fails(&enroll_with(&both), 2, "cannot be used with");
	assert_fails(
		&enroll_with(&["--kgc", kgc_arg, "--genesis", GENESIS, "--expires-at", "9"]),
		2,
		"--authority",
	);
	assert_fails(&enroll_with(&["--ca", ca_arg, "--genesis", GENESIS]), 2, "--expires-at");
	assert_fails(
		&enroll_with(&[
			"--ca",
			ca_arg,
			"--authority",
			"1",
			"--genesis",
			GENESIS,
			"--expires-at",
			"9",
		]),
		2,
		"'--ca <FILE>' cannot be used with '--authority <AUTHORITY>'",
	);
	assert_fails(&enroll_with(&["--genesis", GENESIS]), 2, "--kgc");
	assert_fails(
		&enroll_with(&["--ca", ca_arg, "--genesis", "0x11", "--expires-at", "9"]),
		2,
		"--genesis: expected 32 bytes",
	);
	assert_fails(
		&enroll_with(&["--ca", kgc_arg, "--genesis", GENESIS, "--expires-at", "9"]),
		1,
		"this is a KGC file",
	);
	assert!(!Path::new(out).exists(), "no file written on error");
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_authority_input_is_a_clear_error() {
	let dir = scratch("authority-errors");
	let kgc_file = dir.join("kgc.json");
	let kgc = kgc_file.to_str().unwrap();
	stdout_json(&run(&["kgc", "new", "--out", kgc]));
	let ca_file = dir.join("ca.json");
	let ca = ca_file.to_str().unwrap();
	stdout_json(&run(&["ca", "new", "--out", ca]));
	let id = format!("0x{}", "ab".repeat(32));
	let kgc_issue = |file: &str, genesis: &str, authority: &str, device: &str, expires_at: &str| {
		run(&[
			"kgc",
			"issue",
			"--kgc",
			file,
			"--genesis",
			genesis,
			"--authority",
			authority,
			"--device",
			device,
			"--expires-at",
			expires_at,
		])
	};
	let ca_issue = |file: &str, device: &str| {
		run(&[
			"ca",
			"issue",
			"--ca",
			file,
			"--genesis",
			GENESIS,
			"--device",
			device,
			"--expires-at",
			"9",
		])
	};

	// Arguments.
	assert_fails(&kgc_issue(kgc, "0x11", "1", &id, "9"), 2, "--genesis: expected 32 bytes");
	assert_fails(&kgc_issue(kgc, "0xzz", "1", &id, "9"), 2, "--genesis: not valid hex");
	assert_fails(&kgc_issue(kgc, GENESIS, "1", "0x12", "9"), 2, "--device: expected 32 bytes");
	assert_fails(
		&kgc_issue(kgc, GENESIS, "1", &format!("{id}zz"), "9"),
		2,
		"--device: not valid hex",
	);
	assert_fails(&kgc_issue(kgc, GENESIS, "4294967296", &id, "9"), 2, "--authority");
	assert_fails(&kgc_issue(kgc, GENESIS, "-1", &id, "9"), 2, "--authority");
	assert_fails(&kgc_issue(kgc, GENESIS, "1", &id, "4294967296"), 2, "--expires-at");
	assert_fails(
		&kgc_issue(kgc, GENESIS, "1", "missing-device.json", "9"),
		1,
		"missing-device.json",
	);
	assert_fails(
		&run(&["kgc", "new", "--out", "x.json", "--rng-seed", "0x01"]),
		2,
		"--rng-seed: expected 32",
	);
	assert_fails(&ca_issue(ca, "0x12"), 2, "--device: expected 32 bytes");

	// Files: missing, of another kind, corrupt, altered.
	assert_fails(&kgc_issue("missing.json", GENESIS, "1", &id, "9"), 1, "missing.json");
	assert_fails(
		&run(&["kgc", "show", "--kgc", ca]),
		1,
		"not a valid KGC file: format is \"endochain-ca/v1\"",
	);
	assert_fails(&run(&["ca", "show", "--ca", kgc]), 1, "this is a KGC file");
	assert_fails(&ca_issue(kgc, &id), 1, "this is a KGC file");
	let (device, _) = enroll(&dir, &[]);
	assert_fails(
		&run(&["kgc", "show", "--kgc", device.to_str().unwrap()]),
		1,
		"this is a device file",
	);
	let good = fs::read_to_string(&kgc_file).unwrap();
	let write = |name: &str, text: &str| {
		let path = dir.join(name);
		fs::write(&path, text).unwrap();
		path.to_str().unwrap().to_owned()
	};
	let corrupt = write("corrupt.json", &good[..good.len() / 2]);
	assert_fails(
		&run(&["kgc", "show", "--kgc", &corrupt]),
		1,
		"corrupt.json: not a valid KGC file",
	);
	assert_fails(
		&run(&["kgc", "show", "--kgc", &write("empty.json", "")]),
		1,
		"not a valid KGC file",
	);
	let edit = |field: &str, value: serde_json::Value| {
		let mut json: serde_json::Value = serde_json::from_str(&good).unwrap();
		json[field] = value;
		json.to_string()
	};
	let zero = write("zero.json", &edit("masterKey", format!("0x{}", "00".repeat(64)).into()));
	assert_fails(&kgc_issue(&zero, GENESIS, "1", &id, "9"), 1, "masterKey: not an SM9 master key");
	let large = write("large.json", &edit("masterKey", format!("0x{}", "ff".repeat(64)).into()));
	assert_fails(&kgc_issue(&large, GENESIS, "1", &id, "9"), 1, "masterKey: not an SM9 master key");
	let short = write("short.json", &edit("masterKey", "0x0102".into()));
	assert_fails(&run(&["kgc", "show", "--kgc", &short]), 1, "masterKey: not an SM9 master key");
	let seed = write("seed.json", &edit("enrolmentSeed", "0xnothex".into()));
	assert_fails(&run(&["kgc", "show", "--kgc", &seed]), 1, "enrolmentSeed: not valid hex");
	let key = write(
		"key.json",
		&edit("authorityKey", serde_json::json!({ "Ibe": format!("0x{}", "01".repeat(128)) })),
	);
	assert_fails(
		&run(&["kgc", "show", "--kgc", &key]),
		1,
		"authorityKey is not the public key of masterKey",
	);
	let pki = write(
		"pki.json",
		&edit("authorityKey", serde_json::json!({ "Pki": { "Sr25519": "0x00" } })),
	);
	assert_fails(
		&run(&["kgc", "show", "--kgc", &pki]),
		1,
		"authorityKey: a KGC's key is an IBE key",
	);
	let ca_text = fs::read_to_string(&ca_file).unwrap();
	let mut ca_json: serde_json::Value = serde_json::from_str(&ca_text).unwrap();
	ca_json["scheme"] = "ed25519".into();
	let scheme = write("scheme.json", &ca_json.to_string());
	assert_fails(&ca_issue(&scheme, &id), 1, "authorityKey is not the ed25519 public key of seed");
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_proxy_key_proves_it_belongs_to_its_account() {
	use codec::Encode;
	use sp_core::{sr25519, Pair};
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap().public();
	let genesis = format!("0x{}", "ab".repeat(32));
	let out = stdout_json(&run(&[
		"proxy-key",
		"--key-suri",
		"//Node1",
		"--genesis",
		&genesis,
		"--account",
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
	]));
	let key = sr25519::Pair::from_string("//Node1", None).unwrap().public();
	assert_eq!(bytes32(&out["key"]), key.0);
	let proof = hex::decode(&out["proof"].as_str().unwrap()[2..]).unwrap();
	let signature = sr25519::Signature::from_raw(proof.try_into().unwrap());
	let message = (device_identity::PROXY_KEY_TAG, [0xab_u8; 32], alice.0).encode();
	assert!(sr25519::Pair::verify(&signature, &message, &key));
	// The same account as hex; a bad account is refused.
	let hex_account = format!("0x{}", hex::encode(alice.0));
	let again = stdout_json(&run(&[
		"proxy-key",
		"--key-suri",
		"//Node1",
		"--genesis",
		&genesis,
		"--account",
		&hex_account,
	]));
	assert_eq!(again["key"], out["key"]);
	let refused =
		run(&["proxy-key", "--key-suri", "//Node1", "--genesis", &genesis, "--account", "0x12"]);
	assert!(!refused.status.success());
}
