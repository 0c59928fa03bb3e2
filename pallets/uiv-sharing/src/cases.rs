//! The case lifecycle (UIV-TSP sec. 3.1; CERT/CC Vultron's report, embargo and participant
//! models, `endo_uiv::case`): opening, assessment, acceptance, embargo consent and deadlines,
//! product status, disclosure and closing. Every step is a log entry.

use crate::{
	logs::{Details, HostSha256},
	pallet::pallet::*,
	types::*,
	weights::WeightInfo,
	BalanceOf,
};
use codec::Encode;
use endo_uiv::{
	log::{EntryKind, Hash},
	Consent, EmbargoState, ExitReason, ProductId, ProductStatus, ReportState, Severity,
	VersionRange,
};
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	ensure,
	pallet_prelude::{ConstU32, DispatchResult},
	traits::Get,
	BoundedVec,
};

/// The domain tag of [`Pallet::vul_meta_hash`].
pub const VUL_META_TAG: &[u8] = b"endochain/uiv/vul-meta/v1";

pub(crate) type CaseOf<T> = Case<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

impl<T: Config> Pallet<T> {
	/// The paper's vulmeta hash of a case: `SHA-256([len(tag)] || VUL_META_TAG || case as u64
	/// LE || SCALE((vendor, products, severity, report_hash)))`.
	pub fn vul_meta_hash(
		case: CaseId,
		vendor: &T::AccountId,
		products: &[AffectedProduct<T::AccountId>],
		severity: &Severity,
		report_hash: &Hash,
	) -> Hash {
		let fields = (vendor, products, severity, report_hash).encode();
		endo_uiv::hash::tagged::<HostSha256>(VUL_META_TAG, &[&case.to_le_bytes(), &fields])
	}

	/// The case `id`, not closed.
	pub(crate) fn open_case_of(id: CaseId) -> Result<CaseOf<T>, Error<T>> {
		let case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		ensure!(case.report != ReportState::Closed, Error::<T>::CaseClosed);
		Ok(case)
	}

	/// `who` is the case's TA and still a TA.
	pub(crate) fn ensure_case_authority(
		case: &CaseOf<T>,
		who: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(
			case.ta == *who && Authorities::<T>::contains_key(who),
			Error::<T>::NotCaseAuthority
		);
		Ok(())
	}

	fn block_time() -> u64 {
		T::ExpectedBlockTime::get()
	}

	/// Logs and announces the embargo's current state.
	pub(crate) fn embargo_changed(
		id: CaseId,
		case: &mut CaseOf<T>,
		from: EmbargoState,
		actor: &T::AccountId,
	) {
		let deadline = case.clock.deadline;
		Self::log(
			id,
			case,
			EntryKind::EmbargoChanged { from, to: case.embargo, deadline: Some(deadline) },
			actor,
			Details::default(),
		);
		Self::deposit_event(Event::EmbargoChanged {
			case: id,
			state: case.embargo,
			deadline_block: deadline.block,
			deadline_utc_ms: deadline.utc_ms,
		});
	}

	/// Logs and announces a report move.
	fn report_changed(id: CaseId, case: &mut CaseOf<T>, from: ReportState, actor: &T::AccountId) {
		let to = case.report;
		Self::log(id, case, EntryKind::StateChanged { from, to }, actor, Details::default());
		Self::deposit_event(Event::ReportStateChanged { case: id, state: to });
	}

	/// Logs and announces a participant's answer to the embargo.
	fn consent_changed(id: CaseId, case: &mut CaseOf<T>, who: &T::AccountId, consent: Consent) {
		Self::log(id, case, EntryKind::ConsentChanged { consent }, who, Details::default());
		Self::deposit_event(Event::ConsentGiven { case: id, who: who.clone(), consent });
	}

	/// Whether every participant of case `id` accepted the embargo.
	fn all_consented(id: CaseId) -> bool {
		let consents: alloc::vec::Vec<Consent> =
			Participants::<T>::iter_prefix_values(id).map(|p| p.consent).collect();
		Consent::all_accepted(&consents)
	}

	/// A proposed embargo becomes active once every participant accepted it.
	fn try_activate(id: CaseId, case: &mut CaseOf<T>, actor: &T::AccountId) {
		if case.embargo == EmbargoState::Proposed && Self::all_consented(id) {
			if let Ok(active) = case.embargo.accept(&[Consent::Accepted]) {
				case.embargo = active;
				Self::embargo_changed(id, case, EmbargoState::Proposed, actor);
			}
		}
	}

