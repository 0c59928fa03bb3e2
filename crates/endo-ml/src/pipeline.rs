//! The four CLI commands as library functions: [`simulate`], [`train`], [`evaluate`],
//! [`export`]. Each writes its outputs (CSV, JSON, blob, Markdown tables, PNG figures) and
//! returns what it measured. Progress goes to bars made by a [`Bars`] factory (hidden in tests).

use std::path::Path;
use std::time::Instant;

use endo_trust::TrustModel;
use indicatif::ProgressBar;

use crate::dataset::{Dataset, SwKind};
use crate::export::{
	compare, fnn_from_float, fnn_to_float, load_fnn, save_fnn, to_blob, Agreement, EXPORT_TOLERANCE,
};
use crate::metrics::{mean_std, Confusion, Scores};
use crate::models::{fit, train_model, Fnn, ModelKind, TrainBackend, TrainConfig, FNN_HIDDEN};
use crate::plot::{self, Chart, Series};
use crate::report::{f4, pm, table};
use crate::scheme::{self, Comparison, TspConfig};
use crate::sim::{CycleStats, OpenAccess, SimConfig, Simulator};
use crate::{Error, Result};

/// A per-cycle quantity plotted or tabled.
pub type Metric = fn(&CycleStats) -> f64;

/// Makes a progress bar with a message (its length is set by the work it tracks).
pub type Bars<'a> = &'a dyn Fn(&str) -> ProgressBar;

/// A [`Bars`] that shows nothing.
pub fn hidden(_: &str) -> ProgressBar {
	ProgressBar::hidden()
}

fn write(path: &Path, text: &str) -> Result<()> {
	std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn ensure_dir(dir: &Path) -> Result<()> {
	std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

// ------------------------------------------------------------------------------------------
// simulate

/// What [`simulate`] produced.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulateReport {
	/// Records written.
	pub records: usize,
	/// Share of malicious records.
	pub malicious_share: f64,
	/// Records per kind, in [`SwKind::ALL`] order.
	pub kind_counts: [usize; 5],
	/// SWs per kind, in [`SwKind::ALL`] order.
	pub sw_counts: [usize; 5],
}

/// Runs `cycles` cycles under open access and writes every access record to `out` (CSV).
pub fn simulate(
	config: SimConfig,
	cycles: u32,
	out: &Path,
	bars: Bars<'_>,
) -> Result<SimulateReport> {
	if cycles == 0 || cycles > 10_000 {
		return Err(Error::Config(format!("cycles must be in 1..=10000, got {cycles}")));
	}
	let mut sim = Simulator::new(config)?;
	let bar = bars("simulating cycles");
	bar.set_length(cycles as u64);
	let mut records = Vec::new();
	for _ in 0..cycles {
		sim.run_cycle(&mut OpenAccess, Some(&mut records))?;
		bar.inc(1);
	}
	bar.finish();
	let data = Dataset { records };
	data.write_csv(out)?;
	let mut sw_counts = [0usize; 5];
	for k in sim.kinds() {
		if let Some(i) = SwKind::ALL.iter().position(|x| *x == k) {
			sw_counts[i] += 1;
		}
	}
	Ok(SimulateReport {
		records: data.len(),
		malicious_share: data.malicious_share(),
		kind_counts: data.kind_counts(),
		sw_counts,
	})
}

// ------------------------------------------------------------------------------------------
// train

/// What [`train`] does besides Table 4.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
	/// Models for Table 4 and k-fold.
	pub models: Vec<ModelKind>,
	/// Hyper-parameters (all models).
	pub config: TrainConfig,
	/// Records per sample of the sequence models.
	pub window: usize,
	/// Share of SWs held out (0.3 in the paper).
	pub test_share: f64,
	/// Seed of the hold-out split and of the folds.
	pub split_seed: u64,
	/// k of the k-fold cross validation (0 to skip).
	pub folds: usize,
	/// Learning rates of the FNN sweep (empty to skip).
	pub sweep_lrs: Vec<f64>,
	/// Folds of each sweep point.
	pub sweep_folds: usize,
	/// Also time the FNN's training on *all* records (the 400k benchmark).
	pub benchmark: bool,
}

