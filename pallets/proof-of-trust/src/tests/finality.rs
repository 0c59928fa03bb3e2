//! GRANDPA changes: scheduled with the set BABE enacts, deferred (never dropped) while another
//! change is pending, forced after `note_stalled`.

use super::*;

/// Another change scheduled directly in pallet-grandpa (as an upgrade or a second scheduler
/// might), pending for `delay` blocks.
fn foreign_change(delay: u64) {
	let set = vec![(grandpa_key(1), 1), (grandpa_key(2), 1), (grandpa_key(3), 1)];
	assert_ok!(pallet_grandpa::Pallet::<Test>::schedule_change(set, delay, None));
}

#[test]
fn a_pending_change_defers_ours_until_it_is_enacted() {
	test(|| {
		run_to_next_epoch(&[]);
		let weighted = NextValidators::<Test>::get();
		run_slots(EPOCH - 3, &[]);
		foreign_change(8);
		run_to_next_epoch(&[]);
		assert!(pallet_grandpa::PendingChange::<Test>::get().is_some());
		assert!(emitted(Event::FinalityChangeDeferred { authorities: 4 }));
		assert_eq!(
			PendingFinalityChange::<Test>::get().map(|p| p.to_vec()),
			Some(grandpa_view(&weighted))
		);
		// Retried every block; scheduled once GRANDPA's own change is enacted.
		let mut guard = 0;
		while PendingFinalityChange::<Test>::get().is_some() {
			run_slots(1, &[]);
			guard += 1;
			assert!(guard < 12, "never retried");
		}
		assert!(emitted(Event::FinalityChangeScheduled { authorities: 4, forced: false }));
		run_slots(1, &[]);
		assert_eq!(grandpa_authorities(), grandpa_view(&weighted));
	});
}

#[test]
fn nothing_is_scheduled_when_the_set_is_already_in_force() {
	test(|| {
		run_to_next_epoch(&[]);
		// Epoch 1 enacts the genesis set, which GRANDPA already has.
		assert!(pallet_grandpa::PendingChange::<Test>::get().is_none());
		assert!(PendingFinalityChange::<Test>::get().is_none());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
	});
}

#[test]
fn a_newer_epoch_replaces_a_deferred_set() {
	test(|| {
		run_to_next_epoch(&[]);
		run_slots(EPOCH - 3, &[]);
		// Pending through the next two epoch changes.
		foreign_change(2 * EPOCH + 10);
		run_to_next_epoch(&[]);
		assert!(PendingFinalityChange::<Test>::get().is_some());
		register(10);
		ProofOfTrust::force_level(&10, TrustLevel::Moderate).unwrap();
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		let deferred = PendingFinalityChange::<Test>::get().unwrap().to_vec();
		assert_eq!(deferred, grandpa_view(&Validators::<Test>::get()));
		let mut guard = 0;
		while PendingFinalityChange::<Test>::get().is_some() {
			run_slots(1, &[]);
			guard += 1;
			assert!(guard < 3 * EPOCH, "never scheduled");
		}
		run_slots(1, &[]);
		assert_eq!(grandpa_authorities(), grandpa_view(&Validators::<Test>::get()));
	});
}

#[test]
fn a_noted_stall_gets_a_forced_change_to_the_current_set() {
	test(|| {
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		run_slots(2, &[]);
		let set_id = pallet_grandpa::CurrentSetId::<Test>::get();
		assert_ok!(Grandpa::note_stalled(RuntimeOrigin::root(), 3, 5));
		run_slots(1, &[]);
		assert!(emitted(Event::FinalityChangeScheduled { authorities: 4, forced: true }));
		let pending = pallet_grandpa::PendingChange::<Test>::get().unwrap();
		assert_eq!(pending.forced, Some(5));
		assert_eq!(pending.delay, 3);
		assert_eq!(pending.next_authorities.to_vec(), grandpa_view(&Validators::<Test>::get()));
		assert!(pallet_grandpa::Stalled::<Test>::get().is_none());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), set_id + 1);
	});
}
