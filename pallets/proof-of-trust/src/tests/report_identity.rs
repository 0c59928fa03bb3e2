//! `report_identity`.

use super::*;
use frame_support::assert_noop;

#[test]
fn identity_evidence_moves_identity_trust_only() {
	test(|| {
		let before = ProofOfTrust::trust_report(&2).unwrap();
		assert_ok!(ProofOfTrust::report_identity(
			RuntimeOrigin::root(),
			2,
			IdentityEvidence::Failed
		));
		assert!(emitted(Event::IdentityRecorded {
			device: None,
			account: Some(2),
			evidence: IdentityEvidence::Failed
		}));
		let after = ProofOfTrust::trust_report(&2).unwrap();
		assert!(after.identity < before.identity);
		assert_eq!(after.behaviour, before.behaviour);
		assert!(after.trust < before.trust);
		assert_ok!(ProofOfTrust::report_identity(
			RuntimeOrigin::root(),
			2,
			IdentityEvidence::Authenticated
		));
		assert!(ProofOfTrust::trust_report(&2).unwrap().identity > after.identity);
	});
}

#[test]
fn errors() {
	test(|| {
		for origin in [RuntimeOrigin::signed(REPORTER), RuntimeOrigin::signed(STRANGER)] {
			assert_noop!(
				ProofOfTrust::report_identity(origin, 1, IdentityEvidence::Missed),
				Error::<Test>::IdentityReportNotAllowed
			);
		}
		assert_noop!(
			ProofOfTrust::report_identity(RuntimeOrigin::root(), 77, IdentityEvidence::Missed),
			Error::<Test>::UnknownSubject
		);
	});
}
