//! Trust-gated access: an SW's profile, the 11 features of an access request, and the
//! decision of R1-R3 (UIV-TSP, paper 002, sec. 3.5.1-3.5.3).
//!
//! At every request the chain evaluates the FNN ([`TrustModel`], the blob governance sets) on
//! the request's features, smooths the SW's FNN trust over its requests (an exponential moving
//! average), and combines it with the SW's penalised beta trust:
//! `T = w beta + (1 - w) fnn` ([`AccessConfig::beta_weight`]). Then the distinction rules
//! ([`Thresholds::classify`]): R1 `T >= high` grant; R2 `T <= low` refuse; R3 between: with
//! conspirators already known, the conspirator verdict sets the trust to 0 and bars the SW
//! ([`conspirator_verdict`]); otherwise the request is deferred (the trap of sec. 3.5.3 decides
//! it). A barred SW is refused for good.
//!
//! The features follow `endo-ml`'s `features::FEATURES` table, the one the FNN was trained
//! on, computed from what the chain has seen: the simulator knows all of a cycle's requesters
//! of a case in advance, the chain only those who asked before (the collaborators so far);
//! the collaborators' trust is their beta trust now rather than at the start of the cycle; and
//! the repeat-partner share compares with the requesters of the SW's last
//! [`RECENT_CASES`] cases as they are now.

use crate::Error;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use endo_trust::{
	conspirator_verdict, AccessDecision, Classification, Evidence, Thresholds, TrustModel,
	TrustParams, FEATURE_COUNT, Q32,
};
use scale_info::TypeInfo;
use sp_arithmetic::{FixedU64, Perbill};

/// The requests (off-hours flags) and sessions an SW profile remembers.
pub const RECENT: u32 = 10;
/// The cases whose requesters the repeat-partner share compares with.
pub const RECENT_CASES: u32 = 5;
/// The mean session length, in minutes, before an SW's first session (`endo-ml`'s
/// `DEFAULT_SESSION_MINUTES`, the overall median).
pub const DEFAULT_SESSION_MINUTES: u32 = 45;

/// Indices of the features, in the FNN's input order.
pub use endo_trust::feature_index as index;

/// How the chain turns features into a decision: set by the runtime.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct AccessConfig {
	/// `w` in `T = w beta + (1 - w) fnn`.
	pub beta_weight: Perbill,
	/// The weight of the newest FNN output in the SW's moving average (100 %: no smoothing).
	pub smoothing: Perbill,
	/// The penalty `lambda` of the beta trust `(s + 1) / (s + lambda f + 2)`.
	pub penalty: FixedU64,
	/// The beta evidence kept per cycle.
	pub retention: Perbill,
	/// The R1-R3 thresholds.
	pub thresholds: Thresholds,
}

impl Default for AccessConfig {
	/// `endo-ml`'s `TspConfig::default()` and `TrustParams::default()`: `w = 0.3`, smoothing
	/// 1/2, penalty 2, retention 95 % per cycle, thresholds (0.2, 0.5, 0.8).
	fn default() -> AccessConfig {
		let params = TrustParams::default();
		AccessConfig {
			beta_weight: Perbill::from_percent(30),
			smoothing: Perbill::from_percent(50),
			penalty: params.penalty(),
			retention: params.retention(),
			thresholds: *params.thresholds(),
		}
	}
}

impl AccessConfig {
	/// Checks the penalty and the thresholds ([`TrustParams::validate`]) and that the
	/// smoothing is not zero.
	pub fn validate(&self) -> Result<(), Error> {
		self.params()?;
		if self.smoothing.is_zero() {
			return Err(Error::InvalidAccessConfig);
		}
		Ok(())
	}

	fn params(&self) -> Result<TrustParams, Error> {
		TrustParams::new(self.penalty, self.retention, self.beta_weight, self.thresholds)
			.map_err(|_| Error::InvalidAccessConfig)
	}

	/// The penalised beta trust of `evidence`.
	pub fn beta_trust(&self, evidence: &Evidence) -> Perbill {
		evidence.penalised_expectation(self.penalty)
	}
}

