//! `deregister_candidate`.

use super::*;
use frame_support::{assert_noop, traits::fungible::InspectHold};

fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::ProofOfTrust(HoldReason::CandidacyBond), &who)
}

#[test]
fn releases_the_bond_and_frees_the_keys() {
	test(|| {
		register(10);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		assert!(emitted(Event::CandidateDeregistered { who: 10 }));
		assert_eq!(held(10), 0);
		assert!(Candidates::<Test>::get(10).is_none());
		assert!(CandidateOfBabe::<Test>::get(babe_key(10)).is_none());
		assert!(CandidateOfGrandpa::<Test>::get(grandpa_key(10)).is_none());
		// Its keys can be registered again, by anyone.
		assert_ok!(ProofOfTrust::register_candidate(
			RuntimeOrigin::signed(11),
			babe_key(10),
			grandpa_key(10)
		));
	});
}

#[test]
fn a_record_without_evidence_is_removed_one_with_evidence_stays() {
	test(|| {
		register(10);
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		assert!(emitted(Event::SubjectRemoved { who: 10 }));
		assert!(Ledger::<Test>::get(10).is_none());

		register(11);
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			11,
			BehaviourEvidence::Offence
		));
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(11)));
		assert!(!emitted(Event::SubjectRemoved { who: 11 }));
		assert!(trust(11) < Perbill::from_percent(50), "trust history is kept");
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
