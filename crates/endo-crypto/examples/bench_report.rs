//! Prints the markdown comparison of endo-crypto's criterion results with the paper's
//! Tables 2 and 3. Run by `scripts/bench-crypto.sh` after `cargo bench -p endo-crypto`.
//!
//! ```text
//! cargo run --release -p endo-crypto --example bench_report -- $CARGO_TARGET_DIR/criterion
//! ```
//!
//! Reads `<dir>/<group>/<function>[/<size>]/new/estimates.json` (criterion's mean estimate).

use std::{fmt::Write as _, path::Path};

/// The paper's Table 2 (SM9) and Table 3 (CP-ABE), in seconds.
const PAPER: [(&str, &str, [f64; 3]); 6] = [
	("sm9", "encrypt", [0.804, 7.52, 75.10]),
	("sm9", "decrypt", [0.982, 7.64, 77.70]),
	("sm9", "sign", [0.335, 0.373, 0.756]),
	("sm9", "verify", [0.276, 0.316, 0.709]),
	("abe", "encrypt", [0.11, 0.14, 4.851]),
	("abe", "decrypt", [0.0469, 0.0625, 2.0488]),
];
const SIZES: [&str; 3] = ["1KB", "1MB", "10MB"];

/// Targets of issue #3 (seconds), where one is set.
fn target(group: &str, function: &str, size: &str) -> Option<f64> {
	match (group, function, size) {
		("sm9", "encrypt" | "decrypt", "1MB") => Some(0.025),
		("sm9", "encrypt" | "decrypt", "10MB") => Some(0.250),
		("sm9", "sign" | "verify", _) => Some(0.015),
		("abe", "encrypt" | "decrypt", "10MB") => Some(0.150),
		("nizk", "verify", _) => Some(150e-6),
		_ => None,
	}
}

fn mean_seconds(dir: &Path, parts: &[&str]) -> Option<f64> {
	let mut path = dir.to_path_buf();
	for part in parts {
		path.push(part);
	}
	path.push("new");
	path.push("estimates.json");
	let text = std::fs::read_to_string(&path).ok()?;
	let json: serde_json::Value = serde_json::from_str(&text).ok()?;
	json["mean"]["point_estimate"].as_f64().map(|ns| ns * 1e-9)
}

fn human(seconds: f64) -> String {
	if seconds >= 1.0 {
		format!("{seconds:.3} s")
	} else if seconds >= 1e-3 {
		format!("{:.2} ms", seconds * 1e3)
	} else {
		format!("{:.1} µs", seconds * 1e6)
	}
}

fn speed_up(ratio: f64) -> String {
	if ratio < 10.0 {
		format!("{ratio:.1}x")
	} else {
		format!("{ratio:.0}x")
	}
}

fn verdict(group: &str, function: &str, size: &str, measured: f64) -> String {
	match target(group, function, size) {
		Some(t) if measured <= t => format!("met (<= {})", human(t)),
		Some(t) => format!("**missed** (> {})", human(t)),
		None => "-".into(),
	}
}

fn main() {
	let dir = std::env::args().nth(1).unwrap_or_else(|| {
		let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
		format!("{target}/criterion")
	});
	let dir = Path::new(&dir);
	let mut out = String::new();
	let mut missing = 0;
	let _ = writeln!(out, "| operation | size | paper | endo-crypto (mean) | speed-up | target |");
	let _ = writeln!(out, "|---|---|---|---|---|---|");
	for (group, function, paper) in PAPER {
		let table = if group == "sm9" { "Table 2" } else { "Table 3" };
		for (size, paper_s) in SIZES.iter().zip(paper) {
			match mean_seconds(dir, &[group, function, size]) {
				Some(m) => {
					let _ = writeln!(
						out,
						"| {} {} ({table}) | {size} | {paper_s} s | {} | {} | {} |",
						group.to_uppercase(),
						function,
						human(m),
						speed_up(paper_s / m),
						verdict(group, function, size, m)
					);
				}
				None => {
					missing += 1;
					let _ = writeln!(
						out,
						"| {} {} ({table}) | {size} | {paper_s} s | (not measured) | - | - |",
						group.to_uppercase(),
						function
					);
				}
			}
		}
	}
	for (group, function, what) in [
		("nizk", "prove", "NIZK identity proof: prove"),
		("nizk", "verify", "NIZK identity proof: verify"),
		("puf", "read", "PUF model: one noisy read"),
		("puf", "enroll", "fuzzy extractor: enrol"),
		("puf", "reconstruct", "fuzzy extractor: reconstruct"),
	] {
		match mean_seconds(dir, &[group, function]) {
			Some(m) => {
				let _ = writeln!(
					out,
					"| {what} | - | - | {} | - | {} |",
					human(m),
					verdict(group, function, "", m)
				);
			}
			None => {
				missing += 1;
				let _ = writeln!(out, "| {what} | - | - | (not measured) | - | - |");
			}
		}
	}
	print!("{out}");
	if missing > 0 {
		eprintln!("{missing} benchmark(s) missing under {}", dir.display());
	}
}
