//! The leak guard on chain (UIV-TSP sec. 3.4-3.5, Algorithm 3).
//!
//! * Traces: every delivered package is indexed by the commitment to its tracing token
//!   ([`Traces`]), so a token found outside its licensed host names the SW it was delivered to.
//! * Traps: a semi-honest (R3, deferred) SW may get a package through
//!   [`Pallet::deliver_deferred`], with the TA's hidden commitment to whether it is the real
//!   report or a trap (a false uiv, `endo_uiv::token::trap_commitment`); the TA opens it with
//!   [`Pallet::reveal_trap`], typically right after a leak of it is reported.
//! * Leaks: [`Pallet::report_leak`] shows a tracing token, found by a package's self-check on
//!   an unlicensed host (feedback) or in a leaked copy's watermark. Each sighting is an alarm
//!   and a new conspirator in the SW's profile and bad evidence in the trust ledger; then
//!   - a leak of the real report (a granted delivery, or a deferred one revealed real) ends a
//!     live embargo ([`ExitReason::Leaked`]): the public may be aware;
//!   - a leak of a trap is the conspirator verdict (sec. 3.5.2): the SW's trust is 0 and it is
//!     barred for good. A trap's content is false, so it never touches the embargo;
//!   - a leak of a deferred delivery not yet revealed waits for the reveal, which applies the
//!     one or the other.
//!
//! A report costs nothing when it is true and new; a false one (a token no package carries), a
//! repeated one or one past [`Config::MaxLeaksPerTrace`] pays its fee. Knowing a token is the
//! proof: only the TA and the package hold it until it leaks.

