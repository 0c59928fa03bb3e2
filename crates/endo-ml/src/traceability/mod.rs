//! Traceability delay of the tracing marks (UIV-TSP, paper 002, sec. 4.2, Fig. 12): how long
//! the tracer takes to name the SW a leaked plaintext was delivered to, for access credentials
//! of k bits embedded m times.
//!
//! The paper: "We run 200 rounds of experiments and obtain their average traceability delay
//! ... We define k as the length of access credential ... with the increase of k and the
//! embedded times of access credential, the traceability delay grows", with m from 1 to 4. Its
//! figure compares UIV-TSP with ADS and CROT; its numbers are not in the text, and this module
//! measures only our implementation.
//!
//! # One round, for a credential length `k` and an embedding count `m`
//!
//! 1. A seeded vulnerability report ([`vulnerability_report`]: Markdown prose, hard-wrapped at
//!    76 columns, and a fenced Python proof of concept; about [`REPORT_BYTES`]).
//! 2. A delivery drawn uniformly from the `deliveries` of the index: its credential is its
//!    tracing token `tracing_token(access_token(vul_meta, SW, nonce), host)` (`endo_uiv::token`),
//!    taken to `k / 8` bytes ([`credential`]: k = 256 is the token itself; shorter ones are
//!    truncated; longer ones are extended with SHA-256 in counter mode). Our real mark
//!    (`endo_uiv::watermark::Mark`) is 41 bytes (version, case, 256-bit token), 328 bits: between
//!    the k = 256 and k = 512 points.
//! 3. **Embedding** (timed, the TA's cost): `watermark::embed_bytes(report, credential, m)`.
//! 4. A **leak transformation** drawn uniformly from the configured [`Leak`]s: as is, CRLF line
//!    endings, re-wrapped to [`WRAP_COLUMNS`] columns, whitespace collapsed to single spaces,
//!    or an excerpt of `1/m` of the marked text plus a margin ([`excerpt_len`]).
//! 5. **Tracing** (timed, the traceability delay): `watermark::extract_bytes(text, k / 8)`, the
//!    SHA-256 commitment of every credential found (`H(COMMITMENT, credential)`, the chain's
//!    `Traces` key; for k = 256 exactly `endo_uiv::token::commitment`), and a lookup of each in
//!    a `HashMap` of the `deliveries` commitments; once on the whole marked copy (all m copies
//!    in it: the paper's setting, the Fig. 12 layout) and once on the leaked copy of step 4.
//!    The round is *traced* when a commitment found in the leaked copy names the delivery of
//!    step 2; a commitment naming another delivery is a misattribution.
//!
//! Each (k, m) point first runs [`WARMUP_ROUNDS`] untimed rounds (from another random stream,
//! so the warm-up does not change the measured rounds). Everything is single-threaded and
//! timed with `std::time::Instant`. The random draws of point (k, m) come from one ChaCha8
//! stream of the seed, so a seed gives the same reports, deliveries, transformations and
//! traced fractions; only the times vary between runs.

use std::collections::HashMap;
use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use endo_uiv::hash::{tagged, tags, Sha256};
use endo_uiv::token::{access_token, tracing_token};
use endo_uiv::watermark;
use indicatif::ProgressBar;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::pipeline::Bars;
use crate::plot::{self, Chart, Series};
use crate::report::table;
use crate::{Error, Result};

mod corpus;
mod output;

use corpus::pick;
pub use corpus::vulnerability_report;
pub use output::{
	markdown, plots, traceability, write_csv, TraceReport, CSV_HEADER, LEAKS_CSV_HEADER,
};