impl Default for TrainOptions {
	fn default() -> TrainOptions {
		TrainOptions {
			models: ModelKind::ALL.to_vec(),
			config: TrainConfig::default(),
			window: 8,
			test_share: 0.3,
			split_seed: 7,
			folds: 5,
			sweep_lrs: vec![1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1],
			sweep_folds: 3,
			benchmark: false,
		}
	}
}

/// One row of Table 4.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelResult {
	/// Which model.
	pub kind: ModelKind,
	/// Scores on the held-out SWs.
	pub scores: Scores,
	/// Training wall time, seconds.
	pub seconds: f64,
	/// Trainable parameters.
	pub params: usize,
	/// Share of held-out records of each kind classified correctly ([`SwKind::ALL`] order;
	/// `None` if the kind has no records).
	pub per_kind: [Option<f64>; 5],
}

/// k-fold results of one model.
#[derive(Clone, Debug, PartialEq)]
pub struct FoldResult {
	/// Which model.
	pub kind: ModelKind,
	/// Scores per fold.
	pub scores: Vec<Scores>,
	/// Training seconds per fold.
	pub seconds: Vec<f64>,
}

/// One learning rate of the sweep: train and test accuracy per fold.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
	/// Learning rate.
	pub lr: f64,
	/// Training accuracy per fold.
	pub train: Vec<f64>,
	/// Test accuracy per fold.
	pub test: Vec<f64>,
}

/// The FNN benchmark on all records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Benchmark {
	/// Samples trained on.
	pub samples: usize,
	/// Epochs.
	pub epochs: usize,
	/// Batch size.
	pub batch_size: usize,
	/// Wall time of `fit`, seconds.
	pub seconds: f64,
}

/// What [`train`] measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainReport {
	/// Records and SWs on the training side of the hold-out split.
	pub train_records: usize,
	/// Records on the test side.
	pub test_records: usize,
	/// Table 4.
	pub table4: Vec<ModelResult>,
	/// k-fold cross validation.
	pub kfold: Vec<FoldResult>,
	/// Learning-rate sweep (FNN).
	pub sweep: Vec<SweepPoint>,
	/// FNN training time on all records.
	pub benchmark: Option<Benchmark>,
}

fn per_kind(data: &Dataset, trust: &[f32]) -> [Option<f64>; 5] {
	let mut hit = [0usize; 5];
	let mut all = [0usize; 5];
	for (r, t) in data.records.iter().zip(trust) {
		if let Some(i) = SwKind::ALL.iter().position(|k| *k == r.kind) {
			all[i] += 1;
			hit[i] += (crate::metrics::predicts_malicious(*t) == r.kind.is_malicious()) as usize;
		}
	}
	let mut out = [None; 5];
	for i in 0..5 {
		if all[i] > 0 {
			out[i] = Some(hit[i] as f64 / all[i] as f64);
		}
	}
	out
}

