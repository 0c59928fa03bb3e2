//! Trust-gated access (UIV-TSP sec. 3.5): an SW's request is decided on chain by R1-R3 over its
//! trust (`endo_uiv::access`: beta reputation and the FNN on its 11 features); the TA delivers a
//! granted SW's sealed package and commits to its dynamic tokens (sec. 3.2); the access's end,
//! the SW's contributions and conspirator verdicts are behaviour evidence in the trust ledger.

use crate::{
	logs::{Details, HostSha256},
	pallet::pallet::*,
	types::*,
};
use alloc::vec::Vec;
use codec::Encode;
use endo_traits::{BehaviourEvidence, BehaviourTrustSink};
use endo_trust::{AccessDecision, TrustModel};
use endo_uiv::{
	access::{Collaboration, SwProfile},
	log::{Decision, EntryKind, Hash, TrustSnapshot},
	token::TokenHistory,
	Consent, Moment, ReportState,
};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_runtime::Perbill;

/// The domain tag of an access request's record hash.
pub const REQUEST_TAG: &[u8] = b"endochain/uiv/access-request/v1";

impl<T: Config> Pallet<T> {
	/// The trust cycle of block `block`.
	pub fn cycle(block: u32) -> u32 {
		block / T::CycleLength::get().max(1)
	}

	/// Whether `now` is outside the working hours (UTC).
	pub fn off_hours(now: Moment) -> bool {
		let hour = ((now.utc_ms / 3_600_000) % 24) as u8;
		let (start, end) = T::WorkingHours::get();
		!(start <= hour && hour < end)
	}

	/// Decodes and checks a trust model blob: an 11 -> 1 network.
	pub(crate) fn checked_model(blob: &[u8]) -> Result<TrustModel, Error<T>> {
		let model = TrustModel::decode_checked(blob).map_err(|_| Error::<T>::BadTrustModel)?;
		model.ensure_trust_shape().map_err(|_| Error::<T>::BadTrustModel)?;
		Ok(model)
	}

	/// The SW's collaborators on case `id` in `cycle`: how many asked before it, their mean
	/// beta trust, and how many of them also asked for one of the SW's `recent` cases.
	fn collaboration(
		id: CaseId,
		case: &Case<T::AccountId, crate::BalanceOf<T>>,
		requesters: &[(T::AccountId, u32)],
		worker: &T::AccountId,
		recent: &[CaseId],
		cycle: u32,
	) -> Collaboration {
		let this_cycle = if case.this_cycle.cycle == cycle {
			case.this_cycle
		} else {
			CycleRequests { cycle, ..Default::default() }
		};
		if this_cycle.requesters == 0 {
			return Collaboration::NONE;
		}
		let mates: Vec<&T::AccountId> = requesters
			.iter()
			.filter(|(who, c)| *c == cycle && who != worker)
			.map(|(who, _)| who)
			.collect();
		let mut repeat = 0u32;
		let others: Vec<Vec<(T::AccountId, u32)>> = recent
			.iter()
			.filter(|c| **c != id)
			.map(|c| Requesters::<T>::get(c).into_inner())
			.collect();
		for mate in &mates {
			if others.iter().any(|list| list.iter().any(|(who, _)| who == *mate)) {
				repeat = repeat.saturating_add(1);
			}
		}
		let mean = this_cycle.trust_sum / u64::from(this_cycle.requesters);
		Collaboration {
			collaborators: this_cycle.requesters,
			mean_trust: Perbill::from_parts(mean.min(1_000_000_000) as u32),
			repeat,
		}
	}

	/// A trust snapshot for the log.
	fn snapshot(trust: Perbill, profile: &SwProfile) -> TrustSnapshot {
		TrustSnapshot {
			value_ppb: trust.deconstruct(),
			successes: profile.evidence.good_units(),
			failures: profile.evidence.bad_units(),
			model_version: TrustModelVersion::<T>::get(),
		}
	}

