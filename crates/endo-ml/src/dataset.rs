//! Access records, their CSV form, splits by SW (hold-out and k-fold), normalisation, and the
//! flat tensors the models train on.
//!
//! # CSV format
//!
//! One header line, then one line per access record:
//!
//! ```text
//! sw,cycle,seq,kind,label,collaborators,collaborator_trust,...,repeat_partners
//! ```
//!
//! `sw` (SW id), `cycle`, `seq` (the SW's request number, from 0) are unsigned integers; `kind` is
//! one of `honest`, `semi_honest`, `dishonest`, `colluder`, `rational` (the simulator's ground
//! truth, kept for per-kind analysis, never a model input); `label` is 1 for malicious kinds and
//! 0 for benign ones (checked against `kind`); the 11 features follow in
//! [`FEATURES`](crate::features::FEATURES) order, as finite decimal numbers. A reader rejects
//! any other header, field count or value, naming the file and line.
//!
//! # Splits
//!
//! Records of one SW are strongly correlated (and the sequence models see an SW's previous
//! records), so every split is *by SW*: all records of an SW fall on the same side. The paper
//! (sec. 4.2) splits 70 % / 30 % and cross-validates; we do both, by SW.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::features::{names, Features, FEATURE_COUNT};
use crate::{Error, Result};

/// The kinds of security workers (UIV-TSP sec. 3.1, plus the collusion cliques and rational
/// conspirators of sec. 3.5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SwKind {
	/// Never leaks.
	Honest,
	/// Slips now and then (no external party); benign.
	SemiHonest,
	/// Leaks often, to its own external conspirators.
	Dishonest,
	/// Member of a colluding clique.
	Colluder,
	/// Rational conspirator: alternates sharing and leaking.
	Rational,
}

impl SwKind {
	/// All kinds, in CSV order.
	pub const ALL: [SwKind; 5] =
		[SwKind::Honest, SwKind::SemiHonest, SwKind::Dishonest, SwKind::Colluder, SwKind::Rational];

	/// The CSV name.
	pub fn name(self) -> &'static str {
		match self {
			SwKind::Honest => "honest",
			SwKind::SemiHonest => "semi_honest",
			SwKind::Dishonest => "dishonest",
			SwKind::Colluder => "colluder",
			SwKind::Rational => "rational",
		}
	}

	/// The kind with this CSV name.
	pub fn from_name(name: &str) -> Option<SwKind> {
		SwKind::ALL.into_iter().find(|k| k.name() == name)
	}

	/// Whether records of this kind are labelled malicious (1).
	pub fn is_malicious(self) -> bool {
		matches!(self, SwKind::Dishonest | SwKind::Colluder | SwKind::Rational)
	}
}

/// One access record: what the TA logged when an SW requested a uiv.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
	/// SW id.
	pub sw: u32,
	/// Cycle of the request.
	pub cycle: u32,
	/// The SW's request number (0 for its first request).
	pub seq: u32,
	/// The SW's kind (ground truth; not a model input).
	pub kind: SwKind,
	/// The 11 features.
	pub features: Features,
}

impl Record {
	/// 1 if the SW is malicious, 0 if benign.
	pub fn label(&self) -> u8 {
		self.kind.is_malicious() as u8
	}

	/// The trust target of the networks: 1 for benign, 0 for malicious (the FNN "produces the
	/// trust value of SW", sec. 3.5.1).
	pub fn trust_target(&self) -> f32 {
		1.0 - self.label() as f32
	}
}

/// The fixed columns before the features.
const LEADING: [&str; 5] = ["sw", "cycle", "seq", "kind", "label"];

/// The CSV header, as a list of column names.
pub fn csv_header() -> Vec<&'static str> {
	LEADING.iter().copied().chain(names()).collect()
}

/// A set of access records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
	/// The records, in simulation order.
	pub records: Vec<Record>,
}

/// Per-feature `(x - mean) / std` from a training set; exported into the weight blob.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalizer {
	/// Per-feature mean.
	pub mean: [f32; FEATURE_COUNT],
	/// Per-feature `1 / std` (1 where the feature is constant).
	pub inv_std: [f32; FEATURE_COUNT],
}

impl Normalizer {
	/// Normalises one feature vector.
	pub fn apply(&self, f: &Features) -> Features {
		let mut out = *f;
		for ((x, m), s) in out.iter_mut().zip(self.mean).zip(self.inv_std) {
			*x = (*x - m) * s;
		}
		out
	}
}