/// Trains, scores, cross-validates and sweeps (see [`TrainOptions`]); writes `fnn.json`,
/// `table4.md`, `kfold.md`, `lr_sweep.md`, `fig7_lr_sweep.png`, `benchmark.md` into `out_dir`
/// (those that were asked for).
pub fn train(
	data: &Dataset,
	options: &TrainOptions,
	out_dir: &Path,
	bars: Bars<'_>,
) -> Result<TrainReport> {
	options.config.validate()?;
	if options.window == 0 || options.window > 256 {
		return Err(Error::Config(format!("window must be in 1..=256, got {}", options.window)));
	}
	for &lr in &options.sweep_lrs {
		TrainConfig { learning_rate: lr, ..options.config.clone() }.validate()?;
	}
	if options.models.is_empty() {
		return Err(Error::Config("no model to train".into()));
	}
	ensure_dir(out_dir)?;
	let mut report = TrainReport::default();
	let (train, test) = data.split_by_sw(options.test_share, options.split_seed)?;
	report.train_records = train.len();
	report.test_records = test.len();
	let norm = train.normalizer()?;

	// Table 4: every model on the same 70 / 30 split.
	for &kind in &options.models {
		let w = kind.window(options.window);
		let tr = train.tensors(&norm, w)?;
		let te = test.tensors(&norm, w)?;
		let bar = bars(&format!("training {}", kind.name()));
		let t = train_model(kind, &tr, &te, &options.config, false, &bar)?;
		bar.finish();
		if let Some(fnn) = &t.fnn {
			save_fnn(&out_dir.join("fnn.json"), &fnn_to_float(fnn, &norm)?)?;
		}
		report.table4.push(ModelResult {
			kind,
			scores: Confusion::from_trust(&t.test_trust, &te.labels).scores(),
			seconds: t.seconds,
			params: t.params,
			per_kind: per_kind(&test, &t.test_trust),
		});
	}
	write(&out_dir.join("table4.md"), &table4_markdown(&report, options))?;

	// k-fold cross validation.
	if options.folds > 0 {
		let folds = data.kfold_by_sw(options.folds, options.split_seed)?;
		for &kind in &options.models {
			let w = kind.window(options.window);
			let mut result = FoldResult { kind, scores: Vec::new(), seconds: Vec::new() };
			for (i, (tr, te)) in folds.iter().enumerate() {
				let norm = tr.normalizer()?;
				let (a, b) = (tr.tensors(&norm, w)?, te.tensors(&norm, w)?);
				let bar = bars(&format!("{} fold {}/{}", kind.name(), i + 1, folds.len()));
				let t = train_model(kind, &a, &b, &options.config, false, &bar)?;
				bar.finish();
				result.scores.push(Confusion::from_trust(&t.test_trust, &b.labels).scores());
				result.seconds.push(t.seconds);
			}
			report.kfold.push(result);
		}
		write(&out_dir.join("kfold.md"), &kfold_markdown(&report, options))?;
	}

	// Learning-rate sweep of the FNN (Fig. 7).
	if !options.sweep_lrs.is_empty() {
		let folds = data.kfold_by_sw(options.sweep_folds.max(2), options.split_seed)?;
		for &lr in &options.sweep_lrs {
			let config = TrainConfig { learning_rate: lr, ..options.config.clone() };
			config.validate()?;
			let mut point = SweepPoint { lr, train: Vec::new(), test: Vec::new() };
			for (i, (tr, te)) in folds.iter().enumerate() {
				let norm = tr.normalizer()?;
				let (a, b) = (tr.tensors(&norm, 1)?, te.tensors(&norm, 1)?);
				let bar = bars(&format!("lr {lr} fold {}/{}", i + 1, folds.len()));
				let t = train_model(ModelKind::Fnn, &a, &b, &config, true, &bar)?;
				bar.finish();
				point
					.train
					.push(Confusion::from_trust(&t.train_trust, &a.labels).scores().accuracy);
				point.test.push(Confusion::from_trust(&t.test_trust, &b.labels).scores().accuracy);
			}
			report.sweep.push(point);
		}
		write(&out_dir.join("lr_sweep.md"), &sweep_markdown(&report, options))?;
		plot_sweep(&out_dir.join("fig7_lr_sweep.png"), &report.sweep, options)?;
	}

	// The FNN on all records, timed.
	if options.benchmark {
		let norm = data.normalizer()?;
		let all = data.tensors(&norm, 1)?;
		let device = Default::default();
		<TrainBackend as burn::tensor::backend::Backend>::seed(&device, options.config.seed);
		let model = Fnn::<TrainBackend>::new(FNN_HIDDEN[0], FNN_HIDDEN[1], &device);
		let bar = bars("benchmark: FNN, all records");
		let start = Instant::now();
		fit(model, &all, &options.config, &bar)?;
		let seconds = start.elapsed().as_secs_f64();
		bar.finish();
		let b = Benchmark {
			samples: all.n,
			epochs: options.config.epochs,
			batch_size: options.config.batch_size,
			seconds,
		};
		report.benchmark = Some(b);
		write(
			&out_dir.join("benchmark.md"),
			&table(
				&["samples", "epochs", "batch", "Adam steps", "training time (s)", "samples / s"],
				&[vec![
					b.samples.to_string(),
					b.epochs.to_string(),
					b.batch_size.to_string(),
					(b.samples.div_ceil(b.batch_size) * b.epochs).to_string(),
					format!("{:.1}", b.seconds),
					format!("{:.0}", (b.samples * b.epochs) as f64 / b.seconds),
				]],
			),
		)?;
	}
	Ok(report)
}

