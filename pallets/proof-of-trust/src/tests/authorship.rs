//! The `on_finalize` hook: authored blocks and missed slots.

use super::*;

fn stats() -> Vec<AuthorshipStats> {
	EpochAuthorship::<Test>::get().to_vec()
}

#[test]
fn counts_primary_and_secondary_blocks() {
	test(|| {
		produce_block(2, Author::Primary(1));
		produce_block(3, Author::Secondary(1));
		produce_block(4, Author::Secondary(3));
		finish_block();
		let s = stats();
		// Block 1 (slot 1) was a secondary block of authority 0.
		assert_eq!(s[0], AuthorshipStats { primary: 0, secondary: 1, missed: 0 });
		assert_eq!(s[1], AuthorshipStats { primary: 1, secondary: 1, missed: 0 });
		assert_eq!(s[3], AuthorshipStats { primary: 0, secondary: 1, missed: 0 });
		assert_eq!(LastSlot::<Test>::get(), sp_consensus_babe::Slot::from(4));
	});
}

#[test]
fn empty_slots_blame_their_secondary_authors() {
	test(|| {
		// Skip slots 2..=5; slot 6 is authored.
		let blamed: Vec<u32> = (2..=5).map(|slot| secondary_author(slot).0).collect();
		produce_block(6, Author::Secondary(secondary_author(6).0));
		finish_block();
		let s = stats();
		for index in 0..4u32 {
			let expected = blamed.iter().filter(|b| **b == index).count() as u32;
			assert_eq!(s[index as usize].missed, expected, "authority {index}");
		}
		assert_eq!(s.iter().map(|x| x.missed).sum::<u32>(), 4);
	});
}

#[test]
fn a_long_gap_blames_nobody() {
	test(|| {
		let to = 2 + u64::from(MAX_MISSED) + 1;
		produce_block(to, Author::Secondary(0));
		finish_block();
		assert!(emitted(Event::SlotsUnattributed { from: 2, to }));
		assert_eq!(stats().iter().map(|x| x.missed).sum::<u32>(), 0);
	});
}

#[test]
fn a_block_without_babe_digest_changes_nothing() {
	test(|| {
		finish_block();
		let before = stats();
		// Only `produce_block` writes a digest; a block without one (reset here) counts nothing.
		System::initialize(&(System::block_number() + 1), &Default::default(), &Default::default());
		assert_eq!(ProofOfTrust::note_author(), 0);
		assert_eq!(stats(), before);
	});
}

#[test]
fn authorship_becomes_behaviour_evidence_at_the_epoch_change() {
	test(|| {
		run_slots(EPOCH - 1, &[3]);
		let missed_3 = stats()[2].missed;
		let authored_1 = stats()[0].authored();
		assert!(missed_3 > 0, "3 had secondary slots");
		let before_3 = ProofOfTrust::trust_report(&3).unwrap().behaviour;
		run_to_next_epoch(&[3]);
		assert!(emitted(Event::AuthorshipRecorded {
			who: 1,
			epoch: 0,
			primary: 0,
			secondary: authored_1,
			missed: 0
		}));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::AuthorshipRecorded { who: 3, epoch: 0, secondary: 0, missed, .. } if *missed >= missed_3
		)));
		assert!(ProofOfTrust::trust_report(&3).unwrap().behaviour < before_3);
		assert_eq!(Candidates::<Test>::get(1).unwrap().last_authored, Some(0));
		assert_eq!(Candidates::<Test>::get(3).unwrap().last_authored, None);
		// Stats restart for the new epoch (the change block itself counts in it).
		assert_eq!(stats().len(), 4);
	});
}

/// Missed-slot blame under fork choice (security review, low): an attacker that wins fork races
/// orphans a validator's blocks, and on the winning chain those slots look missed. Up to the
/// allowance per epoch they are excused; an offline validator is still blamed for the rest.
#[test]
fn orphaned_slots_up_to_the_allowance_are_not_blamed() {
	test(|| {
		// 4 validators, 20-slot epochs, c = 1/4: ceil(2 * 20 / 4 / 12) = 1.
		assert_eq!(ProofOfTrust::orphan_allowance(4), 1);
		run_to_next_epoch(&[]);
		let before = Ledger::<Test>::get(4).unwrap();
		let epoch = pallet_babe::EpochIndex::<Test>::get();
		// One of validator 4's blocks goes missing from the chain (as if orphaned).
		let mut skipped = 0;
		while pallet_babe::EpochIndex::<Test>::get() == epoch {
			let (_, key) = secondary_author(next_slot());
			if key == babe_key(4) && skipped < 1 {
				skipped += 1;
				run_slots(1, &[4]);
			} else {
				run_slots(1, &[]);
			}
		}
		assert_eq!(skipped, 1);
		let after = Ledger::<Test>::get(4).unwrap();
		assert_eq!(
			after.behaviour.bad_units(),
			before.at(&Params::get(), after.epoch).behaviour.bad_units(),
			"no blame within the allowance"
		);
		// Offline: blamed beyond the allowance (two epochs, so that it surely misses more
		// than one slot).
		let before = Ledger::<Test>::get(4).unwrap();
		run_to_next_epoch(&[4]);
		run_to_next_epoch(&[4]);
		let after = Ledger::<Test>::get(4).unwrap();
		assert!(
			after.behaviour.bad_units()
				> before.at(&Params::get(), after.epoch).behaviour.bad_units()
		);
	});
}