/// Credential lengths k, in bits (payloads of k / 8 bytes).
pub const CREDENTIAL_BITS: [usize; 5] = [64, 128, 256, 512, 1024];
/// Embedding counts m.
pub const EMBEDDINGS: [u8; 4] = [1, 2, 3, 4];
/// The generated report's approximate size in bytes.
pub const REPORT_BYTES: usize = 8 * 1024;
/// Untimed rounds before each point's measured rounds.
pub const WARMUP_ROUNDS: u32 = 20;
/// The width of the re-wrapping leak transformation.
pub const WRAP_COLUMNS: usize = 60;
/// The width the generated report's prose is hard-wrapped to.
pub const REPORT_COLUMNS: usize = 76;
/// The tag of the counter-mode extension of a credential beyond 256 bits.
const CREDENTIAL_EXTENSION: &[u8] = b"endochain/bench/credential-extension/v1";

/// A leak transformation: what happens to the plaintext between the SW and where it surfaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Leak {
	/// Copied as it is.
	AsIs,
	/// LF line endings turned into CRLF.
	Crlf,
	/// Every word re-flowed to [`WRAP_COLUMNS`] visible columns (code included).
	Rewrap,
	/// Every run of whitespace collapsed to one space (one long line).
	Collapse,
	/// A contiguous excerpt of [`excerpt_len`] bytes at a random place.
	Excerpt,
}

impl Leak {
	/// All transformations, in table order.
	pub const ALL: [Leak; 5] =
		[Leak::AsIs, Leak::Crlf, Leak::Rewrap, Leak::Collapse, Leak::Excerpt];

	/// The name in the CSV and the tables.
	pub fn name(self) -> &'static str {
		match self {
			Leak::AsIs => "as_is",
			Leak::Crlf => "crlf",
			Leak::Rewrap => "rewrap60",
			Leak::Collapse => "collapsed",
			Leak::Excerpt => "excerpt",
		}
	}

	/// Parses [`Leak::name`].
	pub fn from_name(name: &str) -> Option<Leak> {
		Leak::ALL.into_iter().find(|l| l.name() == name)
	}

	/// Applies the transformation to `marked`, which holds `copies` copies of a payload of
	/// `payload_len` bytes (the excerpt's length depends on both).
	pub fn apply(self, marked: &str, copies: u8, payload_len: usize, rng: &mut impl Rng) -> String {
		match self {
			Leak::AsIs => marked.to_string(),
			Leak::Crlf => marked.replace('\n', "\r\n"),
			Leak::Rewrap => rewrap(marked, WRAP_COLUMNS),
			Leak::Collapse => marked.split_whitespace().collect::<Vec<_>>().join(" "),
			Leak::Excerpt => {
				let len = excerpt_len(marked.len(), copies, payload_len);
				let last = marked.len().saturating_sub(len);
				let from = rng.gen_range(0..=last);
				let from = (from..=marked.len()).find(|&i| marked.is_char_boundary(i));
				let from = from.unwrap_or(marked.len());
				let to = (from.saturating_add(len)..=marked.len())
					.find(|&i| marked.is_char_boundary(i))
					.unwrap_or(marked.len());
				marked.get(from..to).unwrap_or_default().to_string()
			}
		}
	}
}

/// The bytes of one embedded copy of a payload of `payload_len` bytes: 4 symbols of 3 UTF-8
/// bytes for each byte of the payload and of its 4 check bytes.
pub fn run_bytes(payload_len: usize) -> usize {
	(payload_len + watermark::CHECK_LEN) * 12
}

/// The excerpt's length for a marked text of `len` bytes with `copies` copies: `len / copies`
/// plus a margin of one copy and 5 % of the text (the copies sit in the middle of `copies`
/// equal slices of the prose, which the code block makes unequal slices of the bytes).
pub fn excerpt_len(len: usize, copies: u8, payload_len: usize) -> usize {
	let copies = usize::from(copies.max(1));
	(len / copies + len / 20 + run_bytes(payload_len)).min(len)
}

