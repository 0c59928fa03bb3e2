//! Retention: `purge_case` removes a closed case's storage in batches once
//! [`RETENTION`] blocks passed, and the hooks prune old blocks' logs and roots.

use super::*;
use crate::{logs::MAX_PRUNE_PER_BLOCK, weights::WeightInfo};
use frame_support::{
	assert_noop,
	dispatch::{Pays, PostDispatchInfo},
	traits::Hooks,
	weights::Weight,
};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn purge(id: CaseId, limit: u32) -> PostDispatchInfo {
	Uiv::purge_case(signed(SWS[5]), id, limit).unwrap()
}

/// The entries of case `id` a purge removes one by one.
fn entries_of(id: CaseId) -> usize {
	Accesses::<Test>::iter_prefix(id).count()
		+ Invited::<Test>::iter_prefix(id).count()
		+ Participants::<Test>::iter_prefix(id).count()
		+ CaseLog::<Test>::iter_prefix(id).count()
		+ Traces::<Test>::iter_prefix(id).count()
		+ LeakSightings::<Test>::iter_prefix((id,)).count()
		+ usize::from(LeakedCases::<Test>::contains_key(id))
}

/// An accepted case with two granted SWs (one delivered), disclosed and closed at block 2.
fn closed_case() -> CaseId {
	closed_case_leaked(false)
}

/// [`closed_case`], and if `leak`, a leak of the delivered package reported before the
/// disclosure (a sighting, the case marked leaked).
fn closed_case_leaked(leak: bool) -> CaseId {
	let id = accepted_case();
	assert_ok!(Uiv::request_access(signed(SWS[0]), id));
	assert_ok!(Uiv::request_access(signed(SWS[1]), id));
	let tracing = [0x21; 32];
	let commitment = endo_uiv::token::commitment(&tracing);
	assert_ok!(Uiv::deliver_package(signed(TA), id, SWS[0], [1; 32], commitment));
	if leak {
		assert_ok!(Uiv::report_leak(signed(SWS[5]), id, tracing, LeakSource::Copy));
		assert!(LeakedCases::<Test>::contains_key(id));
	}
	go_to(2, NOON + BLOCK_MS);
	disclose_and_close(id);
	assert_eq!(ClosedAt::<Test>::get(id), Some(2));
	id
}

#[test]
fn a_closed_case_is_purged_in_batches_after_its_retention() {
	test(|| {
		// Its leak mark counts in the batches as any entry.
		let id = closed_case_leaked(true);
		let kept = vendor_case();
		let total = entries_of(id);
		assert!(total > 2 * MAX_PURGE as usize, "several batches: {total}");
		go_to(2 + RETENTION, NOON + 60_000);
		let mut removed = 0;
		loop {
			let info = purge(id, MAX_PURGE);
			Uiv::do_try_state().expect("invariants hold while a case is purged");
			if !Cases::<Test>::contains_key(id) {
				assert!(emitted(Event::CasePurged { case: id }));
				assert_eq!(info.pays_fee, Pays::No);
				break;
			}
			// A full batch: free, and refunded to what it did.
			assert!(emitted(Event::CasePartlyPurged { case: id, removed: MAX_PURGE }));
			assert_eq!(info.pays_fee, Pays::No);
			assert_eq!(info.actual_weight, Some(<() as WeightInfo>::purge_case(MAX_PURGE)));
			removed += MAX_PURGE as usize;
			assert_eq!(entries_of(id), total - removed);
			System::reset_events();
		}
		assert_eq!(entries_of(id), 0);
		assert!(!LeakedCases::<Test>::contains_key(id));
		assert!(!Requesters::<Test>::contains_key(id));
		assert!(!ClosedAt::<Test>::contains_key(id));
		assert_eq!(Uiv::case_log(id, 0, u32::MAX), vec![]);
		assert_eq!(Uiv::log_proof(id, 0), None);
		// The other case is untouched.
		assert!(Cases::<Test>::contains_key(kept));
		assert!(entries_of(kept) > 0);
		assert_noop!(Uiv::purge_case(signed(SWS[5]), id, MAX_PURGE), Error::<Test>::UnknownCase);
	});
}

#[test]
fn purge_case_errors() {
	test(|| {
		assert_noop!(Uiv::purge_case(signed(SWS[5]), 9, MAX_PURGE), Error::<Test>::UnknownCase);
		let open = accepted_case();
		assert_noop!(Uiv::purge_case(signed(SWS[5]), open, MAX_PURGE), Error::<Test>::NotClosed);
		// An invalid report is not closed either until its case is.
		let invalid = vendor_case();
		assert_ok!(Uiv::assess_case(signed(TA), invalid, false));
		assert_noop!(Uiv::purge_case(signed(SWS[5]), invalid, MAX_PURGE), Error::<Test>::NotClosed);
		let id = closed_case();
		go_to(1 + RETENTION, NOON + 60_000);
		assert_noop!(
			Uiv::purge_case(signed(SWS[5]), id, MAX_PURGE),
			Error::<Test>::RetentionNotOver
		);
		assert_noop!(
			Uiv::purge_case(RuntimeOrigin::none(), id, MAX_PURGE),
			sp_runtime::DispatchError::BadOrigin
		);
		go_to(2 + RETENTION, NOON + 120_000);
		assert_ok!(Uiv::purge_case(signed(SWS[5]), id, MAX_PURGE));
	});
}

