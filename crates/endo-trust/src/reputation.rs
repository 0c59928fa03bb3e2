//! Beta reputation with a penalty factor and evidence decay, the identity / behaviour trust
//! combination of Proof of Trust, and the UIV-TSP distinction rules R1-R3.
//!
//! # Formulas and where they come from
//!
//! * **Beta expectation** (UIV-TSP sec. 3.5.1, the standard form the text names; the paper's
//!   Eq. (6) is an image lost in the text extraction): with `s` secret-keeping (good) and `f`
//!   leakage (bad) events, `E = (s + 1) / (s + f + 2)`. See [`Evidence::expectation`].
//! * **Penalty factor** (UIV-TSP sec. 3.5.1, Eqs. (7)-(8); both equations were lost in the
//!   extraction, only the intent survives: "introduces a penalty factor to cause Tri to decrease
//!   faster when leakage occurs"). We use the standard weighted-failure form
//!   `T = (s + 1) / (s + lambda * f + 2)` with penalty `lambda >= 1`. One bad event then counts as
//!   `lambda` bad observations. For `lambda > 1` this has the property the paper wants: whenever
//!   `s >= f`, one bad event lowers `T` by more than one good event raises it (proof in
//!   `docs/TRUST-MODEL.md`, checked by `tests/properties.rs`). An SW that alternates good and bad
//!   events converges to `1 / (1 + lambda)` (1/3 with the default `lambda = 2`), i.e. into the
//!   semi-honest band where R3 sends it to the conspirator check: the paper's "rational
//!   conspirators" cannot keep a high trust value by alternating.
//! * **Decay of old evidence** (the forgetting factor of the beta reputation system of Josang and
//!   Ismail, the paper's reference \[33\]; UIV-TSP asks that trust follow *recent* behaviour): every
//!   epoch both counts are multiplied by `retention` in `[0, 1]`, so after `n` epochs an old event
//!   weighs `retention^n`. Counts are kept in millionths of an event ([`EVIDENCE_UNIT`]) so that
//!   decay does not round small counts away.
//! * **Identity + behaviour trust** (Proof of Trust, paper 000 sec. 3: "PoT dynamically forms
//!   the final trust level through the identity trust level and behavior trust level"; the paper
//!   gives no formula): the convex combination `T = w I + (1 - w) B` with `w` the identity weight.
//!   It stays in `[0, 1]` and is monotone in both inputs.
//! * **Distinction rules** (UIV-TSP sec. 3.5.2; the symbols were lost, the thresholds are given
//!   in sec. 4.2 as (0.2, 0.5, 0.8) for low, medium, high): R1 `T >= high` is honest (access
//!   accepted), R2 `T <= low` is dishonest (rejected), R3 `low < T < high` is semi-honest (check
//!   for conspirators, trap with a false uiv). A trust of exactly 0 is the sanction of sec. 3.5.2
//!   for an SW with conspirators ("the trust value will be set to 0 ... barred from rejoining")
//!   and is classified [`Classification::Untrusted`]. The medium threshold splits the
//!   semi-honest band into two [`TrustLevel`]s; where the paper used it in R3 was lost.
//!
//! All arithmetic is integer (`u128` intermediates), rounds down, and cannot overflow or panic.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{FixedU64, Perbill};

use crate::Error;

/// One event, in evidence units: counts are stored in millionths of an event.
pub const EVIDENCE_UNIT: u64 = 1_000_000;

/// The largest penalty factor [`TrustParams`] accepts.
pub const MAX_PENALTY: u32 = 1_000;

/// `Perbill` parts in one, and `FixedU64`'s denominator.
const BILLION: u128 = 1_000_000_000;
/// Q.63 one, for decay factors.
const ONE_Q63: u128 = 1 << 63;

/// Good and bad evidence about one subject (a security worker, a device, a validator).
///
/// Both counts are in [`EVIDENCE_UNIT`]s (millionths of an event) and saturate at `u64::MAX`
/// (about 1.8e13 events). Any value is valid.
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
	Default,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Evidence {
	good: u64,
	bad: u64,
}

impl Evidence {
	/// No evidence: the expectation is the uniform prior's 1/2.
	pub const fn new() -> Evidence {
		Evidence { good: 0, bad: 0 }
	}

	/// Evidence of `good` and `bad` whole events (saturating).
	pub const fn from_events(good: u64, bad: u64) -> Evidence {
		Evidence {
			good: good.saturating_mul(EVIDENCE_UNIT),
			bad: bad.saturating_mul(EVIDENCE_UNIT),
		}
	}

