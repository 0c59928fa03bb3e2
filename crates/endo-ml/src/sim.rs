//! A seeded, cycle-based simulator of security workers (SWs) sharing undisclosed vulnerabilities
//! (uivs) under UIV-TSP (paper 002, sec. 3 and 4.2).
//!
//! # What is simulated
//!
//! A population of SWs (2,000 by default, as in sec. 4.2) of five kinds:
//!
//! | kind | label | share | behaviour per granted access |
//! |---|---|---|---|
//! | `honest` | benign | the rest | never leaks; 0.4 % of its accesses trip codepreleak by mistake (the uiv copy is opened on another of its own hosts: a *false trigger*) |
//! | `semi_honest` | benign | `semi_honest_share` of the non-dishonest SWs | like honest, but *slips* in `slip_prob` (4 %) of its accesses: it copies the uiv to one of its own 1-2 unlicensed machines (a home laptop); codepreleak destroys the copy and reports it (an alarm). No external party is involved; with [`SimConfig::own_hosts_look_external`] the TA cannot tell that machine from an accomplice's |
//! | `dishonest` | malicious | `1 - colluder - rational` of the dishonest | leaks with its own probability (uniform 0.3-0.7) to one of its 1-3 external conspirators; few contributions, more off-hours work, shorter sessions (30 % are *careful* and keep honest-looking hours and sessions) |
//! | `colluder` | malicious | `colluder_share` of the dishonest | member of a colluding clique of 3-6 SWs with a shared pool of 2-4 external conspirators; when a clique member requests a uiv, each other member requests it too with `clique_follow_prob`; leaks with probability 0.2-0.5 |
//! | `rational` | malicious | `rational_share` of the dishonest | the paper's *rational conspirator* (sec. 3.5.1): alternates a *sharing* phase (behaves exactly like an honest SW, never leaks) and a *leaking* phase (leaks with probability 0.9) of 1-3 accesses each, to keep its beta trust up |
//!
//! "The behavioral pattern of honest SW is modeled to always keep secret, while dishonest SWs may
//! leak an uiv message sometimes" (sec. 4.2). The paper re-draws the dishonest SWs at every
//! cycle; we draw the population once (a trust model needs a history to judge) and keep it.
//!
//! # One cycle
//!
//! 1. Evidence decays (`TrustParams::decay`, 0.95 per cycle); the trust of every SW at the start
//!    of the cycle is kept for the `collaborator_trust` feature.
//! 2. `cases_per_cycle` new uiv cases open. Each SW that the access policy has not barred makes
//!    a Poisson number of requests (its own rate) for distinct random cases; colluders' clique
//!    mates follow them.
//! 3. The requests are processed in a random order. For each, the TA computes the 11
//!    [`FEATURES`](crate::features::FEATURES) from its log, emits an access record, and asks
//!    the [`AccessPolicy`] (UIV-TSP, UIV-SP, or open access for data generation).
//! 4. A granted SW acts by its kind. A leak is *traced* with `trace_prob` (the copy carries
//!    codepreleak, sec. 3.4: it self-destructs on the conspirator's host and reports the
//!    tracing token from there: an *alarm* against the SW, the receiving host becomes known as a
//!    conspirator, the leak is stopped); otherwise the content got out another way (retyped,
//!    photographed) and the leak *succeeds*. A semi-honest slip is always traced (an alarm);
//!    its host counts as a conspirator only under [`SimConfig::own_hosts_look_external`]. Every access ends as beta evidence: an alarm is a bad event, an access without
//!    one a good event. The SW may contribute a patch; its session length is logged.
//! 5. A policy that investigates an SW (R3 of sec. 3.5.2) may release a *false uiv* to it
//!    (sec. 3.5.3): if the SW leaks it, the false uiv does not self-destruct within its valid
//!    time and reports its leak path with `trap_catch_prob`, revealing the receiving host as a
//!    conspirator. Under [`SimConfig::own_hosts_look_external`] a semi-honest SW's slip of the
//!    false uiv is revealed the same way: this is where a trap can wrong a benign SW.
//!
//! Every random draw comes from one ChaCha8 stream seeded by [`SimConfig::seed`], in a fixed
//! order: the same configuration and policy give the same records, bit for bit.

use std::collections::VecDeque;

use endo_trust::{Evidence, TrustParams};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sp_arithmetic::Perbill;

use crate::dataset::Record;
use crate::features::{index, Features, FEATURE_COUNT};
use crate::{Error, Result};

// The kinds of security workers are defined beside the `Record` that carries them; this path
// stays public for the simulator's users.
#[doc(inline)]
pub use crate::dataset::SwKind;

