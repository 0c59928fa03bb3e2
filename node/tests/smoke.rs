//! Smoke test: a `--dev --tmp` node imports and finalizes block #3 within 90 s and serves
//! metadata V15. The node is killed at the end, also when an assertion fails.

mod common;

use common::{hex_bytes, hex_number, Node};
use serde_json::json;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(90);

fn finalized_number(node: &Node) -> Option<u64> {
	let hash = node.rpc("chain_getFinalizedHead", json!([])).ok()?;
	let header = node.rpc("chain_getHeader", json!([hash])).ok()?;
	hex_number(&header["number"])
}

#[test]
fn dev_chain_finalizes_block_3_and_serves_metadata_v15() {
	let node = Node::start(&["--dev", "--tmp"]);

	let imported = node.wait_for(DEADLINE, |n| {
		n.rpc("chain_getBlockHash", json!([3])).ok().filter(|h| h.is_string())
	});
	assert!(
		imported.is_some(),
		"block #3 not imported within 90 s; node log:\n{}",
		node.log_tail()
	);

	let finalized = node.wait_for(DEADLINE, |n| finalized_number(n).filter(|f| *f >= 3));
	assert!(
		finalized.is_some(),
		"block #3 not finalized within 90 s; node log:\n{}",
		node.log_tail()
	);

	// The runtime lists V15 among its metadata versions...
	let versions = node
		.rpc("state_call", json!(["Metadata_metadata_versions", "0x"]))
		.expect("metadata_versions answers");
	let versions = hex_bytes(versions.as_str().expect("hex")).expect("valid hex");
	// SCALE Vec<u32>: compact length, then little-endian u32s.
	let listed: Vec<u32> = versions[1..]
		.chunks_exact(4)
		.map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
		.collect();
	assert!(listed.contains(&15), "metadata versions {listed:?} lack 15");

	// ...and serves it: Option<OpaqueMetadata> = Some, compact length, "meta", version 15.
	let v15 = node
		.rpc("state_call", json!(["Metadata_metadata_at_version", "0x0f000000"]))
		.expect("metadata_at_version answers");
	let v15 = hex_bytes(v15.as_str().expect("hex")).expect("valid hex");
	assert_eq!(v15.first(), Some(&1), "metadata V15 is None");
	let magic = v15.windows(4).position(|w| w == b"meta").expect("metadata magic present");
	assert!(magic <= 6, "magic follows the option byte and compact length");
	assert_eq!(v15[magic + 4], 15, "metadata version byte");
}

#[test]
fn unknown_chain_and_unknown_flag_fail_with_a_message() {
	let out = std::process::Command::new(env!("CARGO_BIN_EXE_endochain-node"))
		.args(["--chain", "no-such-chain", "--tmp"])
		.output()
		.expect("node runs");
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("unknown chain"), "stderr: {stderr}");

	let out = std::process::Command::new(env!("CARGO_BIN_EXE_endochain-node"))
		.arg("--no-such-flag")
		.output()
		.expect("node runs");
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"), "usage printed");
}
