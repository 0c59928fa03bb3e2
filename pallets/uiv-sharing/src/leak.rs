//! The leak guard on chain (UIV-TSP sec. 3.4-3.5, Algorithm 3).
//!
//! * Traces: every delivered package is indexed by the commitment to its tracing token
//!   ([`Traces`]), so a token found outside its licensed host names the SW it was delivered to.
//! * Traps: a semi-honest (R3, deferred) SW may get a package through
//!   [`Pallet::deliver_deferred`], with the TA's hidden commitment to whether it is the real
//!   report or a trap (a false uiv, `endo_uiv::token::trap_commitment`); the TA opens it with
//!   [`Pallet::reveal_trap`], typically right after a leak of it is reported.
//! * Leaks: [`Pallet::report_leak`] shows a tracing token, found by a package's self-check on
//!   an unlicensed host (feedback) or in a leaked copy's watermark. Every sighting is recorded
//!   ([`LeakSightings`], a log entry: the leak's path), but only the first of each kind acts:
//!   - *own*: the self-check's feedback signed by the SW itself. Only the SW's key opens a
//!     package's header, and an accomplice gets the plaintext, not the key, so this is the SW
//!     opening its package on a machine of its own (a slip, UIV-TSP's semi-honest SW): an
//!     alarm in its profile and `LeakReported` evidence, no conspirator, nothing else;
//!   - *external*: a sighting from anyone else, or of a leaked copy: the content left the SW.
//!     An alarm and a new conspirator in the SW's profile and `LeakReported` evidence in the
//!     trust ledger, once per trace. Once a token is reported it is public, and anyone could
//!     report more sightings of it with made-up hosts: they change no profile and pay;
//!   - an external leak of the real report (a granted delivery, or a deferred one revealed
//!     real) marks
//!     the case leaked ([`LeakedCases`]): its TA or a vendor may then end a live embargo early
//!     ([`Pallet::exit_embargo`], [`ExitReason::Leaked`](endo_uiv::ExitReason::Leaked)). The
//!     report does not end it itself: the SW knows its own token and could otherwise end any
//!     embargo for free;
//!   - an external leak of a trap is the conspirator verdict (sec. 3.5.2): the SW's trust is 0
//!     and it is barred for good. A trap's content is false, so it never marks the case;
//!   - a leak of a deferred delivery not yet revealed waits for the reveal, which applies the
//!     one or the other.
//! * Departed SWs: an SW may leave ([`Pallet::deregister_worker`]) before its leak is found.
//!   What the leak guard then finds against it goes to its [`DepartedRecords`] entry, which
//!   [`Pallet::register_worker`] reads: a barred account cannot come back, another comes back
//!   with its alarms.
//! * After disclosure the real report is public: a leak of it proves nothing more and is
//!   refused ([`Error::AlreadyDisclosed`]). A trap's content is false, so its leak still proves
//!   a conspirator: leaks of a package that is or may be a trap are taken until the case
//!   closes. A reveal may use the log's end reserve, so a full log never blocks it.
//!
//! Known limit: a closed case takes no more reports or reveals ([`Error::CaseClosed`]): a
//! trap that leaks after its case closed goes unpunished. The TA's node reveals as soon as a
//! leak of a deferred delivery is reported, and a case closes only after its disclosure.
//!
//! A report costs nothing when it is true and the trace's first of its kind; a false one (a token no
//! package carries), a repeated one, a later sighting of a trace or one past
//! [`Config::MaxLeaksPerTrace`] pays its fee. Knowing a token is the proof: only the TA and
//! the package hold it until it leaks.

