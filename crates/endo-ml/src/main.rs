//! `endochain-trust`: simulate security workers, train the UIV-TSP trust models, evaluate
//! UIV-TSP against UIV-SP, export the FNN to endo-trust's fixed-point weight blob, and measure
//! the traceability delay of the tracing marks (Fig. 12).
//! See `docs/TRUST-EVALUATION.md` and `docs/uiv-sharing/TRACEABILITY.md`.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use endo_ml::dataset::{Dataset, SwKind};
use endo_ml::export::read_blob;
use endo_ml::metrics::mean_std;
use endo_ml::models::{ModelKind, TrainConfig};
use endo_ml::pipeline::{self, EvaluateOptions, TrainOptions};
use endo_ml::scheme::TspConfig;
use endo_ml::sim::SimConfig;
use endo_ml::traceability::{self, TraceConfig};
use endo_ml::Error;
use indicatif::{ProgressBar, ProgressStyle};
use sp_arithmetic::Perbill;

/// UIV-TSP trust models: simulate, train, evaluate, export.
#[derive(Parser, Debug)]
#[command(name = "endochain-trust", version, about, long_about = None)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Simulate security workers under open access and write their access records (CSV).
	Simulate {
		/// Output CSV file.
		#[arg(long)]
		out: PathBuf,
		/// Number of SWs.
		#[arg(long, default_value_t = 2_000)]
		sws: usize,
		/// Number of cycles.
		#[arg(long, default_value_t = 53)]
		cycles: u32,
		/// Share of malicious SWs (dishonest, colluders, rational conspirators).
		#[arg(long, default_value_t = 0.45)]
		dishonest: f64,
		/// Random seed.
		#[arg(long, default_value_t = 1)]
		seed: u64,
		/// Stress test: the TA takes semi-honest SWs' own unlicensed machines for conspirators.
		#[arg(long)]
		own_hosts_look_external: bool,
	},
	/// Train FNN / RNN / CNN (Table 4), cross-validate, sweep the learning rate (Fig. 7).
	Train {
		/// Access records (CSV from `simulate`).
		#[arg(long)]
		data: PathBuf,
		/// Directory for fnn.json and the tables and figures.
		#[arg(long)]
		out_dir: PathBuf,
		/// Models to train, comma-separated.
		#[arg(long, value_delimiter = ',', default_value = "fnn,rnn,cnn")]
		models: Vec<ModelKind>,
		/// Adam learning rate.
		#[arg(long, default_value_t = 0.003)]
		lr: f64,
		/// Epochs.
		#[arg(long, default_value_t = 10)]
		epochs: usize,
		/// Batch size.
		#[arg(long, default_value_t = 16)]
		batch: usize,
		/// Records per sample of the RNN and CNN.
		#[arg(long, default_value_t = 8)]
		window: usize,
		/// Share of SWs held out for testing.
		#[arg(long, default_value_t = 0.3)]
		test_share: f64,
		/// Seed of the weights and shuffling.
		#[arg(long, default_value_t = 42)]
		seed: u64,
		/// Seed of the hold-out split and the folds.
		#[arg(long, default_value_t = 7)]
		split_seed: u64,
		/// k of the k-fold cross validation (0: skip).
		#[arg(long, default_value_t = 5)]
		folds: usize,
		/// Learning rates of the FNN sweep, comma-separated (empty: skip).
		#[arg(
			long,
			value_delimiter = ',',
			default_value = "0.0001,0.0003,0.001,0.003,0.01,0.03,0.1,0.3"
		)]
		sweep: Vec<f64>,
		/// Folds per sweep point.
		#[arg(long, default_value_t = 3)]
		sweep_folds: usize,
		/// Skip the sweep.
		#[arg(long)]
		no_sweep: bool,
		/// Also time the FNN's training on all records.
		#[arg(long)]
		benchmark: bool,
	},
	/// Compare UIV-TSP (trust, using the fixed-point FNN blob) with UIV-SP (Figs. 8-11).
	Evaluate {
		/// The FNN weight blob (from `export`).
		#[arg(long)]
		model: PathBuf,
		/// Directory for the tables and figures.
		#[arg(long)]
		out_dir: PathBuf,
		/// SWs per population.
		#[arg(long, default_value_t = 2_000)]
		sws: usize,
		/// Cycles per run.
		#[arg(long, default_value_t = 20)]
		cycles: u32,
		/// Runs averaged per setting.
		#[arg(long, default_value_t = 10)]
		runs: u32,
		/// Dishonest share of Figs. 8, 9, 11.
		#[arg(long, default_value_t = 0.3)]
		dishonest: f64,
		/// Dishonest shares of Fig. 10, comma-separated.
		#[arg(long, value_delimiter = ',', default_value = "0.2,0.5,0.8")]
		shares: Vec<f64>,
		/// Seed of the first run.
		#[arg(long, default_value_t = 1_000)]
		seed: u64,
		/// Weight of the beta trust in UIV-TSP's combined trust, in percent.
		#[arg(long, default_value_t = 30)]
		beta_weight: u32,
		/// Stress test: the TA takes semi-honest SWs' own unlicensed machines for conspirators.
		#[arg(long)]
		own_hosts_look_external: bool,
	},
	/// Convert a trained FNN (fnn.json) to endo-trust's fixed-point weight blob.
	Export {
		/// The float FNN (from `train`).
		#[arg(long)]
		model: PathBuf,
		/// Output blob.
		#[arg(long)]
		out: PathBuf,
		/// Access records on which fixed-point and burn outputs must agree within 1e-3.
		#[arg(long)]
		check: Option<PathBuf>,
	},
	/// Measure the traceability delay of the tracing marks for credentials of k = 64..1024
	/// bits embedded m = 1..4 times (Fig. 12).
	Traceability {
		/// Measured rounds per (k, m) point.
		#[arg(long, default_value_t = 200)]
		runs: u32,
		/// Directory for traceability.{csv,md}, traceability-leaks.csv and the PNGs.
		#[arg(long, default_value = "traceability")]
		out: PathBuf,
		/// Deliveries in the tracer's commitment index.
		#[arg(long, default_value_t = 10_000)]
		deliveries: usize,
		/// Random seed (reports, deliveries, leak transformations).
		#[arg(long, default_value_t = 1)]
		seed: u64,
	},
}

