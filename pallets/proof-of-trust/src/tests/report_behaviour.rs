//! `report_behaviour`.

use super::*;
use frame_support::assert_noop;

const ALL: [BehaviourEvidence; 7] = [
	BehaviourEvidence::Cooperated,
	BehaviourEvidence::VerificationFailed,
	BehaviourEvidence::LeakReported,
	BehaviourEvidence::ModelRejected,
	BehaviourEvidence::Equivocation,
	BehaviourEvidence::Offence,
	BehaviourEvidence::Conspiracy,
];

#[test]
fn good_evidence_raises_bad_evidence_lowers_trust() {
	test(|| {
		let before = trust(2);
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::signed(REPORTER),
			2,
			BehaviourEvidence::Cooperated
		));
		assert!(emitted(Event::BehaviourRecorded {
			who: 2,
			evidence: BehaviourEvidence::Cooperated
		}));
		assert!(trust(2) > before);
		for evidence in &ALL[1..6] {
			let before = trust(2);
			assert_ok!(ProofOfTrust::report_behaviour(RuntimeOrigin::root(), 2, *evidence));
			assert!(trust(2) < before, "{evidence:?}");
		}
	});
}

#[test]
fn equivocation_weighs_more_than_a_failed_verification() {
	test(|| {
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			1,
			BehaviourEvidence::Equivocation
		));
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			2,
			BehaviourEvidence::VerificationFailed
		));
		// 1 started higher (10 good events vs 8) and ends lower.
		assert!(trust(1) < trust(2));
		let behaviour = Ledger::<Test>::get(1).unwrap().behaviour;
		assert_eq!(behaviour.bad_units(), 20_000_000);
	});
}

#[test]
fn conspiracy_sanctions_for_good() {
	test(|| {
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			3,
			BehaviourEvidence::Conspiracy
		));
		assert!(emitted(Event::Sanctioned { who: 3 }));
		assert_eq!(trust(3), Perbill::zero());
		assert_eq!(ProofOfTrust::trust_level(&3), TrustLevel::Untrusted);
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			3,
			BehaviourEvidence::Cooperated
		));
		assert_eq!(trust(3), Perbill::zero());
	});
}

#[test]
fn each_kind_from_a_disallowed_origin_has_its_own_error() {
	test(|| {
		let expected = || {
			[
				Error::<Test>::CooperationReportNotAllowed,
				Error::<Test>::VerificationReportNotAllowed,
				Error::<Test>::LeakReportNotAllowed,
				Error::<Test>::ModelRejectionNotAllowed,
				Error::<Test>::EquivocationReportNotAllowed,
				Error::<Test>::OffenceReportNotAllowed,
				Error::<Test>::ConspiracyReportNotAllowed,
			]
		};
		for (i, evidence) in ALL.iter().enumerate() {
			let error = || expected().into_iter().nth(i).unwrap();
			assert_noop!(
				ProofOfTrust::report_behaviour(RuntimeOrigin::signed(STRANGER), 1, *evidence),
				error()
			);
			assert_noop!(
				ProofOfTrust::report_behaviour(RuntimeOrigin::none(), 1, *evidence),
				error()
			);
		}
		// The reporter may report some kinds only.
		assert_noop!(
			ProofOfTrust::report_behaviour(
				RuntimeOrigin::signed(REPORTER),
				1,
				BehaviourEvidence::Equivocation
			),
			Error::<Test>::EquivocationReportNotAllowed
		);
		assert_noop!(
			ProofOfTrust::report_behaviour(
				RuntimeOrigin::signed(REPORTER),
				1,
				BehaviourEvidence::Conspiracy
			),
			Error::<Test>::ConspiracyReportNotAllowed
		);
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::signed(REPORTER),
			1,
			BehaviourEvidence::LeakReported
		));
	});
}

#[test]
fn unknown_subject() {
	test(|| {
		for evidence in ALL {
			assert_noop!(
				ProofOfTrust::report_behaviour(RuntimeOrigin::root(), 77, evidence),
				Error::<Test>::UnknownSubject
			);
		}
	});
}