/// The simulator's parameters. [`Default`] is the training-data setting of `docs/TRUST-EVALUATION.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
	/// Number of SWs (2,000 in the paper).
	pub sws: usize,
	/// Share of malicious SWs (dishonest + colluders + rational), in `[0, 1]`.
	pub dishonest_share: f64,
	/// Share of the *non*-malicious SWs that are semi-honest, in `[0, 1]`.
	pub semi_honest_share: f64,
	/// Share of the malicious SWs in colluding cliques.
	pub colluder_share: f64,
	/// Share of the malicious SWs that are rational conspirators.
	pub rational_share: f64,
	/// uiv cases opened per cycle.
	pub cases_per_cycle: usize,
	/// Probability that a leak is caught by codepreleak (alarm, conspirator revealed, stopped).
	pub trace_prob: f64,
	/// Probability that a semi-honest SW slips on an access.
	pub slip_prob: f64,
	/// Probability that codepreleak trips on a benign access (false trigger).
	pub false_trigger_prob: f64,
	/// Probability that a leaked false uiv (trap) reveals its leak path.
	pub trap_catch_prob: f64,
	/// Probability that a clique mate follows a colluder's request.
	pub clique_follow_prob: f64,
	/// Whether the TA takes a semi-honest SW's own unlicensed machine for a conspirator. `false`
	/// (default, the paper's assumption: a trap identifies *external* conspirators, sec. 3.5.3):
	/// a slip raises an alarm but links no conspirator. `true` (stress test): the TA sees only an
	/// unlicensed host, so slips on real uivs and on traps link one.
	pub own_hosts_look_external: bool,
	/// Seed of the random stream.
	pub seed: u64,
}

impl Default for SimConfig {
	fn default() -> SimConfig {
		SimConfig {
			sws: 2_000,
			dishonest_share: 0.45,
			semi_honest_share: 0.25,
			colluder_share: 0.35,
			rational_share: 0.3,
			cases_per_cycle: 800,
			trace_prob: 0.3,
			slip_prob: 0.04,
			false_trigger_prob: 0.004,
			trap_catch_prob: 0.9,
			clique_follow_prob: 0.35,
			own_hosts_look_external: false,
			seed: 1,
		}
	}
}

fn check_share(name: &str, x: f64) -> Result<()> {
	if (0.0..=1.0).contains(&x) {
		Ok(())
	} else {
		Err(Error::Config(format!("{name} must be in [0, 1], got {x}")))
	}
}

impl SimConfig {
	/// Checks that every share and probability is in `[0, 1]`, that the colluder and rational
	/// shares add up to at most 1, and that sizes are not zero.
	pub fn validate(&self) -> Result<()> {
		if self.sws == 0 || self.sws > 1_000_000 {
			return Err(Error::Config(format!("sws must be in 1..=1000000, got {}", self.sws)));
		}
		if self.cases_per_cycle == 0 || self.cases_per_cycle > 1_000_000 {
			return Err(Error::Config(format!(
				"cases per cycle must be in 1..=1000000, got {}",
				self.cases_per_cycle
			)));
		}
		check_share("dishonest share", self.dishonest_share)?;
		check_share("semi-honest share", self.semi_honest_share)?;
		check_share("colluder share", self.colluder_share)?;
		check_share("rational share", self.rational_share)?;
		check_share("trace probability", self.trace_prob)?;
		check_share("slip probability", self.slip_prob)?;
		check_share("false-trigger probability", self.false_trigger_prob)?;
		check_share("trap-catch probability", self.trap_catch_prob)?;
		check_share("clique-follow probability", self.clique_follow_prob)?;
		if self.colluder_share + self.rational_share > 1.0 {
			return Err(Error::Config(format!(
				"colluder share + rational share must be at most 1, got {}",
				self.colluder_share + self.rational_share
			)));
		}
		Ok(())
	}
}

/// What the TA knows about a request when it asks the policy.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
	/// The SW.
	pub sw: u32,
	/// The cycle.
	pub cycle: u32,
	/// The 11 features of the access record.
	pub features: &'a Features,
	/// The SW's penalised beta trust (same value as the `beta_trust` feature, exact).
	pub beta_trust: Perbill,
	/// Number of distinct conspirators (unlicensed hosts) already linked to the SW.
	pub known_conspirators: u32,
}