/// `println!` that ignores a closed stdout (e.g. `| head`) instead of panicking.
macro_rules! say {
	($($arg:tt)*) => {{
		let _ = writeln!(std::io::stdout(), $($arg)*);
	}};
}

fn bar(message: &str) -> ProgressBar {
	let bar = ProgressBar::new(0);
	if let Ok(style) =
		ProgressStyle::with_template("{msg:34} [{elapsed_precise}] {wide_bar} {pos}/{len} ({eta})")
	{
		bar.set_style(style);
	}
	bar.set_message(message.to_string());
	bar
}

fn load(path: &Path) -> Result<Dataset, Error> {
	let spinner = ProgressBar::new_spinner();
	spinner.set_message(format!("reading {}", path.display()));
	spinner.enable_steady_tick(std::time::Duration::from_millis(200));
	let data = Dataset::read_csv(path);
	spinner.finish_and_clear();
	let data = data?;
	if data.is_empty() {
		return Err(Error::NotEnoughData(format!("{}: no records", path.display())));
	}
	Ok(data)
}

fn run(cli: Cli) -> Result<(), Error> {
	match cli.command {
		Command::Simulate { out, sws, cycles, dishonest, seed, own_hosts_look_external } => {
			let config = SimConfig {
				sws,
				dishonest_share: dishonest,
				seed,
				own_hosts_look_external,
				..SimConfig::default()
			};
			let start = Instant::now();
			let r = pipeline::simulate(config, cycles, &out, &bar)?;
			say!(
				"wrote {} records ({:.1} % malicious) to {} in {:.1} s",
				r.records,
				r.malicious_share * 100.0,
				out.display(),
				start.elapsed().as_secs_f64()
			);
			for (i, k) in SwKind::ALL.iter().enumerate() {
				say!("  {:12} {:5} SWs {:8} records", k.name(), r.sw_counts[i], r.kind_counts[i]);
			}
		}
		Command::Train {
			data,
			out_dir,
			models,
			lr,
			epochs,
			batch,
			window,
			test_share,
			seed,
			split_seed,
			folds,
			sweep,
			sweep_folds,
			no_sweep,
			benchmark,
		} => {
			let dataset = load(&data)?;
			let options = TrainOptions {
				models,
				config: TrainConfig { learning_rate: lr, epochs, batch_size: batch, seed },
				window,
				test_share,
				split_seed,
				folds,
				sweep_lrs: if no_sweep { Vec::new() } else { sweep },
				sweep_folds,
				benchmark,
			};
			let r = pipeline::train(&dataset, &options, &out_dir, &bar)?;
			say!("{} training / {} test records", r.train_records, r.test_records);
			for m in &r.table4 {
				say!(
					"  {:10} P {:.4} R {:.4} A {:.4} F1 {:.4}  {:.1} s",
					m.kind.name(),
					m.scores.precision,
					m.scores.recall,
					m.scores.accuracy,
					m.scores.f1,
					m.seconds
				);
			}
			for f in &r.kfold {
				let (m, s) = mean_std(&f.scores.iter().map(|s| s.f1).collect::<Vec<_>>());
				say!("  {:10} {}-fold F1 {m:.4} ± {s:.4}", f.kind.name(), f.scores.len());
			}
			for p in &r.sweep {
				say!(
					"  lr {:<8} train {:.4} test {:.4}",
					p.lr,
					mean_std(&p.train).0,
					mean_std(&p.test).0
				);
			}
			if let Some(b) = r.benchmark {
				say!(
					"  benchmark: FNN on {} samples, {} epochs, batch {}: {:.1} s",
					b.samples,
					b.epochs,
					b.batch_size,
					b.seconds
				);
			}
			say!("wrote results to {}", out_dir.display());
		}
		Command::Evaluate {
			model,
			out_dir,
			sws,
			cycles,
			runs,
			dishonest,
			shares,
			seed,
			beta_weight,
			own_hosts_look_external,
		} => {
			let trust_model = read_blob(&model)?;
			if beta_weight > 100 {
				return Err(Error::Config(format!(
					"beta weight is a percentage, got {beta_weight}"
				)));
			}
			let options = EvaluateOptions {
				sws,
				cycles,
				runs,
				dishonest,
				shares,
				seed,
				own_hosts_look_external,
				tsp: TspConfig {
					beta_weight: Perbill::from_percent(beta_weight),
					..TspConfig::default()
				},
			};
			let r = pipeline::evaluate(&trust_model, &options, &out_dir, &bar)?;
			let last = (options.cycles.min(10) - 1) as usize;
			let at = |tsp: bool, f: fn(&endo_ml::sim::CycleStats) -> f64| {
				r.main.per_cycle(tsp, f).get(last).map_or(f64::NAN, |x| x.0)
			};
			say!(
				"after cycle {}: detection TSP {:.4} / SP {:.4}, false alarms TSP {:.4} / SP {:.4}",
				last + 1,
				at(true, |s| s.detection_rate()),
				at(false, |s| s.detection_rate()),
				at(true, |s| s.false_alarm_rate()),
				at(false, |s| s.false_alarm_rate())
			);
			say!("wrote figures and tables to {}", out_dir.display());
		}
		Command::Export { model, out, check } => {
			let data = match &check {
				Some(path) => Some(load(path)?),
				None => None,
			};
			let r = pipeline::export(&model, &out, data.as_ref())?;
			say!("wrote {} ({} bytes)", out.display(), r.blob_len);
			if let Some(a) = r.agreement {
				say!(
					"fixed-point vs burn on {} records: max |diff| {:.3e}, mean {:.3e}, {} decisions differ",
					a.samples, a.max_error, a.mean_error, a.decisions_differ
				);
			}
		}
		Command::Traceability { runs, out, deliveries, seed } => {
			let config = TraceConfig { runs, deliveries, seed, ..TraceConfig::default() };
			let start = Instant::now();
			let r = traceability::traceability(&config, &out, &bar)?;
			say!(
				"traceability delay (µs, mean and p95) on the whole marked copy and on the leaked \
				 copy, the TA's embedding time (µs), leaked copies traced:"
			);
			for p in &r.points {
				say!(
					"  k {:5} m {}  whole {:6.1} ({:6.1})  leaked {:6.1} ({:6.1})  embed {:6.1}  \
					 traced {:.3}",
					p.k_bits,
					p.embeddings,
					traceability::mean(&p.full_trace_us),
					traceability::p95(&p.full_trace_us),
					traceability::mean(&p.trace_us),
					traceability::p95(&p.trace_us),
					traceability::mean(&p.embed_us),
					p.traced_fraction()
				);
			}
			say!("wrote results to {} in {:.1} s", out.display(), start.elapsed().as_secs_f64());
		}
	}
	Ok(())
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::FAILURE
		}
	}
}
