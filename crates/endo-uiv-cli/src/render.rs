//! What the tool prints: cases and log entries as JSON, logs as a table, and the advisory a
//! disclosed case exports as.

use crate::{
	args::{ss58, ss58_bytes, status_name, to_hex},
	Error,
};
use endo_uiv::{
	export::{
		Advisory, AffectedProduct as ExportProduct, Credit, CreditRole, Publisher,
		PublisherCategory, Reference, ReferenceKind, Revision,
	},
	log::{Decision, EntryKind, LogEntry, TRUST_ONE},
	Deadline, Moment, ProductStatus, Severity,
};
use pallet_uiv_sharing::types::Case;
use serde_json::{json, Value};
use sp_core::crypto::AccountId32;

/// The chain's case type, as the runtime instantiates it.
pub type ChainCase = Case<AccountId32, u128>;

/// A UTC time in milliseconds as RFC 3339 (or the number if it is out of range).
pub fn time(ms: u64) -> Value {
	endo_uiv::export::rfc3339(ms).map(Value::from).unwrap_or_else(|_| json!(ms))
}

fn moment(m: &Moment) -> Value {
	json!({ "block": m.block, "utc": time(m.utc_ms) })
}

fn deadline(d: &Deadline) -> Value {
	json!({ "block": d.block, "utc": time(d.utc_ms) })
}

/// A trust value in parts per billion as a decimal in [0, 1].
pub fn trust(ppb: u32) -> String {
	format!("{}.{:09}", ppb / TRUST_ONE, ppb % TRUST_ONE)
}

/// A severity as JSON: the CVSS vector, score and rating, or the SSVC points and decision.
pub fn severity(severity: &Severity) -> Value {
	match severity {
		Severity::Cvss31(v) => json!({
			"cvss": v.to_vector(),
			"score": format!("{}.{}", v.base_score() / 10, v.base_score() % 10),
			"rating": v.rating().as_upper_str(),
		}),
		Severity::Ssvc(p) => json!({
			"ssvc": {
				"exploitation": p.exploitation.name(),
				"automatable": p.automatable.name(),
				"technicalImpact": p.technical_impact.name(),
				"missionWellbeing": p.mission_wellbeing.name(),
			},
			"decision": p.decision().name(),
		}),
	}
}

/// A case as JSON.
pub fn case_json(id: u64, case: &ChainCase) -> Value {
	let products: Vec<Value> = case
		.products
		.iter()
		.enumerate()
		.map(|(index, p)| {
			json!({
				"index": index,
				"vendor": ss58(&p.vendor),
				"product": p.product.as_str(),
				"ranges": p.ranges.iter().map(|r| match r.fixed {
					Some(fixed) => format!("{}-{}", r.introduced, fixed),
					None => format!("{}-", r.introduced),
				}).collect::<Vec<_>>(),
				"status": status_name(p.status),
			})
		})
		.collect();
	json!({
		"case": id,
		"opener": ss58(&case.opener),
		"vendor": ss58(&case.vendor),
		"ta": ss58(&case.ta),
		"products": products,
		"severity": severity(&case.severity),
		"reportHash": to_hex(&case.report_hash),
		"vulMetaHash": to_hex(&case.vul_meta_hash),
		"report": format!("{:?}", case.report),
		"embargo": {
			"state": format!("{:?}", case.embargo),
			"started": moment(&case.clock.started),
			"deadline": deadline(&case.clock.deadline),
			"cap": deadline(&case.clock.cap),
			"patchExtended": case.clock.patch_extended,
		},
		"exploited": case.exploited,
		"deposit": case.deposit.to_string(),
		"opened": moment(&case.opened),
		"disclosed": case.disclosed.as_ref().map(|d| json!({
			"at": moment(&d.at),
			"reportHash": to_hex(&d.report_hash),
			"uri": String::from_utf8_lossy(&d.uri),
		})),
		"participants": case.participants,
		"invited": case.invited,
		"requesters": case.requesters,
		"log": { "len": case.log.len, "head": to_hex(&case.log.head) },
	})
}