#[test]
fn a_small_or_empty_batch_is_charged() {
	test(|| {
		let id = closed_case();
		go_to(2 + RETENTION, NOON + 60_000);
		let total = entries_of(id);
		let info = purge(id, 1);
		assert_eq!(info.pays_fee, Pays::Yes);
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::purge_case(1)));
		assert_eq!(entries_of(id), total - 1);
		// Nothing removed: charged.
		let info = purge(id, 0);
		assert_eq!(info.pays_fee, Pays::Yes);
		assert_eq!(entries_of(id), total - 1);
		assert!(emitted(Event::CasePartlyPurged { case: id, removed: 0 }));
		// A limit above the bound is the bound.
		let info = purge(id, u32::MAX);
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::purge_case(MAX_PURGE)));
		assert_eq!(entries_of(id), total - 1 - MAX_PURGE as usize);
	});
}

#[test]
fn the_last_batch_is_free_even_when_small() {
	test(|| {
		let id = closed_case();
		go_to(2 + RETENTION, NOON + 60_000);
		while entries_of(id) > 2 {
			purge(id, 1);
		}
		let info = purge(id, 3);
		assert_eq!(info.pays_fee, Pays::No);
		assert!(!Cases::<Test>::contains_key(id));
		assert!(emitted(Event::CasePurged { case: id }));
	});
}

#[test]
fn a_purged_sw_or_vendor_may_leave_and_the_case_no_longer_counts() {
	test(|| {
		let id = closed_case();
		go_to(2 + RETENTION, NOON + 60_000);
		while Cases::<Test>::contains_key(id) {
			purge(id, MAX_PURGE);
		}
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(0)));
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(1)));
		assert_ok!(Uiv::deregister_vendor(signed(VENDOR)));
		// Its access was live when the case closed; it asked in cycle 0.
		go_to(1 + u64::from(CYCLE), NOON + 120_000);
		assert_ok!(Uiv::deregister_worker(signed(SWS[0])));
		assert_ok!(Uiv::deregister_worker(signed(SWS[1])));
	});
}

// Block logs

#[test]
fn block_logs_and_roots_are_pruned_after_the_retention() {
	test(|| {
		vendor_case();
		go_to(2, NOON + BLOCK_MS);
		let (entry, block, _proof) = Uiv::log_proof(0, 0).unwrap();
		assert_eq!(block, 1);
		assert!(LogRoots::<Test>::contains_key(1));
		// Not yet old enough: nothing pruned past block 0.
		go_to(RETENTION, NOON + 2 * BLOCK_MS);
		Uiv::on_idle(RETENTION, Weight::MAX);
		assert_eq!(LogPruneCursor::<Test>::get(), 1);
		assert!(LogRoots::<Test>::contains_key(1));
		go_to(RETENTION + 1, NOON + 3 * BLOCK_MS);
		let used = Uiv::on_idle(RETENTION + 1, Weight::MAX);
		assert_eq!(used, <() as WeightInfo>::prune_block_logs(1));
		assert_eq!(LogPruneCursor::<Test>::get(), 2);
		assert!(!LogRoots::<Test>::contains_key(1));
		assert!(BlockLog::<Test>::get(1).is_empty());
		// The entry stays with its case; its proof is gone.
		assert_eq!(Uiv::case_log(0, 0, 1), vec![entry]);
		assert_eq!(Uiv::log_proof(0, 0), None);
		// Nothing more is due.
		assert_eq!(
			Uiv::on_idle(RETENTION + 1, Weight::MAX),
			<() as WeightInfo>::prune_block_logs(0)
		);
	});
}

#[test]
fn block_log_pruning_is_bounded_per_block_and_by_the_weight_left() {
	test(|| {
		let now = RETENTION + 100;
		go_to(now, NOON + BLOCK_MS);
		// 101 blocks are due; at most MAX_PRUNE_PER_BLOCK go per block.
		Uiv::on_idle(now, Weight::MAX);
		assert_eq!(LogPruneCursor::<Test>::get(), u64::from(MAX_PRUNE_PER_BLOCK));
		// The weight left for 3.
		let used = Uiv::on_idle(now, <() as WeightInfo>::prune_block_logs(3));
		assert_eq!(used, <() as WeightInfo>::prune_block_logs(3));
		assert_eq!(LogPruneCursor::<Test>::get(), u64::from(MAX_PRUNE_PER_BLOCK) + 3);
		// No weight left: nothing read or written.
		assert_eq!(Uiv::on_idle(now, Weight::zero()), Weight::zero());
		assert_eq!(LogPruneCursor::<Test>::get(), u64::from(MAX_PRUNE_PER_BLOCK) + 3);
		// It catches up.
		while LogPruneCursor::<Test>::get() <= 100 {
			Uiv::on_idle(now, Weight::MAX);
		}
		assert_eq!(LogPruneCursor::<Test>::get(), 101);
	});
}
