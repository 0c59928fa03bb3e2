//! Helpers for tests that run the built `endochain-node` binary: free ports, a process guard
//! that kills the node whatever happens, and a minimal JSON-RPC client over HTTP.

#![allow(dead_code)]

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the OS hands out a free port")
}

/// A running node. Dropping it kills the process and removes its log file, also when the
/// test panics.
pub struct Node {
	child: Child,
	/// The node's JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// Where the node's output goes; printed when a test fails.
	pub log: PathBuf,
}

impl Node {
	/// Starts `endochain-node` with `args` plus free RPC, P2P and no Prometheus port.
	pub fn start(args: &[&str]) -> Node {
		let rpc_port = free_port();
		let p2p_port = free_port();
		let log = std::env::temp_dir().join(format!("endochain-test-{rpc_port}.log"));
		let out = std::fs::File::create(&log).expect("log file can be created");
		let err = out.try_clone().expect("log file handle can be cloned");
		let child = Command::new(env!("CARGO_BIN_EXE_endochain-node"))
			.args(args)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.stdout(Stdio::from(out))
			.stderr(Stdio::from(err))
			.spawn()
			.expect("endochain-node starts");
		Node { child, rpc_port, log }
	}

	/// The last lines of the node's log, for failure messages.
	pub fn log_tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// Sends one JSON-RPC request over HTTP and returns its `result`, or an error string.
	pub fn rpc(
		&self,
		method: &str,
		params: serde_json::Value,
	) -> Result<serde_json::Value, String> {
		let body =
			serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
				.to_string();
		let mut stream = TcpStream::connect(("127.0.0.1", self.rpc_port))
			.map_err(|e| format!("connect: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
		let request = format!(
			"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			body.len(),
			body
		);
		stream.write_all(request.as_bytes()).map_err(|e| format!("write: {e}"))?;
		let mut response = String::new();
		stream.read_to_string(&mut response).map_err(|e| format!("read: {e}"))?;
		let json = response
			.split_once("\r\n\r\n")
			.map(|(_, body)| body)
			.ok_or_else(|| format!("malformed HTTP response: {response}"))?;
		let value: serde_json::Value =
			serde_json::from_str(json.trim()).map_err(|e| format!("bad JSON {json:?}: {e}"))?;
		if let Some(err) = value.get("error") {
			return Err(format!("{method} failed: {err}"));
		}
		Ok(value["result"].clone())
	}

	/// Polls `check` every 500 ms until it returns `Some` or `timeout` passes.
	pub fn wait_for<T>(
		&self,
		timeout: Duration,
		mut check: impl FnMut(&Node) -> Option<T>,
	) -> Option<T> {
		let start = Instant::now();
		while start.elapsed() < timeout {
			if let Some(v) = check(self) {
				return Some(v);
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		None
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		let _ = std::fs::remove_file(&self.log);
	}
}

/// Parses a `0x`-prefixed hex number such as a header's `number`.
pub fn hex_number(v: &serde_json::Value) -> Option<u64> {
	u64::from_str_radix(v.as_str()?.trim_start_matches("0x"), 16).ok()
}

/// Decodes `0x`-prefixed hex.
pub fn hex_bytes(s: &str) -> Option<Vec<u8>> {
	let s = s.trim_start_matches("0x");
	if !s.len().is_multiple_of(2) {
		return None;
	}
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}
