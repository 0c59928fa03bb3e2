//! The two schemes compared in UIV-TSP sec. 4.2 (Figs. 8-11), as [`AccessPolicy`]s on the
//! simulator.
//!
//! Both share the whole pipeline: dynamic tokens, continuous logs, codepreleak (a traced leak is
//! stopped and raises an alarm naming the SW). They differ in the trust mechanism:
//!
//! * **UIV-SP** (no trust): the only evidence it acts on is a codepreleak alarm. An SW named by
//!   an alarm is flagged as a leaker and removed from the CVD; every other request is granted.
//!   It cannot tell a slip or a false trigger from a leak, and it cannot see a leaker whose leaks
//!   are never traced.
//! * **UIV-TSP** (sec. 3.5): at each request the TA evaluates the FNN on the request's 11 features
//!   with `endo-trust`'s fixed-point [`TrustModel`] (exactly what the chain runs), smooths the
//!   SW's FNN trust over its requests (exponential moving average), and combines it with the
//!   SW's penalised beta trust: `T = w * beta + (1 - w) * fnn` (endo-trust's convex
//!   [`TrustParams::combine`], `w` = [`TspConfig::beta_weight`]). Then the distinction rules:
//!   R1 (`T >= 0.8`) accept; R2 (`T <= 0.2`) reject and flag as dishonest; R3 (between)
//!   investigate: if conspirators are already known, `conspirator_verdict` sets the trust to 0
//!   and bars the SW (sec. 3.5.2); otherwise a false uiv is released to it once per cycle
//!   (sec. 3.5.3) and, if its leak path reveals a conspirator, the SW is barred; if not, it is
//!   "temporarily considered as honest" and its request is granted.
//!
//! Detection rate = flagged malicious SWs / malicious SWs; false-alarm rate = flagged benign
//! SWs / benign SWs, both over the whole population at the end of each cycle.

use endo_trust::reputation::Classification;
use endo_trust::{conspirator_verdict, AccessDecision, Thresholds, TrustModel, TrustParams};
use indicatif::ProgressBar;
use sp_arithmetic::{FixedU64, Perbill};

use crate::export::to_q32;
use crate::sim::{AccessPolicy, CycleStats, Request, SimConfig, Simulator};
use crate::{Error, Result};

/// UIV-SP: the pipeline without trust. An alarm flags and bars the SW.
#[derive(Clone, Debug)]
pub struct UivSp {
	barred: Vec<bool>,
}

impl UivSp {
	/// For a population of `sws`.
	pub fn new(sws: usize) -> UivSp {
		UivSp { barred: vec![false; sws] }
	}
}

impl AccessPolicy for UivSp {
	fn is_barred(&self, sw: u32) -> bool {
		self.barred.get(sw as usize).copied().unwrap_or(true)
	}
	fn decide(&mut self, request: &Request<'_>, _trap: &mut dyn FnMut() -> u32) -> Result<bool> {
		Ok(!self.is_barred(request.sw))
	}
	fn observe(&mut self, sw: u32, alarm: bool) {
		if alarm {
			if let Some(b) = self.barred.get_mut(sw as usize) {
				*b = true;
			}
		}
	}
	fn flagged(&self, sw: u32) -> bool {
		self.is_barred(sw)
	}
}

/// Parameters of the UIV-TSP trust decision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TspConfig {
	/// Weight `w` of the beta trust in `T = w beta + (1 - w) fnn`.
	pub beta_weight: Perbill,
	/// Weight of the newest FNN output in the SW's moving average (1 = no smoothing).
	pub smoothing: f64,
}

impl Default for TspConfig {
	/// `w = 0.3`, smoothing 0.5.
	fn default() -> TspConfig {
		TspConfig { beta_weight: Perbill::from_percent(30), smoothing: 0.5 }
	}
}