fn table4_markdown(report: &TrainReport, options: &TrainOptions) -> String {
	let rows: Vec<Vec<String>> = report
		.table4
		.iter()
		.map(|m| {
			vec![
				m.kind.name().to_string(),
				f4(m.scores.precision),
				f4(m.scores.recall),
				f4(m.scores.accuracy),
				f4(m.scores.f1),
				format!("{:.1}", m.seconds),
				m.params.to_string(),
			]
		})
		.collect();
	let mut s = format!(
		"Held-out test set: {} records of {:.0} % of the SWs; training set: {} records. \
		 lr {}, {} epochs, batch {}, window {} (RNN / CNN), seed {}.\n\n",
		report.test_records,
		options.test_share * 100.0,
		report.train_records,
		options.config.learning_rate,
		options.config.epochs,
		options.config.batch_size,
		options.window,
		options.config.seed
	);
	s.push_str(&table(
		&["model", "precision", "recall", "accuracy", "F1", "training time (s)", "parameters"],
		&rows,
	));
	s.push_str("\nShare of held-out records classified correctly, per SW kind:\n\n");
	let mut headers = vec!["model"];
	headers.extend(SwKind::ALL.iter().map(|k| k.name()));
	let rows: Vec<Vec<String>> = report
		.table4
		.iter()
		.map(|m| {
			let mut row = vec![m.kind.name().to_string()];
			row.extend(m.per_kind.iter().map(|p| p.map_or("-".into(), f4)));
			row
		})
		.collect();
	s.push_str(&table(&headers, &rows));
	s
}

fn kfold_markdown(report: &TrainReport, options: &TrainOptions) -> String {
	let rows: Vec<Vec<String>> = report
		.kfold
		.iter()
		.map(|r| {
			let col = |f: fn(&Scores) -> f64| {
				let xs: Vec<f64> = r.scores.iter().map(f).collect();
				let (m, s) = mean_std(&xs);
				pm(m, s)
			};
			let (t, ts) = mean_std(&r.seconds);
			vec![
				r.kind.name().to_string(),
				col(|s| s.precision),
				col(|s| s.recall),
				col(|s| s.accuracy),
				col(|s| s.f1),
				format!("{t:.1} ± {ts:.1}"),
			]
		})
		.collect();
	format!(
		"{}-fold cross validation by SW (mean ± std over folds), lr {}, {} epochs, batch {}.\n\n{}",
		options.folds,
		options.config.learning_rate,
		options.config.epochs,
		options.config.batch_size,
		table(&["model", "precision", "recall", "accuracy", "F1", "training time (s)"], &rows)
	)
}

fn sweep_markdown(report: &TrainReport, options: &TrainOptions) -> String {
	let rows: Vec<Vec<String>> = report
		.sweep
		.iter()
		.map(|p| {
			let (a, b) = mean_std(&p.train);
			let (c, d) = mean_std(&p.test);
			vec![format!("{}", p.lr), pm(a, b), pm(c, d)]
		})
		.collect();
	format!(
		"FNN accuracy by learning rate ({}-fold by SW, mean ± std), {} epochs, batch {}.\n\n{}",
		options.sweep_folds.max(2),
		options.config.epochs,
		options.config.batch_size,
		table(&["learning rate", "train accuracy", "test accuracy"], &rows)
	)
}