/// Records flattened for burn: `x` is `[n, window, 11]` row-major (normalised), `y` the trust
/// targets, `labels` the 0/1 labels, in the same order.
#[derive(Clone, Debug, Default)]
pub struct TensorSet {
	/// Inputs, `n * window * FEATURE_COUNT` values.
	pub x: Vec<f32>,
	/// Trust targets (1 benign, 0 malicious).
	pub y: Vec<f32>,
	/// Labels (1 malicious).
	pub labels: Vec<u8>,
	/// The record each sample ends with (index into the dataset it came from).
	pub record: Vec<usize>,
	/// Number of samples.
	pub n: usize,
	/// Records per sample (1 for the FNN).
	pub window: usize,
}

fn csv_err(path: &Path, line: u64, message: impl Into<String>) -> Error {
	Error::Csv { path: path.to_path_buf(), line, message: message.into() }
}

impl Dataset {
	/// Number of records.
	pub fn len(&self) -> usize {
		self.records.len()
	}

	/// Whether there are no records.
	pub fn is_empty(&self) -> bool {
		self.records.is_empty()
	}

	/// Share of records labelled malicious.
	pub fn malicious_share(&self) -> f64 {
		if self.records.is_empty() {
			return 0.0;
		}
		self.records.iter().filter(|r| r.label() == 1).count() as f64 / self.records.len() as f64
	}

	/// Number of records of each kind, in [`SwKind::ALL`] order.
	pub fn kind_counts(&self) -> [usize; 5] {
		let mut out = [0usize; 5];
		for r in &self.records {
			if let Some(i) = SwKind::ALL.iter().position(|k| *k == r.kind) {
				out[i] += 1;
			}
		}
		out
	}

	/// Writes the records as CSV (see the module docs).
	pub fn write_csv(&self, path: &Path) -> Result<()> {
		let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
		let mut out = std::io::BufWriter::new(file);
		let io = |e| Error::io(path, e);
		writeln!(out, "{}", csv_header().join(",")).map_err(io)?;
		for r in &self.records {
			write!(out, "{},{},{},{},{}", r.sw, r.cycle, r.seq, r.kind.name(), r.label())
				.map_err(io)?;
			for x in r.features {
				// `{}` on f32 prints the shortest decimal that reads back to the same f32.
				write!(out, ",{x}").map_err(io)?;
			}
			writeln!(out).map_err(io)?;
		}
		out.flush().map_err(io)
	}

	/// Reads a CSV written by [`Dataset::write_csv`], validating every line.
	pub fn read_csv(path: &Path) -> Result<Dataset> {
		let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
		let mut reader = csv::ReaderBuilder::new()
			.has_headers(false)
			.flexible(true)
			.from_reader(std::io::BufReader::new(file));
		let expected = csv_header();
		let mut records = Vec::new();
		let mut row = csv::StringRecord::new();
		let mut line = 0u64;
		let mut header_seen = false;
		loop {
			let more = reader.read_record(&mut row).map_err(|e| {
				let at = e.position().map_or(line + 1, |p| p.line());
				match e.into_kind() {
					csv::ErrorKind::Io(io) => Error::io(path, io),
					csv::ErrorKind::Utf8 { .. } => csv_err(path, at, "not valid UTF-8"),
					other => csv_err(path, at, format!("{other:?}")),
				}
			})?;
			if !more {
				break;
			}
			line = row.position().map_or(line + 1, |p| p.line());
			if !header_seen {
				let got: Vec<&str> = row.iter().collect();
				if got != expected {
					return Err(csv_err(
						path,
						line,
						format!(
							"header must be `{}`, found `{}`",
							expected.join(","),
							got.join(",")
						),
					));
				}
				header_seen = true;
				continue;
			}
			records.push(parse_row(&row).map_err(|m| csv_err(path, line, m))?);
		}
		if !header_seen {
			return Err(csv_err(path, 1, "empty file: no header"));
		}
		Ok(Dataset { records })
	}