/// UIV-TSP: beta reputation + FNN trust, rules R1-R3, conspirator check and traps.
#[derive(Clone, Debug)]
pub struct UivTsp {
	model: TrustModel,
	params: TrustParams,
	smoothing: f64,
	fnn_trust: Vec<Option<f64>>,
	barred: Vec<bool>,
	class: Vec<Option<Classification>>,
	/// (cycle, conspirators found) of the last trap per SW.
	trap: Vec<Option<(u32, u32)>>,
}

impl UivTsp {
	/// For a population of `sws`, with a trust-shaped (11 -> 1) fixed-point model.
	pub fn new(model: TrustModel, config: TspConfig, sws: usize) -> Result<UivTsp> {
		model.ensure_trust_shape().map_err(|e| Error::trust("UIV-TSP trust model", e))?;
		if !(config.smoothing > 0.0 && config.smoothing <= 1.0) {
			return Err(Error::Config(format!(
				"smoothing must be in (0, 1], got {}",
				config.smoothing
			)));
		}
		let defaults = TrustParams::default();
		let params = TrustParams::new(
			defaults.penalty(),
			defaults.retention(),
			config.beta_weight,
			Thresholds::default(),
		)
		.map_err(|e| Error::trust("UIV-TSP parameters", e))?;
		debug_assert_eq!(params.penalty(), FixedU64::from_u32(2));
		Ok(UivTsp {
			model,
			params,
			smoothing: config.smoothing,
			fnn_trust: vec![None; sws],
			barred: vec![false; sws],
			class: vec![None; sws],
			trap: vec![None; sws],
		})
	}

	/// The combined trust of a request (and updates the SW's FNN average).
	fn trust(&mut self, request: &Request<'_>) -> Result<Perbill> {
		let i = request.sw as usize;
		let fnn = self
			.model
			.evaluate_trust(&to_q32(request.features)?)
			.map_err(|e| Error::trust("UIV-TSP trust model", e))?;
		let fnn = fnn.deconstruct() as f64 / 1e9;
		let slot =
			self.fnn_trust.get_mut(i).ok_or_else(|| Error::Config("SW id out of range".into()))?;
		let smoothed = match *slot {
			Some(prev) => self.smoothing * fnn + (1.0 - self.smoothing) * prev,
			None => fnn,
		};
		*slot = Some(smoothed);
		let fnn = Perbill::from_parts((smoothed.clamp(0.0, 1.0) * 1e9).round() as u32);
		Ok(self.params.combine(request.beta_trust, fnn))
	}

	fn set(&mut self, sw: usize, class: Classification) {
		if let Some(c) = self.class.get_mut(sw) {
			*c = Some(class);
		}
		if class == Classification::Untrusted {
			if let Some(b) = self.barred.get_mut(sw) {
				*b = true;
			}
		}
	}
}

impl AccessPolicy for UivTsp {
	fn is_barred(&self, sw: u32) -> bool {
		self.barred.get(sw as usize).copied().unwrap_or(true)
	}

	fn decide(&mut self, request: &Request<'_>, trap: &mut dyn FnMut() -> u32) -> Result<bool> {
		let sw = request.sw as usize;
		if self.is_barred(request.sw) {
			return Ok(false);
		}
		let trust = self.trust(request)?;
		let class = self.params.classify(trust);
		match class.decision() {
			AccessDecision::Accept => {
				self.set(sw, class);
				Ok(true)
			}
			AccessDecision::Reject => {
				self.set(sw, class);
				Ok(false)
			}
			AccessDecision::Investigate => {
				// sec. 3.5.2: count the conspirators; sec. 3.5.3: trap once per cycle.
				let conspirators = if request.known_conspirators > 0 {
					request.known_conspirators
				} else {
					match self.trap.get(sw).copied().flatten() {
						Some((cycle, found)) if cycle == request.cycle => found,
						_ => {
							let found = trap();
							if let Some(t) = self.trap.get_mut(sw) {
								*t = Some((request.cycle, found));
							}
							found
						}
					}
				};
				let verdict = conspirator_verdict(conspirators);
				// A semi-honest SW without conspirators is temporarily honest, but stays in R3.
				self.set(sw, if verdict == Classification::Honest { class } else { verdict });
				Ok(verdict == Classification::Honest)
			}
		}
	}

