//! Leaks, traced and reported (UIV-TSP sec. 3.4-3.5, one-step traceability): the tracing mark
//! of a leaked plaintext names the SW and the access it came from; a leak report puts the
//! evidence on chain (`report_leak`), where it is checked against the token commitments.
//!
//! * `endochain-uiv trace FILE` extracts every tracing mark from a leaked copy
//!   (`endo_uiv::watermark`), and for each asks the chain's trace index (`UivSharingApi_trace`)
//!   for the delivery whose tracing commitment it opens: the SW, the delivery's block, whether
//!   it was a deferred SW's (and a trap, once revealed), the leaks reported so far. With
//!   `--report` it submits `report_leak(case, token, Copy)` for each traced mark.
//! * `endochain-uiv report-leak --case ID --token H [--host H --at MS]` submits a leak report
//!   by hand: `Feedback { host, at }` (what codepreleak sends from a foreign host) or `Copy`.
//!
//! A true report is free; a token that traces to no delivery, or a report already made, fails
//! and pays its fee.

use crate::{
	args::{ss58, to_hex},
	chain::{self, Chain, Included},
	Error,
};
use codec::Encode;
use endo_uiv::{token::commitment, watermark};
use pallet_uiv_sharing::types::{CaseId, LeakSource, Trace, TrapFlag};
use serde_json::{json, Value};
use sp_core::crypto::AccountId32;

/// A mark found in a leaked copy, and what the chain knows of its delivery.
pub struct Traced {
	/// The mark (case and tracing token).
	pub mark: watermark::Mark,
	/// The tracing token's commitment.
	pub commitment: [u8; 32],
	/// The delivery it opens, if any.
	pub trace: Option<Trace<AccountId32>>,
}

impl Traced {
	/// As the tool prints it.
	pub fn to_json(&self) -> Value {
		let mut value = json!({
			"case": self.mark.case,
			"tracingToken": to_hex(&self.mark.tracing),
			"tracingCommitment": to_hex(&self.commitment),
		});
		match &self.trace {
			None => value["traced"] = json!(false),
			Some(trace) => {
				value["traced"] = json!(true);
				value["worker"] = json!(ss58(&trace.worker));
				value["deliveredAt"] = json!({
					"block": trace.delivered_at.block,
					"utcMs": trace.delivered_at.utc_ms,
				});
				value["delivery"] = json!(match trace.trap {
					TrapFlag::Real => "granted (real report)".to_string(),
					TrapFlag::Committed(_) => "deferred (trap flag not revealed)".to_string(),
					TrapFlag::Revealed(true) => "deferred: a trap (false report)".to_string(),
					TrapFlag::Revealed(false) => "deferred: the real report".to_string(),
				});
				value["leaksReported"] = json!(trace.leaks);
				value["ownLeak"] = json!(trace.own_leak);
				value["externalLeak"] = json!(trace.external_leak);
			}
		}
		value
	}
}

/// The most marks `trace` looks up: a report carries at most four copies of one mark, and a
/// crafted text may carry thousands.
pub const MAX_TRACED: usize = 64;

/// `marks` (the first [`MAX_TRACED`]), each looked up in the chain's trace index.
pub async fn trace(chain: &Chain, marks: Vec<watermark::Mark>) -> Result<Vec<Traced>, Error> {
	let mut traced = Vec::new();
	for mark in marks.into_iter().take(MAX_TRACED) {
		let commitment = commitment(&mark.tracing);
		let trace: Option<Trace<AccountId32>> = chain.api("trace", (mark.case, commitment)).await?;
		traced.push(Traced { mark, commitment, trace });
	}
	Ok(traced)
}

/// Submits `report_leak(case, tracing, source)` signed with `suri`'s key.
pub async fn report(
	chain: &Chain,
	suri: &str,
	case: CaseId,
	tracing: [u8; 32],
	source: LeakSource,
	finalized: bool,
) -> Result<Included, Error> {
	let keypair = chain::signer(suri)?;
	chain.submit(&keypair, "report_leak", (case, tracing, source).encode(), finalized).await
}

/// `trace`'s answer for `marks`, the marks of a leaked text: each with its delivery, reported
/// on chain with `suri`'s key when given (a report that fails is shown with its error).
pub async fn trace_command(
	chain: &Chain,
	marks: Vec<watermark::Mark>,
	suri: Option<&str>,
	finalized: bool,
) -> Result<Value, Error> {
	let traced = trace(chain, marks).await?;
	let mut marks = Vec::new();
	for t in &traced {
		let mut value = t.to_json();
		if let (Some(suri), Some(_)) = (suri, &t.trace) {
			value["report"] =
				match report(chain, suri, t.mark.case, t.mark.tracing, LeakSource::Copy, finalized)
					.await
				{
					Ok(done) => done.to_json(json!({})),
					Err(e) => json!({ "error": e.to_string() }),
				};
		}
		marks.push(value);
	}
	Ok(json!({ "marks": marks }))
}