	/// Splits by SW: a `test_share` of the SWs (shuffled with `seed`) and all their records go to
	/// the test side. Both sides must be non-empty.
	pub fn split_by_sw(&self, test_share: f64, seed: u64) -> Result<(Dataset, Dataset)> {
		if !(test_share > 0.0 && test_share < 1.0) {
			return Err(Error::Config(format!("test share must be in (0, 1), got {test_share}")));
		}
		let sws = self.shuffled_sws(seed);
		let n_test = ((sws.len() as f64) * test_share).round() as usize;
		let is_test = self.membership(&sws[..n_test.min(sws.len())]);
		let (test, train): (Vec<Record>, Vec<Record>) =
			self.records.iter().cloned().partition(|r| is_test.contains(&r.sw));
		if train.is_empty() || test.is_empty() {
			return Err(Error::NotEnoughData(format!(
				"a {test_share} split of {} SWs leaves one side empty",
				sws.len()
			)));
		}
		Ok((Dataset { records: train }, Dataset { records: test }))
	}

	/// `k` folds by SW: fold `i` tests on the `i`-th of `k` equal groups of shuffled SWs and
	/// trains on the rest.
	pub fn kfold_by_sw(&self, k: usize, seed: u64) -> Result<Vec<(Dataset, Dataset)>> {
		let sws = self.shuffled_sws(seed);
		if k < 2 || k > sws.len() {
			return Err(Error::Config(format!(
				"k-fold needs 2 <= k <= number of SWs ({}), got {k}",
				sws.len()
			)));
		}
		let mut folds = Vec::with_capacity(k);
		for i in 0..k {
			let lo = i * sws.len() / k;
			let hi = (i + 1) * sws.len() / k;
			let is_test = self.membership(&sws[lo..hi]);
			let (test, train): (Vec<Record>, Vec<Record>) =
				self.records.iter().cloned().partition(|r| is_test.contains(&r.sw));
			folds.push((Dataset { records: train }, Dataset { records: test }));
		}
		Ok(folds)
	}

	/// The first `max_sws` SWs (by id) and their records: a smaller data set with whole
	/// histories.
	pub fn subset_sws(&self, max_sws: usize) -> Dataset {
		let mut sws = self.sws();
		sws.truncate(max_sws);
		let keep = self.membership(&sws);
		Dataset { records: self.records.iter().filter(|r| keep.contains(&r.sw)).cloned().collect() }
	}

	fn sws(&self) -> Vec<u32> {
		let mut sws: Vec<u32> = self.records.iter().map(|r| r.sw).collect();
		sws.sort_unstable();
		sws.dedup();
		sws
	}

	fn shuffled_sws(&self, seed: u64) -> Vec<u32> {
		let mut sws = self.sws();
		sws.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
		sws
	}

	/// The set of `sws` (a set, not a dense table: SW ids in a CSV may be as large as `u32::MAX`).
	fn membership(&self, sws: &[u32]) -> BTreeSet<u32> {
		sws.iter().copied().collect()
	}

	/// Mean and `1 / std` of every feature over these records (std floored at 1e-3, so the
	/// scale stays within endo-trust's `|scale| <= 2^16`).
	pub fn normalizer(&self) -> Result<Normalizer> {
		if self.records.is_empty() {
			return Err(Error::NotEnoughData("normalisation of an empty data set".into()));
		}
		let n = self.records.len() as f64;
		let mut mean = [0f64; FEATURE_COUNT];
		for r in &self.records {
			for (m, x) in mean.iter_mut().zip(r.features) {
				*m += x as f64;
			}
		}
		mean.iter_mut().for_each(|m| *m /= n);
		let mut var = [0f64; FEATURE_COUNT];
		for r in &self.records {
			for ((v, m), x) in var.iter_mut().zip(mean).zip(r.features) {
				*v += (x as f64 - m).powi(2);
			}
		}
		let mut out = Normalizer { mean: [0.0; FEATURE_COUNT], inv_std: [1.0; FEATURE_COUNT] };
		for i in 0..FEATURE_COUNT {
			out.mean[i] = mean[i] as f32;
			let std = (var[i] / n).sqrt();
			out.inv_std[i] = if std < 1e-3 { 1.0 } else { (1.0 / std) as f32 };
		}
		Ok(out)
	}

