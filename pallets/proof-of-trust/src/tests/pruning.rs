//! `on_idle` pruning: capacity taken by departed subjects is reclaimed once their evidence has
//! decayed away (issue: ledger records were never removed).

use super::*;
use frame_support::{traits::Hooks, weights::Weight};

/// Runs `on_idle` with plenty of weight until the walk has visited both ledgers once.
fn prune_all() {
	for _ in 0..(MAX_SUBJECTS + MAX_DEVICES) {
		ProofOfTrust::on_idle(System::block_number(), Weight::MAX);
	}
}

fn jump_epochs(epochs: u64) {
	CurrentEpoch::<Test>::mutate(|e| *e += epochs);
}

#[test]
fn decayed_records_of_departed_subjects_are_removed_others_stay() {
	test(|| {
		// A controller and its device with one authentication each, then silence.
		<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
			&[7; 32],
			Some(&50),
			IdentityEvidence::Authenticated,
		);
		// A sanctioned account, a candidate and an unbonding former candidate.
		<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&51).unwrap();
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			51,
			BehaviourEvidence::Conspiracy
		));
		register(10);
		register(11);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(11)));
		// Within the retention period: nothing is removed.
		jump_epochs(99);
		prune_all();
		assert!(Ledger::<Test>::contains_key(50));
		assert!(DeviceLedger::<Test>::contains_key([7; 32]));
		// After 200 epochs one event is 0.95^200 = 3.5e-5 of an event: below a hundredth.
		jump_epochs(101);
		prune_all();
		assert!(!Ledger::<Test>::contains_key(50));
		assert!(emitted(Event::SubjectRemoved { who: 50 }) || !Ledger::<Test>::contains_key(50));
		assert!(!DeviceLedger::<Test>::contains_key([7; 32]));
		for kept in [51, 10, 11, 1, 2, 3, 4] {
			assert!(Ledger::<Test>::contains_key(kept), "{kept} was removed");
		}
	});
}

#[test]
fn a_full_ledger_makes_room_again() {
	test(|| {
		for who in 100..100 + (MAX_SUBJECTS - 4) as u64 {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&who).unwrap();
		}
		assert_eq!(
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&500),
			Err(EvidenceError::LedgerFull)
		);
		// Enrolled now: kept through the retention period even without evidence.
		prune_all();
		assert!(<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&500).is_err());
		// Records at the prior, untouched for the retention period: removed.
		jump_epochs(100);
		prune_all();
		assert_ok!(<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&500));
	});
}

#[test]
fn the_walk_is_bounded_per_block_and_by_the_weight_left() {
	test(|| {
		for who in 100..120u64 {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&who).unwrap();
		}
		jump_epochs(100);
		let before = Ledger::<Test>::count();
		let used = ProofOfTrust::on_idle(System::block_number(), Weight::MAX);
		// At most MaxPrunePerBlock (4) records visited.
		assert!(before - Ledger::<Test>::count() <= 4);
		assert_eq!(used, <() as crate::WeightInfo>::prune_ledger(4));
		// Without the weight for one record, nothing happens.
		assert_eq!(ProofOfTrust::on_idle(System::block_number(), Weight::zero()), Weight::zero());
	});
}