/// `text` re-flowed: words (split at whitespace) joined by single spaces into lines of at most
/// `width` visible characters (the zero-width symbols do not count), as a mail client does.
pub fn rewrap(text: &str, width: usize) -> String {
	let mut out = String::with_capacity(text.len());
	let mut col = 0;
	for word in text.split_whitespace() {
		let len = word.chars().filter(|c| !watermark::is_symbol(*c)).count();
		if col > 0 && col + 1 + len > width {
			out.push('\n');
			col = 0;
		} else if col > 0 {
			out.push(' ');
			col += 1;
		}
		out.push_str(word);
		col += len;
	}
	out.push('\n');
	out
}

/// The measurement's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceConfig {
	/// Measured rounds per (k, m) point (the paper: 200).
	pub runs: u32,
	/// Deliveries in the tracer's index.
	pub deliveries: usize,
	/// Seed of every random draw.
	pub seed: u64,
	/// Approximate size of the generated reports, in bytes.
	pub report_bytes: usize,
	/// Untimed rounds per point before the measured ones.
	pub warmup: u32,
	/// The leak transformations drawn from (uniformly).
	pub leaks: Vec<Leak>,
}

impl Default for TraceConfig {
	fn default() -> Self {
		TraceConfig {
			runs: 200,
			deliveries: 10_000,
			seed: 1,
			report_bytes: REPORT_BYTES,
			warmup: WARMUP_ROUNDS,
			leaks: Leak::ALL.to_vec(),
		}
	}
}

impl TraceConfig {
	fn validate(&self) -> Result<()> {
		if !(1..=1_000_000).contains(&self.runs) {
			return Err(Error::Config(format!("runs must be in 1..=1000000, got {}", self.runs)));
		}
		if !(1..=10_000_000).contains(&self.deliveries) {
			return Err(Error::Config(format!(
				"deliveries must be in 1..=10000000, got {}",
				self.deliveries
			)));
		}
		if !(1_024..=1_048_576).contains(&self.report_bytes) {
			return Err(Error::Config(format!(
				"report bytes must be in 1024..=1048576, got {}",
				self.report_bytes
			)));
		}
		if self.leaks.is_empty() {
			return Err(Error::Config("no leak transformation to draw from".into()));
		}
		Ok(())
	}
}

/// Rounds and traced rounds of one leak transformation at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeakCount {
	/// Rounds that drew this transformation.
	pub rounds: u32,
	/// Of those, rounds traced to the right delivery.
	pub traced: u32,
}

/// The results of one (k, m) point.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
	/// Credential length in bits.
	pub k_bits: usize,
	/// Embedding count.
	pub embeddings: u8,
	/// Measured rounds.
	pub rounds: u32,
	/// Mean size of the generated reports, bytes.
	pub report_bytes_mean: f64,
	/// Mean size of the marked reports, bytes.
	pub marked_bytes_mean: f64,
	/// The TA's embedding time per round, µs.
	pub embed_us: Vec<f64>,
	/// The traceability delay on the whole marked copy (before the leak transformation), µs.
	pub full_trace_us: Vec<f64>,
	/// Rounds whose whole marked copy traced to exactly the right delivery.
	pub full_traced: u32,
	/// The extraction part of the traceability delay per round, µs.
	pub extract_us: Vec<f64>,
	/// The traceability delay per round (extraction, commitments, lookups), µs.
	pub trace_us: Vec<f64>,
	/// Rounds traced to the right delivery.
	pub traced: u32,
	/// Rounds where a commitment found named another delivery.
	pub misattributed: u32,
	/// Per transformation, in [`Leak::ALL`] order.
	pub by_leak: [LeakCount; 5],
}

impl Point {
	/// The credential's bytes.
	pub fn payload_bytes(&self) -> usize {
		self.k_bits / 8
	}

	/// Share of rounds traced to the right delivery.
	pub fn traced_fraction(&self) -> f64 {
		f64::from(self.traced) / f64::from(self.rounds.max(1))
	}
}

