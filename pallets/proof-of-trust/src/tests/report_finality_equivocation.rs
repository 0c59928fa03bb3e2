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
			reporter: STRANGER
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