/// What the chain knows about a security worker (the continuous log's summary, sec. 3.3).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct SwProfile {
	/// Beta evidence: a good event per access that ended without an alarm, a bad one per
	/// alarm; decayed by [`AccessConfig::retention`] per cycle.
	pub evidence: Evidence,
	/// The cycle the evidence was last decayed to, and the cycle of `requests_in_cycle`.
	pub cycle: u32,
	/// Requests in `cycle`.
	pub requests_in_cycle: u32,
	/// Leak-guard alarms attributed to the SW.
	pub alarms: u32,
	/// Accesses granted.
	pub accesses: u32,
	/// Patch or mitigation contributions the vendors accepted.
	pub contributions: u32,
	/// Distinct conspirators (unlicensed hosts) linked to the SW.
	pub conspirators: u32,
	/// Off-hours flags of the last [`RECENT`] requests, newest in bit 0.
	pub off_hours: u16,
	/// How many requests `off_hours` holds (at most [`RECENT`]).
	pub recent_requests: u8,
	/// Lengths of the last [`RECENT`] sessions in minutes, oldest first.
	pub sessions: BoundedVec<u32, ConstU32<RECENT>>,
	/// The last [`RECENT_CASES`] cases the SW asked for, oldest first.
	pub recent_cases: BoundedVec<u64, ConstU32<RECENT_CASES>>,
	/// The smoothed FNN trust, after its first request.
	pub fnn_trust: Option<Perbill>,
	/// Barred for good (a conspirator verdict).
	pub barred: bool,
}

/// What a request adds to the SW's own profile: the collaborators on its case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Collaboration {
	/// Other SWs who asked for the same case in this cycle (so far).
	pub collaborators: u32,
	/// Their mean beta trust (1/2, the prior, if none).
	pub mean_trust: Perbill,
	/// How many of them also asked for one of the SW's recent cases.
	pub repeat: u32,
}

impl Collaboration {
	/// No collaborators.
	pub const NONE: Collaboration =
		Collaboration { collaborators: 0, mean_trust: Perbill::from_percent(50), repeat: 0 };
}

/// The outcome of a request, as logged: the trust value and what it came from.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Assessment {
	/// The combined trust `T`.
	pub trust: Perbill,
	/// The beta trust.
	pub beta: Perbill,
	/// The smoothed FNN trust.
	pub fnn: Perbill,
	/// The R1-R3 class (after the conspirator verdict).
	pub class: Classification,
	/// What to do.
	pub decision: AccessDecision,
}

/// A fraction as a [`Q32`] feature.
fn share(part: u32, whole: u32) -> Q32 {
	if whole == 0 {
		return Q32::ZERO;
	}
	Q32::from_rational(i64::from(part), i64::from(whole)).unwrap_or(Q32::ZERO)
}

/// A count as a [`Q32`] feature (saturating at `i32::MAX`).
fn count(n: u32) -> Q32 {
	Q32::from_int(i32::try_from(n).unwrap_or(i32::MAX))
}

impl SwProfile {
	/// Brings the profile to `cycle`: decays the evidence by the cycles passed and restarts
	/// the request count. Earlier cycles change nothing.
	pub fn roll_to(&mut self, cycle: u32, config: &AccessConfig) {
		if cycle > self.cycle {
			self.evidence.decay(config.retention, cycle - self.cycle);
			self.cycle = cycle;
			self.requests_in_cycle = 0;
		}
	}

	/// The SW's penalised beta trust.
	pub fn beta_trust(&self, config: &AccessConfig) -> Perbill {
		config.beta_trust(&self.evidence)
	}

	/// Records a request in case `case`, made off working hours or not (call
	/// [`SwProfile::roll_to`] first).
	pub fn note_request(&mut self, case: u64, off_hours: bool) {
		self.requests_in_cycle = self.requests_in_cycle.saturating_add(1);
		self.off_hours = ((self.off_hours << 1) | u16::from(off_hours)) & ((1 << RECENT) - 1);
		self.recent_requests = self.recent_requests.saturating_add(1).min(RECENT as u8);
		if !self.recent_cases.contains(&case) {
			if self.recent_cases.is_full() {
				self.recent_cases.remove(0);
			}
			// Not full now: the push cannot fail.
			let _ = self.recent_cases.try_push(case);
		}
	}