	pub(crate) fn do_open_case(
		opener: T::AccountId,
		ta: T::AccountId,
		products: BoundedVec<(T::AccountId, ProductId, Ranges), ConstU32<MAX_PRODUCTS_PER_CASE>>,
		severity: Severity,
		report_hash: Hash,
	) -> DispatchResult {
		ensure!(Authorities::<T>::contains_key(&ta), Error::<T>::NotAuthority);
		let vendor = products.first().map(|p| p.0.clone()).ok_or(Error::<T>::BadProductList)?;
		let mut affected = BoundedVec::<_, ConstU32<MAX_PRODUCTS_PER_CASE>>::new();
		for (product_vendor, product, ranges) in products {
			ensure!(
				Products::<T>::contains_key(&product_vendor, &product),
				Error::<T>::UnknownProduct
			);
			ensure!(
				!affected
					.iter()
					.any(|p: &AffectedProduct<T::AccountId>| p.vendor == product_vendor
						&& p.product == product),
				Error::<T>::DuplicateProduct
			);
			ranges
				.iter()
				.try_for_each(VersionRange::validate)
				.map_err(|_| Error::<T>::Malformed)?;
			// At most MAX_PRODUCTS_PER_CASE in, so at most that many out.
			affected
				.try_push(AffectedProduct {
					vendor: product_vendor,
					product,
					ranges,
					status: ProductStatus::UnderInvestigation,
				})
				.map_err(|_| Error::<T>::BadProductList)?;
		}
		// The participants: the opener, every product's vendor, the TA.
		let mut participants: alloc::vec::Vec<(T::AccountId, Role)> = alloc::vec::Vec::new();
		let opener_role =
			if affected.iter().any(|p| p.vendor == opener) { Role::Vendor } else { Role::Reporter };
		participants.push((opener.clone(), opener_role));
		for p in affected.iter() {
			if !participants.iter().any(|(who, _)| *who == p.vendor) {
				participants.push((p.vendor.clone(), Role::Vendor));
			}
		}
		if !participants.iter().any(|(who, _)| *who == ta) {
			participants.push((ta.clone(), Role::Coordinator));
		}
		ensure!(
			participants.len() as u32 <= T::MaxParticipants::get(),
			Error::<T>::TooManyParticipants
		);
		let now = Self::now();
		let clock = T::Policy::get().start(now, Self::block_time()).map_err(Error::<T>::from)?;
		let id = NextCaseId::<T>::get();
		let genesis = endo_uiv::log::case_genesis_with::<HostSha256>(
			id,
			&Self::account_bytes(&vendor),
			now.block,
		);
		let vul_meta_hash = Self::vul_meta_hash(id, &vendor, &affected, &severity, &report_hash);
		let deposit = T::CaseDeposit::get();
		let mut case = Case {
			opener: opener.clone(),
			vendor: vendor.clone(),
			ta: ta.clone(),
			products: affected,
			severity,
			report_hash,
			vul_meta_hash,
			report: ReportState::Received,
			embargo: EmbargoState::None.propose().map_err(Error::<T>::from)?,
			clock,
			exploited: false,
			deposit,
			opened: now,
			disclosed: None,
			participants: participants.len() as u32,
			invited: 0,
			requesters: 0,
			this_cycle: CycleRequests::default(),
			log: LogHead { len: 0, head: genesis },
		};
		// Opened, and perhaps the embargo activated.
		Self::ensure_log_room(&case, 2)?;
		// The first write: nothing changed if it fails.
		Self::hold(HoldReason::CaseDeposit, &opener, deposit)?;
		NextCaseId::<T>::put(id.saturating_add(1));
		for (who, role) in participants {
			// The opener and the TA agree to the embargo they propose; other vendors answer.
			let consent =
				if who == opener || who == ta { Consent::Accepted } else { Consent::Pending };
			Participants::<T>::insert(id, &who, Participant { role, consent });
		}
		// Its products stay registered until it closes.
		for p in case.products.iter() {
			ProductCases::<T>::mutate(&p.vendor, &p.product, |n| *n = n.saturating_add(1));
		}
		Self::log(id, &mut case, EntryKind::CaseOpened, &opener, Details::default());
		Self::try_activate(id, &mut case, &opener);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::CaseOpened { case: id, opener, vendor, ta });
		Ok(())
	}

	pub(crate) fn do_assess_case(who: T::AccountId, id: CaseId, valid: bool) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let from = case.report;
		let to = if valid { ReportState::Valid } else { ReportState::Invalid };
		case.report = from.transition(to).map_err(|_| Error::<T>::WrongReportState)?;
		// The report's move, and an invalid report's end of a live embargo.
		let entries = 1 + u32::from(!valid && case.embargo.is_live());
		Self::ensure_end_log_room(&case, entries)?;
		Self::report_changed(id, &mut case, from, &who);
		if !valid {
			// An invalid report ends its embargo and costs its opener the deposit.
			let embargo = case.embargo;
			if embargo.is_live() {
				case.embargo = embargo.exit(ExitReason::ReportInvalid).map_err(Error::<T>::from)?;
				Self::embargo_changed(id, &mut case, embargo, &who);
			}
			Self::burn(HoldReason::CaseDeposit, &case.opener, case.deposit);
			case.deposit = Self::zero();
		}
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_accept_case(who: T::AccountId, id: CaseId) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(case.vendor == who, Error::<T>::NotProductVendor);
		let from = case.report;
		case.report =
			from.transition(ReportState::Accepted).map_err(|_| Error::<T>::WrongReportState)?;
		Self::ensure_log_room(&case, 3)?;
		Self::report_changed(id, &mut case, from, &who);
		// Accepting the report is accepting its embargo.
		if let Some(mut p) = Participants::<T>::get(id, &who) {
			if p.consent == Consent::Pending {
				p.consent = Consent::Accepted;
				Participants::<T>::insert(id, &who, p);
				Self::consent_changed(id, &mut case, &who, Consent::Accepted);
			}
		}
		Self::try_activate(id, &mut case, &who);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_consent_embargo(
		who: T::AccountId,
		id: CaseId,
		accept: bool,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		let mut participant = Participants::<T>::get(id, &who).ok_or(Error::<T>::NotParticipant)?;
		ensure!(participant.role != Role::Worker, Error::<T>::WorkerConsents);
		ensure!(case.embargo.is_live(), Error::<T>::WrongEmbargoState);
		let to = if accept { Consent::Accepted } else { Consent::Declined };
		participant.consent = participant.consent.transition(to).map_err(Error::<T>::from)?;
		Self::ensure_log_room(&case, 2)?;
		Participants::<T>::insert(id, &who, participant);
		Self::consent_changed(id, &mut case, &who, to);
		if case.embargo == EmbargoState::Proposed {
			if accept {
				Self::try_activate(id, &mut case, &who);
			} else {
				let from = case.embargo;
				case.embargo = from.reject().map_err(Error::<T>::from)?;
				Self::embargo_changed(id, &mut case, from, &who);
			}
		}
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_revise_embargo(
		who: T::AccountId,
		id: CaseId,
		deadline_utc_ms: u64,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		let from = case.embargo;
		ensure!(from.is_live(), Error::<T>::WrongEmbargoState);
		if from == EmbargoState::Active {
			case.embargo = from.revise().map_err(Error::<T>::from)?;
		}
		case.clock = case
			.clock
			.revise_to(Self::now(), deadline_utc_ms, Self::block_time())
			.map_err(Error::<T>::from)?;
		Self::ensure_log_room(&case, 1)?;
		Self::embargo_changed(id, &mut case, from, &who);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_set_product_status(
		who: T::AccountId,
		id: CaseId,
		index: u32,
		status: ProductStatus,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		let product =
			case.products.get_mut(index as usize).ok_or(Error::<T>::UnknownCaseProduct)?;
		ensure!(product.vendor == who, Error::<T>::NotProductVendor);
		ensure!(
			status != ProductStatus::Fixed || product.ranges.iter().all(|r| r.fixed.is_some()),
			Error::<T>::RangeOpen
		);
		let from = product.status;
		product.status = from.transition(status).map_err(Error::<T>::from)?;
		// A patch under a live embargo extends it, once.
		let extend =
			status == ProductStatus::Fixed && case.embargo.is_live() && !case.clock.patch_extended;
		if extend {
			case.clock = case
				.clock
				.patch_released(&T::Policy::get(), Self::block_time())
				.map_err(Error::<T>::from)?;
		}
		Self::ensure_log_room(&case, 2)?;
		Self::log(
			id,
			&mut case,
			EntryKind::ProductStatusChanged { product: index, from, to: status },
			&who,
			Details::default(),
		);
		Self::deposit_event(Event::ProductStatusChanged { case: id, product: index, status });
		if extend {
			let embargo = case.embargo;
			Self::embargo_changed(id, &mut case, embargo, &who);
		}
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_note_exploited(who: T::AccountId, id: CaseId) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(
			case.vendor == who || Self::ensure_case_authority(&case, &who).is_ok(),
			Error::<T>::NotCaseAuthority
		);
		ensure!(case.embargo.is_live(), Error::<T>::WrongEmbargoState);
		case.clock = case
			.clock
			.exploited(&T::Policy::get(), Self::now(), Self::block_time())
			.map_err(Error::<T>::from)?;
		case.exploited = true;
		Self::ensure_log_room(&case, 1)?;
		let embargo = case.embargo;
		Self::embargo_changed(id, &mut case, embargo, &who);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	/// Ends a live embargo: anyone once its deadline passed (`DeadlineReached`); before, the
	/// case's TA or one of its vendors once a real package of it leaked ([`LeakedCases`],
	/// `Leaked`).
	pub(crate) fn do_exit_embargo(who: T::AccountId, id: CaseId) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		let from = case.embargo;
		ensure!(from.is_live(), Error::<T>::WrongEmbargoState);
		let reason = if case.clock.is_reached(Self::now()) {
			ExitReason::DeadlineReached
		} else if (case.products.iter().any(|p| p.vendor == who)
			|| Self::ensure_case_authority(&case, &who).is_ok())
			&& LeakedCases::<T>::contains_key(id)
		{
			ExitReason::Leaked
		} else {
			return Err(Error::<T>::DeadlineNotReached.into());
		};
		case.embargo = from.exit(reason).map_err(Error::<T>::from)?;
		Self::ensure_end_log_room(&case, 1)?;
		Self::embargo_changed(id, &mut case, from, &who);
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_disclose(
		who: T::AccountId,
		id: CaseId,
		report_hash: Hash,
		uri: Uri,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		Self::ensure_case_authority(&case, &who)?;
		ensure!(case.report == ReportState::Accepted, Error::<T>::WrongReportState);
		ensure!(case.disclosed.is_none(), Error::<T>::AlreadyDisclosed);
		let now = Self::now();
		let from = case.embargo;
		if from.is_live() {
			let reason = if case.clock.is_reached(now) {
				ExitReason::DeadlineReached
			} else if case
				.products
				.iter()
				.all(|p| matches!(p.status, ProductStatus::Fixed | ProductStatus::NotAffected))
			{
				ExitReason::Disclosed
			} else {
				return Err(Error::<T>::EmbargoLive.into());
			};
			case.embargo = from.exit(reason).map_err(Error::<T>::from)?;
		}
		// The disclosure, and the end of a live embargo.
		Self::ensure_end_log_room(&case, 1 + u32::from(from.is_live()))?;
		if from.is_live() {
			Self::embargo_changed(id, &mut case, from, &who);
		}
		case.disclosed = Some(Disclosure { at: now, report_hash, uri });
		Self::log(id, &mut case, EntryKind::Disclosed, &who, Details::default());
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::CaseDisclosed { case: id, report_hash });
		Ok(())
	}

	/// Closes the case; the actual weight counts its requesters, whose accesses are read.
	pub(crate) fn do_close_case(who: T::AccountId, id: CaseId) -> DispatchResultWithPostInfo {
		let mut case = Self::open_case_of(id)?;
		ensure!(
			case.vendor == who || Self::ensure_case_authority(&case, &who).is_ok(),
			Error::<T>::NotCaseAuthority
		);
		ensure!(
			case.disclosed.is_some() || case.report == ReportState::Invalid,
			Error::<T>::WrongReportState
		);
		let from = case.report;
		case.report = endo_uiv::case::close(from, case.embargo).map_err(Error::<T>::from)?;
		Self::ensure_end_log_room(&case, 1)?;
		let refunded = Self::release(HoldReason::CaseDeposit, &case.opener, case.deposit);
		case.deposit = Self::zero();
		Self::report_changed(id, &mut case, from, &who);
		// A closed case no longer holds its products, nor its SWs' accesses live.
		for p in case.products.iter() {
			ProductCases::<T>::mutate_exists(&p.vendor, &p.product, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
			});
		}
		let requesters = Requesters::<T>::get(id);
		for (worker, _) in requesters.iter() {
			let live = Accesses::<T>::get(id, worker)
				.is_some_and(|a| matches!(a.state, AccessState::Granted | AccessState::Delivered));
			if live {
				Self::access_ended(worker);
			}
		}
		ClosedAt::<T>::insert(id, frame_system::Pallet::<T>::block_number());
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::CaseClosed { case: id, refunded });
		Ok(Some(T::WeightInfo::close_case(requesters.len() as u32)).into())
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_invite_worker(
		who: T::AccountId,
		id: CaseId,
		worker: T::AccountId,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(case.products.iter().any(|p| p.vendor == who), Error::<T>::NotProductVendor);
		ensure!(case.disclosed.is_none(), Error::<T>::AlreadyDisclosed);
		ensure!(Workers::<T>::contains_key(&worker), Error::<T>::NotWorker);
		ensure!(!Invited::<T>::contains_key(id, &worker), Error::<T>::AlreadyInvited);
		ensure!(case.invited < T::MaxRequestersPerCase::get(), Error::<T>::TooManyInvitations);
		Self::ensure_log_room(&case, 1)?;
		Invited::<T>::insert(id, &worker, ());
		case.invited = case.invited.saturating_add(1);
		Self::log(
			id,
			&mut case,
			EntryKind::WorkerInvited { sw: Self::account_bytes(&worker) },
			&who,
			Details::default(),
		);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::WorkerInvited { case: id, worker });
		Ok(())
	}

	pub(crate) fn do_reassign_case(id: CaseId, ta: T::AccountId) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(Authorities::<T>::contains_key(&ta), Error::<T>::NotAuthority);
		ensure!(case.ta != ta, Error::<T>::SameAuthority);
		let old = case.ta.clone();
		let old_is_coordinator_only =
			Participants::<T>::get(id, &old).is_some_and(|p| p.role == Role::Coordinator);
		let new_joins = !Participants::<T>::contains_key(id, &ta);
		let participants = case
			.participants
			.saturating_sub(u32::from(old_is_coordinator_only))
			.saturating_add(u32::from(new_joins));
		ensure!(participants <= T::MaxParticipants::get(), Error::<T>::TooManyParticipants);
		Self::ensure_end_log_room(&case, 1)?;
		if old_is_coordinator_only {
			Participants::<T>::remove(id, &old);
		}
		if new_joins {
			Participants::<T>::insert(
				id,
				&ta,
				Participant { role: Role::Coordinator, consent: Consent::Accepted },
			);
		}
		case.participants = participants;
		case.ta = ta.clone();
		Self::log(
			id,
			&mut case,
			EntryKind::AuthorityChanged { ta: Self::account_bytes(&ta) },
			&ta,
			Details::default(),
		);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::CaseReassigned { case: id, ta });
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_product_ranges(
		who: T::AccountId,
		id: CaseId,
		index: u32,
		ranges: Ranges,
	) -> DispatchResult {
		let mut case = Self::open_case_of(id)?;
		ensure!(case.disclosed.is_none(), Error::<T>::AlreadyDisclosed);
		ranges.iter().try_for_each(VersionRange::validate).map_err(|_| Error::<T>::Malformed)?;
		let product =
			case.products.get_mut(index as usize).ok_or(Error::<T>::UnknownCaseProduct)?;
		ensure!(product.vendor == who, Error::<T>::NotProductVendor);
		// A fixed product keeps a fixed version in every range.
		ensure!(
			product.status != ProductStatus::Fixed || ranges.iter().all(|r| r.fixed.is_some()),
			Error::<T>::RangeOpen
		);
		product.ranges = ranges;
		Self::ensure_log_room(&case, 1)?;
		Self::log(
			id,
			&mut case,
			EntryKind::RangesChanged { product: index },
			&who,
			Details::default(),
		);
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::ProductRangesSet { case: id, product: index });
		Ok(())
	}
}