	/// Evidence given in [`EVIDENCE_UNIT`]s.
	pub const fn from_units(good: u64, bad: u64) -> Evidence {
		Evidence { good, bad }
	}

	/// Good evidence in [`EVIDENCE_UNIT`]s.
	pub const fn good_units(&self) -> u64 {
		self.good
	}

	/// Bad evidence in [`EVIDENCE_UNIT`]s.
	pub const fn bad_units(&self) -> u64 {
		self.bad
	}

	/// Records `events` good events (secret-keeping, a valid proof, a good block).
	pub fn record_good(&mut self, events: u32) {
		self.good = self.good.saturating_add((events as u64).saturating_mul(EVIDENCE_UNIT));
	}

	/// Records `events` bad events (a leak, a failed proof, an equivocation).
	pub fn record_bad(&mut self, events: u32) {
		self.bad = self.bad.saturating_add((events as u64).saturating_mul(EVIDENCE_UNIT));
	}

	/// Records `units` [`EVIDENCE_UNIT`]s of good evidence (fractions of an event: e.g. one
	/// authored block counting as a tenth of an event).
	pub fn record_good_units(&mut self, units: u64) {
		self.good = self.good.saturating_add(units);
	}

	/// Records `units` [`EVIDENCE_UNIT`]s of bad evidence.
	pub fn record_bad_units(&mut self, units: u64) {
		self.bad = self.bad.saturating_add(units);
	}

	/// Multiplies both counts by `retention^epochs` (rounded down): old evidence fades.
	pub fn decay(&mut self, retention: Perbill, epochs: u32) {
		let factor = retention_pow_q63(retention, epochs);
		// factor <= 2^63 and counts < 2^64: the products fit and the results are <= the counts.
		self.good = ((self.good as u128 * factor) >> 63) as u64;
		self.bad = ((self.bad as u128 * factor) >> 63) as u64;
	}

	/// The plain beta expectation `(s + 1) / (s + f + 2)`, rounded down.
	pub fn expectation(&self) -> Perbill {
		self.penalised(BILLION)
	}

	/// The penalised expectation `(s + 1) / (s + lambda f + 2)`, rounded down.
	///
	/// Any `penalty` is accepted here (a penalty below 1 rewards bad behaviour, which
	/// [`TrustParams`] refuses); the result is always in `(0, 1)`.
	pub fn penalised_expectation(&self, penalty: FixedU64) -> Perbill {
		self.penalised(penalty.into_inner() as u128)
	}

	fn penalised(&self, penalty_inner: u128) -> Perbill {
		let unit = EVIDENCE_UNIT as u128;
		let good = self.good as u128;
		// bad, penalty_inner < 2^64, so the product fits in u128; the quotient is < 2^99.
		let weighted_bad = self.bad as u128 * penalty_inner / BILLION;
		let num = good + unit;
		// den >= num > 0, den < 2^100; num < 2^65, so num * 1e9 < 2^95.
		let den = good + weighted_bad + 2 * unit;
		Perbill::from_parts((num * BILLION / den) as u32)
	}
}

/// `retention^epochs` in Q.63, by square-and-multiply, rounding down at each step.
fn retention_pow_q63(retention: Perbill, epochs: u32) -> u128 {
	let mut base = ((retention.deconstruct() as u128) << 63) / BILLION;
	let mut result = ONE_Q63;
	let mut e = epochs;
	while e > 0 {
		if e & 1 == 1 {
			result = (result * base) >> 63;
		}
		base = (base * base) >> 63;
		e >>= 1;
	}
	result
}

/// The UIV-TSP thresholds (sec. 3.5.2 and 4.2): `0 < low < medium < high <= 1`.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Thresholds {
	low: Perbill,
	medium: Perbill,
	high: Perbill,
}

impl Default for Thresholds {
	/// The paper's (0.2, 0.5, 0.8) (UIV-TSP sec. 4.2).
	fn default() -> Thresholds {
		Thresholds {
			low: Perbill::from_percent(20),
			medium: Perbill::from_percent(50),
			high: Perbill::from_percent(80),
		}
	}
}

impl Thresholds {
	/// Thresholds, if `0 < low < medium < high <= 1`.
	pub fn new(low: Perbill, medium: Perbill, high: Perbill) -> Result<Thresholds, Error> {
		let thresholds = Thresholds { low, medium, high };
		thresholds.validate()?;
		Ok(thresholds)
	}

