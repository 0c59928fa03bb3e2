//! `report_equivocation`.

use super::*;
use frame_support::{assert_noop, dispatch::Pays};

#[test]
fn a_proven_equivocation_costs_trust_and_is_free_to_report() {
	test(|| {
		run_slots(4, &[]);
		let before = trust(2);
		let result = ProofOfTrust::report_equivocation(
			RuntimeOrigin::signed(STRANGER),
			equivocation_proof(2, 1, 3, 2),
		);
		assert_eq!(result.unwrap().pays_fee, Pays::No);
		assert!(emitted(Event::EquivocationReported {
			offender: 2,
			slot: 3,
			reporter: Some(STRANGER)
		}));
		assert!(emitted(Event::BehaviourRecorded {
			who: 2,
			evidence: BehaviourEvidence::Equivocation
		}));
		assert!(trust(2) < before);
		assert_eq!(ReportedEquivocations::<Test>::get().to_vec(), vec![1]);
		// Half of the bond is burnt (the mock's `EquivocationSlash`).
		assert!(emitted(Event::BondSlashed { who: 2, amount: FULL_BOND / 2 }));
		assert_eq!(held(2), FULL_BOND / 2);
		assert_eq!(Candidates::<Test>::get(2).unwrap().bond, FULL_BOND / 2);
		// One report per offender and epoch; a new epoch accepts a new one.
		assert_noop!(
			ProofOfTrust::report_equivocation(
				RuntimeOrigin::signed(STRANGER),
				equivocation_proof(2, 1, 4, 2)
			),
			Error::<Test>::EquivocationAlreadyReported
		);
		run_to_next_epoch(&[]);
		assert!(ReportedEquivocations::<Test>::get().is_empty());
	});
}

#[test]
fn errors() {
	test(|| {
		run_slots(4, &[]);
		let report =
			|proof| ProofOfTrust::report_equivocation(RuntimeOrigin::signed(STRANGER), proof);
		assert_noop!(
			ProofOfTrust::report_equivocation(
				RuntimeOrigin::none(),
				equivocation_proof(2, 1, 3, 2)
			),
			sp_runtime::DispatchError::BadOrigin
		);
		// Signed by someone else than the offender.
		assert_noop!(
			report(equivocation_proof(2, 1, 3, 3)),
			Error::<Test>::EquivocationProofInvalid
		);
		// The same header twice.
		let mut same = equivocation_proof(2, 1, 3, 2);
		same.second_header = same.first_header.clone();
		assert_noop!(report(same), Error::<Test>::EquivocationProofInvalid);
		// Headers for different slots.
		let mut slots = equivocation_proof(2, 1, 3, 2);
		slots.second_header = sealed_header(11, 1, 4, 2);
		assert_noop!(report(slots), Error::<Test>::EquivocationProofInvalid);
		// A future slot, and a slot of an earlier epoch.
		assert_noop!(
			report(equivocation_proof(2, 1, 50, 2)),
			Error::<Test>::EquivocationOutsideEpoch
		);
		run_to_next_epoch(&[]);
		assert_noop!(
			report(equivocation_proof(2, 1, 3, 2)),
			Error::<Test>::EquivocationOutsideEpoch
		);
		// Not a validator.
		let slot = next_slot() - 1;
		assert_noop!(
			report(equivocation_proof(10, 1, slot, 10)),
			Error::<Test>::OffenderNotValidator
		);
	});
}

#[test]
fn leaving_does_not_escape_the_slash() {
	test(|| {
		run_slots(4, &[]);
		// Validator 2 deregisters, then its equivocation in the current epoch is proven.
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(2)));
		assert_ok!(ProofOfTrust::report_equivocation(
			RuntimeOrigin::signed(STRANGER),
			equivocation_proof(2, 1, 3, 2),
		));
		assert!(emitted(Event::BondSlashed { who: 2, amount: FULL_BOND / 2 }));
		assert_eq!(held(2), FULL_BOND / 2);
		assert_eq!(Unbonding::<Test>::get(2).unwrap().bond, FULL_BOND / 2);
	});
}

/// The node's own report of a BABE equivocation: authorized in the pool by the same checks,
/// dispatched with the authorized origin, slashed.
#[test]
fn a_nodes_own_report_is_authorized_verified_and_slashed() {
	use frame_support::pallet_prelude::{Authorize, TransactionSource};
	test(|| {
		run_slots(4, &[]);
		let call = crate::Call::<Test>::report_equivocation_unsigned {
			proof: equivocation_proof(2, 1, 3, 2),
		};
		assert!(call.authorize(TransactionSource::Local).unwrap().is_ok());
		let forged = crate::Call::<Test>::report_equivocation_unsigned {
			proof: equivocation_proof(2, 1, 3, 3),
		};
		assert!(forged.authorize(TransactionSource::Local).unwrap().is_err());
		assert_ok!(ProofOfTrust::report_equivocation_unsigned(
			frame_system::RawOrigin::Authorized.into(),
			equivocation_proof(2, 1, 3, 2),
		));
		assert!(emitted(Event::EquivocationReported { offender: 2, slot: 3, reporter: None }));
		assert_eq!(held(2), FULL_BOND / 2);
		assert!(call.authorize(TransactionSource::Local).unwrap().is_err());
	});
}
