//! OSV and CSAF export: the documents parse back as JSON, hold every required field with the
//! right values, and their status lists match the product statuses.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use endo_uiv::export::{
	civil_from_days, rfc3339, to_csaf, to_osv, Advisory, AffectedProduct, Credit, CreditRole,
	Publisher, PublisherCategory, Reference, ReferenceKind, Revision,
};
use endo_uiv::severity::{Automatable, Exploitation, MissionWellbeing, TechnicalImpact};
use endo_uiv::{
	CvssV31, Error, ProductId, ProductStatus, SsvcDecisionPoints, Version, VersionRange,
};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn rfc3339_known_dates() {
	assert_eq!(rfc3339(0).unwrap(), "1970-01-01T00:00:00Z");
	assert_eq!(rfc3339(951_782_400_000).unwrap(), "2000-02-29T00:00:00Z");
	assert_eq!(rfc3339(1_234_567_890_000).unwrap(), "2009-02-13T23:31:30Z");
	assert_eq!(rfc3339(1_700_000_000_000).unwrap(), "2023-11-14T22:13:20Z");
	assert_eq!(rfc3339(2_147_483_648_000).unwrap(), "2038-01-19T03:14:08Z");
	assert_eq!(rfc3339(1_709_164_800_123).unwrap(), "2024-02-29T00:00:00.123Z");
	assert_eq!(rfc3339(4_107_542_399_000).unwrap(), "2100-02-28T23:59:59Z");
	assert_eq!(rfc3339(4_107_542_400_000).unwrap(), "2100-03-01T00:00:00Z");
	assert_eq!(rfc3339(253_402_300_799_999).unwrap(), "9999-12-31T23:59:59.999Z");
	assert_eq!(rfc3339(253_402_300_800_000), Err(Error::InvalidAdvisory));
}

/// Days from 1970-01-01 to a civil date, by counting (the test's independent reference).
fn days_from_civil_by_counting(year: u64, month: u32, day: u32) -> u64 {
	let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
	let mut days = 0u64;
	for y in 1970..year {
		days += if leap(y) { 366 } else { 365 };
	}
	let lengths = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	days += lengths.iter().take((month - 1) as usize).sum::<u64>();
	days + u64::from(day) - 1
}

proptest! {
	#[test]
	fn civil_from_days_agrees_with_counting(days in 0u64..200_000) {
		let (y, m, d) = civil_from_days(days);
		prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d));
		prop_assert_eq!(days_from_civil_by_counting(y, m, d), days);
	}
}

fn v(s: &str) -> Version {
	Version::parse(s).unwrap()
}

fn advisory() -> Advisory {
	let product =
		|vendor: &str, name: &str, purl: &str, ranges: Vec<VersionRange>, status| AffectedProduct {
			vendor: vendor.into(),
			name: name.into(),
			ecosystem: "Endochain".into(),
			id: ProductId::new(purl).unwrap(),
			ranges,
			status,
		};
	Advisory {
		id: "ENDO-2026-0007".into(),
		aliases: vec!["CVE-2026-12345".into()],
		title: "Authentication bypass in PLC firmware".into(),
		details: "A crafted Modbus frame skips the password check.".into(),
		published_ms: 1_700_000_000_000,
		modified_ms: 1_700_086_400_000,
		publisher: Publisher {
			name: "Endochain CVD".into(),
			namespace: "https://endochain.example".into(),
			category: PublisherCategory::Coordinator,
		},
		products: vec![
			product(
				"Acme",
				"plc-firmware",
				"pkg:generic/acme/plc-firmware",
				vec![
					VersionRange::new(v("1.0.0"), Some(v("1.4.2"))).unwrap(),
					VersionRange::new(v("2.0.0"), Some(v("2.0.3"))).unwrap(),
				],
				ProductStatus::Fixed,
			),
			product(
				"Acme",
				"hmi",
				"pkg:generic/acme/hmi",
				vec![VersionRange::new(v("3.1"), None).unwrap()],
				ProductStatus::Affected,
			),
			product(
				"Acme",
				"historian",
				"pkg:generic/acme/historian",
				vec![],
				ProductStatus::NotAffected,
			),
			product(
				"Globex",
				"gateway",
				"pkg:generic/globex/gateway",
				vec![],
				ProductStatus::UnderInvestigation,
			),
		],
		cvss: Some(CvssV31::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap()),
		ssvc: Some(SsvcDecisionPoints {
			exploitation: Exploitation::Poc,
			automatable: Automatable::Yes,
			technical_impact: TechnicalImpact::Total,
			mission_wellbeing: MissionWellbeing::High,
		}),
		references: vec![Reference {
			kind: ReferenceKind::Advisory,
			url: "https://endochain.example/advisories/ENDO-2026-0007".into(),
		}],
		credits: vec![
			Credit { name: "A. Finder".into(), role: CreditRole::Finder },
			Credit { name: "Endochain CVD".into(), role: CreditRole::Coordinator },
		],
		revisions: vec![
			Revision { date_ms: 1_700_000_000_000, summary: "Initial release".into() },
			Revision { date_ms: 1_700_086_400_000, summary: "HMI range added".into() },
		],
		remediation: None,
		case: 42,
		log_head: Some([0xab; 32]),
	}
}