	/// Checks `0 < low < medium < high <= 1` (for values that were decoded, not constructed).
	pub fn validate(&self) -> Result<(), Error> {
		if self.low > Perbill::zero() && self.low < self.medium && self.medium < self.high {
			Ok(())
		} else {
			Err(Error::ThresholdsNotOrdered)
		}
	}

	/// The low threshold (R2).
	pub const fn low(&self) -> Perbill {
		self.low
	}

	/// The medium threshold (splits the semi-honest band into two levels).
	pub const fn medium(&self) -> Perbill {
		self.medium
	}

	/// The high threshold (R1).
	pub const fn high(&self) -> Perbill {
		self.high
	}

	/// R1-R3 (UIV-TSP sec. 3.5.2), plus [`Classification::Untrusted`] for a trust of 0.
	pub fn classify(&self, trust: Perbill) -> Classification {
		self.level(trust).classification()
	}

	/// The discrete trust level of `trust`:
	///
	/// | level | trust | classification |
	/// |---|---|---|
	/// | 0 `Untrusted` | `T = 0` | untrusted (sanctioned, sec. 3.5.2) |
	/// | 1 `Low` | `0 < T <= low` | dishonest (R2) |
	/// | 2 `Doubtful` | `low < T < medium` | semi-honest (R3) |
	/// | 3 `Moderate` | `medium <= T < high` | semi-honest (R3) |
	/// | 4 `High` | `T >= high` | honest (R1) |
	pub fn level(&self, trust: Perbill) -> TrustLevel {
		if trust.is_zero() {
			TrustLevel::Untrusted
		} else if trust >= self.high {
			TrustLevel::High
		} else if trust <= self.low {
			TrustLevel::Low
		} else if trust < self.medium {
			TrustLevel::Doubtful
		} else {
			TrustLevel::Moderate
		}
	}
}

/// Discrete trust levels, `0..=4` (see [`Thresholds::level`]). Ordered: higher is more trusted.
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
	PartialOrd,
	Ord,
	Hash,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TrustLevel {
	/// 0: trust is exactly 0 (the sec. 3.5.2 sanction).
	#[codec(index = 0)]
	Untrusted,
	/// 1: `0 < T <= low`, dishonest.
	#[codec(index = 1)]
	Low,
	/// 2: `low < T < medium`, semi-honest.
	#[codec(index = 2)]
	Doubtful,
	/// 3: `medium <= T < high`, semi-honest.
	#[codec(index = 3)]
	Moderate,
	/// 4: `T >= high`, honest.
	#[codec(index = 4)]
	High,
}

impl TrustLevel {
	/// The highest level.
	pub const MAX: u8 = 4;

	/// The level as `0..=4`.
	pub const fn as_u8(self) -> u8 {
		match self {
			TrustLevel::Untrusted => 0,
			TrustLevel::Low => 1,
			TrustLevel::Doubtful => 2,
			TrustLevel::Moderate => 3,
			TrustLevel::High => 4,
		}
	}

	/// The level `n`, if `n <= 4`.
	pub const fn from_u8(n: u8) -> Option<TrustLevel> {
		match n {
			0 => Some(TrustLevel::Untrusted),
			1 => Some(TrustLevel::Low),
			2 => Some(TrustLevel::Doubtful),
			3 => Some(TrustLevel::Moderate),
			4 => Some(TrustLevel::High),
			_ => None,
		}
	}

	/// The UIV-TSP class of this level.
	pub const fn classification(self) -> Classification {
		match self {
			TrustLevel::Untrusted => Classification::Untrusted,
			TrustLevel::Low => Classification::Dishonest,
			TrustLevel::Doubtful | TrustLevel::Moderate => Classification::SemiHonest,
			TrustLevel::High => Classification::Honest,
		}
	}
}

/// The UIV-TSP classes of security workers (sec. 3.5.2). Ordered: higher is more trusted.
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
	PartialOrd,
	Ord,
	Hash,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Classification {
	/// Trust set to 0 for having conspirators: removed and barred from rejoining (sec. 3.5.2).
	#[codec(index = 0)]
	Untrusted,
	/// R2: `T <= low`; access rejected.
	#[codec(index = 1)]
	Dishonest,
	/// R3: `low < T < high`; "difficult to determine", may be a suspiciously dishonest SW.
	#[codec(index = 2)]
	SemiHonest,
	/// R1: `T >= high`; access accepted.
	#[codec(index = 3)]
	Honest,
}