	/// Samples of `window` consecutive records of one SW, each ending at one record: the
	/// window of record `r` holds the SW's `window - 1` records before `r` (left-padded with
	/// zeros, the normalised mean, when the SW has fewer) and `r`. Samples come in record order.
	pub fn tensors(&self, norm: &Normalizer, window: usize) -> Result<TensorSet> {
		if window == 0 || window > 256 {
			return Err(Error::Config(format!("window must be in 1..=256, got {window}")));
		}
		let n = self.records.len();
		// Previous record of the same SW, by (sw, seq).
		let mut order: Vec<usize> = (0..n).collect();
		order.sort_by_key(|i| (self.records[*i].sw, self.records[*i].seq));
		let mut prev: Vec<Option<usize>> = vec![None; n];
		for pair in order.windows(2) {
			if self.records[pair[0]].sw == self.records[pair[1]].sw {
				prev[pair[1]] = Some(pair[0]);
			}
		}
		let normed: Vec<Features> = self.records.iter().map(|r| norm.apply(&r.features)).collect();
		let mut x = vec![0f32; n * window * FEATURE_COUNT];
		for (i, sample) in x.chunks_exact_mut(window * FEATURE_COUNT).enumerate() {
			let mut at = Some(i);
			for slot in (0..window).rev() {
				let Some(r) = at else { break };
				sample[slot * FEATURE_COUNT..(slot + 1) * FEATURE_COUNT]
					.copy_from_slice(&normed[r]);
				at = prev[r];
			}
		}
		Ok(TensorSet {
			x,
			y: self.records.iter().map(Record::trust_target).collect(),
			labels: self.records.iter().map(Record::label).collect(),
			record: (0..n).collect(),
			n,
			window,
		})
	}
}