/// An access-control scheme: decides on each request and says which SWs it has flagged.
pub trait AccessPolicy {
	/// Whether the SW has been removed from the CVD (it makes no more requests).
	fn is_barred(&self, sw: u32) -> bool;
	/// Grants (`true`) or refuses a request. `trap` releases a false uiv to the SW (sec. 3.5.3)
	/// and returns the number of conspirators (unlicensed hosts) linked to it afterwards.
	fn decide(&mut self, request: &Request<'_>, trap: &mut dyn FnMut() -> u32) -> Result<bool>;
	/// The outcome of a granted access: whether codepreleak raised an alarm against the SW.
	fn observe(&mut self, sw: u32, alarm: bool);
	/// Whether the scheme currently classifies the SW as a leaker (dishonest or untrusted).
	fn flagged(&self, sw: u32) -> bool;
}

/// Grants everything and flags nobody: the setting for generating training data, where every
/// SW's behaviour must be recorded.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenAccess;

impl AccessPolicy for OpenAccess {
	fn is_barred(&self, _sw: u32) -> bool {
		false
	}
	fn decide(&mut self, _request: &Request<'_>, _trap: &mut dyn FnMut() -> u32) -> Result<bool> {
		Ok(true)
	}
	fn observe(&mut self, _sw: u32, _alarm: bool) {}
	fn flagged(&self, _sw: u32) -> bool {
		false
	}
}

/// What happened in one cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CycleStats {
	/// The cycle (0-based).
	pub cycle: u32,
	/// Requests made.
	pub requests: u32,
	/// Requests granted.
	pub granted: u32,
	/// False uivs released (traps).
	pub traps: u32,
	/// Deliberate leaks of real uivs by malicious SWs (traced or not).
	pub leaks: u32,
	/// Semi-honest slips (stopped by codepreleak).
	pub slips: u32,
	/// Leaks that got out (not traced).
	pub successful_leaks: u32,
	/// codepreleak alarms raised (traced leaks, slips, false triggers).
	pub alarms: u32,
	/// uiv cases opened.
	pub cases: u32,
	/// Cases with at least one successful leak.
	pub cases_leaked: u32,
	/// Malicious SWs in the population.
	pub malicious: u32,
	/// Benign SWs in the population.
	pub benign: u32,
	/// Malicious SWs the policy flags at the end of the cycle.
	pub detected: u32,
	/// Benign SWs the policy flags at the end of the cycle.
	pub false_alarms: u32,
}

impl CycleStats {
	/// Detected malicious SWs / malicious SWs (Fig. 8).
	pub fn detection_rate(&self) -> f64 {
		ratio(self.detected, self.malicious)
	}
	/// Flagged benign SWs / benign SWs (Fig. 9).
	pub fn false_alarm_rate(&self) -> f64 {
		ratio(self.false_alarms, self.benign)
	}
	/// Leakage behaviours (Fig. 10): deliberate leaks of real uivs by malicious SWs, traced or
	/// not. Semi-honest slips are counted apart ([`CycleStats::slips`]).
	pub fn leakage_behaviours(&self) -> u32 {
		self.leaks
	}
	/// Share of the cycle's uiv cases that leaked (Fig. 11).
	pub fn leakage_probability(&self) -> f64 {
		ratio(self.cases_leaked, self.cases)
	}
}

fn ratio(a: u32, b: u32) -> f64 {
	if b == 0 {
		0.0
	} else {
		a as f64 / b as f64
	}
}

/// Behaviour parameters of one SW (drawn once).
#[derive(Clone, Debug)]
struct Traits {
	rate: f64,
	leak: f64,
	contribution: f64,
	off_hours: f64,
	session_median: f64,
	/// Rational conspirators: accesses per phase.
	phase_len: u32,
}

/// The TA's log of one SW.
#[derive(Clone, Debug, Default)]
struct Log {
	evidence: Evidence,
	accesses: u32,
	alarms: u32,
	contributions: u32,
	known_conspirators: Vec<u32>,
	recent_off: VecDeque<bool>,
	recent_sessions: VecDeque<f32>,
	recent_partners: VecDeque<Vec<u32>>,
	requests: u32,
}

#[derive(Clone, Debug)]
struct Worker {
	kind: SwKind,
	traits: Traits,
	/// Unlicensed hosts it sends uiv copies to: its external conspirators (malicious SWs) or its
	/// own unlicensed machines (semi-honest SWs); empty for honest SWs.
	conspirators: Vec<u32>,
	clique: Option<usize>,
	leaking_phase: bool,
	phase_left: u32,
	log: Log,
}

const RECENT: usize = 10;
const RECENT_CASES: usize = 5;
/// Median session length before the first session (and of honest SWs).
pub const DEFAULT_SESSION_MINUTES: f32 = 45.0;
const SESSION_SIGMA: f64 = 0.5;
const RATIONAL_LEAK: f64 = 0.9;

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
	rng.gen::<f64>() < p
}

fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
	lo + (hi - lo) * rng.gen::<f64>()
}

/// Standard normal by Box-Muller.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
	let u1 = 1.0 - rng.gen::<f64>();
	let u2 = rng.gen::<f64>();
	(-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
	median * (sigma * normal(rng)).exp()
}

/// Poisson by Knuth's method (the rates here are below 10).
fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u32 {
	let limit = (-lambda).exp();
	let mut k = 0u32;
	let mut p = 1.0;
	loop {
		p *= rng.gen::<f64>();
		if p <= limit || k >= 1_000 {
			return k;
		}
		k += 1;
	}
}

fn draw_traits(kind: SwKind, rng: &mut ChaCha8Rng) -> Traits {
	match kind {
		SwKind::Honest => {
			let night_owl = chance(rng, 0.15);
			Traits {
				rate: uniform(rng, 2.0, 5.0),
				leak: 0.0,
				contribution: uniform(rng, 0.45, 0.9),
				off_hours: if night_owl {
					uniform(rng, 0.3, 0.6)
				} else {
					uniform(rng, 0.02, 0.25)
				},
				session_median: lognormal(rng, 45.0, 0.35),
				phase_len: 0,
			}
		}
		SwKind::SemiHonest => Traits {
			rate: uniform(rng, 2.0, 5.0),
			leak: 0.0,
			contribution: uniform(rng, 0.35, 0.8),
			off_hours: uniform(rng, 0.05, 0.4),
			session_median: lognormal(rng, 40.0, 0.35),
			phase_len: 0,
		},
		SwKind::Dishonest => {
			let careful = chance(rng, 0.3);
			Traits {
				rate: uniform(rng, 3.0, 6.0),
				leak: uniform(rng, 0.3, 0.7),
				contribution: uniform(rng, 0.05, 0.4),
				off_hours: if careful { uniform(rng, 0.02, 0.25) } else { uniform(rng, 0.15, 0.6) },
				session_median: if careful {
					lognormal(rng, 40.0, 0.35)
				} else {
					lognormal(rng, 22.0, 0.35)
				},
				phase_len: 0,
			}
		}
		SwKind::Colluder => Traits {
			rate: uniform(rng, 1.0, 2.5),
			leak: uniform(rng, 0.2, 0.5),
			contribution: uniform(rng, 0.1, 0.5),
			off_hours: uniform(rng, 0.1, 0.5),
			session_median: lognormal(rng, 28.0, 0.35),
			phase_len: 0,
		},
		// The sharing phase's traits; the leaking phase overrides them (see `Worker`).
		SwKind::Rational => Traits {
			rate: uniform(rng, 2.0, 5.0),
			leak: RATIONAL_LEAK,
			contribution: uniform(rng, 0.45, 0.8),
			off_hours: uniform(rng, 0.02, 0.25),
			session_median: lognormal(rng, 45.0, 0.35),
			phase_len: rng.gen_range(1..=3),
		},
	}
}

impl Worker {
	fn leaking_now(&self) -> bool {
		self.kind == SwKind::Rational && self.leaking_phase
	}

	/// Off-hours probability of the next request.
	fn off_hours(&self) -> f64 {
		if self.leaking_now() {
			0.5
		} else {
			self.traits.off_hours
		}
	}

	fn contribution(&self) -> f64 {
		if self.leaking_now() {
			0.1
		} else {
			self.traits.contribution
		}
	}

	fn session_median(&self) -> f64 {
		if self.leaking_now() {
			self.traits.session_median * 0.5
		} else {
			self.traits.session_median
		}
	}

	/// Whether the SW leaks what it was just given (a real or a false uiv).
	fn leaks(&self, rng: &mut ChaCha8Rng) -> bool {
		match self.kind {
			SwKind::Honest | SwKind::SemiHonest => false,
			SwKind::Dishonest | SwKind::Colluder => chance(rng, self.traits.leak),
			SwKind::Rational => self.leaking_phase && chance(rng, RATIONAL_LEAK),
		}
	}

	fn reveal(&mut self, host: u32) {
		if let Err(pos) = self.log.known_conspirators.binary_search(&host) {
			self.log.known_conspirators.insert(pos, host);
		}
	}

	fn pick_conspirator(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
		self.conspirators.choose(rng).copied()
	}

	/// Rational conspirators switch phase after `phase_len` accesses.
	fn advance_phase(&mut self) {
		if self.kind != SwKind::Rational {
			return;
		}
		self.phase_left = self.phase_left.saturating_sub(1);
		if self.phase_left == 0 {
			self.leaking_phase = !self.leaking_phase;
			self.phase_left = self.traits.phase_len.max(1);
		}
	}
}

