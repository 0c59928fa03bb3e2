//! The epoch change: trust-weighted BABE and GRANDPA sets, selection, probation, removal,
//! "no input can empty the authority set or halt finality", and `sanitize_authorities`, the
//! trigger's guard on whatever its source proposes.

use super::*;
use crate::epoch_change::sanitize_authorities;
use endo_trust::clonal::{RandomSource, SplitMix64};
use endo_trust::consensus::PROBATION_WEIGHT;

#[test]
fn babe_and_grandpa_carry_the_trust_weights() {
	test(|| {
		let genesis = babe_authorities();
		assert!(genesis.iter().all(|(_, w)| *w == 1));
		run_to_next_epoch(&[]);
		// Epoch 1 runs the genesis set; the trust-weighted set is announced for epoch 2.
		assert_eq!(babe_authorities(), genesis);
		let next = NextValidators::<Test>::get();
		assert_eq!(next.len(), 4);
		assert_eq!(babe_next_authorities(), babe_view(&next));
		for v in next.iter() {
			assert_eq!(
				v.weight,
				trust_weight(v.account),
				"weight of {} follows its trust",
				v.account
			);
			assert!(v.weight > 500_000);
		}
		assert!(next.windows(2).all(|p| trust(p[0].account) >= trust(p[1].account)));
		let total_weight = next.iter().map(|v| v.weight).sum();
		assert!(emitted(Event::AuthoritiesSelected { epoch: 1, count: 4, total_weight }));
		// GRANDPA still has the genesis set, which is the set current in epoch 1.
		assert!(!emitted(Event::FinalityChangeScheduled { authorities: 4, forced: false }));

		run_to_next_epoch(&[]);
		assert_eq!(babe_authorities(), babe_view(&next), "BABE enacted the trust weights");
		assert_eq!(Validators::<Test>::get(), next);
		assert!(emitted(Event::FinalityChangeScheduled { authorities: 4, forced: false }));
		let pending = pallet_grandpa::PendingChange::<Test>::get().unwrap();
		assert_eq!(pending.next_authorities.to_vec(), grandpa_view(&next));
		assert_eq!(pending.delay, 0);
		// The change is signalled and enacted when the epoch's first block is finalized.
		run_slots(1, &[]);
		assert_eq!(grandpa_authorities(), grandpa_view(&next), "GRANDPA has the weighted set");
		assert!(pallet_grandpa::PendingChange::<Test>::get().is_none());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
	});
}

#[test]
fn a_silent_validator_is_weighted_down_then_removed_while_others_continue() {
	test(|| {
		run_to_next_epoch(&[]);
		let before = NextValidators::<Test>::get();
		assert!(before.iter().any(|v| v.account == 4 && v.weight > PROBATION_WEIGHT));
		// The liveness window of 4 validators and 20-slot epochs: ceil(8 * 4 / (20 * 3/4)) = 3.
		assert_eq!(ProofOfTrust::liveness_window(), 3);
		// Within the window it keeps a trust weight (falling with its missed slots), unless its
		// trust drops below the minimum first.
		run_to_next_epoch(&[4]);
		let next = NextValidators::<Test>::get();
		let weight_4 = next.iter().find(|v| v.account == 4).map(|v| v.weight);
		assert!(weight_4.is_some_and(|w| w > PROBATION_WEIGHT), "live within the window");
		let mut epochs = 1;
		println!("silent epochs 1: trust of 4 = {:?}", trust(4));
		while accounts(&NextValidators::<Test>::get()).contains(&4) {
			run_to_next_epoch(&[4]);
			epochs += 1;
			println!("silent epochs {epochs}: trust of 4 = {:?}", trust(4));
			assert!(epochs < 16, "4's trust never fell below the minimum");
		}
		assert!(ProofOfTrust::trust_level(&4) < TrustLevel::Moderate);
		assert_eq!(accounts(&NextValidators::<Test>::get()).len(), 3);
		// One epoch later it leaves BABE and GRANDPA; the others produce and finalize on.
		run_to_next_epoch(&[4]);
		run_slots(2, &[4]);
		assert!(!babe_authorities().iter().any(|(k, _)| *k == babe_key(4)));
		assert!(!grandpa_authorities().iter().any(|(k, _)| *k == grandpa_key(4)));
		assert_eq!(grandpa_authorities().len(), 3);
		let block = System::block_number();
		run_slots(EPOCH, &[4]);
		assert_eq!(System::block_number(), block + EPOCH, "every slot has a block");
	});
}