/// Mean of `xs` (NaN for none).
pub fn mean(xs: &[f64]) -> f64 {
	if xs.is_empty() {
		return f64::NAN;
	}
	xs.iter().sum::<f64>() / xs.len() as f64
}

/// The 95th percentile of `xs`, nearest rank (NaN for none).
pub fn p95(xs: &[f64]) -> f64 {
	let mut sorted = xs.to_vec();
	sorted.sort_by(f64::total_cmp);
	let rank = (sorted.len() as f64 * 0.95).ceil() as usize;
	sorted.get(rank.saturating_sub(1)).copied().unwrap_or(f64::NAN)
}

// ------------------------------------------------------------------------------------------
// credentials and the index

/// The credential of `k_bits` bits from a 256-bit tracing token: the token itself for 256, its
/// first `k / 8` bytes below, and `token || H(EXT, token, 1) || H(EXT, token, 2) ...` above.
pub fn credential(tracing: &[u8; 32], k_bits: usize) -> Vec<u8> {
	let len = k_bits / 8;
	let mut out = Vec::with_capacity(len.max(32));
	out.extend_from_slice(tracing);
	let mut block = 1u32;
	while out.len() < len {
		out.extend_from_slice(&tagged::<Sha256>(
			CREDENTIAL_EXTENSION,
			&[tracing, &block.to_le_bytes()],
		));
		block += 1;
	}
	out.truncate(len);
	out
}

/// The commitment the chain indexes a delivery by: `H(COMMITMENT, credential)`, which is
/// `endo_uiv::token::commitment` for a 256-bit credential.
pub fn credential_commitment(credential: &[u8]) -> [u8; 32] {
	tagged::<Sha256>(tags::COMMITMENT, &[credential])
}

/// The tracing tokens of `n` deliveries: per delivery a case's meta hash (50 deliveries a case),
/// a random SW account, nonce and host fingerprint, hashed as the TA does.
pub fn tracing_tokens(n: usize, rng: &mut impl RngCore) -> Vec<[u8; 32]> {
	let mut meta = [0u8; 32];
	(0..n)
		.map(|i| {
			if i % 50 == 0 {
				rng.fill_bytes(&mut meta);
			}
			let mut sw = [0u8; 32];
			let mut nonce = [0u8; 32];
			let mut host = [0u8; 32];
			rng.fill_bytes(&mut sw);
			rng.fill_bytes(&mut nonce);
			rng.fill_bytes(&mut host);
			*tracing_token(&access_token(&meta, &sw, &nonce), &host).as_bytes()
		})
		.collect()
}

/// The deliveries' credentials of `k_bits` and the tracer's index from commitment to delivery.
fn index(tokens: &[[u8; 32]], k_bits: usize) -> (Vec<Vec<u8>>, HashMap<[u8; 32], u32>) {
	let credentials: Vec<Vec<u8>> = tokens.iter().map(|t| credential(t, k_bits)).collect();
	let index = credentials
		.iter()
		.enumerate()
		.map(|(i, c)| (credential_commitment(c), u32::try_from(i).unwrap_or(u32::MAX)))
		.collect();
	(credentials, index)
}

// ------------------------------------------------------------------------------------------
// the report generator
/// The random stream of point (k, m) for `purpose` (0: measured rounds, 1: warm-up).
fn stream(seed: u64, k_bits: usize, m: u8, purpose: u64) -> ChaCha8Rng {
	let mut rng = ChaCha8Rng::seed_from_u64(seed);
	rng.set_stream(((k_bits as u64) << 16) | (u64::from(m) << 8) | purpose);
	rng
}

/// What one round measured.
struct Round {
	report_bytes: usize,
	marked_bytes: usize,
	leak: Leak,
	embed_us: f64,
	full_trace_us: f64,
	full_traced: bool,
	extract_us: f64,
	trace_us: f64,
	traced: bool,
	misattributed: bool,
}