fn plot_sweep(path: &Path, sweep: &[SweepPoint], options: &TrainOptions) -> Result<()> {
	let series = |name: &str, pick: fn(&SweepPoint) -> &Vec<f64>| {
		let mut s = Series { label: name.into(), ..Series::default() };
		for p in sweep {
			let (m, sd) = mean_std(pick(p));
			s.points.push((p.lr, m));
			s.band.push((p.lr, (m - sd).max(0.0), (m + sd).min(1.0)));
		}
		s
	};
	let chart = Chart {
		title: format!(
			"Fig. 7: FNN score vs learning rate ({} epochs, batch {})",
			options.config.epochs, options.config.batch_size
		),
		x_label: "learning rate (Adam)".into(),
		y_label: "accuracy".into(),
		log_x: true,
		x_pow2: false,
		y_range: None,
		legend_top: false,
		series: vec![series("training score", |p| &p.train), series("testing score", |p| &p.test)],
	};
	plot::draw(path, &[chart], (900, 560))
}

// ------------------------------------------------------------------------------------------
// evaluate

/// What [`evaluate`] simulates.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluateOptions {
	/// SWs per population.
	pub sws: usize,
	/// Cycles per run.
	pub cycles: u32,
	/// Independent runs (populations) averaged per setting.
	pub runs: u32,
	/// Dishonest share of Figs. 8, 9 and 11 (0.3 in the paper's Fig. 11).
	pub dishonest: f64,
	/// Dishonest shares of Fig. 10 (0.2, 0.5, 0.8 in the paper).
	pub shares: Vec<f64>,
	/// Seed of the first run (run `r` uses `seed + r`).
	pub seed: u64,
	/// The stress test of [`SimConfig::own_hosts_look_external`].
	pub own_hosts_look_external: bool,
	/// UIV-TSP's trust decision.
	pub tsp: TspConfig,
}

impl Default for EvaluateOptions {
	fn default() -> EvaluateOptions {
		EvaluateOptions {
			sws: 2_000,
			cycles: 20,
			runs: 10,
			dishonest: 0.3,
			shares: vec![0.2, 0.5, 0.8],
			seed: 1_000,
			own_hosts_look_external: false,
			tsp: TspConfig::default(),
		}
	}
}

/// All runs of one dishonest share.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareRuns {
	/// The dishonest share.
	pub share: f64,
	/// One comparison per run.
	pub runs: Vec<Comparison>,
}

impl ShareRuns {
	/// Mean and std over runs of `metric` at every cycle, for UIV-TSP (`tsp = true`) or UIV-SP.
	pub fn per_cycle(&self, tsp: bool, metric: Metric) -> Vec<(f64, f64)> {
		let cycles = self.runs.first().map_or(0, |c| c.tsp.len());
		(0..cycles)
			.map(|i| {
				let xs: Vec<f64> = self
					.runs
					.iter()
					.filter_map(|c| if tsp { c.tsp.get(i) } else { c.sp.get(i) })
					.map(metric)
					.collect();
				mean_std(&xs)
			})
			.collect()
	}
}

/// What [`evaluate`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluateReport {
	/// Figs. 8, 9, 11.
	pub main: ShareRuns,
	/// Fig. 10, one entry per share.
	pub by_share: Vec<ShareRuns>,
}

fn detection(s: &CycleStats) -> f64 {
	s.detection_rate()
}
fn false_alarm(s: &CycleStats) -> f64 {
	s.false_alarm_rate()
}
fn leak_behaviours(s: &CycleStats) -> f64 {
	s.leakage_behaviours() as f64
}
fn leak_probability(s: &CycleStats) -> f64 {
	s.leakage_probability()
}

fn runs_for(
	model: &TrustModel,
	options: &EvaluateOptions,
	share: f64,
	bars: Bars<'_>,
) -> Result<ShareRuns> {
	let bar = bars(&format!("dishonest {share}: UIV-TSP / UIV-SP"));
	bar.set_length(u64::from(options.runs) * u64::from(options.cycles) * 2);
	let mut runs = Vec::new();
	for r in 0..options.runs {
		let config = SimConfig {
			sws: options.sws,
			dishonest_share: share,
			seed: options.seed.wrapping_add(u64::from(r)),
			own_hosts_look_external: options.own_hosts_look_external,
			..SimConfig::default()
		};
		runs.push(scheme::compare(&config, model, options.tsp, options.cycles, &bar)?);
	}
	bar.finish();
	Ok(ShareRuns { share, runs })
}

