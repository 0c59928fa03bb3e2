//! Export of a disclosed case as OSV and CSAF 2.0 JSON (std only).
//!
//! At disclosure a case's report becomes public (UIV-TSP sec. 3.1: uiv information is protected
//! "until their patches are released"). Callers (the CLI, an RPC or an indexer) build an
//! [`Advisory`] from chain state and turn it into:
//!
//! * [`to_osv`]: an OSV record, schema 1.6 (`https://ossf.github.io/osv-schema/`): `id`,
//!   `modified`, `published`, `schema_version`, `aliases`, `summary`, `details`, `affected`
//!   (package with `ecosystem`, `name`, `purl`; one `ranges` entry per [`VersionRange`], type
//!   `SEMVER` when its versions have three components, else `ECOSYSTEM`), `severity`
//!   (`CVSS_V3`), `references`, `credits`, `database_specific`.
//! * [`to_csaf`]: an OASIS CSAF 2.0 `csaf_security_advisory`: `document` (publisher, tracking
//!   with revision history, notes, TLP, acknowledgments, references), `product_tree` (branches
//!   vendor -> product_name -> product_version, product ids `CSAFPID-n`) and one vulnerability
//!   (ids, CVE, notes, `product_status`, `scores` with `cvss_v3`, `remediations`).
//!
//! CSAF product status from [`ProductStatus`]: `UnderInvestigation` -> `under_investigation`,
//! `NotAffected` -> `known_not_affected`; for `Affected` and `Fixed`, each version the ranges
//! name goes to `known_affected` if a range contains it, else to `fixed`.
//!
//! Timestamps are RFC 3339 UTC ([`rfc3339`]), computed from Unix milliseconds by the
//! days-to-civil conversion (proleptic Gregorian calendar).

use crate::case::ProductStatus;
use crate::log::CaseId;
use crate::product::{affects, ProductId, Version, VersionRange};
use crate::severity::{CvssV31, SsvcDecisionPoints};
use crate::Error;
use serde_json::{json, Map, Value};

/// The OSV schema version written.
pub const OSV_SCHEMA_VERSION: &str = "1.6.0";

/// The latest instant [`rfc3339`] writes: 9999-12-31T23:59:59.999Z.
pub const MAX_RFC3339_MS: u64 = 253_402_300_799_999;

/// A disclosed vulnerability, as callers assemble it from chain state.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Advisory {
	/// The advisory's identifier (OSV `id`, CSAF `tracking.id`), e.g. `ENDO-2026-0001`.
	pub id: String,
	/// Other identifiers of the same vulnerability (CVE ids and others).
	pub aliases: Vec<String>,
	/// One-line summary (OSV `summary`, CSAF `title`).
	pub title: String,
	/// Full description.
	pub details: String,
	/// First publication, Unix ms.
	pub published_ms: u64,
	/// Last change, Unix ms.
	pub modified_ms: u64,
	/// Who publishes.
	pub publisher: Publisher,
	/// The vendor products of the case and their status.
	pub products: Vec<AffectedProduct>,
	/// The CVSS 3.1 base vector, if scored.
	pub cvss: Option<CvssV31>,
	/// The SSVC decision points, if assessed.
	pub ssvc: Option<SsvcDecisionPoints>,
	/// Links.
	pub references: Vec<Reference>,
	/// People and organisations credited, with their role.
	pub credits: Vec<Credit>,
	/// Revision history, oldest first; at least one.
	pub revisions: Vec<Revision>,
	/// Remediation advice for affected products (CSAF `remediations.details`).
	pub remediation: Option<String>,
	/// The case on chain.
	pub case: CaseId,
	/// The case chain's head at disclosure, for readers who check the log.
	pub log_head: Option<[u8; 32]>,
}

/// The publisher of an advisory (CSAF `document.publisher`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Publisher {
	/// Name.
	pub name: String,
	/// A URL that names the publisher's namespace.
	pub namespace: String,
	/// CSAF publisher category.
	pub category: PublisherCategory,
}

/// CSAF 2.0 publisher categories.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PublisherCategory {
	/// `coordinator`.
	Coordinator,
	/// `discoverer`.
	Discoverer,
	/// `other`.
	Other,
	/// `translator`.
	Translator,
	/// `user`.
	User,
	/// `vendor`.
	Vendor,
}

