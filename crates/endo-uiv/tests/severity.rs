//! CVSS 3.1 and SSVC: published scores, the specification's floating-point formula on every
//! base vector, vector parsing, and CISA's SSVC table.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use endo_uiv::severity::{
	AttackComplexity, AttackVector, Automatable, Exploitation, Impact, MissionWellbeing,
	PrivilegesRequired, Scope, TechnicalImpact, UserInteraction,
};
use endo_uiv::{CvssV31, Error, Rating, Severity, SsvcDecision, SsvcDecisionPoints, Urgency};
use proptest::prelude::*;

/// Base scores published by FIRST (CVSS v3.1 specification and examples) and NVD for
/// well-known CVEs, in tenths.
const PUBLISHED: &[(&str, u8)] = &[
	// CVE-2017-5638 (Apache Struts) and most network RCEs.
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98),
	// CVE-2021-44228 (Log4Shell).
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100),
	// Reflected XSS.
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61),
	// Local privilege escalation.
	("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78),
	("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 59),
	("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0),
	// CVE-2014-0160 (Heartbleed).
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75),
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75),
	("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88),
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88),
	("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78),
	("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 55),
	("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 53),
	("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 72),
];

#[test]
fn published_base_scores() {
	for (vector, score) in PUBLISHED {
		let v = CvssV31::parse(vector).unwrap();
		assert_eq!(v.base_score(), *score, "{vector}");
		assert_eq!(v.to_vector(), *vector);
	}
}

/// The specification's `Roundup` (appendix A), in floating point.
fn roundup_f64(x: f64) -> f64 {
	let int_input = (x * 100_000.0).round() as i64;
	if int_input % 10_000 == 0 {
		int_input as f64 / 100_000.0
	} else {
		((int_input / 10_000) as f64 + 1.0) / 10.0
	}
}

/// The base score of sec. 7.1 and the weights of sec. 7.4, in floating point, as the
/// specification writes them.
fn reference_score(v: &CvssV31) -> f64 {
	let changed = v.s == Scope::Changed;
	let av = match v.av {
		AttackVector::Network => 0.85,
		AttackVector::Adjacent => 0.62,
		AttackVector::Local => 0.55,
		AttackVector::Physical => 0.2,
	};
	let ac = match v.ac {
		AttackComplexity::Low => 0.77,
		AttackComplexity::High => 0.44,
	};
	let pr = match (v.pr, changed) {
		(PrivilegesRequired::None, _) => 0.85,
		(PrivilegesRequired::Low, false) => 0.62,
		(PrivilegesRequired::Low, true) => 0.68,
		(PrivilegesRequired::High, false) => 0.27,
		(PrivilegesRequired::High, true) => 0.5,
	};
	let ui = match v.ui {
		UserInteraction::None => 0.85,
		UserInteraction::Required => 0.62,
	};
	let w = |i: Impact| match i {
		Impact::None => 0.0,
		Impact::Low => 0.22,
		Impact::High => 0.56,
	};
	let iss = 1.0 - ((1.0 - w(v.c)) * (1.0 - w(v.i)) * (1.0 - w(v.a)));
	let impact =
		if changed { 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02f64).powi(15) } else { 6.42 * iss };
	let exploitability = 8.22 * av * ac * pr * ui;
	if impact <= 0.0 {
		0.0
	} else if changed {
		roundup_f64(f64::min(1.08 * (impact + exploitability), 10.0))
	} else {
		roundup_f64(f64::min(impact + exploitability, 10.0))
	}
}

fn all_vectors() -> Vec<CvssV31> {
	let mut out = Vec::new();
	for &av in AttackVector::ALL {
		for &ac in AttackComplexity::ALL {
			for &pr in PrivilegesRequired::ALL {
				for &ui in UserInteraction::ALL {
					for &s in Scope::ALL {
						for &c in Impact::ALL {
							for &i in Impact::ALL {
								for &a in Impact::ALL {
									out.push(CvssV31 { av, ac, pr, ui, s, c, i, a });
								}
							}
						}
					}
				}
			}
		}
	}
	out
}

#[test]
fn integer_score_matches_the_specification_formula_on_every_base_vector() {
	let vectors = all_vectors();
	assert_eq!(vectors.len(), 2592);
	for v in &vectors {
		let expected = (reference_score(v) * 10.0).round() as u8;
		assert_eq!(v.base_score(), expected, "{v}");
		assert!(v.base_score() <= 100);
		assert_eq!(CvssV31::parse(&v.to_vector()).unwrap(), *v);
	}
}

#[test]
fn ratings() {
	let rate = |vector: &str| CvssV31::parse(vector).unwrap().rating();
	assert_eq!(rate("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), Rating::None);
	assert_eq!(rate("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), Rating::Medium);
	assert_eq!(rate("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), Rating::High);
	assert_eq!(rate("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), Rating::Critical);
	assert_eq!(Rating::from_tenths(1), Rating::Low);
	assert_eq!(Rating::from_tenths(39), Rating::Low);
	assert_eq!(Rating::from_tenths(40), Rating::Medium);
	assert_eq!(Rating::from_tenths(69), Rating::Medium);
	assert_eq!(Rating::from_tenths(70), Rating::High);
	assert_eq!(Rating::from_tenths(89), Rating::High);
	assert_eq!(Rating::from_tenths(90), Rating::Critical);
}

#[test]
fn parse_errors() {
	let cases: &[(&str, Error)] = &[
		("", Error::MalformedVector),
		("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Error::MalformedVector),
		("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Error::UnsupportedVersion),
		("CVSS:4.0/AV:N", Error::UnsupportedVersion),
		("CVSS:3.1", Error::MalformedVector),
		("CVSS:3.1/", Error::MalformedVector),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", Error::MalformedVector),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:", Error::MalformedVector),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", Error::MissingMetric),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H", Error::DuplicateMetric),
		("CVSS:3.1/AV:N/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", Error::DuplicateMetric),
		("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Error::UnknownMetric),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", Error::UnknownMetric),
		("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Error::UnknownMetric),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F", Error::UnsupportedMetric),
		("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L", Error::UnsupportedMetric),
	];
	for (vector, error) in cases {
		assert_eq!(CvssV31::parse(vector), Err(*error), "{vector:?}");
	}
}

#[test]
fn any_metric_order_parses_to_the_canonical_vector() {
	let shuffled = "CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N";
	let v = CvssV31::parse(shuffled).unwrap();
	assert_eq!(v.to_vector(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
}

#[test]
fn compact_scale_form_is_eight_bytes_and_round_trips() {
	use codec::{Decode, Encode};
	for v in all_vectors().iter().step_by(7) {
		let bytes = v.encode();
		assert_eq!(bytes.len(), 8);
		assert_eq!(CvssV31::decode(&mut &bytes[..]).unwrap(), *v);
	}
	assert!(CvssV31::decode(&mut &[4u8, 0, 0, 0, 0, 0, 0, 0][..]).is_err());
}

proptest! {
	/// Arbitrary text never panics the parser, and what parses prints back canonically.
	#[test]
	fn parser_is_total(text in "(CVSS:3\\.1/)?([A-Z]{1,3}:[A-Z]/){0,10}[A-Z:/]{0,4}") {
		if let Ok(v) = CvssV31::parse(&text) {
			prop_assert_eq!(CvssV31::parse(&v.to_vector()).unwrap(), v);
		}
	}
}

fn points(
	e: Exploitation,
	a: Automatable,
	t: TechnicalImpact,
	m: MissionWellbeing,
) -> SsvcDecisionPoints {
	SsvcDecisionPoints {
		exploitation: e,
		automatable: a,
		technical_impact: t,
		mission_wellbeing: m,
	}
}

#[test]
fn ssvc_matches_cisa_table() {
	let table = include_str!("data/cisa_ssvc_decisions.csv");
	let mut rows = 0;
	for line in table.lines().skip(1) {
		let fields: Vec<&str> = line.split(',').collect();
		assert_eq!(fields.len(), 6, "{line}");
		let p = points(
			Exploitation::from_name(fields[1]).unwrap(),
			Automatable::from_name(fields[2]).unwrap(),
			TechnicalImpact::from_name(fields[3]).unwrap(),
			MissionWellbeing::from_name(fields[4]).unwrap(),
		);
		assert_eq!(p.decision(), SsvcDecision::from_name(fields[5]).unwrap(), "{line}");
		rows += 1;
	}
	assert_eq!(rows, 36);
}

#[test]
fn ssvc_decision_never_falls_when_a_point_rises() {
	// Monotone in every decision point: CISA's table never lowers the decision when the
	// exploitation, automatability, impact or mission impact grows.
	for &e in Exploitation::ALL {
		for &a in Automatable::ALL {
			for &t in TechnicalImpact::ALL {
				for &m in MissionWellbeing::ALL {
					let d = points(e, a, t, m).decision();
					for &e2 in Exploitation::ALL.iter().filter(|x| **x >= e) {
						for &a2 in Automatable::ALL.iter().filter(|x| **x >= a) {
							for &t2 in TechnicalImpact::ALL.iter().filter(|x| **x >= t) {
								for &m2 in MissionWellbeing::ALL.iter().filter(|x| **x >= m) {
									assert!(points(e2, a2, t2, m2).decision() >= d);
								}
							}
						}
					}
				}
			}
		}
	}
}

#[test]
fn urgency_orders_across_schemes() {
	let critical =
		Severity::Cvss31(CvssV31::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").unwrap());
	let medium =
		Severity::Cvss31(CvssV31::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").unwrap());
	let act = Severity::Ssvc(points(
		Exploitation::Active,
		Automatable::Yes,
		TechnicalImpact::Total,
		MissionWellbeing::High,
	));
	let track = Severity::Ssvc(points(
		Exploitation::None,
		Automatable::No,
		TechnicalImpact::Partial,
		MissionWellbeing::Low,
	));
	assert_eq!(critical.urgency(), Urgency::Critical);
	assert_eq!(act.urgency(), Urgency::Critical);
	assert_eq!(track.urgency(), Urgency::Low);
	let mut all = [track, critical, medium, act];
	all.sort_by_key(|s| s.sort_key());
	assert_eq!(all, [track, medium, critical, act]);
}