	/// Notes behaviour evidence in the trust ledger; a refusal there (an account that left the
	/// ledger) is logged, not an error: the pallet's own record stands.
	pub(crate) fn evidence(who: &T::AccountId, evidence: BehaviourEvidence) {
		if let Err(error) = T::Evidence::note_behaviour(who, evidence) {
			::log::debug!(
				target: crate::LOG_TARGET,
				"behaviour evidence {evidence:?} not recorded: {error:?}"
			);
		}
	}

	/// One of `worker`'s live accesses ended (by `end_access`, or its case closed).
	pub(crate) fn access_ended(worker: &T::AccountId) {
		LiveAccesses::<T>::mutate_exists(worker, |n| {
			*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
	}

	pub(crate) fn do_request_access(worker: T::AccountId, id: CaseId) -> DispatchResult {
		let mut info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
		let mut case = Self::open_case_of(id)?;
		ensure!(Invited::<T>::contains_key(id, &worker), Error::<T>::NotInvited);
		ensure!(case.report == ReportState::Accepted, Error::<T>::WrongReportState);
		ensure!(case.disclosed.is_none(), Error::<T>::AlreadyDisclosed);
		let now = Self::now();
		let cycle = Self::cycle(now.block);
		let previous = Accesses::<T>::get(id, &worker);
		if let Some(access) = &previous {
			match access.state {
				AccessState::Granted | AccessState::Delivered => {
					return Err(Error::<T>::AlreadyGranted.into())
				}
				AccessState::Ended => return Err(Error::<T>::AccessUsed.into()),
				AccessState::Refused | AccessState::Deferred => {
					ensure!(access.cycle < cycle, Error::<T>::AlreadyDecided)
				}
			}
		}
		let config = T::AccessConfig::get();
		let mut profile = info.profile.clone();
		profile.roll_to(cycle, &config);
		ensure!(
			profile.requests_in_cycle < T::MaxRequestsPerCycle::get(),
			Error::<T>::TooManyRequests
		);
		let mut requesters = Requesters::<T>::get(id);
		// Requesters are invited, and invitations are bounded by the list's bound: the push
		// below cannot fail.
		let position = requesters.iter().position(|(who, _)| *who == worker);
		let blob = TrustModelBlob::<T>::get().ok_or(Error::<T>::NoTrustModel)?;
		let model = Self::checked_model(&blob)?;
		Self::ensure_log_room(&case, 2)?;

		// The request and its features.
		let collaboration = Self::collaboration(
			id,
			&case,
			&requesters,
			&worker,
			&profile.recent_cases.clone().into_inner(),
			cycle,
		);
		profile.note_request(id, Self::off_hours(now));
		let beta = profile.beta_trust(&config);
		let features = profile.features(&collaboration, &config);
		let was_barred = profile.barred;
		let assessment = profile.assess(&model, &features, &config).map_err(Error::<T>::from)?;
		let state = match assessment.decision {
			AccessDecision::Accept => AccessState::Granted,
			AccessDecision::Reject => AccessState::Refused,
			AccessDecision::Investigate => AccessState::Deferred,
		};
		let joins = state == AccessState::Granted && !Participants::<T>::contains_key(id, &worker);
		ensure!(
			!joins || case.participants < T::MaxParticipants::get(),
			Error::<T>::TooManyParticipants
		);

		// Writes.
		if state == AccessState::Granted {
			profile.note_grant();
		}
		match position {
			Some(i) => {
				if let Some(entry) = requesters.get_mut(i) {
					entry.1 = cycle;
				}
			}
			None => {
				// Room was checked.
				let _ = requesters.try_push((worker.clone(), cycle));
				case.requesters = case.requesters.saturating_add(1);
			}
		}
		if case.this_cycle.cycle != cycle {
			case.this_cycle = CycleRequests { cycle, ..Default::default() };
		}
		case.this_cycle.requesters = case.this_cycle.requesters.saturating_add(1);
		case.this_cycle.trust_sum =
			case.this_cycle.trust_sum.saturating_add(u64::from(beta.deconstruct()));
		if joins {
			Self::join_as_worker(id, &mut case, &worker);
		}
		let request = endo_uiv::hash::tagged::<HostSha256>(
			REQUEST_TAG,
			&[&(id, &worker, now, profile.requests_in_cycle).encode()],
		);
		let snapshot = Self::snapshot(assessment.trust, &profile);
		Self::log(
			id,
			&mut case,
			EntryKind::AccessRequested { request },
			&worker,
			Details { trust: snapshot, ..Default::default() },
		);
		let decision = match state {
			AccessState::Granted => Decision::Granted,
			AccessState::Refused => Decision::Denied,
			_ => Decision::Probation,
		};
		let ta = case.ta.clone();
		Self::log(
			id,
			&mut case,
			EntryKind::AccessDecided,
			&ta,
			Details { trust: snapshot, decision: Some(decision), token_commitment: None },
		);
		let barred_now = profile.barred && !was_barred;
		if state == AccessState::Granted {
			// A new live access: the request was neither granted nor delivered before.
			LiveAccesses::<T>::mutate(&worker, |n| *n = n.saturating_add(1));
		}
		info.profile = profile;
		Workers::<T>::insert(&worker, info);
		Requesters::<T>::insert(id, requesters);
		Accesses::<T>::insert(
			id,
			&worker,
			Access {
				state,
				assessment,
				cycle,
				requested: now,
				delivered: None,
				tokens: None,
				tracing_commitment: None,
				contributed: false,
			},
		);
		Cases::<T>::insert(id, case);
		if barred_now {
			Self::evidence(&worker, BehaviourEvidence::Conspiracy);
			Self::deposit_event(Event::WorkerBarred { worker: worker.clone() });
		}
		Self::deposit_event(Event::AccessDecided {
			case: id,
			worker,
			state,
			trust: assessment.trust,
		});
		Ok(())
	}

	/// SW `worker` joins case `id` as a participant: asking for an embargoed case is agreeing
	/// to its embargo. The caller checked [`Config::MaxParticipants`].
	pub(crate) fn join_as_worker(
		id: CaseId,
		case: &mut Case<T::AccountId, crate::BalanceOf<T>>,
		worker: &T::AccountId,
	) {
		Participants::<T>::insert(
			id,
			worker,
			Participant { role: Role::Worker, consent: Consent::Accepted },
		);
		case.participants = case.participants.saturating_add(1);
	}

	pub(crate) fn do_deliver_package(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
		token_commitment: Hash,
		tracing_commitment: Hash,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let access = Accesses::<T>::get(id, &worker).ok_or(Error::<T>::NoAccess)?;
		ensure!(access.state == AccessState::Granted, Error::<T>::NoAccess);
		ensure!(!Traces::<T>::contains_key(id, tracing_commitment), Error::<T>::DuplicateTracing);
		Self::ensure_log_room(&case, 1)?;
		Self::delivered(
			id,
			&mut case,
			&who,
			worker,
			access,
			(token_commitment, tracing_commitment),
			TrapFlag::Real,
		);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	/// Records the delivery of `worker`'s package (by `deliver_package` or
	/// `deliver_deferred`, whose checks passed, with one log entry's room): the token history
	/// starts with `tokens.0`, the access is `Delivered` with the tracing commitment `tokens.1`,
	/// the package's [`Trace`] is indexed with `trap`; logged and announced. `case` is written
	/// by the caller.
	pub(crate) fn delivered(
		id: CaseId,
		case: &mut Case<T::AccountId, crate::BalanceOf<T>>,
		ta: &T::AccountId,
		worker: T::AccountId,
		mut access: Access,
		(token_commitment, tracing_commitment): (Hash, Hash),
		trap: TrapFlag,
	) {
		let now = Self::now();
		let mut tokens = TokenHistory::new_with::<HostSha256>(id, &Self::account_bytes(&worker));
		tokens.push_with::<HostSha256>(token_commitment);
		access.state = AccessState::Delivered;
		access.delivered = Some(now);
		access.tokens = Some(tokens);
		access.tracing_commitment = Some(tracing_commitment);
		Self::log(
			id,
			case,
			EntryKind::PackageDelivered { tracing_commitment },
			ta,
			Details { token_commitment: Some(token_commitment), ..Default::default() },
		);
		Accesses::<T>::insert(id, &worker, access);
		Traces::<T>::insert(
			id,
			tracing_commitment,
			Trace {
				worker: worker.clone(),
				delivered_at: now,
				trap,
				leaks: 0,
				own_leak: false,
				external_leak: false,
			},
		);
		Self::deposit_event(Event::PackageDelivered { case: id, worker, token_commitment });
	}

	pub(crate) fn do_end_access(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
		token_commitment: Hash,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let mut access = Accesses::<T>::get(id, &worker).ok_or(Error::<T>::NoAccess)?;
		ensure!(access.state == AccessState::Delivered, Error::<T>::NoAccess);
		let mut info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
		Self::ensure_log_room(&case, 1)?;
		let now = Self::now();
		let mut tokens = access.tokens.unwrap_or_else(|| {
			TokenHistory::new_with::<HostSha256>(id, &Self::account_bytes(&worker))
		});
		let step = tokens.push_with::<HostSha256>(token_commitment);
		let minutes =
			access.delivered.map(|at| now.utc_ms.saturating_sub(at.utc_ms) / 60_000).unwrap_or(0);
		// Bring the profile to this cycle first: the good event is new, not to be decayed by
		// the cycles before it.
		info.profile.roll_to(Self::cycle(now.block), &T::AccessConfig::get());
		info.profile.note_session_end(u32::try_from(minutes).unwrap_or(u32::MAX), false);
		access.state = AccessState::Ended;
		access.tokens = Some(tokens);
		let snapshot = Self::snapshot(access.assessment.trust, &info.profile);
		Self::log(
			id,
			&mut case,
			EntryKind::TokenRenewed { history_link: step.link },
			&who,
			Details { trust: snapshot, token_commitment: Some(token_commitment), decision: None },
		);
		Workers::<T>::insert(&worker, info);
		Accesses::<T>::insert(id, &worker, access);
		Cases::<T>::insert(id, case);
		Self::access_ended(&worker);
		Self::evidence(&worker, BehaviourEvidence::Cooperated);
		Self::deposit_event(Event::AccessEnded { case: id, worker, token_commitment });
		Ok(())
	}

	pub(crate) fn do_accept_contribution(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(case.products.iter().any(|p| p.vendor == who), Error::<T>::NotProductVendor);
		let mut access = Accesses::<T>::get(id, &worker).ok_or(Error::<T>::NoAccess)?;
		ensure!(
			matches!(access.state, AccessState::Delivered | AccessState::Ended),
			Error::<T>::NoAccess
		);
		ensure!(!access.contributed, Error::<T>::AlreadyContributed);
		let mut info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
		Self::ensure_log_room(&case, 1)?;
		info.profile.roll_to(Self::cycle(Self::now().block), &T::AccessConfig::get());
		info.profile.note_contribution();
		access.contributed = true;
		let snapshot = Self::snapshot(access.assessment.trust, &info.profile);
		Self::log(
			id,
			&mut case,
			EntryKind::ContributionAccepted { sw: Self::account_bytes(&worker) },
			&who,
			Details { trust: snapshot, ..Default::default() },
		);
		Workers::<T>::insert(&worker, info);
		Accesses::<T>::insert(id, &worker, access);
		Cases::<T>::insert(id, case);
		Self::evidence(&worker, BehaviourEvidence::Cooperated);
		Self::deposit_event(Event::ContributionAccepted { case: id, worker });
		Ok(())
	}
}