fn parse(value: &Value) -> Value {
	serde_json::from_str(&serde_json::to_string_pretty(value).unwrap()).unwrap()
}

fn strings(value: &Value) -> Vec<String> {
	value.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

#[test]
fn osv_record() {
	let osv = parse(&to_osv(&advisory()).unwrap());
	assert_eq!(osv["schema_version"], "1.6.0");
	assert_eq!(osv["id"], "ENDO-2026-0007");
	assert_eq!(osv["published"], "2023-11-14T22:13:20Z");
	assert_eq!(osv["modified"], "2023-11-15T22:13:20Z");
	assert_eq!(osv["aliases"][0], "CVE-2026-12345");
	assert_eq!(osv["summary"], "Authentication bypass in PLC firmware");
	assert!(osv["details"].as_str().unwrap().contains("Modbus"));
	// Only affected and fixed products.
	let affected = osv["affected"].as_array().unwrap();
	assert_eq!(affected.len(), 2);
	assert_eq!(affected[0]["package"]["purl"], "pkg:generic/acme/plc-firmware");
	assert_eq!(affected[0]["package"]["name"], "plc-firmware");
	assert_eq!(affected[0]["package"]["ecosystem"], "Endochain");
	let ranges = affected[0]["ranges"].as_array().unwrap();
	assert_eq!(ranges.len(), 2);
	assert_eq!(ranges[0]["type"], "SEMVER");
	assert_eq!(ranges[0]["events"][0]["introduced"], "1.0.0");
	assert_eq!(ranges[0]["events"][1]["fixed"], "1.4.2");
	assert_eq!(ranges[1]["events"][1]["fixed"], "2.0.3");
	assert_eq!(affected[1]["ranges"][0]["type"], "ECOSYSTEM");
	assert_eq!(affected[1]["ranges"][0]["events"].as_array().unwrap().len(), 1);
	assert_eq!(osv["severity"][0]["type"], "CVSS_V3");
	assert_eq!(osv["severity"][0]["score"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_eq!(osv["references"][0]["type"], "ADVISORY");
	assert_eq!(osv["credits"][0]["name"], "A. Finder");
	assert_eq!(osv["credits"][0]["type"], "FINDER");
	assert_eq!(osv["credits"][1]["type"], "COORDINATOR");
	let ours = &osv["database_specific"]["endochain"];
	assert_eq!(ours["case"], 42);
	assert_eq!(ours["log_head"], "ab".repeat(32));
	assert_eq!(ours["ssvc"]["decision"], "attend");
}

/// Every product id of the tree, with its full name.
fn product_ids(tree: &Value, out: &mut Vec<(String, String)>) {
	if let Some(p) = tree.get("product") {
		out.push((p["product_id"].as_str().unwrap().into(), p["name"].as_str().unwrap().into()));
	}
	if let Some(branches) = tree.get("branches").and_then(Value::as_array) {
		for b in branches {
			product_ids(b, out);
		}
	}
}

#[test]
fn csaf_document() {
	let a = advisory();
	let csaf = parse(&to_csaf(&a).unwrap());
	let doc = &csaf["document"];
	assert_eq!(doc["category"], "csaf_security_advisory");
	assert_eq!(doc["csaf_version"], "2.0");
	assert_eq!(doc["title"], a.title);
	assert_eq!(doc["publisher"]["category"], "coordinator");
	assert_eq!(doc["publisher"]["name"], "Endochain CVD");
	assert_eq!(doc["publisher"]["namespace"], "https://endochain.example");
	let tracking = &doc["tracking"];
	assert_eq!(tracking["id"], "ENDO-2026-0007");
	assert_eq!(tracking["status"], "final");
	assert_eq!(tracking["version"], "2");
	assert_eq!(tracking["initial_release_date"], "2023-11-14T22:13:20Z");
	assert_eq!(tracking["current_release_date"], "2023-11-15T22:13:20Z");
	let history = tracking["revision_history"].as_array().unwrap();
	assert_eq!(history.len(), 2);
	assert_eq!(history[0]["number"], "1");
	assert_eq!(history[1]["number"], "2");
	assert_eq!(history[1]["date"], "2023-11-15T22:13:20Z");
	assert_eq!(history[1]["summary"], "HMI range added");
	assert!(!doc["notes"].as_array().unwrap().is_empty());

	// Product tree: vendor -> product_name -> product_version.
	let vendors = csaf["product_tree"]["branches"].as_array().unwrap();
	assert_eq!(vendors.len(), 2);
	assert_eq!(vendors[0]["category"], "vendor");
	assert_eq!(vendors[0]["name"], "Acme");
	assert_eq!(vendors[0]["branches"][0]["category"], "product_name");
	assert_eq!(vendors[0]["branches"][0]["branches"][0]["category"], "product_version");
	let mut ids = Vec::new();
	product_ids(&csaf["product_tree"], &mut ids);
	let id_of = |name: &str| ids.iter().find(|(_, n)| n == name).unwrap().0.clone();
	// plc-firmware names 4 versions, hmi 1, historian and gateway none: 7 ids, all distinct.
	assert_eq!(ids.len(), 7);
	let mut unique: Vec<_> = ids.iter().map(|(i, _)| i.clone()).collect();
	unique.sort();
	unique.dedup();
	assert_eq!(unique.len(), 7);

	let vuln = &csaf["vulnerabilities"][0];
	assert_eq!(vuln["cve"], "CVE-2026-12345");
	assert_eq!(vuln["ids"][0]["text"], "ENDO-2026-0007");
	let status = &vuln["product_status"];
	let mut known_affected = strings(&status["known_affected"]);
	known_affected.sort();
	let mut expected_affected = vec![
		id_of("Acme plc-firmware 1.0.0"),
		id_of("Acme plc-firmware 2.0.0"),
		id_of("Acme hmi 3.1"),
	];
	expected_affected.sort();
	assert_eq!(known_affected, expected_affected);
	let mut fixed = strings(&status["fixed"]);
	fixed.sort();
	let mut expected_fixed =
		vec![id_of("Acme plc-firmware 1.4.2"), id_of("Acme plc-firmware 2.0.3")];
	expected_fixed.sort();
	assert_eq!(fixed, expected_fixed);
	assert_eq!(strings(&status["known_not_affected"]), vec![id_of("Acme historian")]);
	assert_eq!(strings(&status["under_investigation"]), vec![id_of("Globex gateway")]);

	let score = &vuln["scores"][0];
	assert_eq!(score["cvss_v3"]["version"], "3.1");
	assert_eq!(score["cvss_v3"]["vectorString"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_eq!(score["cvss_v3"]["baseScore"].as_f64().unwrap(), 9.8);
	assert_eq!(score["cvss_v3"]["baseSeverity"], "CRITICAL");
	let mut scored = strings(&score["products"]);
	scored.sort();
	assert_eq!(scored, expected_affected);

	let remediations = vuln["remediations"].as_array().unwrap();
	assert_eq!(remediations.len(), 2);
	assert_eq!(remediations[0]["category"], "vendor_fix");
	assert!(remediations[0]["details"].as_str().unwrap().contains("1.4.2"));
	assert_eq!(remediations[1]["category"], "none_available");
	assert_eq!(strings(&remediations[1]["product_ids"]), vec![id_of("Acme hmi 3.1")]);
}

#[test]
fn inconsistent_advisories_are_refused() {
	let mut a = advisory();
	a.revisions.clear();
	assert_eq!(to_csaf(&a), Err(Error::InvalidAdvisory));
	let mut a = advisory();
	a.modified_ms = a.published_ms - 1;
	assert_eq!(to_osv(&a), Err(Error::InvalidAdvisory));
	let mut a = advisory();
	a.products[1].status = ProductStatus::Fixed; // hmi has no fixed version
	assert_eq!(to_csaf(&a), Err(Error::InvalidAdvisory));
	let mut a = advisory();
	a.products[1].ranges.clear(); // affected without versions
	assert_eq!(to_osv(&a), Err(Error::InvalidAdvisory));
	let mut a = advisory();
	a.products[0].ranges[0].fixed = Some(v("0.9"));
	assert_eq!(to_osv(&a), Err(Error::EmptyRange));
}
