//! `register_candidate`.

use super::*;
use frame_support::{assert_noop, traits::fungible::InspectHold};
use sp_runtime::DispatchError;

#[test]
fn registers_holds_the_bond_and_enrols() {
	test(|| {
		assert!(Ledger::<Test>::get(10).is_none());
		register(10);
		assert!(emitted(Event::CandidateRegistered {
			who: 10,
			babe: babe_key(10),
			grandpa: grandpa_key(10)
		}));
		assert!(emitted(Event::SubjectEnrolled { who: 10 }));
		let info = Candidates::<Test>::get(10).unwrap();
		assert_eq!(info.bond, BOND);
		assert_eq!(info.last_authored, None);
		assert_eq!(CandidateOfBabe::<Test>::get(babe_key(10)), Some(10));
		assert_eq!(CandidateOfGrandpa::<Test>::get(grandpa_key(10)), Some(10));
		assert_eq!(
			Balances::balance_on_hold(
				&RuntimeHoldReason::ProofOfTrust(HoldReason::CandidacyBond),
				&10
			),
			BOND
		);
		// The prior: 1/2, Moderate.
		assert_eq!(trust(10), Perbill::from_percent(50));
		assert_eq!(ProofOfTrust::trust_level(&10), TrustLevel::Moderate);
	});
}

#[test]
fn keeps_an_existing_ledger_record() {
	test(|| {
		assert_ok!(ProofOfTrust::report_identity(
			RuntimeOrigin::root(),
			1,
			IdentityEvidence::Missed
		));
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(1)));
		let before = Ledger::<Test>::get(1).unwrap();
		register(1);
		assert!(!emitted(Event::SubjectEnrolled { who: 1 }));
		assert_eq!(Ledger::<Test>::get(1).unwrap(), before);
	});
}

#[test]
fn errors() {
	test(|| {
		let call = |who: AccountId, babe: AccountId, grandpa: AccountId| {
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(who),
				babe_key(babe),
				grandpa_key(grandpa),
			)
		};
		assert_noop!(
			ProofOfTrust::register_candidate(RuntimeOrigin::root(), babe_key(10), grandpa_key(10)),
			DispatchError::BadOrigin
		);
		// Genesis validator 1 is a candidate already; 2's keys are in use.
		assert_noop!(call(1, 10, 10), Error::<Test>::AlreadyCandidate);
		assert_noop!(call(10, 2, 10), Error::<Test>::BabeKeyInUse);
		assert_noop!(call(10, 10, 2), Error::<Test>::GrandpaKeyInUse);
		assert_noop!(call(POOR, POOR, POOR), Error::<Test>::InsufficientBond);
		register(10);
		assert_noop!(call(10, 11, 11), Error::<Test>::AlreadyCandidate);
		assert_noop!(call(11, 10, 11), Error::<Test>::BabeKeyInUse);
		assert_noop!(call(11, 11, 10), Error::<Test>::GrandpaKeyInUse);
	});
}

#[test]
fn too_many_candidates() {
	test(|| {
		for who in 10..10 + (MAX_CANDIDATES - 4) as u64 {
			register(who);
		}
		assert_eq!(Candidates::<Test>::count(), MAX_CANDIDATES);
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(30),
				babe_key(30),
				grandpa_key(30)
			),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn full_ledger() {
	test(|| {
		// Fill the ledger (4 genesis accounts) with devices' controllers.
		for who in 40..40 + (MAX_SUBJECTS - 4) as u64 {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&who).unwrap();
		}
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(10),
				babe_key(10),
				grandpa_key(10)
			),
			Error::<Test>::LedgerFull
		);
		// An account already in the ledger can still register.
		register(40);
	});
}

#[test]
fn sanctioned_accounts_are_barred() {
	test(|| {
		<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&10).unwrap();
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			10,
			BehaviourEvidence::Conspiracy
		));
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(10),
				babe_key(10),
				grandpa_key(10)
			),
			Error::<Test>::Sanctioned
		);
	});
}
