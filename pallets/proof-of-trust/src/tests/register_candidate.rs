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
			Error::<Test>::BondTooSmallToDisplace
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
			Error::<Test>::BondTooSmallToDisplace
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

/// Fills the candidate list (the 4 genesis validators and `MAX_CANDIDATES - 4` squatters
/// 10, 11, ..., 10 + i bonding `BOND + i`).
fn fill_with_squatters() -> Vec<AccountId> {
	let squatters: Vec<AccountId> = (10..10 + u64::from(MAX_CANDIDATES - 4)).collect();
	for (i, who) in squatters.iter().enumerate() {
		register_with(*who, BOND + i as u64);
	}
	assert_eq!(Candidates::<Test>::count(), MAX_CANDIDATES);
	squatters
}

#[test]
fn a_bigger_bond_displaces_the_smallest_squatter() {
	test(|| {
		fill_with_squatters();
		// Not bigger than the smallest bond (10's): refused, nothing changed.
		assert_noop!(
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(50),
				babe_key(50),
				grandpa_key(50),
				BOND
			),
			Error::<Test>::BondTooSmallToDisplace
		);
		System::reset_events();
		register_with(50, BOND + 1);
		assert!(emitted(Event::CandidateDisplaced { who: 10, by: 50, bond: BOND }));
		assert!(!Candidates::<Test>::contains_key(10));
		assert_eq!(held(10), 0);
		assert_eq!(CandidateOfBabe::<Test>::get(babe_key(10)), None);
		assert_eq!(CandidateOfGrandpa::<Test>::get(grandpa_key(10)), None);
		assert_eq!(held(50), BOND + 1);
		assert_eq!(Candidates::<Test>::count(), MAX_CANDIDATES);
		// The displaced account may come back with a bigger bond: it displaces the next
		// smallest (11, BOND + 1; 50 ties with it and is the bigger account).
		System::reset_events();
		register_with(10, BOND + 2);
		assert!(emitted(Event::CandidateDisplaced { who: 11, by: 10, bond: BOND + 1 }));
		assert!(Candidates::<Test>::contains_key(50));
	});
}

#[test]
fn members_admitted_founders_and_open_report_windows_are_never_displaced() {
	test(|| {
		let squatters = fill_with_squatters();
		let now = CurrentEpoch::<Test>::get();
		// Every squatter is protected, each in one of the ways.
		for (i, who) in squatters.iter().enumerate() {
			Candidates::<Test>::mutate(who, |info| {
				let info = info.as_mut().unwrap();
				if i % 2 == 0 {
					info.admitted = true;
				} else {
					info.membership = Membership::Left(now);
				}
			});
		}
		let huge = 3 * BOND;
		let call = || {
			ProofOfTrust::register_candidate(
				RuntimeOrigin::signed(50),
				babe_key(50),
				grandpa_key(50),
				huge,
			)
		};
		assert_noop!(call(), Error::<Test>::TooManyCandidates);
		// A member of the announced set is not displaced either, even when counted out.
		let member = squatters[1];
		let protected = Candidates::<Test>::get(member).unwrap();
		Candidates::<Test>::mutate(member, |info| {
			info.as_mut().unwrap().membership = Membership::Out
		});
		let announced = NextValidators::<Test>::get();
		let mut with_member = announced.clone();
		with_member
			.try_push(Validator {
				account: member,
				babe: protected.babe.clone(),
				grandpa: protected.grandpa.clone(),
				weight: 1,
			})
			.unwrap();
		NextValidators::<Test>::put(with_member);
		assert_noop!(call(), Error::<Test>::TooManyCandidates);
		NextValidators::<Test>::put(announced);
		// Once out of the sets with its report window closed (two epochs and the unbonding
		// period after it left), it is the one displaced.
		Candidates::<Test>::mutate(member, |info| {
			info.as_mut().unwrap().membership = Membership::Left(now)
		});
		CurrentEpoch::<Test>::put(now + 1 + u64::from(UNBONDING_EPOCHS));
		assert_noop!(call(), Error::<Test>::TooManyCandidates);
		CurrentEpoch::<Test>::put(now + 2 + u64::from(UNBONDING_EPOCHS));
		// Squatters 11, 13, ... left at `now`; 11 has the smallest bond.
		System::reset_events();
		assert_ok!(call());
		assert!(emitted(Event::CandidateDisplaced { who: 11, by: 50, bond: BOND + 1 }));
		CurrentEpoch::<Test>::put(now);
		// The genesis validators (founding) are never displaced.
		for (who, _) in GENESIS {
			assert!(Candidates::<Test>::contains_key(who));
		}
	});
}

#[test]
fn leaving_the_announced_set_opens_the_report_window() {
	test(|| {
		register(10);
		let info = Candidates::<Test>::get(10).unwrap();
		let member = Validator { account: 10, babe: info.babe, grandpa: info.grandpa, weight: 1 };
		ProofOfTrust::update_membership(&[], core::slice::from_ref(&member), 5);
		assert_eq!(Candidates::<Test>::get(10).unwrap().membership, Membership::Since(5));
		ProofOfTrust::update_membership(core::slice::from_ref(&member), &[], 7);
		assert_eq!(Candidates::<Test>::get(10).unwrap().membership, Membership::Left(7));
		// A newcomer again at the next selection, and a member from when it rejoins.
		assert_eq!(Membership::Left(7).standing(8, 720), endo_trust::consensus::Standing::Newcomer);
		ProofOfTrust::update_membership(&[], core::slice::from_ref(&member), 9);
		assert_eq!(Candidates::<Test>::get(10).unwrap().membership, Membership::Since(9));
		// (Out of the announced set again, as the storage is.)
		ProofOfTrust::update_membership(core::slice::from_ref(&member), &[], 10);
	});
}
