//! Severity of a vulnerability: CVSS 3.1 base vectors and scores, and SSVC decisions.
//!
//! * [`CvssV31`]: the eight base metrics of the FIRST CVSS v3.1 specification (sec. 2), the
//!   vector string (sec. 6), the base score (sec. 7.1, with the `Roundup` of appendix A) and the
//!   qualitative rating (sec. 5). The score is computed in integer arithmetic (fixed point with
//!   18 decimals; the only inexact step is the 15th power in the scope-changed impact, truncated
//!   by at most 15e-18), so it is the same on every machine; a test checks it against the
//!   specification's floating-point formula on all 2,592 base vectors.
//! * [`SsvcDecisionPoints`]: CISA's Stakeholder-Specific Vulnerability Categorization (CISA
//!   SSVC guide, November 2022), the decision points Exploitation, Automatable, Technical Impact
//!   and Mission & Well-being, and CISA's decision table of 36 rows (as published in CERT/CC's
//!   SSVC repository, `data/csv/cisa/cisa_coordinator_2_0_3.csv`) giving Track, Track*, Attend or
//!   Act.
//!
//! [`Severity`] holds either, with an [`Urgency`] to sort cases by.

use crate::Error;
use alloc::string::String;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;

macro_rules! metric_enum {
	($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $index:literal, $abbr:literal,)+ }) => {
		$(#[$doc])*
		#[derive(
			Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug,
		)]
		pub enum $name {
			$($(#[$vdoc])* #[codec(index = $index)] $variant,)+
		}

		impl $name {
			/// Every value, in the specification's order.
			pub const ALL: &'static [$name] = &[$($name::$variant,)+];

			/// The value's abbreviation in a vector string.
			pub fn abbreviation(self) -> &'static str {
				match self { $($name::$variant => $abbr,)+ }
			}

			fn from_abbreviation(value: &str) -> Result<$name, Error> {
				match value {
					$($abbr => Ok($name::$variant),)+
					_ => Err(Error::UnknownMetric),
				}
			}
		}
	};
}

metric_enum!(
	/// Attack Vector (AV, CVSS v3.1 sec. 2.1.1).
	AttackVector {
		/// `N`, weight 0.85.
		Network = 0, "N",
		/// `A`, weight 0.62.
		Adjacent = 1, "A",
		/// `L`, weight 0.55.
		Local = 2, "L",
		/// `P`, weight 0.2.
		Physical = 3, "P",
	}
);

metric_enum!(
	/// Attack Complexity (AC, sec. 2.1.2).
	AttackComplexity {
		/// `L`, weight 0.77.
		Low = 0, "L",
		/// `H`, weight 0.44.
		High = 1, "H",
	}
);

metric_enum!(
	/// Privileges Required (PR, sec. 2.1.3).
	PrivilegesRequired {
		/// `N`, weight 0.85.
		None = 0, "N",
		/// `L`, weight 0.62 (0.68 if the scope changes).
		Low = 1, "L",
		/// `H`, weight 0.27 (0.5 if the scope changes).
		High = 2, "H",
	}
);

metric_enum!(
	/// User Interaction (UI, sec. 2.1.4).
	UserInteraction {
		/// `N`, weight 0.85.
		None = 0, "N",
		/// `R`, weight 0.62.
		Required = 1, "R",
	}
);

metric_enum!(
	/// Scope (S, sec. 2.2).
	Scope {
		/// `U`.
		Unchanged = 0, "U",
		/// `C`.
		Changed = 1, "C",
	}
);

metric_enum!(
	/// Confidentiality, Integrity or Availability impact (C, I, A; sec. 2.3).
	Impact {
		/// `N`, weight 0.
		None = 0, "N",
		/// `L`, weight 0.22.
		Low = 1, "L",
		/// `H`, weight 0.56.
		High = 2, "H",
	}
);

/// The qualitative severity rating of a score (CVSS v3.1 sec. 5).
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
	Debug,
)]
pub enum Rating {
	/// 0.0.
	#[codec(index = 0)]
	None,
	/// 0.1 - 3.9.
	#[codec(index = 1)]
	Low,
	/// 4.0 - 6.9.
	#[codec(index = 2)]
	Medium,
	/// 7.0 - 8.9.
	#[codec(index = 3)]
	High,
	/// 9.0 - 10.0.
	#[codec(index = 4)]
	Critical,
}