/// What to do with an access request (UIV-TSP sec. 3.5.2-3.5.3).
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AccessDecision {
	/// R1: grant access.
	#[codec(index = 0)]
	Accept,
	/// R2 (and sanctioned subjects): refuse access.
	#[codec(index = 1)]
	Reject,
	/// R3: trace conspirators ([`conspirator_verdict`]) or release a false uiv as a trap.
	#[codec(index = 2)]
	Investigate,
}

impl Classification {
	/// The access decision of R1-R3.
	pub const fn decision(self) -> AccessDecision {
		match self {
			Classification::Honest => AccessDecision::Accept,
			Classification::SemiHonest => AccessDecision::Investigate,
			Classification::Dishonest | Classification::Untrusted => AccessDecision::Reject,
		}
	}
}

/// The conspirator check for a semi-honest SW (UIV-TSP sec. 3.5.2): with no conspirators it is
/// "temporarily considered as honest"; with any, its trust is set to 0 and it is barred.
pub const fn conspirator_verdict(conspirators: u32) -> Classification {
	if conspirators == 0 {
		Classification::Honest
	} else {
		Classification::Untrusted
	}
}

/// Everything that parameterises the trust computation, validated.
///
/// Fields are private: build with [`TrustParams::new`] or [`Default`], and call
/// [`TrustParams::validate`] on values that were decoded. The computations never panic on
/// unvalidated values, but only validated ones have the documented properties.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrustParams {
	penalty: FixedU64,
	retention: Perbill,
	identity_weight: Perbill,
	thresholds: Thresholds,
}

impl Default for TrustParams {
	/// Penalty 2, retention 95 % per epoch, identity weight 1/2, thresholds (0.2, 0.5, 0.8).
	fn default() -> TrustParams {
		TrustParams {
			penalty: FixedU64::from_u32(2),
			retention: Perbill::from_percent(95),
			identity_weight: Perbill::from_percent(50),
			thresholds: Thresholds::default(),
		}
	}
}

impl TrustParams {
	/// Parameters, if `1 <= penalty <= MAX_PENALTY` and the thresholds are ordered.
	///
	/// `retention` is the fraction of evidence kept per epoch (1 = never forget);
	/// `identity_weight` is `w` in `T = w I + (1 - w) B`.
	pub fn new(
		penalty: FixedU64,
		retention: Perbill,
		identity_weight: Perbill,
		thresholds: Thresholds,
	) -> Result<TrustParams, Error> {
		let params = TrustParams { penalty, retention, identity_weight, thresholds };
		params.validate()?;
		Ok(params)
	}

	/// Checks the invariants of [`TrustParams::new`].
	pub fn validate(&self) -> Result<(), Error> {
		if self.penalty < FixedU64::from_u32(1) || self.penalty > FixedU64::from_u32(MAX_PENALTY) {
			return Err(Error::PenaltyOutOfRange);
		}
		self.thresholds.validate()
	}

	/// The penalty factor `lambda`.
	pub const fn penalty(&self) -> FixedU64 {
		self.penalty
	}

	/// The evidence kept per epoch.
	pub const fn retention(&self) -> Perbill {
		self.retention
	}

	/// The identity weight `w`.
	pub const fn identity_weight(&self) -> Perbill {
		self.identity_weight
	}

	/// The thresholds.
	pub const fn thresholds(&self) -> &Thresholds {
		&self.thresholds
	}

	/// The penalised beta trust of `evidence`: `(s + 1) / (s + lambda f + 2)`.
	///
	/// Used for behaviour trust (secret-keeping vs leakage, good vs bad blocks) and for identity
	/// trust (continuous-authentication proofs accepted vs rejected).
	pub fn evidence_trust(&self, evidence: &Evidence) -> Perbill {
		evidence.penalised_expectation(self.penalty)
	}

	/// `w I + (1 - w) B`, rounded down; between `min(I, B)` and `max(I, B)`.
	pub fn combine(&self, identity: Perbill, behaviour: Perbill) -> Perbill {
		let w = self.identity_weight.deconstruct() as u128;
		let sum =
			w * identity.deconstruct() as u128 + (BILLION - w) * behaviour.deconstruct() as u128;
		Perbill::from_parts((sum / BILLION) as u32)
	}

	/// The combined trust of a subject from its identity and behaviour evidence.
	pub fn trust(&self, identity: &Evidence, behaviour: &Evidence) -> Perbill {
		self.combine(self.evidence_trust(identity), self.evidence_trust(behaviour))
	}