/// The entry kind's name and, where it has them, its details.
pub fn kind(kind: &EntryKind) -> (&'static str, Option<String>) {
	match kind {
		EntryKind::CaseOpened => ("CaseOpened", None),
		EntryKind::StateChanged { from, to } => ("StateChanged", Some(format!("{from:?}->{to:?}"))),
		EntryKind::EmbargoChanged { from, to, .. } => {
			("EmbargoChanged", Some(format!("{from:?}->{to:?}")))
		}
		EntryKind::ProductStatusChanged { product, from, to } => (
			"ProductStatusChanged",
			Some(format!("#{product} {}->{}", status_name(*from), status_name(*to))),
		),
		EntryKind::AccessRequested { request } => ("AccessRequested", Some(to_hex(request))),
		EntryKind::AccessDecided => ("AccessDecided", None),
		EntryKind::PackageDelivered { tracing_commitment } => {
			("PackageDelivered", Some(to_hex(tracing_commitment)))
		}
		EntryKind::TokenRenewed { history_link } => ("TokenRenewed", Some(to_hex(history_link))),
		EntryKind::Disclosed => ("Disclosed", None),
		EntryKind::ContributionAccepted { sw } => ("ContributionAccepted", Some(ss58_bytes(sw))),
		EntryKind::ConsentChanged { consent } => ("ConsentChanged", Some(format!("{consent:?}"))),
		EntryKind::WorkerInvited { sw } => ("WorkerInvited", Some(ss58_bytes(sw))),
		EntryKind::AuthorityChanged { ta } => ("AuthorityChanged", Some(ss58_bytes(ta))),
		EntryKind::RangesChanged { product } => ("RangesChanged", Some(format!("#{product}"))),
		EntryKind::LeakReported { tracing_commitment, source } => (
			"LeakReported",
			Some(format!("tracing {} from {}", to_hex(tracing_commitment), to_hex(source))),
		),
		EntryKind::TrapRevealed { tracing_commitment, trap } => (
			"TrapRevealed",
			Some(format!(
				"tracing {}: {}",
				to_hex(tracing_commitment),
				if *trap { "a trap" } else { "the real report" }
			)),
		),
	}
}

fn decision(decision: Option<Decision>) -> &'static str {
	match decision {
		Some(Decision::Granted) => "granted",
		Some(Decision::Denied) => "denied",
		Some(Decision::Probation) => "probation",
		None => "-",
	}
}

/// A log entry as JSON.
pub fn entry_json(entry: &LogEntry) -> Value {
	let (name, detail) = kind(&entry.kind);
	json!({
		"case": entry.case,
		"seq": entry.seq,
		"block": entry.at_block,
		"kind": name,
		"detail": detail,
		"actor": ss58_bytes(&entry.actor),
		"decision": entry.decision.map(|_| decision(entry.decision)),
		"trust": trust(entry.trust.value_ppb),
		"evidence": { "successes": entry.trust.successes, "failures": entry.trust.failures },
		"modelVersion": entry.trust.model_version,
		"tokenCommitment": entry.token_commitment.map(|c| to_hex(&c)),
		"vulMetaHash": to_hex(&entry.vul_meta_hash),
		"prevLink": to_hex(&entry.prev_link),
	})
}

/// A log as a table: seq, block, kind, actor, decision, trust.
pub fn log_table(entries: &[LogEntry]) -> String {
	let mut out = format!(
		"{:>4}  {:>7}  {:<54}  {:<48}  {:<9}  {}\n",
		"seq", "block", "kind", "actor", "decision", "trust"
	);
	for entry in entries {
		let (name, detail) = kind(&entry.kind);
		let kind = match detail {
			Some(detail) if detail.len() < 54usize.saturating_sub(name.len()) => {
				format!("{name} {detail}")
			}
			_ => name.to_string(),
		};
		out.push_str(&format!(
			"{:>4}  {:>7}  {:<54}  {:<48}  {:<9}  {}\n",
			entry.seq,
			entry.at_block,
			kind,
			ss58_bytes(&entry.actor),
			decision(entry.decision),
			trust(entry.trust.value_ppb),
		));
	}
	out.pop();
	out
}