impl Rating {
	/// The rating of a score in tenths (`98` = 9.8).
	pub fn from_tenths(score: u8) -> Rating {
		match score {
			0 => Rating::None,
			1..=39 => Rating::Low,
			40..=69 => Rating::Medium,
			70..=89 => Rating::High,
			_ => Rating::Critical,
		}
	}

	/// The rating's name in upper case, as CSAF's `baseSeverity` spells it.
	pub fn as_upper_str(self) -> &'static str {
		match self {
			Rating::None => "NONE",
			Rating::Low => "LOW",
			Rating::Medium => "MEDIUM",
			Rating::High => "HIGH",
			Rating::Critical => "CRITICAL",
		}
	}
}

/// A CVSS v3.1 base vector: the eight base metrics, 8 bytes in SCALE.
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
pub struct CvssV31 {
	/// Attack Vector.
	pub av: AttackVector,
	/// Attack Complexity.
	pub ac: AttackComplexity,
	/// Privileges Required.
	pub pr: PrivilegesRequired,
	/// User Interaction.
	pub ui: UserInteraction,
	/// Scope.
	pub s: Scope,
	/// Confidentiality impact.
	pub c: Impact,
	/// Integrity impact.
	pub i: Impact,
	/// Availability impact.
	pub a: Impact,
}

/// The vector string's prefix for version 3.1.
pub const CVSS31_PREFIX: &str = "CVSS:3.1/";

/// Temporal and environmental metric names (sec. 3, 4): recognised, and refused.
const NON_BASE_METRICS: [&str; 14] =
	["E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"];

/// Fixed-point scale of the score arithmetic: 10^18.
const ONE: i128 = 1_000_000_000_000_000_000;

/// `a * b` in fixed point (truncating); `|a|, |b| <= 10 * ONE` keeps the product in `i128`.
fn mul(a: i128, b: i128) -> i128 {
	a.saturating_mul(b) / ONE
}

impl CvssV31 {
	/// Parses a CVSS v3.1 base vector string, `CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_`.
	///
	/// The specification (sec. 6) lists the metrics in this order but does not require it, so
	/// any order is accepted; [`to_vector`](Self::to_vector) writes the canonical order. Each
	/// base metric must appear exactly once. Temporal and environmental metrics are refused
	/// ([`Error::UnsupportedMetric`]): only the base score is kept on chain.
	pub fn parse(vector: &str) -> Result<CvssV31, Error> {
		let rest = vector.strip_prefix("CVSS:").ok_or(Error::MalformedVector)?;
		let (version, metrics) = rest.split_once('/').ok_or(Error::MalformedVector)?;
		if version != "3.1" {
			return Err(Error::UnsupportedVersion);
		}
		let mut av = None;
		let mut ac = None;
		let mut pr = None;
		let mut ui = None;
		let mut s = None;
		let mut c = None;
		let mut i = None;
		let mut a = None;
		fn set<T>(slot: &mut Option<T>, value: T) -> Result<(), Error> {
			if slot.is_some() {
				return Err(Error::DuplicateMetric);
			}
			*slot = Some(value);
			Ok(())
		}
		for part in metrics.split('/') {
			let (name, value) = part.split_once(':').ok_or(Error::MalformedVector)?;
			if name.is_empty() || value.is_empty() {
				return Err(Error::MalformedVector);
			}
			match name {
				"AV" => set(&mut av, AttackVector::from_abbreviation(value)?)?,
				"AC" => set(&mut ac, AttackComplexity::from_abbreviation(value)?)?,
				"PR" => set(&mut pr, PrivilegesRequired::from_abbreviation(value)?)?,
				"UI" => set(&mut ui, UserInteraction::from_abbreviation(value)?)?,
				"S" => set(&mut s, Scope::from_abbreviation(value)?)?,
				"C" => set(&mut c, Impact::from_abbreviation(value)?)?,
				"I" => set(&mut i, Impact::from_abbreviation(value)?)?,
				"A" => set(&mut a, Impact::from_abbreviation(value)?)?,
				_ if NON_BASE_METRICS.contains(&name) => return Err(Error::UnsupportedMetric),
				_ => return Err(Error::UnknownMetric),
			}
		}
		Ok(CvssV31 {
			av: av.ok_or(Error::MissingMetric)?,
			ac: ac.ok_or(Error::MissingMetric)?,
			pr: pr.ok_or(Error::MissingMetric)?,
			ui: ui.ok_or(Error::MissingMetric)?,
			s: s.ok_or(Error::MissingMetric)?,
			c: c.ok_or(Error::MissingMetric)?,
			i: i.ok_or(Error::MissingMetric)?,
			a: a.ok_or(Error::MissingMetric)?,
		})
	}