	/// Lets `epochs` epochs of decay act on `evidence`.
	pub fn decay(&self, evidence: &mut Evidence, epochs: u32) {
		evidence.decay(self.retention, epochs)
	}

	/// R1-R3 with these thresholds.
	pub fn classify(&self, trust: Perbill) -> Classification {
		self.thresholds.classify(trust)
	}

	/// The trust level with these thresholds.
	pub fn level(&self, trust: Perbill) -> TrustLevel {
		self.thresholds.level(trust)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn parts(p: Perbill) -> u32 {
		p.deconstruct()
	}

	#[test]
	fn beta_expectation_known_values() {
		assert_eq!(Evidence::new().expectation(), Perbill::from_percent(50));
		// (3 + 1) / (3 + 0 + 2) = 0.8
		assert_eq!(Evidence::from_events(3, 0).expectation(), Perbill::from_percent(80));
		// (0 + 1) / (0 + 3 + 2) = 0.2
		assert_eq!(Evidence::from_events(0, 3).expectation(), Perbill::from_percent(20));
		// (8 + 1) / (8 + 2 + 2) = 0.75
		assert_eq!(Evidence::from_events(8, 2).expectation(), Perbill::from_percent(75));
	}

	#[test]
	fn penalty_counts_bad_events_lambda_times() {
		let lambda = FixedU64::from_u32(3);
		// (8 + 1) / (8 + 3 * 2 + 2) = 9 / 16
		assert_eq!(parts(Evidence::from_events(8, 2).penalised_expectation(lambda)), 562_500_000);
		// lambda = 1.5: (4 + 1) / (4 + 3 + 2) = 5 / 9, rounded down.
		let lambda = FixedU64::from_rational(3, 2);
		assert_eq!(parts(Evidence::from_events(4, 2).penalised_expectation(lambda)), 555_555_555);
		// The penalty is the plain expectation when lambda = 1.
		let ev = Evidence::from_events(17, 5);
		assert_eq!(ev.penalised_expectation(FixedU64::from_u32(1)), ev.expectation());
	}

	#[test]
	fn saturated_evidence_does_not_panic() {
		let ev = Evidence::from_units(u64::MAX, u64::MAX);
		let p = FixedU64::from_u32(MAX_PENALTY);
		assert!(ev.penalised_expectation(p) < Perbill::from_percent(1));
		let ev = Evidence::from_units(u64::MAX, 0);
		// 1 - 1e6 / (2^64 + 2e6) rounds down to 999 999 999 parts.
		assert_eq!(ev.expectation(), Perbill::from_parts(999_999_999));
		let mut ev = Evidence::from_units(u64::MAX, 1);
		ev.record_good(u32::MAX);
		ev.record_bad(u32::MAX);
		assert_eq!(ev.good_units(), u64::MAX);
	}

	#[test]
	fn decay_scales_evidence() {
		let mut ev = Evidence::from_events(100, 10);
		ev.decay(Perbill::from_percent(50), 1);
		assert_eq!(ev, Evidence::from_events(50, 5));
		ev.decay(Perbill::from_percent(50), 2);
		assert_eq!(ev, Evidence::from_units(12_500_000, 1_250_000));
		ev.decay(Perbill::one(), 1_000);
		assert_eq!(ev, Evidence::from_units(12_500_000, 1_250_000));
		ev.decay(Perbill::zero(), 1);
		assert_eq!(ev, Evidence::new());
		let mut ev = Evidence::from_events(1, 0);
		ev.decay(Perbill::from_percent(90), 0);
		assert_eq!(ev, Evidence::from_events(1, 0));
		// 0.9^10 = 0.3486784401
		ev.decay(Perbill::from_percent(90), 10);
		assert!(ev.good_units().abs_diff(348_678) <= 1, "{}", ev.good_units());
		// Decay pulls trust back towards the prior 1/2.
		let mut ev = Evidence::from_events(40, 0);
		let before = ev.expectation();
		ev.decay(Perbill::from_percent(90), 20);
		assert!(ev.expectation() < before && ev.expectation() > Perbill::from_percent(50));
	}

	#[test]
	fn params_validation() {
		let t = Thresholds::default();
		assert!(TrustParams::new(FixedU64::from_u32(2), Perbill::one(), Perbill::zero(), t).is_ok());
		assert!(TrustParams::new(FixedU64::from_u32(1), Perbill::one(), Perbill::zero(), t).is_ok());
		assert_eq!(
			TrustParams::new(FixedU64::from_rational(1, 2), Perbill::one(), Perbill::zero(), t),
			Err(Error::PenaltyOutOfRange)
		);
		assert_eq!(
			TrustParams::new(
				FixedU64::from_u32(MAX_PENALTY + 1),
				Perbill::one(),
				Perbill::zero(),
				t
			),
			Err(Error::PenaltyOutOfRange)
		);
		let p = |x| Perbill::from_percent(x);
		assert_eq!(Thresholds::new(p(0), p(50), p(80)), Err(Error::ThresholdsNotOrdered));
		assert_eq!(Thresholds::new(p(50), p(50), p(80)), Err(Error::ThresholdsNotOrdered));
		assert_eq!(Thresholds::new(p(20), p(80), p(80)), Err(Error::ThresholdsNotOrdered));
		assert_eq!(Thresholds::new(p(30), p(20), p(80)), Err(Error::ThresholdsNotOrdered));
		assert!(Thresholds::new(p(10), p(60), p(100)).is_ok());
		assert!(TrustParams::default().validate().is_ok());
	}

	#[test]
	fn rules_r1_r2_r3() {
		let t = Thresholds::default();
		let p = Perbill::from_percent;
		assert_eq!(t.classify(Perbill::zero()), Classification::Untrusted);
		assert_eq!(t.classify(Perbill::from_parts(1)), Classification::Dishonest);
		assert_eq!(t.classify(p(20)), Classification::Dishonest);
		assert_eq!(t.classify(Perbill::from_parts(200_000_001)), Classification::SemiHonest);
		assert_eq!(t.level(p(49)), TrustLevel::Doubtful);
		assert_eq!(t.level(p(50)), TrustLevel::Moderate);
		assert_eq!(t.classify(Perbill::from_parts(799_999_999)), Classification::SemiHonest);
		assert_eq!(t.classify(p(80)), Classification::Honest);
		assert_eq!(t.classify(Perbill::one()), Classification::Honest);
		assert_eq!(Classification::Honest.decision(), AccessDecision::Accept);
		assert_eq!(Classification::SemiHonest.decision(), AccessDecision::Investigate);
		assert_eq!(Classification::Dishonest.decision(), AccessDecision::Reject);
		assert_eq!(Classification::Untrusted.decision(), AccessDecision::Reject);
		assert_eq!(conspirator_verdict(0), Classification::Honest);
		assert_eq!(conspirator_verdict(3), Classification::Untrusted);
		for n in 0..=TrustLevel::MAX {
			assert_eq!(TrustLevel::from_u8(n).map(TrustLevel::as_u8), Some(n));
		}
		assert_eq!(TrustLevel::from_u8(5), None);
		assert!(TrustLevel::High > TrustLevel::Moderate && TrustLevel::Low > TrustLevel::Untrusted);
	}

	#[test]
	fn combination_is_convex() {
		let params = TrustParams::default();
		let c = params.combine(Perbill::from_percent(90), Perbill::from_percent(30));
		assert_eq!(c, Perbill::from_percent(60));
		let all_identity = TrustParams::new(
			FixedU64::from_u32(2),
			Perbill::one(),
			Perbill::one(),
			Thresholds::default(),
		)
		.expect("valid parameters; qed");
		assert_eq!(
			all_identity.combine(Perbill::from_percent(7), Perbill::one()),
			Perbill::from_percent(7)
		);
	}

	#[test]
	fn alternating_subject_is_semi_honest() {
		// The paper's rational conspirator alternates good and bad behaviour (sec. 3.5.1).
		let params = TrustParams::default();
		let mut ev = Evidence::new();
		for _ in 0..1_000 {
			ev.record_good(1);
			ev.record_bad(1);
		}
		let t = params.evidence_trust(&ev);
		// -> 1 / (1 + lambda) = 1/3
		assert!(t.deconstruct().abs_diff(333_333_333) < 1_000_000, "{t:?}");
		assert_eq!(params.classify(t), Classification::SemiHonest);
		// A steadily good one is honest after three good events: (3 + 1) / (3 + 2) = 0.8.
		let two = Evidence::from_events(2, 0);
		assert_eq!(params.classify(params.evidence_trust(&two)), Classification::SemiHonest);
		let three = Evidence::from_events(3, 0);
		assert_eq!(params.classify(params.evidence_trust(&three)), Classification::Honest);
	}
}