/// What the advisory takes from the chain besides the case: the vendors' and products' names.
pub struct Names {
	/// `(vendor name, product name)` per product of the case, in order.
	pub products: Vec<(String, String)>,
	/// The opener's name: its vendor name, or its SS58 address.
	pub opener: String,
}

/// Options of the advisory that the chain does not hold.
pub struct AdvisoryOptions {
	/// The publisher's name.
	pub publisher: String,
	/// The publisher's namespace (a URL).
	pub namespace: String,
}

/// The advisory of a disclosed case ([`Error::Refused`] before disclosure).
pub fn advisory(
	id: u64,
	case: &ChainCase,
	names: &Names,
	options: &AdvisoryOptions,
) -> Result<Advisory, Error> {
	let disclosure = case.disclosed.as_ref().ok_or_else(|| {
		Error::Refused(format!(
			"case {id} is not disclosed (report {:?}, embargo {:?}): nothing to export yet",
			case.report, case.embargo
		))
	})?;
	for (index, p) in case.products.iter().enumerate() {
		if p.status == ProductStatus::Fixed {
			if let Some(open) = p.ranges.iter().find(|r| r.fixed.is_none()) {
				return Err(Error::Refused(format!(
					"case {id}'s product #{index} ({}) is fixed, but its range {}- names no fixed \
					 version: an advisory would contradict itself",
					p.product, open.introduced
				)));
			}
		}
	}
	let (year, _, _) = endo_uiv::export::civil_from_days(disclosure.at.utc_ms / 86_400_000);
	let uri = String::from_utf8_lossy(&disclosure.uri).into_owned();
	let products: Vec<ExportProduct> = case
		.products
		.iter()
		.zip(&names.products)
		.map(|(p, (vendor, name))| ExportProduct {
			vendor: vendor.clone(),
			name: name.clone(),
			ecosystem: p.product.kind().to_string(),
			id: p.product.clone(),
			ranges: p.ranges.to_vec(),
			status: p.status,
		})
		.collect();
	let product_list = names.products.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>();
	let fixed = case.products.iter().any(|p| p.status == ProductStatus::Fixed);
	let (cvss, ssvc) = match case.severity {
		Severity::Cvss31(v) => (Some(v), None),
		Severity::Ssvc(p) => (None, Some(p)),
	};
	let opener_role =
		if case.opener == case.vendor { CreditRole::Coordinator } else { CreditRole::Reporter };
	Ok(Advisory {
		id: format!("ENDO-{year}-{id:04}"),
		aliases: Vec::new(),
		title: format!("Vulnerability in {}", product_list.join(", ")),
		details: format!(
			"Disclosed through Endochain's coordinated disclosure (case {id}). The report is \
			 published at {uri}; its SHA-256 is {}.",
			hex::encode(disclosure.report_hash)
		),
		published_ms: disclosure.at.utc_ms,
		modified_ms: disclosure.at.utc_ms,
		publisher: Publisher {
			name: options.publisher.clone(),
			namespace: options.namespace.clone(),
			category: PublisherCategory::Coordinator,
		},
		products,
		cvss,
		ssvc,
		references: vec![Reference { kind: ReferenceKind::Report, url: uri }],
		credits: vec![Credit { name: names.opener.clone(), role: opener_role }],
		revisions: vec![Revision { date_ms: disclosure.at.utc_ms, summary: "Disclosed".into() }],
		remediation: fixed.then(|| "Update to a version outside the affected ranges.".into()),
		case: id,
		log_head: Some(case.log.head),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::args::{parse_cvss, parse_ranges};
	use endo_uiv::{EmbargoClock, EmbargoState, ProductId, ReportState};
	use pallet_uiv_sharing::types::{
		AffectedProduct, CycleRequests, Disclosure, LogHead, Ranges, Uri,
	};

	const MS_2026: u64 = 1_780_000_000_000;

	fn case(ranges: Ranges, status: ProductStatus, disclosed: bool) -> ChainCase {
		let vendor = AccountId32::new([2; 32]);
		let at = Moment { block: 10, utc_ms: MS_2026 };
		let deadline = Deadline { block: 20, utc_ms: MS_2026 + 1 };
		Case {
			opener: vendor.clone(),
			vendor: vendor.clone(),
			ta: AccountId32::new([1; 32]),
			products: vec![AffectedProduct {
				vendor,
				product: ProductId::new("pkg:generic/acme/plc").unwrap(),
				ranges,
				status,
			}]
			.try_into()
			.unwrap(),
			severity: parse_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap(),
			report_hash: [3; 32],
			vul_meta_hash: [4; 32],
			report: ReportState::Accepted,
			embargo: if disclosed { EmbargoState::Exited } else { EmbargoState::Active },
			clock: EmbargoClock { started: at, deadline, cap: deadline, patch_extended: false },
			exploited: false,
			deposit: 5,
			opened: at,
			disclosed: disclosed.then(|| Disclosure {
				at,
				report_hash: [5; 32],
				uri: Uri::try_from(b"https://example.org/a".to_vec()).unwrap(),
			}),
			participants: 2,
			invited: 0,
			requesters: 0,
			this_cycle: CycleRequests::default(),
			log: LogHead { len: 3, head: [6; 32] },
		}
	}

	fn names() -> Names {
		Names { products: vec![("Acme".into(), "PLC-9".into())], opener: "Acme".into() }
	}

	fn options() -> AdvisoryOptions {
		AdvisoryOptions { publisher: "Endochain".into(), namespace: "https://example.org".into() }
	}

	#[test]
	fn disclosed_cases_export() {
		let ranges = parse_ranges("r", "1.0.0-1.4.2").unwrap();
		let case = case(ranges, ProductStatus::Fixed, true);
		let advisory = advisory(7, &case, &names(), &options()).unwrap();
		assert_eq!(advisory.id, "ENDO-2026-0007");
		assert_eq!(advisory.log_head, Some([6; 32]));
		let osv = endo_uiv::export::to_osv(&advisory).unwrap();
		assert_eq!(osv["affected"][0]["package"]["name"], "PLC-9");
		assert_eq!(osv["affected"][0]["ranges"][0]["events"][1]["fixed"], "1.4.2");
		let csaf = endo_uiv::export::to_csaf(&advisory).unwrap();
		assert_eq!(csaf["product_tree"]["branches"][0]["name"], "Acme");
		assert_eq!(case_json(7, &case)["disclosed"]["uri"], "https://example.org/a");
	}

	#[test]
	fn undisclosed_or_inconsistent_cases_do_not_export() {
		let ranges = parse_ranges("r", "1.0.0-1.4.2").unwrap();
		let error = advisory(7, &case(ranges, ProductStatus::Fixed, false), &names(), &options());
		assert!(error.unwrap_err().to_string().contains("is not disclosed"));
		let open = parse_ranges("r", "1.0.0-1.4.2,2.0.0-").unwrap();
		let error = advisory(7, &case(open, ProductStatus::Fixed, true), &names(), &options());
		assert!(error.unwrap_err().to_string().contains("range 2.0.0- names no fixed version"));
	}

	#[test]
	fn log_tables_and_trust() {
		assert_eq!(trust(555_930_407), "0.555930407");
		assert_eq!(trust(1_000_000_000), "1.000000000");
		let entry = LogEntry {
			case: 0,
			seq: 6,
			kind: EntryKind::AccessDecided,
			actor: [1; 32],
			trust: Default::default(),
			vul_meta_hash: [0; 32],
			decision: Some(Decision::Probation),
			token_commitment: None,
			prev_link: [0; 32],
			at_block: 35,
		};
		let table = log_table(&[entry]);
		assert_eq!(table.lines().count(), 2);
		assert!(table.lines().nth(1).unwrap().contains("AccessDecided"), "{table}");
		assert!(table.contains("probation"), "{table}");
		assert_eq!(entry_json(&entry)["decision"], "probation");
	}
}