use crate::{
	cases::CaseOf,
	logs::{Details, HostSha256},
	pallet::pallet::*,
	types::*,
};
use endo_traits::BehaviourEvidence;
use endo_trust::Classification;
use endo_uiv::{
	log::{EntryKind, Hash},
	token, Consent, EmbargoState, ExitReason, ReportState,
};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::{DispatchResult, Pays},
	traits::Get,
};
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_deliver_deferred(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
		token_commitment: Hash,
		tracing_commitment: Hash,
		trap_commitment: Hash,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let access = Accesses::<T>::get(id, &worker).ok_or(Error::<T>::NoAccess)?;
		ensure!(access.state == AccessState::Deferred, Error::<T>::NotDeferred);
		let mut info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
		// Barred since it was deferred (a verdict in another case): R1-R3 would refuse it now.
		ensure!(!info.profile.barred, Error::<T>::Barred);
		ensure!(!Traces::<T>::contains_key(id, tracing_commitment), Error::<T>::DuplicateTracing);
		let joins = !Participants::<T>::contains_key(id, &worker);
		ensure!(
			!joins || case.participants < T::MaxParticipants::get(),
			Error::<T>::TooManyParticipants
		);
		Self::ensure_log_room(&case, 1)?;

		// Writes: what a grant does, then what a delivery does.
		if joins {
			// Asking for an embargoed case is agreeing to its embargo.
			Participants::<T>::insert(
				id,
				&worker,
				Participant { role: Role::Worker, consent: Consent::Accepted },
			);
			case.participants = case.participants.saturating_add(1);
		}
		info.profile.roll_to(Self::cycle(Self::now().block), &T::AccessConfig::get());
		info.profile.note_grant();
		Workers::<T>::insert(&worker, info);
		// A new live access: a deferred one was not live.
		LiveAccesses::<T>::mutate(&worker, |n| *n = n.saturating_add(1));
		Self::delivered(
			id,
			&mut case,
			&who,
			worker,
			access,
			(token_commitment, tracing_commitment),
			TrapFlag::Committed(trap_commitment),
		);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_reveal_trap(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
		trap: bool,
		salt: [u8; 32],
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let access = Accesses::<T>::get(id, &worker).ok_or(Error::<T>::NoAccess)?;
		let tracing_commitment = access.tracing_commitment.ok_or(Error::<T>::NoAccess)?;
		let mut trace = Traces::<T>::get(id, tracing_commitment).ok_or(Error::<T>::NoAccess)?;
		match trace.trap {
			TrapFlag::Real => return Err(Error::<T>::NotDeferred.into()),
			TrapFlag::Revealed(_) => return Err(Error::<T>::AlreadyRevealed.into()),
			TrapFlag::Committed(commitment) => ensure!(
				commitment
					== token::trap_commitment_with::<HostSha256>(&tracing_commitment, trap, &salt),
				Error::<T>::BadTrapReveal
			),
		}
		trace.trap = TrapFlag::Revealed(trap);
		// The consequences a leak reported before the reveal waited for.
		let leaked = trace.leaks > 0;
		let from = case.embargo;
		let exit = Self::leak_exit(&case, trace.trap, leaked)?;
		Self::ensure_log_room(&case, 1)?;
		if exit.is_some() {
			// The embargo's end may use the end reserve, as `exit_embargo` does.
			Self::ensure_end_log_room(&case, 2)?;
		}

		// Writes.
		Self::log(
			id,
			&mut case,
			EntryKind::TrapRevealed { tracing_commitment, trap },
			&who,
			Details::default(),
		);
		Traces::<T>::insert(id, tracing_commitment, trace);
		Self::deposit_event(Event::TrapRevealed { case: id, worker: worker.clone(), trap });
		if let Some(to) = exit {
			case.embargo = to;
			Self::embargo_changed(id, &mut case, from, &who);
		}
		Cases::<T>::insert(id, case);
		if leaked && trap {
			Self::conspirator_verdict(&worker);
		}
		Ok(())
	}

	pub(crate) fn do_report_leak(
		reporter: T::AccountId,
		id: CaseId,
		tracing: [u8; 32],
		source: LeakSource,
	) -> DispatchResultWithPostInfo {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		// Disclosed: the report is public anyway. (A closed case is disclosed, or invalid.)
		ensure!(case.disclosed.is_none(), Error::<T>::AlreadyDisclosed);
		ensure!(case.report != ReportState::Closed, Error::<T>::CaseClosed);
		let tracing_commitment = token::commitment_with::<HostSha256>(&tracing);
		let mut trace =
			Traces::<T>::get(id, tracing_commitment).ok_or(Error::<T>::UntracedToken)?;
		let key = source.key();
		ensure!(
			!matches!(source, LeakSource::Feedback { host, .. } if host == COPY_SOURCE),
			Error::<T>::BadLeakSource
		);
		ensure!(
			!LeakSightings::<T>::contains_key((id, tracing_commitment, key)),
			Error::<T>::LeakAlreadyReported
		);
		ensure!(trace.leaks < T::MaxLeaksPerTrace::get(), Error::<T>::TooManyLeakReports);
		let from = case.embargo;
		let exit = Self::leak_exit(&case, trace.trap, true)?;
		Self::ensure_log_room(&case, 1)?;
		if exit.is_some() {
			// The embargo's end may use the end reserve, as `exit_embargo` does.
			Self::ensure_end_log_room(&case, 2)?;
		}
		let now = Self::now();
		// A new sighting is always a new unlicensed holder: feedback is deduplicated by host,
		// and a copy counts once per package (the checks above).
		let new_conspirator = true;
		let verdict = trace.trap == TrapFlag::Revealed(true);

		// Writes.
		let worker = trace.worker.clone();
		trace.leaks = trace.leaks.saturating_add(1);
		// An SW that left before the leak was found has no profile: the ledger still hears it.
		if let Some(mut info) = Workers::<T>::get(&worker) {
			// Bring the profile to this cycle first: the alarm is new, not to be decayed by the
			// cycles before it.
			info.profile.roll_to(Self::cycle(now.block), &T::AccessConfig::get());
			info.profile.note_alarm(new_conspirator);
			Workers::<T>::insert(&worker, info);
		}
		Self::evidence(&worker, BehaviourEvidence::LeakReported);
		LeakSightings::<T>::insert(
			(id, tracing_commitment, key),
			LeakSighting { reporter: reporter.clone(), at_block: now.block, source },
		);
		Traces::<T>::insert(id, tracing_commitment, trace);
		Self::log(
			id,
			&mut case,
			EntryKind::LeakReported { tracing_commitment, source: key },
			&reporter,
			Details::default(),
		);
		Self::deposit_event(Event::LeakReported {
			case: id,
			worker: worker.clone(),
			reporter: reporter.clone(),
			source,
		});
		if let Some(to) = exit {
			case.embargo = to;
			Self::embargo_changed(id, &mut case, from, &reporter);
		}
		Cases::<T>::insert(id, case);
		if verdict {
			Self::conspirator_verdict(&worker);
		}
		// A true, new report is free: the honest reporter pays nothing.
		Ok(PostDispatchInfo { actual_weight: None, pays_fee: Pays::No })
	}

	/// The embargo's state after a leak (`leaked`) of a package flagged `trap`, if the leak
	/// ends it: the real report (known to be real) left a licensed host under a live embargo.
	fn leak_exit(
		case: &CaseOf<T>,
		trap: TrapFlag,
		leaked: bool,
	) -> Result<Option<EmbargoState>, Error<T>> {
		if !leaked || trap.is_real() != Some(true) || !case.embargo.is_live() {
			return Ok(None);
		}
		case.embargo.exit(ExitReason::Leaked).map(Some).map_err(Error::<T>::from)
	}

	/// The conspirator verdict of UIV-TSP sec. 3.5.2 on `worker`, whose trap leaked: at least
	/// one conspirator, `endo_trust::conspirator_verdict` makes it untrusted, its trust is 0
	/// and it is barred for good; a conspiracy in the trust ledger. Nothing for an SW already
	/// barred. An SW that left has no profile to bar: the ledger still hears it.
	pub(crate) fn conspirator_verdict(worker: &T::AccountId) {
		match Workers::<T>::get(worker) {
			Some(mut info) => {
				if info.profile.barred {
					return;
				}
				info.profile.conspirators = info.profile.conspirators.max(1);
				if endo_trust::conspirator_verdict(info.profile.conspirators)
					!= Classification::Untrusted
				{
					return;
				}
				info.profile.barred = true;
				info.profile.fnn_trust = Some(Perbill::zero());
				Workers::<T>::insert(worker, info);
				Self::evidence(worker, BehaviourEvidence::Conspiracy);
				Self::deposit_event(Event::WorkerBarred { worker: worker.clone() });
			}
			None => Self::evidence(worker, BehaviourEvidence::Conspiracy),
		}
	}
}
