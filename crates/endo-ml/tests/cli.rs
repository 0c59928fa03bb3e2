//! The `endochain-trust` CLI, run as a process: a small end-to-end pipeline, and bad input that
//! must give a clear error and a non-zero exit, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
	Command::new(env!("CARGO_BIN_EXE_endochain-trust"))
}

fn temp_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("endo-ml-cli-{}-{name}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir; qed");
	dir
}

fn run(args: &[&str]) -> Output {
	bin().args(args).output().expect("the binary runs; qed")
}

fn text(out: &Output) -> (String, String) {
	(
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

/// Runs and expects failure with `needle` in stderr, and no panic.
fn fails(args: &[&str], needle: &str) {
	let out = run(args);
	let (_, err) = text(&out);
	assert!(!out.status.success(), "{args:?} succeeded");
	assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
	assert!(err.contains(needle), "{args:?}: stderr does not mention `{needle}`:\n{err}");
}

fn ok(args: &[&str]) -> String {
	let out = run(args);
	let (stdout, err) = text(&out);
	assert!(out.status.success(), "{args:?} failed:\n{err}");
	stdout
}

fn s(p: &Path) -> &str {
	p.to_str().expect("UTF-8 temp path; qed")
}

fn is_png(p: &Path) -> bool {
	std::fs::read(p).map(|b| b.len() > 1_000 && &b[1..4] == b"PNG").unwrap_or(false)
}

#[test]
fn small_pipeline_end_to_end() {
	let dir = temp_dir("e2e");
	let csv = dir.join("records.csv");
	let out = ok(&["simulate", "--out", s(&csv), "--sws", "150", "--cycles", "8", "--seed", "3"]);
	assert!(out.contains("records"), "{out}");
	let train_dir = dir.join("train");
	let out = ok(&[
		"train",
		"--data",
		s(&csv),
		"--out-dir",
		s(&train_dir),
		"--epochs",
		"2",
		"--window",
		"4",
		"--folds",
		"2",
		"--sweep",
		"0.001,0.05",
		"--sweep-folds",
		"2",
		"--benchmark",
	]);
	assert!(out.contains("FNN") && out.contains("RNN") && out.contains("CNN"), "{out}");
	for f in ["fnn.json", "table4.md", "kfold.md", "lr_sweep.md", "benchmark.md"] {
		assert!(train_dir.join(f).exists(), "{f} missing");
	}
	assert!(is_png(&train_dir.join("fig7_lr_sweep.png")));
	let table4 = std::fs::read_to_string(train_dir.join("table4.md")).expect("written; qed");
	assert!(table4.contains("| FNN |") && table4.contains("| RNN (GRU) |"), "{table4}");

	let blob = dir.join("fnn.blob");
	let out = ok(&[
		"export",
		"--model",
		s(&train_dir.join("fnn.json")),
		"--out",
		s(&blob),
		"--check",
		s(&csv),
	]);
	assert!(out.contains("max |diff|"), "{out}");
	assert!(std::fs::metadata(&blob).map(|m| m.len()).unwrap_or(0) > 1_000);

	let eval_dir = dir.join("eval");
	let out = ok(&[
		"evaluate",
		"--model",
		s(&blob),
		"--out-dir",
		s(&eval_dir),
		"--sws",
		"150",
		"--cycles",
		"3",
		"--runs",
		"2",
		"--shares",
		"0.5",
	]);
	assert!(out.contains("detection"), "{out}");
	for f in [
		"fig8_detection_rate.png",
		"fig9_false_alarm_rate.png",
		"fig10_leakage_behaviours.png",
		"fig11_leakage_probability.png",
	] {
		assert!(is_png(&eval_dir.join(f)), "{f}");
	}
	let cycles = std::fs::read_to_string(eval_dir.join("cycles.md")).expect("written; qed");
	assert_eq!(cycles.matches("\n| 3 |").count(), 2, "{cycles}");
}

#[test]
fn bad_input_gives_a_clear_error_and_no_panic() {
	let dir = temp_dir("bad");
	let missing = dir.join("missing.csv");
	// Paths.
	fails(
		&["simulate", "--out", s(&dir.join("no/such/dir/x.csv")), "--sws", "20", "--cycles", "1"],
		"no/such/dir/x.csv",
	);
	fails(&["train", "--data", s(&missing), "--out-dir", s(&dir)], "missing.csv");
	fails(
		&["export", "--model", s(&dir.join("none.json")), "--out", s(&dir.join("x.blob"))],
		"none.json",
	);
	fails(&["evaluate", "--model", s(&dir), "--out-dir", s(&dir)], s(&dir));
	// Settings.
	fails(&["simulate", "--out", s(&dir.join("x.csv")), "--dishonest", "1.5"], "dishonest share");
	fails(&["simulate", "--out", s(&dir.join("x.csv")), "--cycles", "0"], "cycles");

	// Malformed CSV.
	let good = dir.join("good.csv");
	ok(&["simulate", "--out", s(&good), "--sws", "60", "--cycles", "2"]);
	let text = std::fs::read_to_string(&good).expect("written; qed");
	let lines: Vec<&str> = text.lines().collect();
	let write = |name: &str, body: String| {
		let p = dir.join(name);
		std::fs::write(&p, body).expect("writable; qed");
		p
	};
	let header = write("header.csv", format!("a,b\n{}\n", lines[1]));
	fails(&["train", "--data", s(&header), "--out-dir", s(&dir)], "line 1");
	let bad_value = write(
		"value.csv",
		format!("{}\n{}\n{}\n", lines[0], lines[1], lines[2].replacen(',', ",x", 1)),
	);
	fails(&["train", "--data", s(&bad_value), "--out-dir", s(&dir)], "line 3");
	let truncated = write(
		"truncated.csv",
		format!("{}\n{}\n{}", lines[0], lines[1], &lines[2][..lines[2].len() / 2]),
	);
	fails(&["train", "--data", s(&truncated), "--out-dir", s(&dir)], "line 3");
	let empty = write("empty.csv", String::new());
	fails(&["train", "--data", s(&empty), "--out-dir", s(&dir)], "empty");
	let only_header = write("header-only.csv", format!("{}\n", lines[0]));
	fails(&["train", "--data", s(&only_header), "--out-dir", s(&dir)], "no records");
	fails(
		&["export", "--model", s(&good), "--out", s(&dir.join("x.blob"))],
		"not a valid endo-ml FNN file",
	);
	fails(
		&[
			"train",
			"--data",
			s(&good),
			"--out-dir",
			s(&dir),
			"--lr",
			"0",
			"--no-sweep",
			"--folds",
			"0",
		],
		"learning rate",
	);
	fails(
		&["train", "--data", s(&good), "--out-dir", s(&dir), "--test-share", "1", "--no-sweep"],
		"test share",
	);
	fails(
		&["train", "--data", s(&good), "--out-dir", s(&dir), "--sweep", "0.01,-1"],
		"learning rate",
	);
	fails(&["train", "--data", s(&good), "--out-dir", s(&dir), "--window", "0"], "window");
	// SW ids up to u32::MAX are valid and cost no memory.
	let big_id = write("big-id.csv", text.replacen("\n0,", "\n4294967295,", 1));
	ok(&[
		"train",
		"--data",
		s(&big_id),
		"--out-dir",
		s(&dir.join("big")),
		"--models",
		"fnn",
		"--epochs",
		"1",
		"--folds",
		"0",
		"--no-sweep",
	]);

	// Malformed weight blobs.
	let garbage = write("garbage.blob", "definitely not SCALE".into());
	fails(&["evaluate", "--model", s(&garbage), "--out-dir", s(&dir)], "garbage.blob");
	let empty_blob = write("empty.blob", String::new());
	fails(&["evaluate", "--model", s(&empty_blob), "--out-dir", s(&dir)], "weight blob");
	let p = dir.join("huge.blob");
	std::fs::write(&p, vec![1u8; 40_000]).expect("writable; qed");
	fails(&["evaluate", "--model", s(&p), "--out-dir", s(&dir)], "larger");
	// A valid blob of the wrong shape (one layer 2 -> 1) is refused too.
	let p = dir.join("shape.blob");
	let mut shape = vec![1u8, 0, 4, 2, 1, 0, 8];
	shape.extend([0u8; 16]);
	shape.extend([4u8]);
	shape.extend([0u8; 8]);
	std::fs::write(&p, shape).expect("writable; qed");
	fails(&["evaluate", "--model", s(&p), "--out-dir", s(&dir)], "shape.blob");

	// Unknown command or flag: clap's usage error, exit code 2.
	let out = run(&["frobnicate"]);
	assert_eq!(out.status.code(), Some(2));
}

#[test]
fn traceability_writes_its_tables_and_plots() {
	let dir = temp_dir("trace");
	let out =
		ok(&["traceability", "--runs", "2", "--deliveries", "50", "--seed", "9", "--out", s(&dir)]);
	assert!(out.contains("k  1024 m 4"), "{out}");
	let csv = std::fs::read_to_string(dir.join("traceability.csv")).expect("written; qed");
	assert_eq!(csv.lines().count(), 21, "{csv}");
	assert!(dir.join("traceability-leaks.csv").exists());
	let md = std::fs::read_to_string(dir.join("traceability.md")).expect("written; qed");
	assert!(md.contains("--runs 2 --deliveries 50 --seed 9"), "{md}");
	assert!(is_png(&dir.join("traceability_delay.png")));
	assert!(is_png(&dir.join("traceability_traced.png")));
	fails(&["traceability", "--runs", "0", "--out", s(&dir)], "runs");
	fails(&["traceability", "--deliveries", "0", "--out", s(&dir)], "deliveries");
	let file = dir.join("a-file");
	std::fs::write(&file, "x").expect("writable; qed");
	fails(
		&["traceability", "--runs", "1", "--deliveries", "5", "--out", s(&file.join("sub"))],
		"a-file",
	);
}