#[test]
fn when_all_trust_drops_the_last_good_set_is_kept() {
	test(|| {
		run_to_next_epoch(&[]);
		for who in 1..=4 {
			for _ in 0..3 {
				assert_ok!(ProofOfTrust::report_behaviour(
					RuntimeOrigin::root(),
					who,
					BehaviourEvidence::Equivocation
				));
			}
			assert!(ProofOfTrust::trust_level(&who) < TrustLevel::Moderate);
		}
		let announced = NextValidators::<Test>::get();
		let grandpa_before = grandpa_authorities();
		run_to_next_epoch(&[]);
		assert!(emitted(Event::AuthoritySetKept { epoch: 2, reason: KeptReason::TooFewEligible }));
		assert_eq!(
			NextValidators::<Test>::get(),
			announced,
			"the announced set is announced again"
		);
		assert_eq!(babe_next_authorities(), babe_view(&announced));
		assert_eq!(babe_authorities(), babe_view(&announced));
		run_slots(1, &[]);
		assert_eq!(grandpa_authorities(), grandpa_view(&announced));
		assert!(!grandpa_before.is_empty());
		// And the chain goes on, epoch after epoch.
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		assert_eq!(babe_authorities().len(), 4);
		assert_eq!(grandpa_authorities().len(), 4);
	});
}

#[test]
fn when_every_candidate_leaves_the_last_good_set_is_kept() {
	test(|| {
		for who in 1..=4 {
			assert_ok!(ProofOfTrust::deregister_candidate(RuntimeOrigin::signed(who)));
		}
		run_to_next_epoch(&[]);
		assert!(emitted(Event::AuthoritySetKept { epoch: 1, reason: KeptReason::TooFewEligible }));
		run_to_next_epoch(&[]);
		assert_eq!(babe_authorities().len(), 4);
		assert_eq!(babe_next_authorities().len(), 4);
	});
}

#[test]
fn a_newcomer_enters_on_probation_then_gets_its_trust_weight() {
	test(|| {
		register_with(10, FULL_BOND);
		ProofOfTrust::force_level(&10, TrustLevel::Moderate).unwrap();
		run_to_next_epoch(&[]);
		let next = NextValidators::<Test>::get();
		assert_eq!(next.iter().find(|v| v.account == 10).map(|v| v.weight), Some(PROBATION_WEIGHT));
		run_to_next_epoch(&[]);
		// 10 is current now and authors its secondary slots.
		assert!(babe_authorities().contains(&(babe_key(10), PROBATION_WEIGHT)));
		run_to_next_epoch(&[]);
		let next = NextValidators::<Test>::get();
		let weight = next.iter().find(|v| v.account == 10).map(|v| v.weight).unwrap();
		// Its trust weight, cut so that recent admissions hold under a tenth of the total.
		assert!(weight > PROBATION_WEIGHT && weight <= trust_weight(10));
		let total: u64 = next.iter().map(|v| v.weight).sum();
		assert!(weight * 10 < total);
	});
}

#[test]
fn nodes_that_never_author_cannot_take_over_finality() {
	test(|| {
		for who in 10..14 {
			register(who);
			ProofOfTrust::force_level(&who, TrustLevel::High).unwrap();
		}
		for _ in 0..10 {
			run_to_next_epoch(&[10, 11, 12, 13]);
			let next = NextValidators::<Test>::get();
			let total: u64 = next.iter().map(|v| v.weight).sum();
			let live: u64 = next.iter().filter(|v| v.account <= 4).map(|v| v.weight).sum();
			assert!(3 * live > 2 * total, "proven-live validators hold > 2/3");
			let grandpa_total: u64 = grandpa_authorities().iter().map(|(_, w)| w).sum();
			let grandpa_live: u64 = grandpa_authorities()
				.iter()
				.filter(|(k, _)| (1..=4).any(|a| grandpa_key(a) == *k))
				.map(|(_, w)| w)
				.sum();
			assert!(3 * grandpa_live > 2 * grandpa_total);
		}
		// Their missed slots pushed them out.
		let next = accounts(&NextValidators::<Test>::get());
		assert!(next.iter().all(|a| *a <= 4), "{next:?}");
	});
}

#[test]
fn candidates_below_the_minimum_level_are_not_selected() {
	test(|| {
		register(10);
		ProofOfTrust::force_level(&10, TrustLevel::Doubtful).unwrap();
		run_to_next_epoch(&[]);
		assert!(!accounts(&NextValidators::<Test>::get()).contains(&10));
		ProofOfTrust::force_level(&10, TrustLevel::Moderate).unwrap();
		run_to_next_epoch(&[]);
		assert!(accounts(&NextValidators::<Test>::get()).contains(&10));
	});
}

#[test]
fn an_authenticated_identity_can_be_required() {
	test(|| {
		require_identity(true);
		for who in [10, 11] {
			register_with(who, FULL_BOND);
			ProofOfTrust::force_level(&who, TrustLevel::High).unwrap();
		}
		bind_device(10, [10; 32], true);
		bind_device(11, [11; 32], false);
		// Founding validator 4 is exempt, its device or not.
		bind_device(4, [4; 32], false);
		run_to_next_epoch(&[]);
		let next = accounts(&NextValidators::<Test>::get());
		assert!(next.contains(&10) && next.contains(&4));
		assert!(!next.contains(&11));
	});
}