	/// The canonical vector string (the specification's metric order).
	pub fn to_vector(&self) -> String {
		alloc::format!("{self}")
	}

	/// The base score in tenths (`98` = 9.8), exactly per sec. 7.1 and appendix A.
	pub fn base_score(&self) -> u8 {
		let changed = self.s == Scope::Changed;
		// Weights in hundredths (sec. 7.4).
		let av: i128 = match self.av {
			AttackVector::Network => 85,
			AttackVector::Adjacent => 62,
			AttackVector::Local => 55,
			AttackVector::Physical => 20,
		};
		let ac: i128 = match self.ac {
			AttackComplexity::Low => 77,
			AttackComplexity::High => 44,
		};
		let pr: i128 = match (self.pr, changed) {
			(PrivilegesRequired::None, _) => 85,
			(PrivilegesRequired::Low, false) => 62,
			(PrivilegesRequired::Low, true) => 68,
			(PrivilegesRequired::High, false) => 27,
			(PrivilegesRequired::High, true) => 50,
		};
		let ui: i128 = match self.ui {
			UserInteraction::None => 85,
			UserInteraction::Required => 62,
		};
		let cia = |impact: Impact| -> i128 {
			match impact {
				Impact::None => 0,
				Impact::Low => 22,
				Impact::High => 56,
			}
		};
		// ISS = 1 - (1 - C)(1 - I)(1 - A); the product is exact in millionths.
		let untouched = (100 - cia(self.c)) * (100 - cia(self.i)) * (100 - cia(self.a));
		let iss = ONE - untouched * 1_000_000_000_000;
		let impact = if changed {
			// 7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15
			let base = iss - 20_000_000_000_000_000;
			let mut power = ONE;
			for _ in 0..15 {
				power = mul(power, base);
			}
			752 * (iss - 29_000_000_000_000_000) / 100 - 325 * power / 100
		} else {
			// 6.42 x ISS
			642 * iss / 100
		};
		if impact <= 0 {
			return 0;
		}
		// 8.22 x AV x AC x PR x UI, exact: 10^10 -> 10^18.
		let exploitability = 822 * av * ac * pr * ui * 100_000_000;
		let total = impact.saturating_add(exploitability);
		let total = if changed { 108 * total / 100 } else { total };
		roundup(total.min(10 * ONE))
	}

	/// The qualitative rating of [`base_score`](Self::base_score).
	pub fn rating(&self) -> Rating {
		Rating::from_tenths(self.base_score())
	}
}

/// CVSS v3.1 appendix A `Roundup`, on a fixed-point value in `[0, 10]`, to tenths:
/// `int_input = round_to_int(x * 100000)`; if `int_input % 10000 == 0` the result is
/// `int_input / 10000` tenths, else `floor(int_input / 10000) + 1` tenths.
fn roundup(value: i128) -> u8 {
	let unit = ONE / 100_000;
	let int_input = (value.max(0) + unit / 2) / unit;
	let tenths = if int_input % 10_000 == 0 { int_input / 10_000 } else { int_input / 10_000 + 1 };
	u8::try_from(tenths.clamp(0, 100)).unwrap_or(100)
}

impl fmt::Display for CvssV31 {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"{CVSS31_PREFIX}AV:{}/AC:{}/PR:{}/UI:{}/S:{}/C:{}/I:{}/A:{}",
			self.av.abbreviation(),
			self.ac.abbreviation(),
			self.pr.abbreviation(),
			self.ui.abbreviation(),
			self.s.abbreviation(),
			self.c.abbreviation(),
			self.i.abbreviation(),
			self.a.abbreviation()
		)
	}
}

impl core::str::FromStr for CvssV31 {
	type Err = Error;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		CvssV31::parse(s)
	}
}

metric_enum!(
	/// SSVC Exploitation: the present state of exploitation of the vulnerability.
	Exploitation {
		/// No evidence of active exploitation and no public proof of concept.
		None = 0, "none",
		/// A public proof of concept, or a well-known method of exploitation.
		Poc = 1, "public poc",
		/// Reliable evidence that attackers exploit it.
		Active = 2, "active",
	}
);

metric_enum!(
	/// SSVC Automatable: whether an attacker can reliably automate steps 1-4 of the kill chain.
	Automatable {
		/// No.
		No = 0, "no",
		/// Yes.
		Yes = 1, "yes",
	}
);