fn perbill_f32(p: Perbill) -> f32 {
	(p.deconstruct() as f64 / 1e9) as f32
}

/// The simulator. Create with [`Simulator::new`], then call [`Simulator::run_cycle`] once per
/// cycle with the access policy under test.
#[derive(Clone, Debug)]
pub struct Simulator {
	config: SimConfig,
	params: TrustParams,
	rng: ChaCha8Rng,
	workers: Vec<Worker>,
	cycle: u32,
}

impl Simulator {
	/// Draws the population (kinds, traits, cliques, conspirators) from `config.seed`.
	pub fn new(config: SimConfig) -> Result<Simulator> {
		config.validate()?;
		let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
		let n = config.sws;
		let malicious = (config.dishonest_share * n as f64).round() as usize;
		let semi = (config.semi_honest_share * (n - malicious) as f64).round() as usize;
		let colluders = (config.colluder_share * malicious as f64).round() as usize;
		let rational = ((config.rational_share * malicious as f64).round() as usize)
			.min(malicious - colluders);
		let mut kinds = Vec::with_capacity(n);
		kinds.extend(std::iter::repeat_n(SwKind::Colluder, colluders));
		kinds.extend(std::iter::repeat_n(SwKind::Rational, rational));
		kinds.extend(std::iter::repeat_n(SwKind::Dishonest, malicious - colluders - rational));
		kinds.extend(std::iter::repeat_n(SwKind::SemiHonest, semi));
		kinds.extend(std::iter::repeat_n(SwKind::Honest, n - malicious - semi));
		kinds.shuffle(&mut rng);

		let mut next_host = 0u32;
		let mut new_hosts = |count: u32| {
			let hosts: Vec<u32> = (next_host..next_host + count).collect();
			next_host += count;
			hosts
		};
		let mut workers: Vec<Worker> = Vec::with_capacity(n);
		for kind in kinds {
			let traits = draw_traits(kind, &mut rng);
			let conspirators = match kind {
				SwKind::Dishonest | SwKind::Rational => new_hosts(rng.gen_range(1..=3)),
				SwKind::SemiHonest => new_hosts(rng.gen_range(1..=2)),
				_ => Vec::new(),
			};
			let phase_left = traits.phase_len.max(1);
			workers.push(Worker {
				kind,
				traits,
				conspirators,
				clique: None,
				leaking_phase: false,
				phase_left,
				log: Log::default(),
			});
		}
		// Colluding cliques of 3-6 members, in SW order, with a shared conspirator pool.
		let colluder_ids: Vec<usize> =
			(0..n).filter(|i| workers[*i].kind == SwKind::Colluder).collect();
		let mut rest = colluder_ids.as_slice();
		let mut clique = 0usize;
		while !rest.is_empty() {
			let size = rng.gen_range(3..=6).min(rest.len());
			let (members, tail) = rest.split_at(size);
			let pool = new_hosts(rng.gen_range(2..=4));
			for m in members {
				workers[*m].clique = Some(clique);
				workers[*m].conspirators = pool.clone();
			}
			clique += 1;
			rest = tail;
		}
		Ok(Simulator { config, params: TrustParams::default(), rng, workers, cycle: 0 })
	}

	/// The configuration.
	pub fn config(&self) -> &SimConfig {
		&self.config
	}

	/// The kind of every SW, by id.
	pub fn kinds(&self) -> Vec<SwKind> {
		self.workers.iter().map(|w| w.kind).collect()
	}

	/// The clique of every SW (colluders only).
	pub fn cliques(&self) -> Vec<Option<usize>> {
		self.workers.iter().map(|w| w.clique).collect()
	}

	/// The next cycle's number (0-based).
	pub fn cycle(&self) -> u32 {
		self.cycle
	}