impl PublisherCategory {
	fn as_str(self) -> &'static str {
		match self {
			PublisherCategory::Coordinator => "coordinator",
			PublisherCategory::Discoverer => "discoverer",
			PublisherCategory::Other => "other",
			PublisherCategory::Translator => "translator",
			PublisherCategory::User => "user",
			PublisherCategory::Vendor => "vendor",
		}
	}
}

/// One vendor product of a case.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AffectedProduct {
	/// The vendor's name (CSAF `vendor` branch).
	pub vendor: String,
	/// The product's name (CSAF `product_name` branch, OSV `package.name`).
	pub name: String,
	/// The OSV ecosystem (e.g. `npm`, `crates.io`, or a vendor's own).
	pub ecosystem: String,
	/// The package URL.
	pub id: ProductId,
	/// Affected versions.
	pub ranges: Vec<VersionRange>,
	/// The product's status in the case.
	pub status: ProductStatus,
}

/// A link (OSV `references`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Reference {
	/// Kind of link.
	pub kind: ReferenceKind,
	/// The URL.
	pub url: String,
}

/// OSV reference types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReferenceKind {
	/// `ADVISORY`.
	Advisory,
	/// `ARTICLE`.
	Article,
	/// `DETECTION`.
	Detection,
	/// `DISCUSSION`.
	Discussion,
	/// `REPORT`.
	Report,
	/// `FIX`.
	Fix,
	/// `INTRODUCED`.
	Introduced,
	/// `PACKAGE`.
	Package,
	/// `EVIDENCE`.
	Evidence,
	/// `WEB`.
	Web,
}

impl ReferenceKind {
	fn as_str(self) -> &'static str {
		match self {
			ReferenceKind::Advisory => "ADVISORY",
			ReferenceKind::Article => "ARTICLE",
			ReferenceKind::Detection => "DETECTION",
			ReferenceKind::Discussion => "DISCUSSION",
			ReferenceKind::Report => "REPORT",
			ReferenceKind::Fix => "FIX",
			ReferenceKind::Introduced => "INTRODUCED",
			ReferenceKind::Package => "PACKAGE",
			ReferenceKind::Evidence => "EVIDENCE",
			ReferenceKind::Web => "WEB",
		}
	}
}

/// A credit (OSV `credits`, CSAF `acknowledgments`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Credit {
	/// Who.
	pub name: String,
	/// In which role.
	pub role: CreditRole,
}

/// OSV credit types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CreditRole {
	/// `FINDER`.
	Finder,
	/// `REPORTER`.
	Reporter,
	/// `ANALYST`.
	Analyst,
	/// `COORDINATOR`.
	Coordinator,
	/// `REMEDIATION_DEVELOPER`.
	RemediationDeveloper,
	/// `REMEDIATION_REVIEWER`.
	RemediationReviewer,
	/// `REMEDIATION_VERIFIER`.
	RemediationVerifier,
	/// `TOOL`.
	Tool,
	/// `SPONSOR`.
	Sponsor,
	/// `OTHER`.
	Other,
}

impl CreditRole {
	fn as_str(self) -> &'static str {
		match self {
			CreditRole::Finder => "FINDER",
			CreditRole::Reporter => "REPORTER",
			CreditRole::Analyst => "ANALYST",
			CreditRole::Coordinator => "COORDINATOR",
			CreditRole::RemediationDeveloper => "REMEDIATION_DEVELOPER",
			CreditRole::RemediationReviewer => "REMEDIATION_REVIEWER",
			CreditRole::RemediationVerifier => "REMEDIATION_VERIFIER",
			CreditRole::Tool => "TOOL",
			CreditRole::Sponsor => "SPONSOR",
			CreditRole::Other => "OTHER",
		}
	}
}

/// One revision of the advisory (CSAF `tracking.revision_history`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Revision {
	/// When, Unix ms.
	pub date_ms: u64,
	/// What changed.
	pub summary: String,
}

/// `(year, month, day)` of the civil date `days` days after 1970-01-01 (proleptic Gregorian;
/// H. Hinnant's `civil_from_days`, for non-negative day counts).
pub fn civil_from_days(days: u64) -> (u64, u32, u32) {
	let z = days.saturating_add(719_468);
	let era = z / 146_097;
	let doe = z - era * 146_097; // [0, 146096]
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
	let mp = (5 * doy + 2) / 153; // [0, 11]
	let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
	let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
	let year = yoe + era * 400 + u64::from(month <= 2);
	(year, u32::try_from(month).unwrap_or(0), u32::try_from(day).unwrap_or(0))
}

