//! `deregister_candidate`.

use super::*;
use frame_support::assert_noop;

#[test]
fn keeps_the_bond_and_the_keys_while_unbonding() {
	test(|| {
		register(10);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		let unlock_at = CurrentEpoch::<Test>::get() + 2 + u64::from(UNBONDING_EPOCHS);
		assert!(emitted(Event::CandidateDeregistered { who: 10, unlock_at }));
		assert!(Candidates::<Test>::get(10).is_none());
		assert_eq!(
			Unbonding::<Test>::get(10),
			Some(UnbondingInfo {
				babe: babe_key(10),
				grandpa: grandpa_key(10),
				bond: BOND,
				unlock_at
			})
		);
		// The bond stays at risk and the keys stay reserved.
		assert_eq!(held(10), BOND);
		assert_eq!(CandidateOfBabe::<Test>::get(babe_key(10)), Some(10));
		assert_eq!(CandidateOfGrandpa::<Test>::get(grandpa_key(10)), Some(10));
	});
}

#[test]
fn errors() {
	test(|| {
		assert_noop!(
			ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)),
			Error::<Test>::NotCandidate
		);
		assert_noop!(
			ProofOfTrust::deregister_candidate(RuntimeOrigin::root()),
			sp_runtime::DispatchError::BadOrigin
		);
		register(10);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		assert_noop!(
			ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)),
			Error::<Test>::NotCandidate
		);
	});
}

#[test]
fn a_deregistered_validator_leaves_at_the_next_selection() {
	test(|| {
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(4)));
		run_to_next_epoch(&[]);
		assert!(!accounts(&NextValidators::<Test>::get()).contains(&4));
		// Still current (BABE announced it one epoch ago): it leaves one epoch later.
		assert!(accounts(&Validators::<Test>::get()).contains(&4));
		run_to_next_epoch(&[]);
		assert!(!accounts(&Validators::<Test>::get()).contains(&4));
		assert!(!babe_authorities().iter().any(|(k, _)| *k == babe_key(4)));
	});
}
