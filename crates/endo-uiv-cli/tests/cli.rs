//! Runs the `endochain-uiv` binary offline: usage errors and bad arguments are one line on
//! stderr with exit status 1 (never a panic), a sealed report opens with the TA's key only,
//! and `verify-log --proof-file --root` accepts a proof built with `endo_uiv::log` and
//! refuses it (exit 2) once its entry, a sibling, its index or the root is altered.

#![allow(clippy::unwrap_used)]

use std::{
	fs,
	path::{Path, PathBuf},
	process::{Command, Output},
};

use endo_uiv::{
	log::{self, Hash, LogEntry},
	EntryKind, TrustSnapshot,
};
use endo_uiv_cli::{proof::EntryProof, seal};
use rand::{rngs::StdRng, SeedableRng};
use serde_json::{json, Value};

const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
/// Nothing listens here: commands that need a node fail to connect.
const NO_NODE: &str = "ws://127.0.0.1:1";

fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("endo-uiv-cli-{}-{name}", std::process::id()));
	let _ = fs::remove_dir_all(&dir);
	fs::create_dir_all(&dir).unwrap();
	dir
}

fn run(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_endochain-uiv")).args(args).output().unwrap()
}

/// Asserts a failure with exit status `code`, one line on stderr containing `needle`.
fn assert_fails(output: &Output, code: i32, needle: &str) {
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
	assert!(output.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&output.stdout));
	assert!(stderr.contains(needle), "expected {needle:?} in stderr: {stderr}");
	assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
	assert!(!stderr.contains("panicked"), "panic: {stderr}");
}