	/// Runs one cycle under `policy`, appending every access record to `records` if given.
	pub fn run_cycle(
		&mut self,
		policy: &mut dyn AccessPolicy,
		mut records: Option<&mut Vec<Record>>,
	) -> Result<CycleStats> {
		let cycle = self.cycle;
		let n = self.workers.len();
		let cases = self.config.cases_per_cycle;
		let mut stats = CycleStats { cycle, cases: cases as u32, ..CycleStats::default() };

		// 1. Decay, and everybody's trust at the start of the cycle.
		if cycle > 0 {
			for w in self.workers.iter_mut() {
				self.params.decay(&mut w.log.evidence, 1);
			}
		}
		let start_trust: Vec<f32> = self
			.workers
			.iter()
			.map(|w| perbill_f32(self.params.evidence_trust(&w.log.evidence)))
			.collect();

		// 2. Requests: (sw, case) pairs, each SW at most once per case.
		let mut members: Vec<Vec<u32>> = vec![Vec::new(); cases];
		let mut own: Vec<Vec<usize>> = vec![Vec::new(); n];
		let mut cliques: Vec<Vec<u32>> = Vec::new();
		for (i, w) in self.workers.iter().enumerate() {
			if let Some(c) = w.clique {
				if cliques.len() <= c {
					cliques.resize(c + 1, Vec::new());
				}
				cliques[c].push(i as u32);
			}
		}
		for i in 0..n {
			if policy.is_barred(i as u32) {
				continue;
			}
			let k = poisson(&mut self.rng, self.workers[i].traits.rate).min(cases as u32);
			for _ in 0..k {
				let case = self.rng.gen_range(0..cases);
				if own[i].contains(&case) {
					continue;
				}
				own[i].push(case);
				if let Some(c) = self.workers[i].clique {
					for &mate in &cliques[c] {
						let m = mate as usize;
						if m != i
							&& !policy.is_barred(mate)
							&& chance(&mut self.rng, self.config.clique_follow_prob)
							&& !own[m].contains(&case)
						{
							own[m].push(case);
						}
					}
				}
			}
		}
		let mut queue: Vec<(u32, usize)> = Vec::new();
		for (i, cs) in own.iter().enumerate() {
			for &c in cs {
				members[c].push(i as u32);
				queue.push((i as u32, c));
			}
		}
		queue.shuffle(&mut self.rng);
		let mut case_leaked = vec![false; cases];

		// 3-5. Process the requests.
		for (sw, case) in queue {
			let i = sw as usize;
			let requests_this_cycle = own[i].len() as f32;
			let partners: Vec<u32> = members[case].iter().copied().filter(|m| *m != sw).collect();
			let collaborator_trust = if partners.is_empty() {
				0.5
			} else {
				partners.iter().map(|p| start_trust[*p as usize]).sum::<f32>()
					/ partners.len() as f32
			};
			let off = chance(&mut self.rng, self.workers[i].off_hours());
			let w = &mut self.workers[i];
			let beta = self.params.evidence_trust(&w.log.evidence);
			w.log.recent_off.push_back(off);
			if w.log.recent_off.len() > RECENT {
				w.log.recent_off.pop_front();
			}
			let repeat = if partners.is_empty() {
				0.0
			} else {
				partners
					.iter()
					.filter(|p| w.log.recent_partners.iter().any(|list| list.contains(p)))
					.count() as f32 / partners.len() as f32
			};
			w.log.recent_partners.push_back(partners.clone());
			if w.log.recent_partners.len() > RECENT_CASES {
				w.log.recent_partners.pop_front();
			}
			let mut features: Features = [0.0; FEATURE_COUNT];
			features[index::COLLABORATORS] = partners.len() as f32;
			features[index::COLLABORATOR_TRUST] = collaborator_trust;
			features[index::CONSPIRATORS] = w.log.known_conspirators.len() as f32;
			features[index::BETA_TRUST] = perbill_f32(beta);
			features[index::ALARMS] = w.log.alarms as f32;
			features[index::ACCESSES] = w.log.accesses as f32;
			features[index::REQUESTS_THIS_CYCLE] = requests_this_cycle;
			features[index::OFF_HOURS_SHARE] = w.log.recent_off.iter().filter(|o| **o).count()
				as f32 / w.log.recent_off.len() as f32;
			features[index::SESSION_MINUTES] = if w.log.recent_sessions.is_empty() {
				DEFAULT_SESSION_MINUTES
			} else {
				w.log.recent_sessions.iter().sum::<f32>() / w.log.recent_sessions.len() as f32
			};
			features[index::CONTRIBUTION_RATIO] =
				(w.log.contributions as f32 + 1.0) / (w.log.accesses as f32 + 2.0);
			features[index::REPEAT_PARTNERS] = repeat;
			if let Some(out) = records.as_deref_mut() {
				out.push(Record { sw, cycle, seq: w.log.requests, kind: w.kind, features });
			}
			w.log.requests += 1;
			stats.requests += 1;

			let request = Request {
				sw,
				cycle,
				features: &features,
				beta_trust: beta,
				known_conspirators: w.log.known_conspirators.len() as u32,
			};
			let config = &self.config;
			let rng = &mut self.rng;
			let traps = &mut stats.traps;
			let mut trap = || {
				*traps += 1;
				let slips = config.own_hosts_look_external
					&& w.kind == SwKind::SemiHonest
					&& chance(rng, config.slip_prob);
				if (w.leaks(rng) || slips) && chance(rng, config.trap_catch_prob) {
					if let Some(host) = w.pick_conspirator(rng) {
						w.reveal(host);
					}
				}
				w.log.known_conspirators.len() as u32
			};
			let granted = policy.decide(&request, &mut trap)?;
			if !granted {
				continue;
			}
			stats.granted += 1;

			// The SW acts.
			let mut alarm = false;
			if w.leaks(&mut self.rng) {
				stats.leaks += 1;
				let host = w.pick_conspirator(&mut self.rng);
				if chance(&mut self.rng, self.config.trace_prob) {
					alarm = true;
					if let Some(h) = host {
						w.reveal(h);
					}
				} else {
					stats.successful_leaks += 1;
					case_leaked[case] = true;
				}
			} else if w.kind == SwKind::SemiHonest && chance(&mut self.rng, self.config.slip_prob) {
				stats.slips += 1;
				alarm = true;
				if self.config.own_hosts_look_external {
					if let Some(h) = w.pick_conspirator(&mut self.rng) {
						w.reveal(h);
					}
				}
			} else if chance(&mut self.rng, self.config.false_trigger_prob) {
				alarm = true;
			}
			if chance(&mut self.rng, w.contribution()) {
				w.log.contributions += 1;
			}
			let session = lognormal(&mut self.rng, w.session_median(), SESSION_SIGMA) as f32;
			w.log.recent_sessions.push_back(session);
			if w.log.recent_sessions.len() > RECENT {
				w.log.recent_sessions.pop_front();
			}
			w.log.accesses += 1;
			if alarm {
				stats.alarms += 1;
				w.log.alarms += 1;
				w.log.evidence.record_bad(1);
			} else {
				w.log.evidence.record_good(1);
			}
			w.advance_phase();
			policy.observe(sw, alarm);
		}

		stats.cases_leaked = case_leaked.iter().filter(|l| **l).count() as u32;
		for (i, w) in self.workers.iter().enumerate() {
			let flagged = policy.flagged(i as u32);
			if w.kind.is_malicious() {
				stats.malicious += 1;
				stats.detected += flagged as u32;
			} else {
				stats.benign += 1;
				stats.false_alarms += flagged as u32;
			}
		}
		self.cycle += 1;
		Ok(stats)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn small(seed: u64) -> SimConfig {
		SimConfig { sws: 200, cases_per_cycle: 80, seed, ..SimConfig::default() }
	}

	fn run(config: SimConfig, cycles: u32) -> (Vec<Record>, Vec<CycleStats>, Vec<SwKind>) {
		let mut sim = Simulator::new(config).expect("valid config; qed");
		let mut records = Vec::new();
		let mut stats = Vec::new();
		for _ in 0..cycles {
			stats.push(sim.run_cycle(&mut OpenAccess, Some(&mut records)).expect("open; qed"));
		}
		(records, stats, sim.kinds())
	}

	#[test]
	fn same_seed_same_records_other_seed_other_records() {
		let (a, sa, _) = run(small(5), 3);
		let (b, sb, _) = run(small(5), 3);
		let (c, _, _) = run(small(6), 3);
		assert_eq!(a, b);
		assert_eq!(sa, sb);
		assert_ne!(a, c);
	}

	#[test]
	fn population_follows_the_shares() {
		let config = SimConfig { sws: 1_000, dishonest_share: 0.3, ..SimConfig::default() };
		let sim = Simulator::new(config).expect("valid; qed");
		let kinds = sim.kinds();
		let count = |k: SwKind| kinds.iter().filter(|x| **x == k).count();
		let malicious = kinds.iter().filter(|k| k.is_malicious()).count();
		assert_eq!(malicious, 300);
		assert_eq!(count(SwKind::Colluder), 105);
		assert_eq!(count(SwKind::Rational), 90);
		assert_eq!(count(SwKind::Dishonest), 105);
		assert_eq!(count(SwKind::SemiHonest), 175);
		assert_eq!(count(SwKind::Honest), 525);
		// Cliques have 1..=6 members (3..=6 except possibly the last).
		let cliques = sim.cliques();
		let mut sizes = std::collections::BTreeMap::new();
		for (k, c) in kinds.iter().zip(&cliques) {
			assert_eq!(c.is_some(), *k == SwKind::Colluder);
			if let Some(c) = c {
				*sizes.entry(*c).or_insert(0usize) += 1;
			}
		}
		let last = sizes.keys().max().copied();
		for (c, s) in sizes {
			assert!(s <= 6 && (s >= 3 || Some(c) == last), "clique {c} has {s} members");
		}
	}

	#[test]
	fn records_are_consistent_with_what_the_ta_can_see() {
		let (records, stats, kinds) = run(small(11), 6);
		assert_eq!(records.len() as u32, stats.iter().map(|s| s.requests).sum::<u32>());
		let mut next_seq = vec![0u32; kinds.len()];
		for r in &records {
			// Sequence numbers count each SW's requests.
			assert_eq!(r.seq, next_seq[r.sw as usize]);
			next_seq[r.sw as usize] += 1;
			assert_eq!(r.kind, kinds[r.sw as usize]);
			let f = &r.features;
			assert!(f.iter().all(|x| x.is_finite()));
			// Honest SWs send copies nowhere: no conspirator is ever linked to them.
			if r.kind == SwKind::Honest {
				assert_eq!(f[index::CONSPIRATORS], 0.0);
			}
			// By default a semi-honest SW's own machines are not taken for conspirators.
			if r.kind == SwKind::SemiHonest {
				assert_eq!(f[index::CONSPIRATORS], 0.0);
			}
			assert!(f[index::BETA_TRUST] > 0.0 && f[index::BETA_TRUST] < 1.0);
			assert!((0.0..=1.0).contains(&f[index::OFF_HOURS_SHARE]));
			assert!((0.0..=1.0).contains(&f[index::REPEAT_PARTNERS]));
			assert!(f[index::REQUESTS_THIS_CYCLE] >= 1.0);
			assert!(f[index::CONTRIBUTION_RATIO] > 0.0 && f[index::CONTRIBUTION_RATIO] < 1.0);
			assert!(f[index::ALARMS] <= f[index::ACCESSES]);
		}
		// Under open access every request is granted; honest SWs never leak.
		for s in &stats {
			assert_eq!(s.granted, s.requests);
			assert_eq!(s.detected + s.false_alarms, 0);
			assert!(s.successful_leaks <= s.leaks);
			assert!(s.cases_leaked <= s.successful_leaks);
		}
		assert!(stats.iter().map(|s| s.leaks).sum::<u32>() > 0);
	}

	#[test]
	fn malicious_sws_look_different_on_average() {
		// The features carry signal: contribution ratios and conspirators differ by label.
		let (records, _, _) = run(small(3), 8);
		let late: Vec<&Record> = records.iter().filter(|r| r.cycle >= 6).collect();
		let mean = |mal: bool, i: usize| {
			let xs: Vec<f32> = late
				.iter()
				.filter(|r| r.kind.is_malicious() == mal)
				.map(|r| r.features[i])
				.collect();
			xs.iter().sum::<f32>() / xs.len().max(1) as f32
		};
		assert!(mean(true, index::CONTRIBUTION_RATIO) < mean(false, index::CONTRIBUTION_RATIO));
		assert!(mean(true, index::CONSPIRATORS) > mean(false, index::CONSPIRATORS));
		assert!(mean(true, index::ALARMS) > mean(false, index::ALARMS));
	}

	#[test]
	fn rational_conspirators_alternate() {
		let config = SimConfig {
			sws: 50,
			dishonest_share: 1.0,
			rational_share: 1.0,
			colluder_share: 0.0,
			..small(2)
		};
		let mut sim = Simulator::new(config).expect("valid; qed");
		let w = &mut sim.workers[0];
		assert_eq!(w.kind, SwKind::Rational);
		let len = w.traits.phase_len;
		let mut phases = Vec::new();
		for _ in 0..(4 * len) {
			phases.push(w.leaking_phase);
			w.advance_phase();
		}
		let expected: Vec<bool> = (0..4 * len).map(|k| (k / len) % 2 == 1).collect();
		assert_eq!(phases, expected);
	}

	#[test]
	fn bad_configs_are_rejected() {
		let bad = |c: SimConfig| Simulator::new(c).is_err();
		assert!(bad(SimConfig { sws: 0, ..SimConfig::default() }));
		assert!(bad(SimConfig { dishonest_share: 1.5, ..SimConfig::default() }));
		assert!(bad(SimConfig { trace_prob: -0.1, ..SimConfig::default() }));
		assert!(bad(SimConfig { slip_prob: f64::NAN, ..SimConfig::default() }));
		assert!(bad(SimConfig {
			colluder_share: 0.7,
			rational_share: 0.6,
			..SimConfig::default()
		}));
		assert!(bad(SimConfig { cases_per_cycle: 0, ..SimConfig::default() }));
		assert!(!bad(SimConfig { dishonest_share: 0.0, ..SimConfig::default() }));
		assert!(!bad(SimConfig { dishonest_share: 1.0, ..SimConfig::default() }));
	}
}