	/// The 11 features of a request (after [`SwProfile::note_request`]), in the FNN's order.
	pub fn features(&self, collaboration: &Collaboration, config: &AccessConfig) -> [Q32; 11] {
		let mut f = [Q32::ZERO; FEATURE_COUNT];
		f[index::COLLABORATORS] = count(collaboration.collaborators);
		f[index::COLLABORATOR_TRUST] = if collaboration.collaborators == 0 {
			Q32::from_perbill(Perbill::from_percent(50))
		} else {
			Q32::from_perbill(collaboration.mean_trust)
		};
		f[index::CONSPIRATORS] = count(self.conspirators);
		f[index::BETA_TRUST] = Q32::from_perbill(self.beta_trust(config));
		f[index::ALARMS] = count(self.alarms);
		f[index::ACCESSES] = count(self.accesses);
		f[index::REQUESTS_THIS_CYCLE] = count(self.requests_in_cycle.max(1));
		f[index::OFF_HOURS_SHARE] =
			share(self.off_hours.count_ones(), u32::from(self.recent_requests.max(1)));
		f[index::SESSION_MINUTES] = if self.sessions.is_empty() {
			count(DEFAULT_SESSION_MINUTES)
		} else {
			let total = self.sessions.iter().fold(0u64, |a, s| a.saturating_add(u64::from(*s)));
			Q32::from_rational(i64::try_from(total).unwrap_or(i64::MAX), self.sessions.len() as i64)
				.unwrap_or(Q32::ZERO)
		};
		f[index::CONTRIBUTION_RATIO] =
			Q32::from_rational(i64::from(self.contributions) + 1, i64::from(self.accesses) + 2)
				.unwrap_or(Q32::ZERO);
		f[index::REPEAT_PARTNERS] = share(
			collaboration.repeat.min(collaboration.collaborators),
			collaboration.collaborators,
		);
		f
	}

	/// Decides a request: evaluates `model` on `features`, smooths the SW's FNN trust, combines
	/// it with the beta trust and applies R1-R3 and the conspirator verdict (which bars the
	/// SW). Errors only for a model that is not an 11 -> 1 network; then nothing changed.
	pub fn assess(
		&mut self,
		model: &TrustModel,
		features: &[Q32; FEATURE_COUNT],
		config: &AccessConfig,
	) -> Result<Assessment, Error> {
		let params = config.params()?;
		let output = model.evaluate_trust(features).map_err(|_| Error::TrustModel)?;
		let fnn = match self.fnn_trust {
			Some(previous) => {
				let w = u64::from(config.smoothing.deconstruct());
				let sum = w * u64::from(output.deconstruct())
					+ (1_000_000_000 - w) * u64::from(previous.deconstruct());
				Perbill::from_parts((sum / 1_000_000_000) as u32)
			}
			None => output,
		};
		self.fnn_trust = Some(fnn);
		let beta = self.beta_trust(config);
		let trust = params.combine(beta, fnn);
		let mut class = params.classify(trust);
		if self.barred {
			class = Classification::Untrusted;
		} else if class == Classification::SemiHonest && self.conspirators > 0 {
			class = conspirator_verdict(self.conspirators);
		}
		if class == Classification::Untrusted {
			self.barred = true;
		}
		let trust = if self.barred { Perbill::zero() } else { trust };
		Ok(Assessment { trust, beta, fnn, class, decision: class.decision() })
	}

	/// Records a granted access.
	pub fn note_grant(&mut self) {
		self.accesses = self.accesses.saturating_add(1);
	}

	/// Records the end of an access session of `minutes`: a good beta event when no alarm
	/// came from it (`alarm == false`).
	pub fn note_session_end(&mut self, minutes: u32, alarm: bool) {
		if self.sessions.is_full() {
			self.sessions.remove(0);
		}
		let _ = self.sessions.try_push(minutes);
		if !alarm {
			self.evidence.record_good(1);
		}
	}