fn stdout(output: &Output) -> String {
	String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn usage_errors_exit_1_on_one_line() {
	assert_fails(&run(&[]), 1, "endochain-uiv: error: no command given");
	assert_fails(&run(&["no-such-command"]), 1, "unrecognized subcommand");
	assert_fails(&run(&["case"]), 1, "--case");
	assert_fails(&run(&["case", "--case", "x"]), 1, "invalid value 'x'");
	assert_fails(&run(&["assess", "--case", "0", "--valid", "maybe"]), 1, "--valid");
	assert_fails(&run(&["export", "--case", "0", "--format", "pdf"]), 1, "pdf");
	assert_fails(&run(&["verify-log"]), 1, "--case");
	let help = run(&["--help"]);
	assert_eq!(help.status.code(), Some(0));
	assert!(stdout(&help).contains("open-case"));
}

#[test]
fn bad_arguments_are_named() {
	let product = format!("{BOB}:pkg:generic/acme/plc:1.0.0-1.4.2");
	let open = |extra: &[&str]| {
		let mut args = vec!["--url", NO_NODE, "--suri", "//Bob", "open-case", "--ta", ALICE];
		args.extend_from_slice(extra);
		run(&args)
	};
	assert_fails(
		&open(&["--product", "nonsense", "--cvss", "CVSS:3.1/AV:N", "--report", "r"]),
		1,
		"--product: expected VENDOR_SS58:PURL:RANGES",
	);
	assert_fails(
		&open(&[
			"--product",
			&format!("{BOB}:pkg:generic/acme/plc:2.0-1.0"),
			"--ssvc",
			"poc,no,total,high",
			"--report",
			"r",
		]),
		1,
		"--product: range \"2.0-1.0\"",
	);
	assert_fails(
		&open(&["--product", &product, "--cvss", "CVSS:3.1/AV:X", "--report", "r"]),
		1,
		"--cvss:",
	);
	assert_fails(
		&open(&["--product", &product, "--ssvc", "poc,no,total", "--report", "r"]),
		1,
		"--ssvc: expected exploitation,automatable,impact,mission",
	);
	assert_fails(
		&open(&[
			"--product",
			&product,
			"--cvss",
			"x",
			"--ssvc",
			"poc,no,total,high",
			"--report",
			"r",
		]),
		1,
		"cannot be used with",
	);
	assert_fails(
		&run(&[
			"--url",
			NO_NODE,
			"open-case",
			"--ta",
			"5Gnope",
			"--product",
			&product,
			"--cvss",
			"x",
			"--report",
			"r",
		]),
		1,
		"--ta: not an SS58 address",
	);
	assert_fails(&run(&["--url", NO_NODE, "register-vendor", "--name", "Acme"]), 1, "--suri:");
	assert_fails(
		&run(&["--url", NO_NODE, "--suri", "//Bob", "register-vendor", "--name", &"n".repeat(65)]),
		1,
		"--name: 65 bytes, at most 64",
	);
	assert_fails(
		&run(&[
			"--url",
			NO_NODE,
			"--suri",
			"//Bob",
			"set-product-status",
			"--case",
			"0",
			"--index",
			"0",
			"--status",
			"patched",
		]),
		1,
		"--status: \"patched\" is not one of",
	);
	assert_fails(
		&run(&[
			"--url",
			NO_NODE,
			"--suri",
			"//Alice",
			"disclose",
			"--case",
			"0",
			"--report-hash",
			"0x12",
			"--uri",
			"u",
		]),
		1,
		"--report-hash: expected 32 bytes",
	);
	assert_fails(&run(&["--url", NO_NODE, "case", "--case", "0"]), 1, "cannot connect to");
}

#[test]
fn sealed_reports_open_with_the_tas_key_only() {
	let dir = scratch("seal");
	let (_, alice) = seal::secret_scalar("//Alice").unwrap();
	let report = b"stack overflow in the PLC's Modbus handler".to_vec();
	let context = [7u8; 32];
	let sealed = seal::seal(&alice, &context, &report, &mut StdRng::seed_from_u64(1)).unwrap();
	let file = dir.join("report.sealed");
	fs::write(&file, &sealed).unwrap();
	let f = file.to_str().unwrap();
	let ctx = format!("0x{}", hex::encode(context));
	let c = ctx.as_str();

	let opened = run(&["--suri", "//Alice", "decrypt-report", f, "--context", c]);
	assert_eq!(opened.status.code(), Some(0));
	assert_eq!(opened.stdout.strip_suffix(b"\n").unwrap(), report.as_slice());

	let out = dir.join("report.txt");
	let opened = run(&[
		"--suri",
		"//Alice",
		"decrypt-report",
		f,
		"--context",
		c,
		"--out",
		out.to_str().unwrap(),
	]);
	let printed: Value = serde_json::from_slice(&opened.stdout).unwrap();
	assert_eq!(fs::read(&out).unwrap(), report);
	assert_eq!(printed["reportHash"], format!("0x{}", hex::encode(seal::sha256(&report))));
	assert_eq!(printed["sealedHash"], format!("0x{}", hex::encode(seal::sha256(&sealed))));

	assert_fails(
		&run(&["--suri", "//Bob", "decrypt-report", f, "--context", c]),
		1,
		"does not open",
	);
	// Another case's context (a copied report): nothing.
	let other = format!("0x{}", hex::encode([8u8; 32]));
	assert_fails(
		&run(&["--suri", "//Alice", "decrypt-report", f, "--context", &other]),
		1,
		"does not open",
	);
	let mut tampered = sealed.clone();
	tampered[50] ^= 1;
	fs::write(&file, &tampered).unwrap();
	assert_fails(
		&run(&["--suri", "//Alice", "decrypt-report", f, "--context", c]),
		1,
		"does not open",
	);
	assert_fails(&run(&["decrypt-report", f, "--context", c]), 1, "--suri:");
	assert_fails(&run(&["--suri", "//Alice", "decrypt-report", f]), 1, "--case");
	assert_fails(
		&run(&[
			"--suri",
			"//Alice",
			"decrypt-report",
			dir.join("none").to_str().unwrap(),
			"--context",
			c,
		]),
		1,
		"No such file",
	);
	fs::remove_dir_all(&dir).unwrap();
}

/// A block of three entries, its log root, and the proof file of entry 1.
fn proof_file(dir: &Path) -> (Hash, PathBuf, Value) {
	let entries: Vec<LogEntry> = (0..3u32)
		.map(|seq| LogEntry {
			case: 7,
			seq,
			kind: if seq == 0 { EntryKind::CaseOpened } else { EntryKind::AccessDecided },
			actor: [seq as u8; 32],
			trust: TrustSnapshot { value_ppb: 900_000_000, ..Default::default() },
			vul_meta_hash: [3; 32],
			decision: None,
			token_commitment: None,
			prev_link: [seq as u8 + 10; 32],
			at_block: 12,
		})
		.collect();
	let leaves: Vec<Hash> = entries.iter().map(log::leaf_hash).collect();
	let root = log::block_root(&leaves).unwrap();
	let proof = log::proof(&leaves, 1).unwrap();
	let json = EntryProof { entry: entries[1], block: 12, proof }.to_json();
	let file = dir.join("proof.json");
	fs::write(&file, json.to_string()).unwrap();
	(root, file, json)
}

fn verify(file: &Path, root: &Hash) -> Output {
	let root = format!("0x{}", hex::encode(root));
	run(&["--url", NO_NODE, "verify-log", "--proof-file", file.to_str().unwrap(), "--root", &root])
}

#[test]
fn verify_log_offline() {
	let dir = scratch("verify");
	let (root, file, good) = proof_file(&dir);
	let ok = verify(&file, &root);
	assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
	assert!(stdout(&ok).starts_with("ok: case 7 seq 1 is in block 12"), "{}", stdout(&ok));

	let mut other_root = root;
	other_root[0] ^= 1;
	let failed = verify(&file, &other_root);
	assert_eq!(failed.status.code(), Some(2));
	assert!(stdout(&failed).starts_with("FAILED: the proof does not lead"), "{}", stdout(&failed));

	let tamper = |edit: &dyn Fn(&mut Value)| {
		let mut value = good.clone();
		edit(&mut value);
		fs::write(&file, value.to_string()).unwrap();
		verify(&file, &root)
	};
	let mut entry = hex::decode(&good["entry"].as_str().unwrap()[2..]).unwrap();
	entry[8] ^= 1; // the sequence number
	let entry = format!("0x{}", hex::encode(entry));
	type Edit = Box<dyn Fn(&mut Value)>;
	let cases: [(&str, Edit); 4] = [
		("entry", Box::new(move |v| v["entry"] = json!(entry))),
		(
			"sibling",
			Box::new(|v| v["proof"]["siblings"][0] = json!(format!("0x{}", "00".repeat(32)))),
		),
		("index", Box::new(|v| v["proof"]["leafIndex"] = json!(2))),
		("block", Box::new(|v| v["block"] = json!(13))),
	];
	for (what, edit) in cases {
		let out = tamper(&*edit);
		assert_eq!(out.status.code(), Some(2), "{what}: {}", String::from_utf8_lossy(&out.stderr));
		assert!(stdout(&out).starts_with("FAILED: "), "{what}: {}", stdout(&out));
	}

	let out = tamper(&|v| v["proof"]["leafIndex"] = json!("one"));
	assert_fails(&out, 1, "`leafIndex` is missing or not a 32-bit number");
	fs::write(&file, "not json").unwrap();
	assert_fails(&verify(&file, &root), 1, "not JSON");
	assert_fails(
		&run(&["verify-log", "--proof-file", file.to_str().unwrap(), "--root", "0x01"]),
		1,
		"--root: expected 32 bytes",
	);
	fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn host_ids_and_package_commands_offline() {
	let dir = scratch("host");
	let fingerprint = dir.join("fingerprint");
	fs::write(&fingerprint, b"endochain-host/v1\nmachine-id:abc\nmac:02:00:00:00:00:01\n").unwrap();
	let fp = fingerprint.to_str().unwrap();
	let out = run(&["--host-fingerprint", fp, "host-id", "--show"]);
	assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
	let value: Value = serde_json::from_str(&stdout(&out)).unwrap();
	let expected = endo_uiv::package::host_id_of(&fs::read(&fingerprint).unwrap());
	assert_eq!(value["hostId"], json!(format!("0x{}", hex::encode(expected))));
	assert_eq!(
		value["fingerprint"],
		json!("endochain-host/v1\nmachine-id:abc\nmac:02:00:00:00:00:01\n")
	);
	// A missing fingerprint file, a package without a signer or a node: one line each.
	assert_fails(&run(&["--host-fingerprint", "/nonexistent/fp", "host-id"]), 1, "/nonexistent/fp");
	assert_fails(&run(&["open-package", fp]), 1, "--suri");
	assert_fails(
		&run(&[
			"--url",
			NO_NODE,
			"--suri",
			"//Charlie",
			"--host-fingerprint",
			fp,
			"open-package",
			fp,
		]),
		1,
		"cannot connect",
	);
	assert_fails(
		&run(&[
			"--url",
			NO_NODE,
			"--suri",
			"//Charlie",
			"--host-fingerprint",
			fp,
			"fetch-package",
			"--case",
			"0",
			"--out",
			dir.join("p").to_str().unwrap(),
		]),
		1,
		"cannot connect",
	);
	assert_fails(&run(&["--url", NO_NODE, "end-session", "--case", "0"]), 1, "--suri");
	let _ = fs::remove_dir_all(&dir);
}

#[test]
fn leak_commands_check_their_input_before_any_node() {
	let dir = scratch("leak");
	// A text without a mark fails as a check (exit 2) without asking a node; a file that is
	// not text is an error.
	let plain = dir.join("plain.txt");
	fs::write(&plain, "A heap overflow in the Modbus handler.\n").unwrap();
	let out = run(&["--url", NO_NODE, "trace", plain.to_str().unwrap()]);
	assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
	assert!(stdout(&out).contains("no tracing mark"));
	let binary = dir.join("bin");
	fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
	assert_fails(&run(&["trace", binary.to_str().unwrap()]), 1, "not UTF-8");
	// A marked text goes to the node: none here.
	let mark = endo_uiv::watermark::Mark { case: 3, tracing: [7; 32] };
	let marked = endo_uiv::watermark::embed(
		"The parser trusts the length field and copies past the buffer end.",
		&mark,
		2,
	)
	.unwrap();
	let leaked = dir.join("leaked.txt");
	fs::write(&leaked, marked.replace('\n', "\r\n")).unwrap();
	assert_fails(&run(&["--url", NO_NODE, "trace", leaked.to_str().unwrap()]), 1, "cannot connect");
	// report-leak: a token of the wrong length, a host without a time, no signer.
	let token = format!("0x{}", hex::encode([7u8; 32]));
	assert_fails(
		&run(&["--suri", "//Eve", "report-leak", "--case", "3", "--token", "0x1234"]),
		1,
		"--token: expected 32 bytes",
	);
	assert_fails(
		&run(&["report-leak", "--case", "3", "--token", &token, "--host", &token]),
		1,
		"--at",
	);
	assert_fails(
		&run(&["--url", NO_NODE, "report-leak", "--case", "3", "--token", &token]),
		1,
		"--suri",
	);
	// resolve-deferred: a trap needs its decoy, a decoy its trap.
	assert_fails(
		&run(&["resolve-deferred", "--case", "1", "--worker", "5Grw", "--trap"]),
		1,
		"--decoy",
	);
	let _ = fs::remove_dir_all(&dir);
}
