//! `register_candidate`.

use super::*;
use frame_support::assert_noop;
use sp_runtime::DispatchError;

#[test]
fn registers_holds_the_bond_and_enrols_below_the_authority_level() {
	test(|| {
		assert!(Ledger::<Test>::get(10).is_none());
		register_with(10, 250);
		assert!(emitted(Event::CandidateRegistered {
			who: 10,
			babe: babe_key(10),
			grandpa: grandpa_key(10)
		}));
		assert!(emitted(Event::SubjectEnrolled { who: 10 }));
		let info = Candidates::<Test>::get(10).unwrap();
		assert_eq!(info.bond, 250);
		assert_eq!(info.last_authored, None);
		assert!(!info.founding && !info.admitted);
		assert_eq!(info.membership, Membership::Out);
		assert_eq!(CandidateOfBabe::<Test>::get(babe_key(10)), Some(10));
		assert_eq!(CandidateOfGrandpa::<Test>::get(grandpa_key(10)), Some(10));
		assert_eq!(held(10), 250);
		// Not the prior: an unproven candidacy is one bad behaviour event,
		// T = (1/2 + 1/4) / 2 = 0.375, below the authority level.
		assert_eq!(trust(10), Perbill::from_rational(375u32, 1000u32));
		assert_eq!(ProofOfTrust::trust_level(&10), TrustLevel::Doubtful);
	});
}

#[test]
fn an_existing_record_keeps_its_evidence_and_takes_the_candidacy_debt() {
	test(|| {
		// A device controller with two epochs of authentications (trust above the prior).
		<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&10).unwrap();
		for _ in 0..2 {
			<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
				&[10; 32],
				Some(&10),
				IdentityEvidence::Authenticated,
			);
		}
		let before = Ledger::<Test>::get(10).unwrap();
		System::reset_events();
		register(10);
		assert!(!emitted(Event::SubjectEnrolled { who: 10 }));
		let after = Ledger::<Test>::get(10).unwrap();
		assert_eq!(after.identity, before.identity);
		assert_eq!(after.behaviour.bad_units(), 1_000_000);
		// I = 3/4, B = 1/4: exactly the authority level.
		assert_eq!(ProofOfTrust::trust_level(&10), TrustLevel::Moderate);
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
				BOND,
			)
		};
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::root(),
				babe_key(10),
				grandpa_key(10),
				BOND
			),
			DispatchError::BadOrigin
		);
		// Genesis validator 1 is a candidate already; 2's keys are in use.
		assert_noop!(call(1, 10, 10), Error::<Test>::AlreadyCandidate);
		assert_noop!(call(10, 2, 10), Error::<Test>::BabeKeyInUse);
		assert_noop!(call(10, 10, 2), Error::<Test>::GrandpaKeyInUse);
		assert_noop!(call(POOR, POOR, POOR), Error::<Test>::InsufficientBond);
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(10),
				babe_key(10),
				grandpa_key(10),
				BOND - 1
			),
			Error::<Test>::BondBelowMinimum
		);
		register(10);
		assert_noop!(call(10, 11, 11), Error::<Test>::AlreadyCandidate);
		assert_noop!(call(11, 10, 11), Error::<Test>::BabeKeyInUse);
		assert_noop!(call(11, 11, 10), Error::<Test>::GrandpaKeyInUse);
		// Unbonding: neither the account nor its keys can register again before withdrawing.
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		assert_noop!(call(10, 12, 12), Error::<Test>::StillUnbonding);
		assert_noop!(call(11, 10, 11), Error::<Test>::BabeKeyInUse);
	});
}

#[test]
fn too_many_candidates_counts_the_unbonding_ones() {
	test(|| {
		for who in 10..10 + (MAX_CANDIDATES - 4) as u64 {
			register(who);
		}
		assert_eq!(Candidates::<Test>::count(), MAX_CANDIDATES);
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(50),
				babe_key(50),
				grandpa_key(50),
				BOND
			),
			Error::<Test>::TooManyCandidates
		);
		// Leaving does not free a place until the bond is withdrawn.
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(10)));
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(50),
				babe_key(50),
				grandpa_key(50),
				BOND
			),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn full_ledger() {
	test(|| {
		// Fill the ledger (4 genesis accounts) with devices' controllers.
		for who in 100..100 + (MAX_SUBJECTS - 4) as u64 {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&who).unwrap();
		}
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(10),
				babe_key(10),
				grandpa_key(10),
				BOND
			),
			Error::<Test>::LedgerFull
		);
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
				grandpa_key(10),
				BOND
			),
			Error::<Test>::Sanctioned
		);
	});
}