metric_enum!(
	/// SSVC Technical Impact: partial or total control over the vulnerable component.
	TechnicalImpact {
		/// Limited control or information exposure.
		Partial = 0, "partial",
		/// Total control, or total disclosure of information.
		Total = 1, "total",
	}
);

metric_enum!(
	/// SSVC Mission & Well-being impact (CISA's combination of mission prevalence and public
	/// well-being impact).
	MissionWellbeing {
		/// Low.
		Low = 0, "low",
		/// Medium.
		Medium = 1, "medium",
		/// High.
		High = 2, "high",
	}
);

metric_enum!(
	/// CISA's SSVC decisions, from least to most urgent.
	SsvcDecision {
		/// Track: remediate within standard update timelines.
		Track = 0, "track",
		/// Track*: track more closely; remediate within standard timelines.
		TrackStar = 1, "track*",
		/// Attend: supervisory attention; remediate sooner than standard timelines.
		Attend = 2, "attend",
		/// Act: leadership attention; remediate as soon as possible.
		Act = 3, "act",
	}
);

impl Exploitation {
	/// The value's name in CISA's table (`none`, `public poc`, `active`).
	pub fn name(self) -> &'static str {
		self.abbreviation()
	}

	/// The value from its name in CISA's table.
	pub fn from_name(name: &str) -> Result<Self, Error> {
		Self::from_abbreviation(name)
	}
}

impl Automatable {
	/// The value's name in CISA's table.
	pub fn name(self) -> &'static str {
		self.abbreviation()
	}

	/// The value from its name in CISA's table.
	pub fn from_name(name: &str) -> Result<Self, Error> {
		Self::from_abbreviation(name)
	}
}

impl TechnicalImpact {
	/// The value's name in CISA's table.
	pub fn name(self) -> &'static str {
		self.abbreviation()
	}

	/// The value from its name in CISA's table.
	pub fn from_name(name: &str) -> Result<Self, Error> {
		Self::from_abbreviation(name)
	}
}

impl MissionWellbeing {
	/// The value's name in CISA's table.
	pub fn name(self) -> &'static str {
		self.abbreviation()
	}

	/// The value from its name in CISA's table.
	pub fn from_name(name: &str) -> Result<Self, Error> {
		Self::from_abbreviation(name)
	}
}

impl SsvcDecision {
	/// The decision's name in CISA's table (`track`, `track*`, `attend`, `act`).
	pub fn name(self) -> &'static str {
		self.abbreviation()
	}

	/// The decision from its name in CISA's table.
	pub fn from_name(name: &str) -> Result<Self, Error> {
		Self::from_abbreviation(name)
	}
}

/// The four SSVC decision points of CISA's tree.
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
pub struct SsvcDecisionPoints {
	/// Exploitation.
	pub exploitation: Exploitation,
	/// Automatable.
	pub automatable: Automatable,
	/// Technical Impact.
	pub technical_impact: TechnicalImpact,
	/// Mission & Well-being.
	pub mission_wellbeing: MissionWellbeing,
}

impl SsvcDecisionPoints {
	/// CISA's decision for these decision points (the 36-row table named in the module docs).
	pub fn decision(&self) -> SsvcDecision {
		use Automatable::{No, Yes};
		use Exploitation::{Active, None as NoExploit, Poc};
		use MissionWellbeing::{High, Low, Medium};
		use SsvcDecision::{Act, Attend, Track, TrackStar};
		use TechnicalImpact::{Partial, Total};
		match (self.exploitation, self.automatable, self.technical_impact, self.mission_wellbeing) {
			(NoExploit, No, Partial, Low) => Track,
			(NoExploit, No, Partial, Medium) => Track,
			(NoExploit, No, Partial, High) => Track,
			(NoExploit, No, Total, Low) => Track,
			(NoExploit, No, Total, Medium) => Track,
			(NoExploit, No, Total, High) => TrackStar,
			(NoExploit, Yes, Partial, Low) => Track,
			(NoExploit, Yes, Partial, Medium) => Track,
			(NoExploit, Yes, Partial, High) => Attend,
			(NoExploit, Yes, Total, Low) => Track,
			(NoExploit, Yes, Total, Medium) => Track,
			(NoExploit, Yes, Total, High) => Attend,
			(Poc, No, Partial, Low) => Track,
			(Poc, No, Partial, Medium) => Track,
			(Poc, No, Partial, High) => TrackStar,
			(Poc, No, Total, Low) => Track,
			(Poc, No, Total, Medium) => TrackStar,
			(Poc, No, Total, High) => Attend,
			(Poc, Yes, Partial, Low) => Track,
			(Poc, Yes, Partial, Medium) => Track,
			(Poc, Yes, Partial, High) => Attend,
			(Poc, Yes, Total, Low) => Track,
			(Poc, Yes, Total, Medium) => TrackStar,
			(Poc, Yes, Total, High) => Attend,
			(Active, No, Partial, Low) => Track,
			(Active, No, Partial, Medium) => Track,
			(Active, No, Partial, High) => Attend,
			(Active, No, Total, Low) => Track,
			(Active, No, Total, Medium) => Attend,
			(Active, No, Total, High) => Act,
			(Active, Yes, Partial, Low) => Attend,
			(Active, Yes, Partial, Medium) => Attend,
			(Active, Yes, Partial, High) => Act,
			(Active, Yes, Total, Low) => Attend,
			(Active, Yes, Total, Medium) => Act,
			(Active, Yes, Total, High) => Act,
		}
	}
}