	fn observe(&mut self, _sw: u32, _alarm: bool) {}

	fn flagged(&self, sw: u32) -> bool {
		self.is_barred(sw)
			|| matches!(
				self.class.get(sw as usize).copied().flatten(),
				Some(Classification::Dishonest | Classification::Untrusted)
			)
	}
}

/// Per-cycle statistics of both schemes on the same population (same seed).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
	/// UIV-TSP, one entry per cycle.
	pub tsp: Vec<CycleStats>,
	/// UIV-SP, one entry per cycle.
	pub sp: Vec<CycleStats>,
}

/// Runs UIV-TSP and UIV-SP for `cycles` cycles each on the population of `config` (the same
/// seed, so the same SWs with the same traits). `progress` advances once per cycle and scheme.
pub fn compare(
	config: &SimConfig,
	model: &TrustModel,
	tsp_config: TspConfig,
	cycles: u32,
	progress: &ProgressBar,
) -> Result<Comparison> {
	let mut tsp = UivTsp::new(model.clone(), tsp_config, config.sws)?;
	let mut sim = Simulator::new(config.clone())?;
	let mut tsp_stats = Vec::with_capacity(cycles as usize);
	for _ in 0..cycles {
		tsp_stats.push(sim.run_cycle(&mut tsp, None)?);
		progress.inc(1);
	}
	let mut sp = UivSp::new(config.sws);
	let mut sim = Simulator::new(config.clone())?;
	let mut sp_stats = Vec::with_capacity(cycles as usize);
	for _ in 0..cycles {
		sp_stats.push(sim.run_cycle(&mut sp, None)?);
		progress.inc(1);
	}
	Ok(Comparison { tsp: tsp_stats, sp: sp_stats })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::dataset::{Dataset, SwKind};
	use crate::export::{fnn_to_float, to_blob};
	use crate::features::FEATURE_COUNT;
	use crate::models::{train_model, ModelKind, TrainConfig};
	use crate::sim::OpenAccess;
	use endo_trust::model::Activation;
	use endo_trust::{Layer, Q32};

	fn constant_model(trust_logit: i32) -> TrustModel {
		let layer = Layer::new(
			FEATURE_COUNT,
			1,
			Activation::Sigmoid,
			vec![Q32::ZERO; FEATURE_COUNT],
			vec![Q32::from_int(trust_logit)],
		)
		.expect("valid layer; qed");
		TrustModel::new(vec![], vec![layer]).expect("valid model; qed")
	}

	fn small(seed: u64) -> SimConfig {
		SimConfig {
			sws: 300,
			cases_per_cycle: 120,
			dishonest_share: 0.3,
			seed,
			..SimConfig::default()
		}
	}

	#[test]
	fn uiv_sp_bars_exactly_the_sws_with_alarms() {
		let config = small(4);
		let mut sim = Simulator::new(config).expect("valid; qed");
		let mut sp = UivSp::new(300);
		let mut alarms = 0;
		let mut last = CycleStats::default();
		for _ in 0..5 {
			last = sim.run_cycle(&mut sp, None).expect("runs; qed");
			alarms += last.alarms;
		}
		let barred = (0..300).filter(|i| sp.flagged(*i)).count() as u32;
		assert_eq!(barred, last.detected + last.false_alarms);
		assert!(barred > 0 && barred <= alarms);
		assert_eq!(last.traps, 0);
	}

	#[test]
	fn rules_follow_the_trust_value() {
		// With w = 0 (FNN trust only): an FNN that always says "trusted" (sigmoid(20) ~ 1)
		// accepts every request.
		let config = small(5);
		let cfg = TspConfig { beta_weight: Perbill::zero(), smoothing: 1.0 };
		let comparison = compare(&config, &constant_model(20), cfg, 3, &ProgressBar::hidden())
			.expect("runs; qed");
		for s in &comparison.tsp {
			assert_eq!(s.granted, s.requests);
			assert_eq!(s.traps, 0);
		}
		// With the default w = 0.3 the beta trust of SWs with many alarms pulls them into R3,
		// where known conspirators bar them.
		let comparison =
			compare(&config, &constant_model(20), TspConfig::default(), 3, &ProgressBar::hidden())
				.expect("runs; qed");
		assert!(comparison.tsp.iter().any(|s| s.granted < s.requests));
		// One that always says "untrusted" (sigmoid(-20) ~ 0): everyone is rejected and flagged
		// (R2).
		let comparison = compare(&config, &constant_model(-20), cfg, 2, &ProgressBar::hidden())
			.expect("runs; qed");
		let s = comparison.tsp[1];
		assert_eq!(s.granted, 0);
		assert_eq!(s.leaks + s.slips, 0);
		// Every SW that requested was flagged; almost all SWs request in two cycles.
		assert!(s.detection_rate() > 0.95 && s.false_alarm_rate() > 0.95, "{s:?}");
		// A model in the middle (sigmoid(0) = 0.5, w = 0 -> R3) traps everyone, once per cycle:
		// only SWs that send copies to unlicensed hosts can be barred, never an honest one.
		let mut sim = Simulator::new(config.clone()).expect("valid; qed");
		let mut tsp = UivTsp::new(constant_model(0), cfg, 300).expect("valid; qed");
		for _ in 0..3 {
			let s = sim.run_cycle(&mut tsp, None).expect("runs; qed");
			assert!(s.traps > 0 && s.traps <= 300);
		}
		let kinds = sim.kinds();
		let barred =
			|k: SwKind| (0..300u32).filter(|i| kinds[*i as usize] == k && tsp.flagged(*i)).count();
		assert_eq!(barred(SwKind::Honest), 0);
		assert!(
			barred(SwKind::Dishonest) + barred(SwKind::Colluder) + barred(SwKind::Rational) > 0
		);
		assert!(UivTsp::new(constant_model(0), TspConfig { smoothing: 0.0, ..cfg }, 3).is_err());
	}

	#[test]
	fn trust_beats_no_trust_with_a_trained_fnn() {
		// Train a small FNN on open-access records of one population, evaluate on another.
		let mut sim = Simulator::new(SimConfig { seed: 100, ..small(0) }).expect("valid; qed");
		let mut records = Vec::new();
		for _ in 0..10 {
			sim.run_cycle(&mut OpenAccess, Some(&mut records)).expect("open; qed");
		}
		let data = Dataset { records };
		let norm = data.normalizer().expect("non-empty; qed");
		let set = data.tensors(&norm, 1).expect("valid; qed");
		let config = TrainConfig { learning_rate: 0.01, epochs: 3, batch_size: 16, seed: 1 };
		let t = train_model(ModelKind::Fnn, &set, &set, &config, false, &ProgressBar::hidden())
			.expect("trains; qed");
		let float = fnn_to_float(&t.fnn.expect("FNN; qed"), &norm).expect("valid; qed");
		let (model, _) = to_blob(&float).expect("exportable; qed");
		let c = compare(&small(200), &model, TspConfig::default(), 8, &ProgressBar::hidden())
			.expect("runs; qed");
		let (tsp, sp) = (c.tsp[7], c.sp[7]);
		assert!(tsp.detection_rate() > sp.detection_rate(), "{tsp:?} vs {sp:?}");
		assert!(tsp.false_alarm_rate() < sp.false_alarm_rate(), "{tsp:?} vs {sp:?}");
		let leaks = |s: &[CycleStats]| s.iter().map(|c| c.leakage_behaviours()).sum::<u32>();
		// Deliberate leaks: UIV-TSP keeps dishonest SWs away earlier.
		assert!(leaks(&c.tsp) < leaks(&c.sp));
	}
}