/// RFC 3339 UTC text of Unix milliseconds: `YYYY-MM-DDTHH:MM:SSZ`, with `.mmm` before the `Z`
/// when the milliseconds are not zero. [`Error::InvalidAdvisory`] past [`MAX_RFC3339_MS`].
pub fn rfc3339(ms: u64) -> Result<String, Error> {
	if ms > MAX_RFC3339_MS {
		return Err(Error::InvalidAdvisory);
	}
	let secs = ms / 1_000;
	let millis = ms % 1_000;
	let (year, month, day) = civil_from_days(secs / 86_400);
	let rem = secs % 86_400;
	let (h, m, s) = (rem / 3_600, rem % 3_600 / 60, rem % 60);
	let mut text = format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}");
	if millis != 0 {
		text.push_str(&format!(".{millis:03}"));
	}
	text.push('Z');
	Ok(text)
}

fn validate(advisory: &Advisory) -> Result<(), Error> {
	let ok = !advisory.id.trim().is_empty()
		&& !advisory.title.trim().is_empty()
		&& !advisory.revisions.is_empty()
		&& advisory.modified_ms >= advisory.published_ms
		&& !advisory.publisher.name.is_empty()
		&& !advisory.publisher.namespace.is_empty();
	if !ok {
		return Err(Error::InvalidAdvisory);
	}
	for product in &advisory.products {
		for range in &product.ranges {
			range.validate()?;
		}
		let needs_ranges = matches!(product.status, ProductStatus::Affected | ProductStatus::Fixed);
		if needs_ranges && product.ranges.is_empty() {
			return Err(Error::InvalidAdvisory);
		}
		if product.status == ProductStatus::Fixed
			&& product.ranges.iter().any(|r| r.fixed.is_none())
		{
			return Err(Error::InvalidAdvisory);
		}
	}
	Ok(())
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn range_type(range: &VersionRange) -> &'static str {
	let semver = range.introduced.len() == 3 && range.fixed.is_none_or(|f| f.len() == 3);
	if semver {
		"SEMVER"
	} else {
		"ECOSYSTEM"
	}
}

fn ssvc_json(points: &SsvcDecisionPoints) -> Value {
	json!({
		"exploitation": points.exploitation.name(),
		"automatable": points.automatable.name(),
		"technical_impact": points.technical_impact.name(),
		"mission_wellbeing": points.mission_wellbeing.name(),
		"decision": points.decision().name(),
	})
}

/// The OSV 1.6 record of `advisory`. Only `Affected` and `Fixed` products are listed under
/// `affected`.
pub fn to_osv(advisory: &Advisory) -> Result<Value, Error> {
	validate(advisory)?;
	let affected: Vec<Value> = advisory
		.products
		.iter()
		.filter(|p| matches!(p.status, ProductStatus::Affected | ProductStatus::Fixed))
		.map(|p| {
			let ranges: Vec<Value> = p
				.ranges
				.iter()
				.map(|r| {
					let mut events = vec![json!({ "introduced": r.introduced.to_string() })];
					if let Some(fixed) = r.fixed {
						events.push(json!({ "fixed": fixed.to_string() }));
					}
					json!({ "type": range_type(r), "events": events })
				})
				.collect();
			json!({
				"package": { "ecosystem": p.ecosystem, "name": p.name, "purl": p.id.as_str() },
				"ranges": ranges,
			})
		})
		.collect();
	let severity: Vec<Value> = advisory
		.cvss
		.iter()
		.map(|v| json!({ "type": "CVSS_V3", "score": v.to_vector() }))
		.collect();
	let references: Vec<Value> = advisory
		.references
		.iter()
		.map(|r| json!({ "type": r.kind.as_str(), "url": r.url }))
		.collect();
	let credits: Vec<Value> = advisory
		.credits
		.iter()
		.map(|c| json!({ "name": c.name, "type": c.role.as_str() }))
		.collect();
	let mut endochain = Map::new();
	endochain.insert("case".into(), json!(advisory.case));
	if let Some(head) = advisory.log_head {
		endochain.insert("log_head".into(), json!(hex(&head)));
	}
	if let Some(points) = &advisory.ssvc {
		endochain.insert("ssvc".into(), ssvc_json(points));
	}
	Ok(json!({
		"schema_version": OSV_SCHEMA_VERSION,
		"id": advisory.id,
		"modified": rfc3339(advisory.modified_ms)?,
		"published": rfc3339(advisory.published_ms)?,
		"aliases": advisory.aliases,
		"summary": advisory.title,
		"details": advisory.details,
		"affected": affected,
		"severity": severity,
		"references": references,
		"credits": credits,
		"database_specific": { "endochain": Value::Object(endochain) },
	}))
}

