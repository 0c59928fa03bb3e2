//! `report_finality_equivocation`: a GRANDPA equivocation is reported, verified and slashed
//! (issue: equivocation reports were not wired to slashing).

use super::*;
use frame_support::{assert_noop, dispatch::Pays};

fn set_id() -> u64 {
	pallet_grandpa::CurrentSetId::<Test>::get()
}

#[test]
fn a_proven_finality_equivocation_is_slashed_and_free_to_report() {
	test(|| {
		run_slots(4, &[]);
		let before = trust(3);
		let result = ProofOfTrust::report_finality_equivocation(
			RuntimeOrigin::signed(STRANGER),
			finality_equivocation(3, set_id(), 7, (5, 6)),
		);
		assert_eq!(result.unwrap().pays_fee, Pays::No);
		assert!(emitted(Event::FinalityEquivocationReported {
			offender: 3,
			set_id: set_id(),
			round: 7,
			reporter: Some(STRANGER)
		}));
		assert!(emitted(Event::BehaviourRecorded {
			who: 3,
			evidence: BehaviourEvidence::Equivocation
		}));
		assert!(trust(3) < before);
		assert!(emitted(Event::BondSlashed { who: 3, amount: FULL_BOND / 2 }));
		assert_eq!(held(3), FULL_BOND / 2);
		// Once per offender and set.
		assert_noop!(
			ProofOfTrust::report_finality_equivocation(
				RuntimeOrigin::signed(STRANGER),
				finality_equivocation(3, set_id(), 8, (5, 6)),
			),
			Error::<Test>::EquivocationAlreadyReported
		);
	});
}

#[test]
fn a_leaving_validator_is_still_found_by_its_key() {
	test(|| {
		assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(3)));
		assert_ok!(ProofOfTrust::report_finality_equivocation(
			RuntimeOrigin::signed(STRANGER),
			finality_equivocation(3, set_id(), 1, (1, 2)),
		));
		assert_eq!(Unbonding::<Test>::get(3).unwrap().bond, FULL_BOND / 2);
	});
}

#[test]
fn errors() {
	test(|| {
		let report = |proof| {
			ProofOfTrust::report_finality_equivocation(RuntimeOrigin::signed(STRANGER), proof)
		};
		assert_noop!(
			ProofOfTrust::report_finality_equivocation(
				RuntimeOrigin::none(),
				finality_equivocation(3, set_id(), 1, (1, 2))
			),
			sp_runtime::DispatchError::BadOrigin
		);
		// Two votes for the same block are no equivocation.
		assert_noop!(
			report(finality_equivocation(3, set_id(), 1, (4, 4))),
			Error::<Test>::EquivocationProofInvalid
		);
		// Signed for another set than the one claimed.
		assert_noop!(
			report(finality_equivocation_signed_for(3, set_id(), set_id() + 1, 1, (1, 2))),
			Error::<Test>::EquivocationProofInvalid
		);
		// Another set.
		assert_noop!(
			report(finality_equivocation(3, set_id() + 1, 1, (1, 2))),
			Error::<Test>::EquivocationOutsideSet
		);
		// Not in the GRANDPA set.
		assert_noop!(
			report(finality_equivocation(10, set_id(), 1, (1, 2))),
			Error::<Test>::OffenderNotValidator
		);
	});
}

/// The node's own report: validated in the pool by the same checks (once per offender and set),
/// dispatched with the authorized origin, slashed like a signed report.
#[test]
fn a_nodes_own_report_is_authorized_verified_and_slashed() {
	use frame_support::pallet_prelude::{Authorize, TransactionSource};
	test(|| {
		run_slots(4, &[]);
		let proof = finality_equivocation(3, set_id(), 7, (5, 6));
		let call =
			crate::Call::<Test>::report_finality_equivocation_unsigned { proof: proof.clone() };
		let (validity, _) = call.authorize(TransactionSource::Local).unwrap().unwrap();
		assert!(!validity.provides.is_empty());
		assert!(!validity.propagate);
		// Only the node's own reports, and those in blocks: no peer can flood the pool.
		assert!(call.authorize(TransactionSource::InBlock).unwrap().is_ok());
		assert!(call.authorize(TransactionSource::External).unwrap().is_err());
		// A bad proof is refused in the pool already.
		let bad = crate::Call::<Test>::report_finality_equivocation_unsigned {
			proof: finality_equivocation(3, set_id(), 7, (5, 5)),
		};
		assert!(bad.authorize(TransactionSource::Local).unwrap().is_err());
		// Only the authorized origin may dispatch it.
		assert_noop!(
			ProofOfTrust::report_finality_equivocation_unsigned(
				RuntimeOrigin::signed(STRANGER),
				proof.clone()
			),
			sp_runtime::DispatchError::BadOrigin
		);
		let result = ProofOfTrust::report_finality_equivocation_unsigned(
			frame_system::RawOrigin::Authorized.into(),
			proof,
		);
		assert_eq!(result.unwrap().pays_fee, Pays::No);
		assert!(emitted(Event::FinalityEquivocationReported {
			offender: 3,
			set_id: set_id(),
			round: 7,
			reporter: None
		}));
		assert_eq!(held(3), FULL_BOND / 2);
		// Reported once: a second report is refused by the pool.
		let again = crate::Call::<Test>::report_finality_equivocation_unsigned {
			proof: finality_equivocation(3, set_id(), 9, (1, 2)),
		};
		assert!(again.authorize(TransactionSource::Local).unwrap().is_err());
	});
}