/// How urgently a case needs attention, comparable across CVSS and SSVC.
///
/// CVSS ratings map by name (`Low` .. `Critical`); SSVC decisions map Track -> `Low`,
/// Track* -> `Medium`, Attend -> `High`, Act -> `Critical` (CISA's priority levels for them).
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
	Debug,
)]
pub enum Urgency {
	/// Nothing to do (CVSS 0.0).
	#[codec(index = 0)]
	None,
	/// Low.
	#[codec(index = 1)]
	Low,
	/// Medium.
	#[codec(index = 2)]
	Medium,
	/// High.
	#[codec(index = 3)]
	High,
	/// Critical.
	#[codec(index = 4)]
	Critical,
}

/// A case's severity, as assessed by CVSS 3.1 or SSVC.
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
pub enum Severity {
	/// A CVSS 3.1 base vector.
	#[codec(index = 0)]
	Cvss31(CvssV31),
	/// SSVC decision points.
	#[codec(index = 1)]
	Ssvc(SsvcDecisionPoints),
}

impl Severity {
	/// The urgency; within one urgency, [`sort_key`](Self::sort_key) orders further.
	pub fn urgency(&self) -> Urgency {
		match self {
			Severity::Cvss31(v) => match v.rating() {
				Rating::None => Urgency::None,
				Rating::Low => Urgency::Low,
				Rating::Medium => Urgency::Medium,
				Rating::High => Urgency::High,
				Rating::Critical => Urgency::Critical,
			},
			Severity::Ssvc(p) => match p.decision() {
				SsvcDecision::Track => Urgency::Low,
				SsvcDecision::TrackStar => Urgency::Medium,
				SsvcDecision::Attend => Urgency::High,
				SsvcDecision::Act => Urgency::Critical,
			},
		}
	}

	/// A total sort key, most urgent largest: the urgency, then the CVSS score in tenths (an
	/// SSVC decision ranks above every CVSS score of its urgency, as it also weighs exploitation).
	pub fn sort_key(&self) -> (Urgency, u8) {
		match self {
			Severity::Cvss31(v) => (self.urgency(), v.base_score()),
			Severity::Ssvc(_) => (self.urgency(), u8::MAX),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn published_scores() {
		for (vector, score) in [
			("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98),
			("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100),
			("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0),
		] {
			assert_eq!(CvssV31::parse(vector).unwrap().base_score(), score, "{vector}");
		}
	}

	#[test]
	fn roundup_follows_appendix_a() {
		let unit = ONE / 100_000;
		assert_eq!(roundup(4 * ONE), 40);
		assert_eq!(roundup(4 * ONE + 2 * unit), 41);
		// 4.000004 rounds to 400000 hundred-thousandths: exactly 4.0.
		assert_eq!(roundup(4 * ONE + 4 * unit / 10), 40);
		assert_eq!(roundup(10 * ONE), 100);
		assert_eq!(roundup(0), 0);
	}

	#[test]
	fn ssvc_corners() {
		let p = SsvcDecisionPoints {
			exploitation: Exploitation::None,
			automatable: Automatable::No,
			technical_impact: TechnicalImpact::Partial,
			mission_wellbeing: MissionWellbeing::Low,
		};
		assert_eq!(p.decision(), SsvcDecision::Track);
		let p = SsvcDecisionPoints {
			exploitation: Exploitation::Active,
			automatable: Automatable::Yes,
			technical_impact: TechnicalImpact::Total,
			mission_wellbeing: MissionWellbeing::High,
		};
		assert_eq!(p.decision(), SsvcDecision::Act);
	}
}