/// Runs UIV-TSP (with `model`) against UIV-SP and writes `fig8_detection_rate.png`,
/// `fig9_false_alarm_rate.png`, `fig10_leakage_behaviours.png`,
/// `fig11_leakage_probability.png` and `cycles.md` into `out_dir`.
pub fn evaluate(
	model: &TrustModel,
	options: &EvaluateOptions,
	out_dir: &Path,
	bars: Bars<'_>,
) -> Result<EvaluateReport> {
	if options.cycles == 0 || options.cycles > 10_000 || options.runs == 0 || options.runs > 1_000 {
		return Err(Error::Config(format!(
			"cycles must be in 1..=10000 and runs in 1..=1000, got {} and {}",
			options.cycles, options.runs
		)));
	}
	model.ensure_trust_shape().map_err(|e| Error::trust("trust model", e))?;
	ensure_dir(out_dir)?;
	let main = runs_for(model, options, options.dishonest, bars)?;
	let mut by_share = Vec::new();
	for &share in &options.shares {
		by_share.push(runs_for(model, options, share, bars)?);
	}
	let report = EvaluateReport { main, by_share };

	// Bands are mean +- std over runs, clipped to what the metric can take.
	let line = |runs: &ShareRuns, tsp: bool, metric: Metric, max: f64| {
		let label = if tsp { "UIV-TSP (trust)" } else { "UIV-SP (no trust)" };
		let mut s = Series { label: label.into(), ..Series::default() };
		for (i, (m, sd)) in runs.per_cycle(tsp, metric).into_iter().enumerate() {
			let x = (i + 1) as f64;
			s.points.push((x, m));
			if runs.runs.len() > 1 {
				s.band.push((x, (m - sd).max(0.0), (m + sd).min(max)));
			}
		}
		s
	};
	let chart =
		|title: String, y: &str, runs: &ShareRuns, metric: Metric, range, max: f64, top: bool| {
			Chart {
				title,
				x_label: "cycle".into(),
				y_label: y.into(),
				log_x: false,
				x_pow2: false,
				y_range: range,
				legend_top: top,
				series: vec![line(runs, true, metric, max), line(runs, false, metric, max)],
			}
		};
	let d = options.dishonest;
	plot::draw(
		&out_dir.join("fig8_detection_rate.png"),
		&[chart(
			format!("Fig. 8: detection rate ({:.0} % dishonest)", d * 100.0),
			"detection rate",
			&report.main,
			detection,
			Some((0.0, 1.05)),
			1.0,
			false,
		)],
		(900, 560),
	)?;
	plot::draw(
		&out_dir.join("fig9_false_alarm_rate.png"),
		&[chart(
			format!("Fig. 9: false-alarm rate ({:.0} % dishonest)", d * 100.0),
			"false-alarm rate",
			&report.main,
			false_alarm,
			None,
			1.0,
			true,
		)],
		(900, 560),
	)?;
	plot::draw(
		&out_dir.join("fig11_leakage_probability.png"),
		&[chart(
			format!("Fig. 11: uiv leakage probability ({:.0} % dishonest)", d * 100.0),
			"share of uiv cases leaked",
			&report.main,
			leak_probability,
			None,
			1.0,
			true,
		)],
		(900, 560),
	)?;
	if !report.by_share.is_empty() {
		let panels: Vec<Chart> = report
			.by_share
			.iter()
			.map(|r| {
				chart(
					format!("Fig. 10: {:.0} % dishonest", r.share * 100.0),
					"leakage behaviours per cycle",
					r,
					leak_behaviours,
					None,
					f64::INFINITY,
					true,
				)
			})
			.collect();
		plot::draw(&out_dir.join("fig10_leakage_behaviours.png"), &panels, (640, 520))?;
	}
	write(&out_dir.join("cycles.md"), &cycles_markdown(&report, options))?;
	Ok(report)
}