/// The tracer: the delivery indices the credentials of `payload_len` bytes in `text` name, and
/// the times (µs) of the extraction and of the whole (extraction, commitments, lookups).
fn trace(text: &str, payload_len: usize, index: &HashMap<[u8; 32], u32>) -> (Vec<u32>, f64, f64) {
	let t0 = Instant::now();
	let found = watermark::extract_bytes(black_box(text), payload_len);
	let t1 = Instant::now();
	let hits: Vec<u32> =
		found.iter().filter_map(|c| index.get(&credential_commitment(c)).copied()).collect();
	let t2 = Instant::now();
	(black_box(hits), micros(t0, t1), micros(t0, t2))
}

fn micros(from: Instant, to: Instant) -> f64 {
	to.duration_since(from).as_secs_f64() * 1e6
}

/// One round (see the module docs).
fn round(
	rng: &mut ChaCha8Rng,
	config: &TraceConfig,
	credentials: &[Vec<u8>],
	index: &HashMap<[u8; 32], u32>,
	k_bits: usize,
	m: u8,
	whole_first: bool,
) -> Result<Round> {
	let report = vulnerability_report(rng, config.report_bytes);
	let leaker = rng.gen_range(0..credentials.len());
	let payload = credentials
		.get(leaker)
		.ok_or_else(|| Error::NotEnoughData("no delivery to trace".into()))?;
	let leak = pick(rng, &config.leaks);
	let payload_len = k_bits / 8;

	let t0 = Instant::now();
	let marked = watermark::embed_bytes(black_box(&report), black_box(payload), m);
	let t1 = Instant::now();
	let marked =
		marked.map_err(|e| Error::Config(format!("embedding a {k_bits}-bit credential: {e:?}")))?;
	let leaked = leak.apply(&marked, m, payload_len, rng);
	let leaker = u32::try_from(leaker).unwrap_or(u32::MAX);

	// The whole marked copy (all m copies in it, the paper's setting) and the leaked one, in
	// alternating order, so that neither always runs on the caches the other warmed.
	let (whole, leak_trace) = if whole_first {
		let whole = trace(&marked, payload_len, index);
		(whole, trace(&leaked, payload_len, index))
	} else {
		let leak_trace = trace(&leaked, payload_len, index);
		(trace(&marked, payload_len, index), leak_trace)
	};
	let ((full_hits, _, full_trace_us), (hits, extract_us, trace_us)) = (whole, leak_trace);
	Ok(Round {
		report_bytes: report.len(),
		marked_bytes: marked.len(),
		leak,
		embed_us: micros(t0, t1),
		full_trace_us,
		full_traced: full_hits == [leaker],
		extract_us,
		trace_us,
		traced: hits.contains(&leaker),
		misattributed: hits.iter().any(|&h| h != leaker),
	})
}

