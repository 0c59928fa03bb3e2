//! The TA's decision on a deferred (R3) SW (UIV-TSP sec. 3.5.3, Algorithm 3): deliver the real
//! report, or a false uiv as a trap. The decision stays on the TA's node; the chain sees only
//! the salted commitment `trap_commitment(tracing_commitment, trap, salt)` that
//! `deliver_deferred` records, until a leak report names the delivery and the node reveals it
//! (`task.rs`). A trap's package has the form, valid time and tracing of a real one: the SW
//! cannot tell them apart, and its leak, traced, bars it with its conspirators.

use super::*;

/// The longest valid time a TA may give a deferred SW's package (minutes): a week.
pub const MAX_VALID_MINUTES: u32 = 7 * 24 * 60;

/// What `resolve_deferred` recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
	/// A trap.
	pub trap: bool,
	/// The package's valid time (minutes).
	pub valid_minutes: u32,
	/// The decoy's length (0 for the real report).
	pub decoy_bytes: usize,
	/// A previous decision was replaced.
	pub replaced: bool,
}

impl<S: OffchainStorage + 'static> TaNode<S> {
	/// Records the TA's decision on SW `worker`'s deferred access to `case`: the real report
	/// (`trap == false`, no decoy) or the false report `decoy` as a trap, valid for
	/// `valid_minutes` (default: the session length). The SW then fetches its package as a
	/// granted SW does. A decision may change until its package is delivered.
	pub async fn resolve_deferred(
		&self,
		case_id: CaseId,
		worker: [u8; 32],
		trap: bool,
		decoy: Vec<u8>,
		valid_minutes: Option<u32>,
	) -> Result<Resolved, TaError> {
		self.ensure_keys()?;
		match (trap, decoy.len()) {
			(true, 0) => {
				return Err(TaError::Report("a trap needs a decoy: the false report".into()))
			}
			(true, n) if n > store::MAX_DECOY => {
				return Err(TaError::Report(format!(
					"the decoy has {n} bytes, at most {}",
					store::MAX_DECOY
				)))
			}
			(false, n) if n > 0 => {
				return Err(TaError::Report(
					"a decoy is for a trap only: the real report is the case's".into(),
				))
			}
			_ => {}
		}
		let session_minutes = u32::try_from(self.session.as_secs() / 60).unwrap_or(u32::MAX);
		let valid_minutes = valid_minutes.unwrap_or(session_minutes.max(1));
		if valid_minutes == 0 || valid_minutes > MAX_VALID_MINUTES {
			return Err(TaError::Report(format!(
				"the valid time is {valid_minutes} minutes; it must be 1 to {MAX_VALID_MINUTES}"
			)));
		}
		let mut store = self.store.lock().await;
		let (at, _) = self.best();
		let case = self.case(at, case_id)?;
		self.ta_pairs(at, &case)?;
		let access = self.access(at, case_id, &worker)?.ok_or_else(|| {
			TaError::NoAccess(format!("the worker never asked for case {case_id}"))
		})?;
		if access.state != AccessState::Deferred {
			return Err(TaError::NoAccess(format!(
				"the worker's access to case {case_id} is {:?}, not deferred: nothing to decide",
				access.state
			)));
		}
		let deliveries: Deliveries =
			load(&*store, &store::delivery_key(case_id, &worker)).unwrap_or_default();
		if deliveries.iter().any(|d| {
			d.cycle == access.cycle
				&& matches!(d.kind, Kind::Deferred { .. })
				&& d.stage != Stage::Ended
		}) {
			return Err(TaError::Busy(format!(
				"case {case_id}: the package of the previous decision is being delivered"
			)));
		}
		let key = store::resolution_key(case_id, &worker);
		let replaced = store.get(store::PREFIX, &key).is_some();
		let decoy_bytes = decoy.len();
		store.set(store::PREFIX, &key, &Resolution { trap, decoy, valid_minutes }.encode());
		log::info!(
			target: LOG_TARGET,
			"case {case_id}: deferred access of {} resolved (trap: {trap})",
			AccountId::from(worker)
		);
		Ok(Resolved { trap, valid_minutes, decoy_bytes, replaced })
	}
}
