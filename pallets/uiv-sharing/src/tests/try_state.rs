//! The storage invariants (`do_try_state`) catch corrupted storage.

use super::*;
use endo_uiv::ReportState;

/// Runs `corrupt` on a state with an accepted case whose SW was granted and delivered, checks
/// that the invariants fail, then restores the storage; the failure.
fn corrupted(corrupt: impl FnOnce(CaseId)) -> sp_runtime::TryRuntimeError {
	let mut failure = None;
	test(|| {
		let id = accepted_case();
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[0]), id));
		assert_ok!(Uiv::deliver_package(RuntimeOrigin::signed(TA), id, SWS[0], [1; 32], [2; 32]));
		assert_eq!(Uiv::do_try_state(), Ok(()));
		let snapshot = frame_support::storage::transactional::with_transaction(|| {
			corrupt(id);
			let result = Uiv::do_try_state();
			sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(result))
		})
		.unwrap();
		assert!(snapshot.is_err(), "the corruption was not caught");
		assert_eq!(Uiv::do_try_state(), Ok(()));
		failure = snapshot.err();
	});
	failure.unwrap()
}

#[test]
fn a_wrong_participant_count() {
	corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().participants += 1));
	corrupted(|id| Participants::<Test>::remove(id, SWS[0]));
}

#[test]
fn a_wrong_requester_count() {
	corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().requesters = 0));
}

#[test]
fn a_broken_log() {
	corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.head[0] ^= 1));
	corrupted(|id| CaseLog::<Test>::remove(id, 2));
	corrupted(|id| {
		CaseLog::<Test>::mutate(id, 1, |e| e.as_mut().unwrap().actor = [0; 32]);
	});
	corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.len -= 1));
}

#[test]
fn a_deadline_past_its_cap() {
	corrupted(|id| {
		Cases::<Test>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.clock.deadline.block = c.clock.cap.block + 1;
		})
	});
	corrupted(|id| {
		Cases::<Test>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.clock.deadline.utc_ms = c.clock.cap.utc_ms + 1;
		})
	});
}

#[test]
fn other_broken_invariants() {
	// A case at or above the next ID.
	corrupted(|_| NextCaseId::<Test>::put(0));
	// Disclosed but not accepted, or under a live embargo.
	corrupted(|id| {
		Cases::<Test>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.disclosed = Some(Disclosure { at: c.opened, report_hash: [0; 32], uri: uri("x") });
		})
	});
	corrupted(|id| {
		Cases::<Test>::mutate(id, |c| {
			let c = c.as_mut().unwrap();
			c.embargo = endo_uiv::EmbargoState::Exited;
			c.report = ReportState::Valid;
			c.disclosed = Some(Disclosure { at: c.opened, report_hash: [0; 32], uri: uri("x") });
		})
	});
	// A delivered access without token commitments, and an access to no case.
	corrupted(|id| Accesses::<Test>::mutate(id, SWS[0], |a| a.as_mut().unwrap().tokens = None));
	corrupted(|id| {
		let access = Accesses::<Test>::get(id, SWS[0]).unwrap();
		Accesses::<Test>::insert(id + 5, SWS[1], access);
	});
	// Too many authorities.
	corrupted(|_| {
		for who in 2..=4 {
			Authorities::<Test>::insert(who, Authority { report_key: [0; 32], endpoint: uri("x") });
		}
	});
}

#[test]
fn a_wrong_invitation_count() {
	let wrong = sp_runtime::DispatchError::Other("a case's invitation count is wrong");
	assert_eq!(
		corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().invited -= 1)),
		wrong
	);
	assert_eq!(corrupted(|id| Invited::<Test>::insert(id, SWS[5], ())), wrong);
	assert_eq!(corrupted(|id| Invited::<Test>::remove(id, SWS[4])), wrong);
}

#[test]
fn too_many_invitations() {
	// Counted right, but over the bound.
	assert_eq!(
		corrupted(|id| {
			Invited::<Test>::insert(id, SWS[5], ());
			Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().invited += 1);
		}),
		sp_runtime::DispatchError::Other("a case has more than MaxRequestersPerCase invitations")
	);
}

#[test]
fn a_requester_never_invited() {
	// The count still right: the requester's invitation went to another SW.
	assert_eq!(
		corrupted(|id| {
			Invited::<Test>::remove(id, SWS[0]);
			Invited::<Test>::insert(id, SWS[5], ());
		}),
		sp_runtime::DispatchError::Other("a requester was never invited")
	);
}

#[test]
fn a_wrong_open_case_count() {
	corrupted(|_| ProductCases::<Test>::insert(VENDOR, product(0), 2));
	corrupted(|_| ProductCases::<Test>::remove(VENDOR, product(0)));
	corrupted(|_| ProductCases::<Test>::insert(VENDOR, product(1), 0));
}

#[test]
fn a_wrong_live_access_count() {
	corrupted(|_| LiveAccesses::<Test>::insert(SWS[0], 2));
	corrupted(|_| LiveAccesses::<Test>::remove(SWS[0]));
	corrupted(|_| LiveAccesses::<Test>::insert(SWS[1], 1));
}

#[test]
fn a_closing_block_of_a_case_not_closed_or_missing() {
	corrupted(|id| ClosedAt::<Test>::insert(id, 1));
	corrupted(|id| Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().report = ReportState::Closed));
}

#[test]
fn an_entry_that_outlives_its_case() {
	corrupted(|id| {
		// The record gone before its entries.
		Cases::<Test>::remove(id);
		Accesses::<Test>::remove(id, SWS[0]);
	});
}

#[test]
fn a_vendor_product_count_or_an_orphan_product() {
	corrupted(|_| Vendors::<Test>::mutate(VENDOR, |v| v.as_mut().unwrap().products = 3));
	corrupted(|_| Vendors::<Test>::remove(OTHER_VENDOR));
}

#[test]
fn a_block_log_older_than_the_prune_cursor() {
	corrupted(|_| {
		finish_block();
		LogPruneCursor::<Test>::put(2);
	});
}

#[test]
fn a_wrong_leak_mark_or_departed_record() {
	// A case marked leaked without a sighting of a real package of it.
	let failure = corrupted(|id| LeakedCases::<Test>::insert(id, 1));
	assert_eq!(failure, "a case's leak mark does not match its traces".into());
	// A sighting of a real package without the mark.
	corrupted(|id| {
		Traces::<Test>::mutate(id, [2; 32], |t| t.as_mut().unwrap().leaks = 1);
		LeakSightings::<Test>::insert(
			(id, [2; 32], COPY_SOURCE),
			LeakSighting { reporter: 40, at_block: 1, source: LeakSource::Copy },
		);
	});
	// A mark outliving its case.
	corrupted(|id| LeakedCases::<Test>::insert(id + 1, 1));
	// A registered SW with a departed record.
	let failure = corrupted(|_| DepartedRecords::<Test>::insert(SWS[0], DepartedRecord::default()));
	assert_eq!(failure, "a registered SW has a departed record".into());
}