fn parse_row(row: &csv::StringRecord) -> std::result::Result<Record, String> {
	let expected = LEADING.len() + FEATURE_COUNT;
	if row.len() != expected {
		return Err(format!("expected {expected} fields, found {}", row.len()));
	}
	let field = |i: usize| row.get(i).unwrap_or("");
	let int = |i: usize| {
		field(i).trim().parse::<u32>().map_err(|_| {
			format!("`{}` must be an unsigned integer, found `{}`", LEADING[i], field(i))
		})
	};
	let sw = int(0)?;
	let cycle = int(1)?;
	let seq = int(2)?;
	let kind =
		SwKind::from_name(field(3).trim()).ok_or_else(|| format!("unknown kind `{}`", field(3)))?;
	let label = match field(4).trim() {
		"0" => 0u8,
		"1" => 1u8,
		other => return Err(format!("label must be 0 or 1, found `{other}`")),
	};
	if label != kind.is_malicious() as u8 {
		return Err(format!("label {label} contradicts kind `{}`", kind.name()));
	}
	let mut features = [0f32; FEATURE_COUNT];
	for (j, (f, name)) in features.iter_mut().zip(names()).enumerate() {
		let text = field(LEADING.len() + j).trim();
		let x: f32 = text.parse().map_err(|_| format!("`{name}` is not a number: `{text}`"))?;
		if !x.is_finite() {
			return Err(format!("`{name}` is not finite: `{text}`"));
		}
		*f = x;
	}
	Ok(Record { sw, cycle, seq, kind, features })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::sim::{OpenAccess, SimConfig, Simulator};

	pub(crate) fn tiny(seed: u64, cycles: u32) -> Dataset {
		let config = SimConfig { sws: 120, cases_per_cycle: 50, seed, ..SimConfig::default() };
		let mut sim = Simulator::new(config).expect("valid; qed");
		let mut records = Vec::new();
		for _ in 0..cycles {
			sim.run_cycle(&mut OpenAccess, Some(&mut records)).expect("open; qed");
		}
		Dataset { records }
	}

	fn temp(name: &str) -> std::path::PathBuf {
		let dir = std::env::temp_dir().join(format!("endo-ml-test-{}", std::process::id()));
		std::fs::create_dir_all(&dir).expect("temp dir; qed");
		dir.join(name)
	}

	#[test]
	fn csv_round_trip_is_exact() {
		let data = tiny(4, 3);
		let path = temp("round.csv");
		data.write_csv(&path).expect("writable; qed");
		let back = Dataset::read_csv(&path).expect("valid; qed");
		assert_eq!(back, data);
	}

	#[test]
	fn malformed_csv_names_file_and_line() {
		let data = tiny(4, 1);
		let path = temp("good.csv");
		data.write_csv(&path).expect("writable; qed");
		let good = std::fs::read_to_string(&path).expect("readable; qed");
		let lines: Vec<&str> = good.lines().collect();
		let check = |name: &str, text: String, line: u64, needle: &str| {
			let p = temp(name);
			std::fs::write(&p, text).expect("writable; qed");
			match Dataset::read_csv(&p) {
				Err(Error::Csv { line: l, message, .. }) => {
					assert_eq!(l, line, "{name}: {message}");
					assert!(message.contains(needle), "{name}: {message}");
				}
				other => panic!("{name}: expected a CSV error, got {other:?}"),
			}
		};
		check("empty.csv", String::new(), 1, "empty");
		check("header.csv", format!("a,b,c\n{}\n", lines[1]), 1, "header");
		let mut fields: Vec<String> = lines[1].split(',').map(String::from).collect();
		let with = |i: usize, v: &str| {
			let mut f = fields.clone();
			f[i] = v.to_string();
			format!("{}\n{}\n{}\n", lines[0], lines[1], f.join(","))
		};
		check("nan.csv", with(7, "NaN"), 3, "not finite");
		check("word.csv", with(8, "abc"), 3, "not a number");
		check("kind.csv", with(3, "martian"), 3, "unknown kind");
		check("label.csv", with(4, "2"), 3, "label");
		let wrong = if fields[4] == "0" { "1" } else { "0" };
		check("contradiction.csv", with(4, wrong), 3, "contradicts");
		check("sw.csv", with(0, "-3"), 3, "unsigned");
		fields.pop();
		check("short.csv", format!("{}\n{}\n", lines[0], fields.join(",")), 2, "fields");
		match Dataset::read_csv(&temp("does-not-exist.csv")) {
			Err(Error::Io { .. }) => {}
			other => panic!("expected an I/O error, got {other:?}"),
		}
		let p = temp("binary.csv");
		std::fs::write(&p, [0xffu8, 0xfe, 0x00, 0x41, b'\n']).expect("writable; qed");
		assert!(matches!(Dataset::read_csv(&p), Err(Error::Csv { .. })));
	}

	#[test]
	fn splits_keep_each_sw_on_one_side() {
		let data = tiny(9, 3);
		let (train, test) = data.split_by_sw(0.3, 1).expect("enough SWs; qed");
		assert_eq!(train.len() + test.len(), data.len());
		let sws = |d: &Dataset| d.sws();
		let (a, b) = (sws(&train), sws(&test));
		assert!(a.iter().all(|s| !b.contains(s)));
		let share = b.len() as f64 / (a.len() + b.len()) as f64;
		assert!((share - 0.3).abs() < 0.02, "{share}");
		let folds = data.kfold_by_sw(5, 2).expect("enough SWs; qed");
		let mut tested = Vec::new();
		for (tr, te) in &folds {
			assert_eq!(tr.len() + te.len(), data.len());
			let (a, b) = (sws(tr), sws(te));
			assert!(a.iter().all(|s| !b.contains(s)));
			tested.extend(b);
		}
		tested.sort_unstable();
		assert_eq!(tested, data.sws());
		assert!(data.split_by_sw(1.0, 1).is_err());
		assert!(data.kfold_by_sw(1, 1).is_err());
	}

	#[test]
	fn windows_hold_the_sws_previous_records() {
		let data = tiny(2, 3);
		let norm = data.normalizer().expect("non-empty; qed");
		let set = data.tensors(&norm, 3).expect("valid window; qed");
		assert_eq!(set.x.len(), data.len() * 3 * FEATURE_COUNT);
		let flat = data.tensors(&norm, 1).expect("valid window; qed");
		// The last slot of every window is the record itself.
		for i in 0..data.len() {
			let last = &set.x[(i * 3 + 2) * FEATURE_COUNT..(i * 3 + 3) * FEATURE_COUNT];
			assert_eq!(last, &flat.x[i * FEATURE_COUNT..(i + 1) * FEATURE_COUNT]);
			let r = &data.records[i];
			// The slot before is the SW's previous record, or zero padding.
			let before = &set.x[(i * 3 + 1) * FEATURE_COUNT..(i * 3 + 2) * FEATURE_COUNT];
			match data.records.iter().position(|q| q.sw == r.sw && q.seq + 1 == r.seq) {
				Some(p) => assert_eq!(before, &flat.x[p * FEATURE_COUNT..(p + 1) * FEATURE_COUNT]),
				None => assert!(before.iter().all(|x| *x == 0.0)),
			}
		}
		// Normalised training features have mean ~0.
		let mean0: f32 = flat.x.iter().step_by(FEATURE_COUNT).sum::<f32>() / data.len() as f32;
		assert!(mean0.abs() < 1e-3, "{mean0}");
	}
}
