//! `withdraw_bond`: the bond of a former candidate is released only once it has left both sets
//! and the unbonding period has passed (issue: the bond was released while the account was
//! still a validator).

use super::*;
use frame_support::assert_noop;

#[test]
fn a_validator_cannot_take_its_bond_while_it_can_still_be_slashed() {
	test(|| {
		// Founding validator 4 holds its bond; it deregisters while in both sets.
		assert_eq!(held(4), FULL_BOND);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(4)));
		assert_eq!(held(4), FULL_BOND, "the bond is not released on deregistration");
		assert_noop!(
			ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(4)),
			Error::<Test>::BondLocked
		);
		let unlock_at = Unbonding::<Test>::get(4).unwrap().unlock_at;
		// Out of the announced set after one epoch change, out of the current one after two.
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		assert!(!ProofOfTrust::in_a_set(&4));
		assert_noop!(
			ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(4)),
			Error::<Test>::BondLocked
		);
		while CurrentEpoch::<Test>::get() < unlock_at {
			run_to_next_epoch(&[]);
		}
		assert_ok!(ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(4)));
		assert!(emitted(Event::BondWithdrawn { who: 4, amount: FULL_BOND }));
		assert_eq!(held(4), 0);
		assert!(Unbonding::<Test>::get(4).is_none());
		assert!(CandidateOfBabe::<Test>::get(babe_key(4)).is_none());
		assert!(CandidateOfGrandpa::<Test>::get(grandpa_key(4)).is_none());
		// Trust history stays (it has evidence); its keys can be registered again.
		assert!(Ledger::<Test>::contains_key(4));
		assert_ok!(ProofOfTrust::register_candidate(
			RuntimeOrigin::signed(11),
			babe_key(4),
			grandpa_key(4),
			BOND
		));
	});
}

#[test]
fn a_validator_kept_in_the_set_stays_locked() {
	test(|| {
		// Nobody else qualifies (minimum 4 validators with one leaving): the last good set is
		// kept, and the leaver with it; its unbonding restarts from when it is announced.
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(4)));
		let first = Unbonding::<Test>::get(4).unwrap().unlock_at;
		// Make the other three ineligible: everyone sanctioned but 4 keeps the set.
		for who in [1, 2, 3] {
			assert_ok!(ProofOfTrust::report_behaviour(
				RuntimeOrigin::root(),
				who,
				BehaviourEvidence::Conspiracy
			));
		}
		run_to_next_epoch(&[]);
		assert!(events().iter().any(|e| matches!(e, Event::AuthoritySetKept { .. })));
		assert!(ProofOfTrust::in_a_set(&4));
		assert!(Unbonding::<Test>::get(4).unwrap().unlock_at > first);
	});
}

#[test]
fn a_record_without_evidence_is_removed_one_with_evidence_stays() {
	test(|| {
		let leave = |who: AccountId| {
			assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(who)));
			let unlock_at = Unbonding::<Test>::get(who).unwrap().unlock_at;
			while CurrentEpoch::<Test>::get() < unlock_at {
				run_to_next_epoch(&[]);
			}
			assert_ok!(ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(who)));
		};
		register(10);
		register(11);
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			11,
			BehaviourEvidence::Offence
		));
		leave(10);
		assert!(emitted(Event::SubjectRemoved { who: 10 }));
		assert!(Ledger::<Test>::get(10).is_none());
		leave(11);
		assert!(!emitted(Event::SubjectRemoved { who: 11 }));
		assert!(trust(11) < Perbill::from_percent(50), "trust history is kept");
	});
}

#[test]
fn errors() {
	test(|| {
		assert_noop!(
			ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(10)),
			Error::<Test>::NotUnbonding
		);
		register(10);
		assert_noop!(
			ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(10)),
			Error::<Test>::NotUnbonding
		);
		assert_noop!(
			ProofOfTrust::withdraw_bond(RuntimeOrigin::root()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
