//! Storage invariants, checked by `try_state` (and after every test).

use crate::{pallet::pallet::*, types::*};
use alloc::vec::Vec;
use endo_uiv::{log, ReportState};
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Checks the pallet's storage invariants.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			Authorities::<T>::count() <= T::MaxAuthorities::get(),
			"more authorities than MaxAuthorities"
		);
		let next = NextCaseId::<T>::get();
		for (id, case) in Cases::<T>::iter() {
			ensure!(id < next, "a case ID at or above NextCaseId");
			let participants = Participants::<T>::iter_prefix(id).count() as u32;
			ensure!(participants == case.participants, "a case's participant count is wrong");
			ensure!(
				participants <= T::MaxParticipants::get(),
				"a case has more than MaxParticipants participants"
			);
			ensure!(
				Requesters::<T>::decode_len(id).unwrap_or(0) as u32 == case.requesters,
				"a case's requester count is wrong"
			);
			ensure!(
				Invited::<T>::iter_prefix(id).count() as u32 == case.invited,
				"a case's invitation count is wrong"
			);
			ensure!(
				case.invited <= T::MaxRequestersPerCase::get(),
				"a case has more than MaxRequestersPerCase invitations"
			);
			ensure!(
				Requesters::<T>::get(id).iter().all(|(who, _)| Invited::<T>::contains_key(id, who)),
				"a requester was never invited"
			);
			ensure!(case.log.len <= T::MaxLogEntriesPerCase::get(), "a case log is over its bound");
			let entries: Vec<_> =
				(0..case.log.len).filter_map(|seq| CaseLog::<T>::get(id, seq)).collect();
			ensure!(entries.len() as u32 == case.log.len, "a case log has a gap");
			let genesis =
				log::case_genesis(id, &Self::account_bytes(&case.vendor), case.opened.block);
			let head = log::verify_chain(&genesis, &entries)
				.map_err(|_| "a case log's chain is broken")?;
			ensure!(head == case.log.head, "a case log's head is not its last link");
			ensure!(
				case.clock.deadline.not_after(case.clock.cap),
				"an embargo deadline is past its cap"
			);
			ensure!(
				case.disclosed.is_none()
					|| matches!(case.report, ReportState::Accepted | ReportState::Closed),
				"a disclosed case was never accepted"
			);
			ensure!(
				case.disclosed.is_none() || !case.embargo.is_live(),
				"a disclosed case is under a live embargo"
			);
		}
		for (id, _worker, access) in Accesses::<T>::iter() {
			ensure!(Cases::<T>::contains_key(id), "an access to a case that does not exist");
			ensure!(
				!matches!(access.state, AccessState::Delivered | AccessState::Ended)
					|| access.tokens.is_some(),
				"a delivered access has no token commitments"
			);
		}
		Ok(())
	}
}