/// Measures every (k, m) point ([`CREDENTIAL_BITS`] × [`EMBEDDINGS`]), advancing `bar` by one
/// for every measured round.
pub fn measure(config: &TraceConfig, bar: &ProgressBar) -> Result<Vec<Point>> {
	config.validate()?;
	let points = CREDENTIAL_BITS.len() * EMBEDDINGS.len();
	bar.set_length(points as u64 * u64::from(config.runs));
	let mut tokens_rng = ChaCha8Rng::seed_from_u64(config.seed);
	tokens_rng.set_stream(u64::MAX);
	let tokens = tracing_tokens(config.deliveries, &mut tokens_rng);
	let mut out = Vec::with_capacity(points);
	for k_bits in CREDENTIAL_BITS {
		let (credentials, index) = index(&tokens, k_bits);
		if index.len() != credentials.len() {
			return Err(Error::Config(format!(
				"two of the {} deliveries share a {k_bits}-bit credential",
				credentials.len()
			)));
		}
		for m in EMBEDDINGS {
			let mut warm = stream(config.seed, k_bits, m, 1);
			for i in 0..config.warmup {
				round(&mut warm, config, &credentials, &index, k_bits, m, i % 2 == 0)?;
			}
			let mut rng = stream(config.seed, k_bits, m, 0);
			let mut point = Point {
				k_bits,
				embeddings: m,
				rounds: config.runs,
				report_bytes_mean: 0.0,
				marked_bytes_mean: 0.0,
				embed_us: Vec::with_capacity(config.runs as usize),
				full_trace_us: Vec::with_capacity(config.runs as usize),
				full_traced: 0,
				extract_us: Vec::with_capacity(config.runs as usize),
				trace_us: Vec::with_capacity(config.runs as usize),
				traced: 0,
				misattributed: 0,
				by_leak: [LeakCount::default(); 5],
			};
			let (mut report_bytes, mut marked_bytes) = (0usize, 0usize);
			for i in 0..config.runs {
				let r = round(&mut rng, config, &credentials, &index, k_bits, m, i % 2 == 0)?;
				report_bytes += r.report_bytes;
				marked_bytes += r.marked_bytes;
				point.embed_us.push(r.embed_us);
				point.full_trace_us.push(r.full_trace_us);
				point.full_traced += u32::from(r.full_traced);
				point.extract_us.push(r.extract_us);
				point.trace_us.push(r.trace_us);
				point.traced += u32::from(r.traced);
				point.misattributed += u32::from(r.misattributed);
				if let Some(slot) = Leak::ALL
					.iter()
					.position(|l| *l == r.leak)
					.and_then(|i| point.by_leak.get_mut(i))
				{
					slot.rounds += 1;
					slot.traced += u32::from(r.traced);
				}
				bar.inc(1);
			}
			point.report_bytes_mean = report_bytes as f64 / f64::from(config.runs);
			point.marked_bytes_mean = marked_bytes as f64 / f64::from(config.runs);
			out.push(point);
		}
	}
	bar.finish();
	Ok(out)
}

// ------------------------------------------------------------------------------------------
// outputs
#[cfg(test)]
mod tests {
	use super::*;
	use crate::pipeline::hidden;

	fn small(seed: u64, leaks: Vec<Leak>) -> TraceConfig {
		TraceConfig { runs: 6, deliveries: 300, seed, warmup: 1, leaks, ..TraceConfig::default() }
	}