use crate::{
	logs::{Details, HostSha256},
	pallet::pallet::*,
	types::*,
};
use endo_traits::BehaviourEvidence;
use endo_trust::Classification;
use endo_uiv::{
	log::{EntryKind, Hash},
	token, ReportState,
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
			Self::join_as_worker(id, &mut case, &worker);
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
		// A reveal may use the end reserve, as the calls that end a case do: a full log must
		// not keep a leaked trap from its verdict. Only the TA reveals, once per deferred
		// delivery.
		Self::ensure_end_log_room(&case, 1)?;
		trace.trap = TrapFlag::Revealed(trap);
		// The consequences a leak reported before the reveal waited for: an external one (the
		// SW's slip on its own host is no conspirator's).
		let leaked = trace.external_leak;

		// Writes.
		Self::log(
			id,
			&mut case,
			EntryKind::TrapRevealed { tracing_commitment, trap },
			&who,
			Details::default(),
		);
		Traces::<T>::insert(id, tracing_commitment, trace);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::TrapRevealed { case: id, worker: worker.clone(), trap });
		if leaked {
			if trap {
				Self::conspirator_verdict(&worker);
			} else {
				Self::mark_leaked(id);
			}
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
		ensure!(case.report != ReportState::Closed, Error::<T>::CaseClosed);
		let tracing_commitment = token::commitment_with::<HostSha256>(&tracing);
		let mut trace =
			Traces::<T>::get(id, tracing_commitment).ok_or(Error::<T>::UntracedToken)?;
		// Disclosed: the real report is public anyway. A trap's content is false, so its leak
		// (or a leak of a package that may be one) still proves a conspirator.
		ensure!(
			case.disclosed.is_none() || trace.trap.is_real() != Some(true),
			Error::<T>::AlreadyDisclosed
		);
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
		Self::ensure_log_room(&case, 1)?;
		let now = Self::now();
		// The self-check's feedback signed by the SW itself comes from a host of its own: only
		// its key opens the package's header, and an accomplice gets the plaintext, not the key.
		// A slip: an alarm, no conspirator, the case not leaked, a trap not sprung. Anything
		// else (another reporter, a leaked copy) is external.
		let own = matches!(source, LeakSource::Feedback { .. }) && reporter == trace.worker;
		// Only the first sighting of each kind acts: later ones (the token is public by then)
		// are recorded, change nothing else, and pay.
		let acts = if own { !trace.own_leak } else { !trace.external_leak };
		let external = acts && !own;
		let verdict = external && trace.trap == TrapFlag::Revealed(true);
		let real_leak = external && trace.trap.is_real() == Some(true);

		// Writes.
		let worker = trace.worker.clone();
		trace.leaks = trace.leaks.saturating_add(1);
		if own {
			trace.own_leak = true;
		} else {
			trace.external_leak = true;
		}
		if acts {
			Self::leak_alarm(&worker, now.block, !own);
			Self::evidence(&worker, BehaviourEvidence::LeakReported);
		}
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
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::LeakReported {
			case: id,
			worker: worker.clone(),
			reporter: reporter.clone(),
			source,
		});
		if real_leak {
			Self::mark_leaked(id);
		}
		if verdict {
			Self::conspirator_verdict(&worker);
		}
		// The first true report of each kind is free: the honest reporter pays nothing. Later
		// sightings of a public token pay their fee.
		Ok(PostDispatchInfo {
			actual_weight: None,
			pays_fee: if acts { Pays::No } else { Pays::Yes },
		})
	}

	/// A leak's alarm against `worker` (once per trace and kind): an alarm, and with
	/// `conspirator` a new conspirator (the unlicensed holder), in its profile, brought to the
	/// cycle of `block` first; in its [`DepartedRecords`] entry if it left.
	fn leak_alarm(worker: &T::AccountId, block: u32, conspirator: bool) {
		match Workers::<T>::get(worker) {
			Some(mut info) => {
				// Bring the profile to this cycle first: the alarm is new, not to be decayed by
				// the cycles before it.
				info.profile.roll_to(Self::cycle(block), &T::AccessConfig::get());
				info.profile.note_alarm(conspirator);
				Workers::<T>::insert(worker, info);
			}
			None => DepartedRecords::<T>::mutate(worker, |record| {
				let record = record.get_or_insert_with(DepartedRecord::default);
				record.alarms = record.alarms.saturating_add(1);
				record.conspirators = record.conspirators.saturating_add(u32::from(conspirator));
			}),
		}
	}

	/// Marks case `id` leaked ([`LeakedCases`]): a real package of it left a licensed host.
	/// The first block is kept.
	fn mark_leaked(id: CaseId) {
		if !LeakedCases::<T>::contains_key(id) {
			LeakedCases::<T>::insert(id, frame_system::Pallet::<T>::block_number());
		}
	}

	/// The conspirator verdict of UIV-TSP sec. 3.5.2 on `worker`, whose trap leaked: at least
	/// one conspirator, `endo_trust::conspirator_verdict` makes it untrusted, its trust is 0
	/// and it is barred for good; a conspiracy in the trust ledger. Nothing for an SW already
	/// barred. An SW that left is barred in its [`DepartedRecords`] entry: it cannot register
	/// again.
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
			}
			None => {
				let mut record = DepartedRecords::<T>::get(worker).unwrap_or_default();
				if record.barred {
					return;
				}
				record.conspirators = record.conspirators.max(1);
				if endo_trust::conspirator_verdict(record.conspirators) != Classification::Untrusted
				{
					return;
				}
				record.barred = true;
				DepartedRecords::<T>::insert(worker, record);
			}
		}
		Self::evidence(worker, BehaviourEvidence::Conspiracy);
		Self::deposit_event(Event::WorkerBarred { worker: worker.clone() });
	}
}