	/// Records a leak-guard alarm attributed to the SW: a bad beta event, and `conspirator`
	/// when it revealed a new unlicensed host.
	pub fn note_alarm(&mut self, new_conspirator: bool) {
		self.alarms = self.alarms.saturating_add(1);
		self.evidence.record_bad(1);
		if new_conspirator {
			self.conspirators = self.conspirators.saturating_add(1);
		}
	}

	/// Records a contribution (a patch or mitigation the vendor accepted).
	pub fn note_contribution(&mut self) {
		self.contributions = self.contributions.saturating_add(1).min(self.accesses);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;
	use endo_trust::{Activation, Layer};

	/// A model whose output is `sigmoid(k * beta_trust + b)`: trust follows the beta feature.
	fn beta_model(k: i32, b: i32) -> TrustModel {
		let mut weights = vec![Q32::ZERO; FEATURE_COUNT];
		weights[index::BETA_TRUST] = Q32::from_int(k);
		let layer = Layer::new(11, 1, Activation::Sigmoid, weights, vec![Q32::from_int(b)])
			.expect("valid layer; qed");
		TrustModel::new(vec![], vec![layer]).expect("valid model; qed")
	}

	/// A model with a constant output `sigmoid(b)`.
	fn constant(b: i32) -> TrustModel {
		beta_model(0, b)
	}

	#[test]
	fn features_follow_the_profile() {
		let config = AccessConfig::default();
		let mut sw = SwProfile::default();
		sw.note_request(7, true);
		sw.note_request(8, false);
		sw.note_grant();
		sw.note_grant();
		sw.note_session_end(30, false);
		sw.note_session_end(60, false);
		sw.note_contribution();
		let collaboration =
			Collaboration { collaborators: 4, mean_trust: Perbill::from_percent(60), repeat: 1 };
		let f = sw.features(&collaboration, &config);
		assert_eq!(f[index::COLLABORATORS], Q32::from_int(4));
		assert_eq!(f[index::COLLABORATOR_TRUST], Q32::from_perbill(Perbill::from_percent(60)));
		assert_eq!(f[index::REQUESTS_THIS_CYCLE], Q32::from_int(2));
		assert_eq!(f[index::OFF_HOURS_SHARE], Q32::from_rational(1, 2).unwrap());
		assert_eq!(f[index::SESSION_MINUTES], Q32::from_int(45));
		assert_eq!(f[index::ACCESSES], Q32::from_int(2));
		// (1 + 1) / (2 + 2)
		assert_eq!(f[index::CONTRIBUTION_RATIO], Q32::from_rational(1, 2).unwrap());
		assert_eq!(f[index::REPEAT_PARTNERS], Q32::from_rational(1, 4).unwrap());
		// Two good events: (2 + 1) / (2 + 2).
		assert_eq!(f[index::BETA_TRUST], Q32::from_perbill(Perbill::from_percent(75)));
		assert_eq!(sw.recent_cases.to_vec(), vec![7, 8]);
	}

	#[test]
	fn a_fresh_sw_has_the_simulators_defaults() {
		let f = SwProfile::default().features(&Collaboration::NONE, &AccessConfig::default());
		assert_eq!(f[index::COLLABORATOR_TRUST], Q32::from_perbill(Perbill::from_percent(50)));
		assert_eq!(f[index::BETA_TRUST], Q32::from_perbill(Perbill::from_percent(50)));
		assert_eq!(f[index::REQUESTS_THIS_CYCLE], Q32::from_int(1));
		assert_eq!(f[index::SESSION_MINUTES], Q32::from_int(45));
		assert_eq!(f[index::OFF_HOURS_SHARE], Q32::ZERO);
		assert_eq!(f[index::REPEAT_PARTNERS], Q32::ZERO);
	}

	#[test]
	fn windows_keep_the_last_ten_requests_and_sessions_and_five_cases() {
		let mut sw = SwProfile::default();
		for i in 0..25u64 {
			sw.note_request(i, i % 2 == 0);
			sw.note_session_end(i as u32, false);
		}
		assert_eq!(sw.recent_requests, 10);
		assert_eq!(sw.off_hours.count_ones(), 5);
		assert_eq!(sw.sessions.to_vec(), (15..25).collect::<Vec<u32>>());
		assert_eq!(sw.recent_cases.to_vec(), vec![20, 21, 22, 23, 24]);
	}

	#[test]
	fn rules_r1_r2_r3_and_the_conspirator_verdict() {
		let config = AccessConfig::default();
		let features = [Q32::ZERO; FEATURE_COUNT];
		// Beta 1/2; fnn = sigmoid(6) ~ 0.9975: T = 0.3 * 0.5 + 0.7 * 0.9975 ~ 0.848 -> R1.
		let mut honest = SwProfile::default();
		let a = honest.assess(&constant(6), &features, &config).unwrap();
		assert_eq!((a.class, a.decision), (Classification::Honest, AccessDecision::Accept));
		// fnn ~ 0.0025: T ~ 0.152 -> R2.
		let mut dishonest = SwProfile::default();
		let a = dishonest.assess(&constant(-6), &features, &config).unwrap();
		assert_eq!((a.class, a.decision), (Classification::Dishonest, AccessDecision::Reject));
		assert!(!dishonest.barred);
		// fnn = 1/2: T = 1/2 -> R3, deferred while no conspirator is known.
		let mut semi = SwProfile::default();
		let a = semi.assess(&constant(0), &features, &config).unwrap();
		assert_eq!(a.decision, AccessDecision::Investigate);
		assert_eq!(a.trust, Perbill::from_percent(50));
		// With a conspirator: trust 0, barred, refused from then on whatever the model says.
		semi.note_alarm(true);
		let a = semi.assess(&constant(0), &features, &config).unwrap();
		assert_eq!((a.class, a.trust), (Classification::Untrusted, Perbill::zero()));
		assert!(semi.barred);
		let a = semi.assess(&constant(20), &features, &config).unwrap();
		assert_eq!(a.decision, AccessDecision::Reject);
	}

	#[test]
	fn the_fnn_trust_is_smoothed_over_requests() {
		let config = AccessConfig::default();
		let features = [Q32::ZERO; FEATURE_COUNT];
		let mut sw = SwProfile::default();
		let first = sw.assess(&constant(0), &features, &config).unwrap();
		assert_eq!(first.fnn, Perbill::from_percent(50));
		let high = constant(40).evaluate_trust(&features).unwrap();
		let second = sw.assess(&constant(40), &features, &config).unwrap();
		// Half the new output, half the old average.
		let expected = (u64::from(high.deconstruct()) + 500_000_000) / 2;
		assert_eq!(u64::from(second.fnn.deconstruct()), expected);
	}

	#[test]
	fn beta_trust_feeds_the_decision_and_decays_per_cycle() {
		let config = AccessConfig::default();
		let model = beta_model(40, -20);
		let mut sw = SwProfile::default();
		for _ in 0..20 {
			sw.note_grant();
			sw.note_session_end(40, false);
		}
		let f = sw.features(&Collaboration::NONE, &config);
		let a = sw.assess(&model, &f, &config).unwrap();
		assert_eq!(a.decision, AccessDecision::Accept);
		let before = sw.evidence.good_units();
		sw.roll_to(3, &config);
		assert!(sw.evidence.good_units() < before);
		assert_eq!(sw.requests_in_cycle, 0);
		// Rolling back does nothing.
		let kept = sw.clone();
		sw.roll_to(1, &config);
		assert_eq!(sw, kept);
	}

	#[test]
	fn a_model_of_another_shape_is_refused_and_changes_nothing() {
		let layer = Layer::new(2, 1, Activation::Identity, vec![Q32::ZERO; 2], vec![Q32::ZERO])
			.expect("valid layer; qed");
		let model = TrustModel::new(vec![], vec![layer]).expect("valid model; qed");
		let mut sw = SwProfile::default();
		let before = sw.clone();
		assert_eq!(
			sw.assess(&model, &[Q32::ZERO; FEATURE_COUNT], &AccessConfig::default()),
			Err(Error::TrustModel)
		);
		assert_eq!(sw, before);
	}

	#[test]
	fn contributions_never_exceed_accesses() {
		let mut sw = SwProfile::default();
		sw.note_contribution();
		assert_eq!(sw.contributions, 0);
		sw.note_grant();
		sw.note_contribution();
		sw.note_contribution();
		assert_eq!(sw.contributions, 1);
	}
}