	fn temp_dir(name: &str) -> std::path::PathBuf {
		let dir = std::env::temp_dir().join(format!("endo-ml-trace-{}-{name}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		dir
	}

	#[test]
	fn every_point_traces_an_unchanged_copy() {
		let points = measure(&small(3, vec![Leak::AsIs]), &ProgressBar::hidden()).unwrap();
		assert_eq!(points.len(), CREDENTIAL_BITS.len() * EMBEDDINGS.len());
		for p in &points {
			assert_eq!(p.traced, p.rounds, "k {} m {}", p.k_bits, p.embeddings);
			assert_eq!(p.full_traced, p.rounds);
			assert_eq!(p.misattributed, 0);
			assert_eq!(p.by_leak[0], LeakCount { rounds: p.rounds, traced: p.rounds });
			assert_eq!(p.full_trace_us.len(), p.rounds as usize);
			assert_eq!(p.trace_us.len(), p.rounds as usize);
			assert!(p.trace_us.iter().all(|t| t.is_finite() && *t >= 0.0));
			// Every copy made it into the text: m runs of the payload's length.
			let added = p.marked_bytes_mean - p.report_bytes_mean;
			let expected = (usize::from(p.embeddings) * run_bytes(p.payload_bytes())) as f64;
			assert!((added - expected).abs() < 1e-9, "{added} vs {expected}");
		}
	}

	#[test]
	fn lossless_transformations_trace_every_round() {
		let leaks = vec![Leak::AsIs, Leak::Crlf, Leak::Rewrap, Leak::Collapse];
		for p in measure(&small(4, leaks), &ProgressBar::hidden()).unwrap() {
			assert_eq!(p.traced, p.rounds, "k {} m {}", p.k_bits, p.embeddings);
			assert_eq!(p.by_leak[4].rounds, 0);
		}
	}

	#[test]
	fn a_seed_gives_the_same_traced_fractions() {
		let config = small(11, Leak::ALL.to_vec());
		let a = measure(&config, &ProgressBar::hidden()).unwrap();
		let b = measure(&config, &ProgressBar::hidden()).unwrap();
		let key = |ps: &[Point]| -> Vec<_> {
			ps.iter()
				.map(|p| {
					(
						p.k_bits,
						p.embeddings,
						p.traced,
						p.full_traced,
						p.by_leak,
						p.marked_bytes_mean,
					)
				})
				.collect()
		};
		assert_eq!(key(&a), key(&b));
		// Fewer warm-up rounds draw from another stream: the measured rounds stay the same.
		let c = measure(&TraceConfig { warmup: 0, ..config }, &ProgressBar::hidden()).unwrap();
		assert_eq!(key(&a), key(&c));
	}

	#[test]
	fn writes_the_csv_table_and_plots() {
		let dir = temp_dir("out");
		let config = small(5, Leak::ALL.to_vec());
		let report = traceability(&config, &dir, &hidden).unwrap();
		let csv = std::fs::read_to_string(dir.join("traceability.csv")).unwrap();
		let lines: Vec<&str> = csv.lines().collect();
		assert_eq!(lines[0], CSV_HEADER.join(","));
		assert_eq!(lines.len(), 1 + CREDENTIAL_BITS.len() * EMBEDDINGS.len());
		let mut expected = Vec::new();
		for k in CREDENTIAL_BITS {
			for m in EMBEDDINGS {
				expected.push(format!("{k},{},{m},{}", k / 8, config.runs));
			}
		}
		for (line, prefix) in lines[1..].iter().zip(&expected) {
			let cells: Vec<&str> = line.split(',').collect();
			assert_eq!(cells.len(), CSV_HEADER.len(), "{line}");
			assert_eq!(cells[..4].join(","), *prefix);
			let traced: u32 = cells[15].parse().unwrap();
			let fraction: f64 = cells[16].parse().unwrap();
			assert!((fraction - f64::from(traced) / f64::from(config.runs)).abs() < 1e-4);
			assert_eq!(cells[10].parse::<u32>().unwrap(), config.runs, "whole copies: {line}");
			for cell in &cells[4..15] {
				assert!(cell.parse::<f64>().unwrap() >= 0.0, "{line}");
			}
		}
		let leaks = std::fs::read_to_string(dir.join("traceability-leaks.csv")).unwrap();
		let rows: Vec<Vec<&str>> = leaks.lines().skip(1).map(|l| l.split(',').collect()).collect();
		assert_eq!(rows.len(), CREDENTIAL_BITS.len() * EMBEDDINGS.len() * Leak::ALL.len());
		for row in &rows {
			assert!(Leak::from_name(row[2]).is_some(), "{row:?}");
		}
		// Per point, the transformations' rounds add up to the point's rounds.
		for chunk in rows.chunks(Leak::ALL.len()) {
			let total: u32 = chunk.iter().map(|r| r[3].parse::<u32>().unwrap()).sum();
			assert_eq!(total, config.runs);
		}
		let md = std::fs::read_to_string(dir.join("traceability.md")).unwrap();
		assert_eq!(md, report.markdown);
		assert!(md.contains("| 1024 |") && md.contains("| m = 4 |"), "{md}");
		for png in ["traceability_delay.png", "traceability_traced.png"] {
			let bytes = std::fs::read(dir.join(png)).unwrap();
			assert!(bytes.len() > 1_000 && &bytes[1..4] == b"PNG", "{png}");
		}
	}

	#[test]
	fn credentials_and_commitments() {
		let token = [9u8; 32];
		assert_eq!(credential(&token, 256), token.to_vec());
		assert_eq!(credential(&token, 64), token[..8].to_vec());
		let long = credential(&token, 1024);
		assert_eq!(long.len(), 128);
		assert_eq!(long[..32], token);
		assert_eq!(credential(&token, 512)[..], long[..64]);
		assert_eq!(credential_commitment(&token), endo_uiv::token::commitment(&token));
		let mut rng = ChaCha8Rng::seed_from_u64(1);
		let tokens = tracing_tokens(100, &mut rng);
		let (credentials, index) = index(&tokens, 64);
		assert_eq!(index.len(), 100);
		assert_eq!(index.get(&credential_commitment(&credentials[42])), Some(&42));
	}

	#[test]
	fn the_report_looks_like_a_report() {
		let mut rng = ChaCha8Rng::seed_from_u64(2);
		let report = vulnerability_report(&mut rng, REPORT_BYTES);
		assert!(
			(REPORT_BYTES - 1_024..REPORT_BYTES + 1_024).contains(&report.len()),
			"{}",
			report.len()
		);
		assert_eq!(report.matches("```").count(), 2);
		assert!(report.contains("## Proof of concept") && report.contains("## Mitigation"));
		assert!(report.lines().all(|l| l.len() <= 130));
		assert!(watermark::room(&report) > 200);
		let again = vulnerability_report(&mut ChaCha8Rng::seed_from_u64(2), REPORT_BYTES);
		assert_eq!(report, again);
	}

	#[test]
	fn transformations() {
		let mut rng = ChaCha8Rng::seed_from_u64(7);
		let report = vulnerability_report(&mut rng, REPORT_BYTES);
		let payload = [0xa5u8; 16];
		let marked = watermark::embed_bytes(&report, &payload, 2).unwrap();
		assert_eq!(Leak::AsIs.apply(&marked, 2, 16, &mut rng), marked);
		assert!(Leak::Crlf.apply(&marked, 2, 16, &mut rng).contains("\r\n"));
		let wrapped = Leak::Rewrap.apply(&marked, 2, 16, &mut rng);
		assert!(wrapped
			.lines()
			.all(|l| l.chars().filter(|c| !watermark::is_symbol(*c)).count() <= WRAP_COLUMNS
				|| !l.contains(' ')));
		let collapsed = Leak::Collapse.apply(&marked, 2, 16, &mut rng);
		assert!(!collapsed.contains('\n') && !collapsed.contains("  "));
		for _ in 0..20 {
			let excerpt = Leak::Excerpt.apply(&marked, 2, 16, &mut rng);
			let len = excerpt_len(marked.len(), 2, 16);
			assert!((len - 2..len + 3).contains(&excerpt.len()) && marked.contains(&excerpt));
		}
		assert_eq!(excerpt_len(1_000, 1, 16), 1_000);
		for leak in Leak::ALL {
			assert_eq!(Leak::from_name(leak.name()), Some(leak));
		}
	}

	#[test]
	fn statistics() {
		let xs: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(mean(&xs), 50.5);
		assert_eq!(p95(&xs), 95.0);
		assert_eq!(p95(&[3.0]), 3.0);
		assert!(mean(&[]).is_nan() && p95(&[]).is_nan());
	}

	#[test]
	fn bad_settings_are_errors() {
		let hidden = ProgressBar::hidden();
		for config in [
			TraceConfig { runs: 0, ..TraceConfig::default() },
			TraceConfig { deliveries: 0, ..TraceConfig::default() },
			TraceConfig { report_bytes: 10, ..TraceConfig::default() },
			TraceConfig { leaks: Vec::new(), ..TraceConfig::default() },
		] {
			assert!(matches!(measure(&config, &hidden), Err(Error::Config(_))), "{config:?}");
		}
	}
}
