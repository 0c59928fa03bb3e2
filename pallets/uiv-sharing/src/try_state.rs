//! Storage invariants, checked by `try_state` (and after every test).

use crate::{pallet::pallet::*, types::*};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
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
		let now = frame_system::Pallet::<T>::block_number();
		// What the counters must say: open cases per product, live accesses per SW.
		let mut product_cases = BTreeMap::new();
		let mut live_accesses = BTreeMap::new();
		for (id, case) in Cases::<T>::iter() {
			ensure!(id < next, "a case ID at or above NextCaseId");
			let closed = case.report == ReportState::Closed;
			ensure!(
				closed == ClosedAt::<T>::contains_key(id),
				"a case is closed without a closing block, or the reverse"
			);
			if !closed {
				for p in case.products.iter() {
					let n: &mut u32 =
						product_cases.entry((p.vendor.clone(), p.product.clone())).or_default();
					*n += 1;
				}
				for (worker, access) in Accesses::<T>::iter_prefix(id) {
					if matches!(access.state, AccessState::Granted | AccessState::Delivered) {
						let n: &mut u32 = live_accesses.entry(worker).or_default();
						*n += 1;
					}
				}
			}
			// A case past its retention may be partly purged: its counts no longer hold.
			if ClosedAt::<T>::get(id).is_some_and(|at| Self::retention_over(at, now)) {
				continue;
			}
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
			// Traces index the delivered packages, one to one, and count their sightings.
			for (c, trace) in Traces::<T>::iter_prefix(id) {
				let access =
					Accesses::<T>::get(id, &trace.worker).ok_or("a trace's SW has no access")?;
				ensure!(
					matches!(access.state, AccessState::Delivered | AccessState::Ended)
						&& access.tracing_commitment == Some(c),
					"a trace does not match its SW's delivered access"
				);
				ensure!(
					LeakSightings::<T>::iter_prefix((id, c)).count() as u32 == trace.leaks,
					"a trace's leak count is not its sightings' count"
				);
				ensure!(
					trace.leaks <= T::MaxLeaksPerTrace::get(),
					"a trace has more than MaxLeaksPerTrace leaks"
				);
				let own = |s: &LeakSighting<T::AccountId>| {
					matches!(s.source, LeakSource::Feedback { .. }) && s.reporter == trace.worker
				};
				ensure!(
					trace.own_leak
						== LeakSightings::<T>::iter_prefix_values((id, c)).any(|s| own(&s))
						&& trace.external_leak
							== LeakSightings::<T>::iter_prefix_values((id, c)).any(|s| !own(&s)),
					"a trace's own and external leak flags do not match its sightings"
				);
			}
			// A case is marked leaked exactly when a real package of it has an external sighting.
			ensure!(
				LeakedCases::<T>::contains_key(id)
					== Traces::<T>::iter_prefix_values(id)
						.any(|t| t.external_leak && t.trap.is_real() == Some(true)),
				"a case's leak mark does not match its traces"
			);
			for (worker, access) in Accesses::<T>::iter_prefix(id) {
				if let Some(c) = access.tracing_commitment {
					ensure!(
						Traces::<T>::get(id, c).is_some_and(|t| t.worker == worker),
						"a delivered package has no trace"
					);
				}
			}
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
		// Counters match, and hold no zero entries.
		ensure!(
			ProductCases::<T>::iter().map(|(v, p, n)| ((v, p), n)).collect::<BTreeMap<_, _>>()
				== product_cases,
			"a product's open-case count is wrong"
		);
		ensure!(
			LiveAccesses::<T>::iter().collect::<BTreeMap<_, _>>() == live_accesses,
			"an SW's live-access count is wrong"
		);
		for (vendor, info) in Vendors::<T>::iter() {
			ensure!(
				Products::<T>::iter_prefix(&vendor).count() as u32 == info.products,
				"a vendor's product count is wrong"
			);
		}
		ensure!(
			Products::<T>::iter_keys().all(|(vendor, _)| Vendors::<T>::contains_key(vendor)),
			"a product of no vendor"
		);
		// No per-case entry outlives its case (a purge removes the record last).
		ensure!(
			Participants::<T>::iter_keys().all(|(id, _)| Cases::<T>::contains_key(id))
				&& Invited::<T>::iter_keys().all(|(id, _)| Cases::<T>::contains_key(id))
				&& CaseLog::<T>::iter_keys().all(|(id, _)| Cases::<T>::contains_key(id))
				&& Requesters::<T>::iter_keys().all(Cases::<T>::contains_key)
				&& ClosedAt::<T>::iter_keys().all(Cases::<T>::contains_key)
				&& Traces::<T>::iter_keys().all(|(id, _)| Cases::<T>::contains_key(id))
				&& LeakedCases::<T>::iter_keys().all(Cases::<T>::contains_key),
			"a case's entry outlives the case"
		);
		// No sighting outlives its trace (a purge removes the sightings first).
		ensure!(
			LeakSightings::<T>::iter_keys().all(|(id, c, _)| Traces::<T>::contains_key(id, c)),
			"a leak sighting outlives its trace"
		);
		// A departed SW's record is read and removed when it registers again.
		ensure!(
			DepartedRecords::<T>::iter_keys().all(|who| !Workers::<T>::contains_key(who)),
			"a registered SW has a departed record"
		);
		// Block logs older than the cursor are pruned.
		let cursor = LogPruneCursor::<T>::get();
		ensure!(
			BlockLog::<T>::iter_keys().all(|b| b >= cursor)
				&& LogRoots::<T>::iter_keys().all(|b| b >= cursor),
			"a block log older than the prune cursor"
		);
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