#[test]
fn at_most_max_validators_by_trust() {
	test(|| {
		for who in 10..20 {
			register(who);
			ProofOfTrust::force_level(&who, TrustLevel::Moderate).unwrap();
		}
		// At most two newcomers per epoch: six places take three epochs.
		for _ in 0..4 {
			run_to_next_epoch(&[]);
		}
		let next = NextValidators::<Test>::get();
		assert_eq!(next.len(), MAX_VALIDATORS as usize);
		let lowest = next.iter().map(|v| trust(v.account)).min().unwrap();
		for (who, _) in Candidates::<Test>::iter() {
			if !accounts(&next).contains(&who) {
				assert!(trust(who) <= lowest, "{who} left out with more trust");
			}
		}
	});
}

#[test]
fn a_set_babe_did_not_announce_is_reported_and_healed() {
	test(|| {
		run_to_next_epoch(&[]);
		NextValidators::<Test>::mutate(|set| {
			set.pop();
		});
		run_to_next_epoch(&[]);
		assert!(emitted(Event::AuthoritySetMismatch { epoch: 2 }));
		run_to_next_epoch(&[]);
		let current = Validators::<Test>::get();
		assert_eq!(babe_authorities(), babe_view(&current));
	});
}

#[test]
fn no_evidence_can_empty_the_set_or_zero_a_weight() {
	test(|| {
		for who in 10..13 {
			register(who);
			ProofOfTrust::force_level(&who, TrustLevel::Moderate).unwrap();
		}
		let mut rng = SplitMix64::new(6);
		let kinds = [
			BehaviourEvidence::Cooperated,
			BehaviourEvidence::VerificationFailed,
			BehaviourEvidence::Equivocation,
			BehaviourEvidence::Offence,
			BehaviourEvidence::Conspiracy,
		];
		for _ in 0..12 {
			for _ in 0..6 {
				let who = [1, 2, 3, 4, 10, 11, 12][(rng.next_u64() % 7) as usize];
				let kind = kinds[(rng.next_u64() % kinds.len() as u64) as usize];
				assert_ok!(ProofOfTrust::report_behaviour(RuntimeOrigin::root(), who, kind));
			}
			// Some validators go silent, but one of the current set and one of the announced set
			// stay online (with all of them silent no block could be made at all).
			let online =
				[Validators::<Test>::get()[0].account, NextValidators::<Test>::get()[0].account];
			let offline: Vec<AccountId> = [1, 2, 3, 4, 10, 11, 12]
				.into_iter()
				.filter(|a| rng.next_u64().is_multiple_of(5) && !online.contains(a))
				.collect();
			run_to_next_epoch(&offline);
			run_slots(1, &offline);
			for set in [babe_authorities(), babe_next_authorities()] {
				assert!(!set.is_empty());
				assert!(set.iter().all(|(_, w)| *w >= 1));
			}
			assert!(!grandpa_authorities().is_empty());
			assert!(grandpa_authorities().iter().all(|(_, w)| *w >= 1));
			ProofOfTrust::do_try_state().unwrap();
		}
	});
}

/// A BABE key for the `sanitize_authorities` tests (not a real key pair: never used to sign).
fn raw_babe_key(n: u8) -> BabeId {
	use sp_core::{crypto::UncheckedFrom, sr25519};
	BabeId::from(sr25519::Public::unchecked_from([n; 32]))
}

#[test]
fn zero_weights_are_clamped_to_one() {
	let out = sanitize_authorities(vec![(raw_babe_key(1), 0), (raw_babe_key(2), 7)], 10)
		.expect("non-empty");
	assert_eq!(out, vec![(raw_babe_key(1), 1), (raw_babe_key(2), 7)]);
}

#[test]
fn duplicates_are_dropped_first_wins() {
	let out = sanitize_authorities(
		vec![(raw_babe_key(1), 3), (raw_babe_key(1), 9), (raw_babe_key(2), 1)],
		10,
	)
	.expect("non-empty");
	assert_eq!(out, vec![(raw_babe_key(1), 3), (raw_babe_key(2), 1)]);
}

#[test]
fn set_is_truncated_to_max() {
	let proposed = (0..5).map(|n| (raw_babe_key(n), 1)).collect();
	assert_eq!(sanitize_authorities(proposed, 3).map(|v| v.len()), Some(3));
}

#[test]
fn empty_proposal_is_rejected() {
	assert_eq!(sanitize_authorities(vec![], 10), None);
}
