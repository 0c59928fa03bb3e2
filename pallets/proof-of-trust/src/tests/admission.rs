//! Admission: `admit_candidate` and `set_admission_mode`, permissioned and staked selection,
//! and the own-identity rule.

use super::*;
use frame_support::assert_noop;

/// `who` controls an authenticated device and has `epochs` epochs of authentications.
fn with_identity(who: AccountId, epochs: u32) {
	let device = [who as u8; 32];
	bind_device(who, device, true);
	for _ in 0..epochs {
		<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
			&device,
			Some(&who),
			IdentityEvidence::Authenticated,
		);
	}
}

fn announced(who: AccountId) -> bool {
	accounts(&NextValidators::<Test>::get()).contains(&who)
}

#[test]
fn admit_and_set_mode_errors() {
	test(|| {
		assert_noop!(
			ProofOfTrust::admit_candidate(RuntimeOrigin::signed(1), 10),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			ProofOfTrust::admit_candidate(RuntimeOrigin::root(), 10),
			Error::<Test>::NotCandidate
		);
		assert_noop!(
			ProofOfTrust::admit_candidate(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyAdmitted
		);
		assert_noop!(
			ProofOfTrust::set_admission_mode(RuntimeOrigin::signed(1), AdmissionMode::Staked),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(ProofOfTrust::set_admission_mode(
			RuntimeOrigin::root(),
			AdmissionMode::Permissioned
		));
		assert!(emitted(Event::AdmissionModeSet { mode: AdmissionMode::Permissioned }));
		assert_eq!(Admission::<Test>::get(), AdmissionMode::Permissioned);
	});
}

#[test]
fn the_prior_never_qualifies_on_its_own() {
	test(|| {
		require_identity(true);
		// A fresh account with an authenticated device but no evidence yet: Doubtful.
		register_with(10, FULL_BOND);
		bind_device(10, [10; 32], true);
		run_to_next_epoch(&[]);
		assert!(!announced(10));
		// Two epochs of authentications (verified work) lift it to the authority level.
		with_identity(10, 2);
		run_to_next_epoch(&[]);
		assert!(announced(10));
		// It enters on probation (weight 1), a newcomer.
		let v = NextValidators::<Test>::get();
		assert_eq!(v.iter().find(|v| v.account == 10).unwrap().weight, 1);
		assert_eq!(
			Candidates::<Test>::get(10).unwrap().membership,
			Membership::Since(CurrentEpoch::<Test>::get())
		);
	});
}

#[test]
fn a_candidate_without_its_own_authenticated_device_is_never_selected() {
	test(|| {
		require_identity(true);
		register_with(10, FULL_BOND);
		<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
			&[10; 32],
			Some(&10),
			IdentityEvidence::Authenticated,
		);
		with_identity(11, 0);
		for _ in 0..3 {
			// Plenty of trust, but the device is not authenticated now.
			<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
				&[10; 32],
				Some(&10),
				IdentityEvidence::Authenticated,
			);
			run_to_next_epoch(&[]);
			assert!(!announced(10));
		}
		// Founding validators are exempt: all four are still there.
		for who in 1..=4 {
			assert!(announced(who));
		}
	});
}

#[test]
fn permissioned_candidates_wait_for_admission() {
	test_admission(AdmissionMode::Permissioned, || {
		require_identity(true);
		register_with(10, BOND);
		with_identity(10, 3);
		run_to_next_epoch(&[]);
		assert!(!announced(10));
		assert_ok!(ProofOfTrust::admit_candidate(RuntimeOrigin::root(), 10));
		assert!(emitted(Event::CandidateAdmitted { who: 10 }));
		run_to_next_epoch(&[]);
		assert!(announced(10));
	});
}

#[test]
fn staked_weight_follows_the_bond() {
	test(|| {
		require_identity(true);
		register_with(10, FULL_BOND);
		register_with(11, FULL_BOND / 4);
		with_identity(10, 3);
		with_identity(11, 3);
		// Let both enter, author and become veterans of the weight rule's view: use the recent
		// cap's exemption by comparing their uncapped weights through the selection directly.
		for _ in 0..4 {
			run_to_next_epoch(&[]);
			with_identity(10, 1);
			with_identity(11, 1);
		}
		let set = NextValidators::<Test>::get();
		let weight = |who| set.iter().find(|v| v.account == who).map(|v| v.weight);
		let (w10, w11) = (weight(10).unwrap(), weight(11).unwrap());
		assert!(w10 > 1 && w11 >= 1, "both proven live: {w10}, {w11}");
		// Same trust level, a quarter of the bond: at most about a quarter of the weight (the
		// recent cap may cut both to a common ceiling).
		assert!(w11 <= w10, "{w11} <= {w10}");
	});
}

/// Squatters on the candidate list (security review, low): the admin removes them; their bonds
/// unbond as for a deregistration, and their places free once they withdraw.
#[test]
fn the_admin_removes_candidates() {
	test(|| {
		for who in 10..10 + (MAX_CANDIDATES - 4) as u64 {
			register(who);
		}
		assert_noop!(
			ProofOfTrust::remove_candidate(RuntimeOrigin::signed(1), 10),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			ProofOfTrust::remove_candidate(RuntimeOrigin::root(), 99),
			Error::<Test>::NotCandidate
		);
		assert_ok!(ProofOfTrust::remove_candidate(RuntimeOrigin::root(), 10));
		let unlock_at = Unbonding::<Test>::get(10).unwrap().unlock_at;
		assert!(emitted(Event::CandidateRemoved { who: 10, unlock_at }));
		assert!(Candidates::<Test>::get(10).is_none());
		assert_eq!(held(10), BOND);
		while CurrentEpoch::<Test>::get() < unlock_at {
			run_to_next_epoch(&[]);
		}
		assert_ok!(ProofOfTrust::withdraw_bond(RuntimeOrigin::signed(10)));
		// Its place is free again.
		register(50);
	});
}