fn cycles_markdown(report: &EvaluateReport, options: &EvaluateOptions) -> String {
	let m = &report.main;
	let cols: [(&str, Metric); 4] = [
		("detection rate", detection),
		("false-alarm rate", false_alarm),
		("leakage behaviours", leak_behaviours),
		("leakage probability", leak_probability),
	];
	let series: Vec<[Vec<(f64, f64)>; 2]> =
		cols.iter().map(|(_, f)| [m.per_cycle(true, *f), m.per_cycle(false, *f)]).collect();
	let mut rows = Vec::new();
	for c in 0..options.cycles as usize {
		let mut row = vec![(c + 1).to_string()];
		for (k, sides) in series.iter().enumerate() {
			for side in sides {
				let x = side.get(c).map_or(f64::NAN, |x| x.0);
				// Leakage behaviours are counts; the rest are rates.
				row.push(if k == 2 { format!("{x:.1}") } else { f4(x) });
			}
		}
		rows.push(row);
	}
	let mut s = format!(
		"{} SWs, {:.0} % dishonest, mean of {} runs (seeds {}..{}){}.\n\n",
		options.sws,
		options.dishonest * 100.0,
		options.runs,
		options.seed,
		options.seed + u64::from(options.runs) - 1,
		if options.own_hosts_look_external {
			", own machines of semi-honest SWs taken for conspirators (stress test)"
		} else {
			""
		}
	);
	s.push_str(&table(
		&[
			"cycle",
			"detection TSP",
			"detection SP",
			"false alarm TSP",
			"false alarm SP",
			"leak behaviours TSP",
			"leak behaviours SP",
			"leak prob. TSP",
			"leak prob. SP",
		],
		&rows,
	));
	for r in &report.by_share {
		let tsp = r.per_cycle(true, leak_behaviours);
		let sp = r.per_cycle(false, leak_behaviours);
		let dt = r.per_cycle(true, detection);
		let ds = r.per_cycle(false, detection);
		let ft = r.per_cycle(true, false_alarm);
		let fs = r.per_cycle(false, false_alarm);
		s.push_str(&format!("\n{:.0} % dishonest (Fig. 10):\n\n", r.share * 100.0));
		let rows: Vec<Vec<String>> = (0..tsp.len())
			.map(|c| {
				vec![
					(c + 1).to_string(),
					format!("{:.1}", tsp[c].0),
					format!("{:.1}", sp[c].0),
					f4(dt[c].0),
					f4(ds[c].0),
					f4(ft[c].0),
					f4(fs[c].0),
				]
			})
			.collect();
		s.push_str(&table(
			&[
				"cycle",
				"leak behaviours TSP",
				"leak behaviours SP",
				"detection TSP",
				"detection SP",
				"false alarm TSP",
				"false alarm SP",
			],
			&rows,
		));
	}
	s
}

// ------------------------------------------------------------------------------------------
// export

/// What [`export`] produced.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExportReport {
	/// Bytes of the blob.
	pub blob_len: usize,
	/// The comparison with burn, if a data set was given.
	pub agreement: Option<Agreement>,
}

/// Converts a saved float FNN (`fnn.json`) to the fixed-point blob; if `check` is given,
/// first requires `|fixed - float| <= 1e-3` on every record of it. Writes the blob to `out`
/// only if everything passed.
pub fn export(model_json: &Path, out: &Path, check: Option<&Dataset>) -> Result<ExportReport> {
	let float = load_fnn(model_json)?;
	let (fixed, blob) = to_blob(&float)?;
	let agreement = match check {
		Some(data) => {
			let (fnn, norm) = fnn_from_float(&float)?;
			let a = compare(&fixed, &fnn, &norm, data)?;
			if a.max_error.is_nan() || a.max_error > EXPORT_TOLERANCE {
				return Err(Error::ExportMismatch {
					max_error: a.max_error,
					limit: EXPORT_TOLERANCE,
				});
			}
			Some(a)
		}
		None => None,
	};
	std::fs::write(out, &blob).map_err(|e| Error::io(out, e))?;
	Ok(ExportReport { blob_len: blob.len(), agreement })
}