/// One product's CSAF product ids and where they go.
struct CsafProduct {
	/// `(version, product id)`; a single `(None, id)` when no version is named.
	leaves: Vec<(Option<Version>, String)>,
}

/// The CSAF 2.0 security advisory of `advisory`.
pub fn to_csaf(advisory: &Advisory) -> Result<Value, Error> {
	validate(advisory)?;
	let mut next_id = 0u32;
	let mut fresh_id = || {
		next_id = next_id.saturating_add(1);
		format!("CSAFPID-{next_id:04}")
	};

	// Product ids, one per distinct version each product's ranges name.
	let mut per_product: Vec<CsafProduct> = Vec::with_capacity(advisory.products.len());
	for product in &advisory.products {
		let mut versions: Vec<Version> = Vec::new();
		for range in &product.ranges {
			versions.push(range.introduced);
			if let Some(fixed) = range.fixed {
				versions.push(fixed);
			}
		}
		versions.sort();
		versions.dedup();
		let leaves = if versions.is_empty() {
			vec![(None, fresh_id())]
		} else {
			versions.into_iter().map(|v| (Some(v), fresh_id())).collect()
		};
		per_product.push(CsafProduct { leaves });
	}

	// Branches vendor -> product_name -> product_version, vendors in order of appearance.
	let mut vendors: Vec<(String, Vec<Value>)> = Vec::new();
	for (product, ids) in advisory.products.iter().zip(&per_product) {
		let full_name = |version: Option<&Version>| match version {
			Some(v) => format!("{} {} {}", product.vendor, product.name, v),
			None => format!("{} {}", product.vendor, product.name),
		};
		let product_branch = match ids.leaves.as_slice() {
			[(None, id)] => json!({
				"category": "product_name",
				"name": product.name,
				"product": {
					"name": full_name(None),
					"product_id": id,
					"product_identification_helper": { "purl": product.id.as_str() },
				},
			}),
			leaves => {
				let versions: Vec<Value> = leaves
					.iter()
					.map(|(v, id)| {
						let version = v.map(|v| v.to_string()).unwrap_or_default();
						json!({
							"category": "product_version",
							"name": version,
							"product": {
								"name": full_name(v.as_ref()),
								"product_id": id,
								"product_identification_helper": {
									"purl": format!("{}@{}", product.id.as_str(), version),
								},
							},
						})
					})
					.collect();
				json!({ "category": "product_name", "name": product.name, "branches": versions })
			}
		};
		match vendors.iter_mut().find(|(name, _)| *name == product.vendor) {
			Some((_, branches)) => branches.push(product_branch),
			None => vendors.push((product.vendor.clone(), vec![product_branch])),
		}
	}
	let branches: Vec<Value> = vendors
		.into_iter()
		.map(|(name, branches)| json!({ "category": "vendor", "name": name, "branches": branches }))
		.collect();

	// Product status.
	let mut known_affected: Vec<String> = Vec::new();
	let mut fixed: Vec<String> = Vec::new();
	let mut not_affected: Vec<String> = Vec::new();
	let mut under_investigation: Vec<String> = Vec::new();
	let mut remediations: Vec<Value> = Vec::new();
	for (product, ids) in advisory.products.iter().zip(&per_product) {
		match product.status {
			ProductStatus::UnderInvestigation => {
				under_investigation.extend(ids.leaves.iter().map(|(_, id)| id.clone()))
			}
			ProductStatus::NotAffected => {
				not_affected.extend(ids.leaves.iter().map(|(_, id)| id.clone()))
			}
			ProductStatus::Affected | ProductStatus::Fixed => {
				let mut affected_here = Vec::new();
				let mut fixed_here = Vec::new();
				for (version, id) in &ids.leaves {
					match version {
						Some(v) if !affects(&product.ranges, v) => {
							fixed_here.push((*v, id.clone()))
						}
						_ => affected_here.push(id.clone()),
					}
				}
				let remediation = if fixed_here.is_empty() {
					json!({
						"category": "none_available",
						"details": advisory
							.remediation
							.clone()
							.unwrap_or_else(|| "No fixed version is available yet.".into()),
						"product_ids": affected_here,
					})
				} else {
					let versions: Vec<String> =
						fixed_here.iter().map(|(v, _)| v.to_string()).collect();
					json!({
						"category": "vendor_fix",
						"details": advisory.remediation.clone().unwrap_or_else(|| format!(
							"Update {} to version {}.",
							product.name,
							versions.join(" or ")
						)),
						"product_ids": affected_here,
					})
				};
				remediations.push(remediation);
				known_affected.extend(affected_here);
				fixed.extend(fixed_here.into_iter().map(|(_, id)| id));
			}
		}
	}
	let mut product_status = Map::new();
	for (key, list) in [
		("known_affected", known_affected.clone()),
		("fixed", fixed),
		("known_not_affected", not_affected),
		("under_investigation", under_investigation),
	] {
		if !list.is_empty() {
			product_status.insert(key.into(), json!(list));
		}
	}

	let mut vulnerability = Map::new();
	if let Some(cve) = advisory.aliases.iter().find(|a| a.starts_with("CVE-")) {
		vulnerability.insert("cve".into(), json!(cve));
	}
	vulnerability.insert(
		"ids".into(),
		json!([{ "system_name": advisory.publisher.name, "text": advisory.id }]),
	);
	vulnerability.insert("title".into(), json!(advisory.title));
	vulnerability.insert(
		"notes".into(),
		json!([{ "category": "description", "title": "Details", "text": advisory.details }]),
	);
	vulnerability.insert("product_status".into(), Value::Object(product_status));
	if let (Some(cvss), false) = (&advisory.cvss, known_affected.is_empty()) {
		vulnerability.insert(
			"scores".into(),
			json!([{
				"cvss_v3": {
					"version": "3.1",
					"vectorString": cvss.to_vector(),
					"baseScore": f64::from(cvss.base_score()) / 10.0,
					"baseSeverity": cvss.rating().as_upper_str(),
				},
				"products": known_affected,
			}]),
		);
	}
	if !remediations.is_empty() {
		vulnerability.insert("remediations".into(), json!(remediations));
	}

	let mut revision_history = Vec::with_capacity(advisory.revisions.len());
	for (n, revision) in advisory.revisions.iter().enumerate() {
		revision_history.push(json!({
			"number": (n + 1).to_string(),
			"date": rfc3339(revision.date_ms)?,
			"summary": revision.summary,
		}));
	}
	let mut document = Map::new();
	document.insert("category".into(), json!("csaf_security_advisory"));
	document.insert("csaf_version".into(), json!("2.0"));
	document.insert("lang".into(), json!("en"));
	document.insert("title".into(), json!(advisory.title));
	document.insert(
		"publisher".into(),
		json!({
			"category": advisory.publisher.category.as_str(),
			"name": advisory.publisher.name,
			"namespace": advisory.publisher.namespace,
		}),
	);
	document.insert(
		"tracking".into(),
		json!({
			"id": advisory.id,
			"status": "final",
			"version": advisory.revisions.len().to_string(),
			"revision_history": revision_history,
			"initial_release_date": rfc3339(advisory.published_ms)?,
			"current_release_date": rfc3339(advisory.modified_ms)?,
		}),
	);
	document.insert(
		"notes".into(),
		json!([{ "category": "summary", "title": "Summary", "text": advisory.title }]),
	);
	document.insert("distribution".into(), json!({ "tlp": { "label": "WHITE" } }));
	if !advisory.credits.is_empty() {
		let acknowledgments: Vec<Value> = advisory
			.credits
			.iter()
			.map(|c| json!({ "names": [c.name], "summary": c.role.as_str().to_lowercase() }))
			.collect();
		document.insert("acknowledgments".into(), json!(acknowledgments));
	}
	if !advisory.references.is_empty() {
		let references: Vec<Value> = advisory
			.references
			.iter()
			.map(|r| json!({ "category": "external", "summary": r.kind.as_str(), "url": r.url }))
			.collect();
		document.insert("references".into(), json!(references));
	}
	Ok(json!({
		"document": Value::Object(document),
		"product_tree": { "branches": branches },
		"vulnerabilities": [Value::Object(vulnerability)],
	}))
}
