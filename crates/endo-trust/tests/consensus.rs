//! Consensus maths (issue #6): the primary threshold is BABE's to the bit, the selection keeps
//! its invariants for any input, the secondary-slot reduction is the node's, and simulated
//! primary-slot shares follow the weights.

use endo_trust::clonal::{RandomSource, SplitMix64};
use endo_trust::consensus::{
	authority_weight, primary_threshold, secondary_slot_index, select_authorities, Candidate,
	NoSelection, PROBATION_WEIGHT, WEIGHT_SCALE,
};
use num_bigint::BigUint;
use proptest::prelude::*;
use sp_arithmetic::Perbill;

/// `sc_consensus_babe::authorship::calculate_primary_threshold` (sc-consensus-babe 0.60.0,
/// `src/authorship.rs`), transcribed line by line, `assert!`/`expect` included.
fn node_threshold(c: (u64, u64), weights: &[u64], authority_index: usize) -> u128 {
	use num_bigint::BigUint;
	use num_rational::BigRational;
	use num_traits::{cast::ToPrimitive, identities::One};

	if c.1 == 0 || authority_index >= weights.len() {
		return 0;
	}
	let c = c.0 as f64 / c.1 as f64;
	let theta = weights[authority_index] as f64 / weights.iter().sum::<u64>() as f64;
	assert!(theta > 0.0, "authority with weight 0.");
	let p = BigRational::from_float(1f64 - (1f64 - c).powf(theta)).expect("finite");
	let numer = p.numer().to_biguint().expect("non-negative");
	let denom = p.denom().to_biguint().expect("non-negative");
	((BigUint::one() << 128usize) * numer / denom).to_u128().expect("below 2^128")
}

fn weights_strategy() -> impl Strategy<Value = Vec<u64>> {
	prop::collection::vec(1u64..=WEIGHT_SCALE, 1..40)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2_000))]

	#[test]
	fn threshold_is_the_nodes_bit_for_bit(
		weights in weights_strategy(),
		num in 1u64..=8,
		// c < 1: at c = 1 the node's own computation overflows and panics.
		den_extra in 1u64..=32,
		pick in any::<prop::sample::Index>(),
	) {
		let c = (num, num + den_extra);
		let i = pick.index(weights.len());
		prop_assert_eq!(primary_threshold(c, &weights, i), node_threshold(c, &weights, i));
	}

	#[test]
	fn selection_invariants(
		raw in prop::collection::vec((0u32..=1_000_000_000, any::<bool>(), any::<bool>()), 0..60),
		max in 1u32..=40,
		min in 0u32..=5,
	) {
		let candidates: Vec<Candidate> = raw
			.iter()
			.map(|(t, eligible, live)| Candidate {
				trust: Perbill::from_parts(*t),
				eligible: *eligible,
				live: *live,
			})
			.collect();
		match select_authorities(&candidates, max, min) {
			Ok(set) => {
				prop_assert!(!set.is_empty());
				prop_assert!(set.len() >= min.max(1) as usize);
				prop_assert!(set.len() <= max as usize);
				let mut seen = std::collections::BTreeSet::new();
				let mut live = 0u128;
				let mut total = 0u128;
				for (i, w) in &set {
					let c = candidates[*i];
					prop_assert!(seen.insert(*i), "index twice");
					prop_assert!(c.eligible);
					prop_assert!(*w >= 1);
					let expected = if c.live { authority_weight(c.trust) } else { PROBATION_WEIGHT };
					prop_assert_eq!(*w, expected);
					total += u128::from(*w);
					if c.live { live += u128::from(*w); }
				}
				prop_assert!(3 * live > 2 * total, "live weight {} of {}", live, total);
				// Sorted by trust, descending.
				prop_assert!(set.windows(2).all(|p| candidates[p[0].0].trust >= candidates[p[1].0].trust));
				// Every live eligible candidate trusted more than the last member was taken.
				let last = candidates[set[set.len() - 1].0].trust;
				let taken_live = set.iter().filter(|(i, _)| candidates[*i].live).count();
				let better_live = candidates.iter().filter(|c| c.eligible && c.live && c.trust > last).count();
				prop_assert!(taken_live >= better_live.min(max as usize));
			}
			Err(NoSelection::NoneLive) => {
				// Among the top `max` eligible candidates, none is live.
				let mut eligible: Vec<_> = candidates.iter().filter(|c| c.eligible).collect();
				eligible.sort_by_key(|c| core::cmp::Reverse(c.trust));
				eligible.truncate(max as usize);
				prop_assert!(eligible.len() >= min.max(1) as usize);
				prop_assert!(eligible.iter().all(|c| !c.live));
			}
			Err(NoSelection::TooFewEligible) => {}
		}
	}

	#[test]
	fn secondary_index_matches_big_integer_modulo(hash in any::<[u8; 32]>(), n in 1u32..=1_000) {
		let expected = BigUint::from_bytes_be(&hash) % BigUint::from(n);
		let expected: u32 = expected.try_into().expect("below n");
		prop_assert_eq!(secondary_slot_index(&hash, n), Some(expected));
	}

	#[test]
	fn weight_is_monotone_and_positive(a in 0u32..=1_000_000_000, b in 0u32..=1_000_000_000) {
		let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
		let (wl, wh) = (authority_weight(Perbill::from_parts(lo)), authority_weight(Perbill::from_parts(hi)));
		prop_assert!(wl >= 1 && wl <= wh && wh <= WEIGHT_SCALE);
	}
}

/// Simulated uniform VRF outputs against BABE's threshold: the primary-slot share of each
/// authority is `p_i / sum p` within 4 standard deviations, and that is within 0.01 of its
/// weight share `w_i / sum w` for c = 1/4 (BABE's `1 - (1 - c)^theta` is concave, which favours
/// light authorities slightly).
#[test]
fn primary_shares_follow_weights() {
	let c = (1, 4);
	let weights = [950_000u64, 800_000, 650_000, 500_000];
	let total_weight: u64 = weights.iter().sum();
	let thresholds: Vec<u128> =
		(0..weights.len()).map(|i| primary_threshold(c, &weights, i)).collect();
	let mut rng = SplitMix64::new(0x5eed);
	let slots = 400_000;
	let mut wins = [0u64; 4];
	for _ in 0..slots {
		for (i, t) in thresholds.iter().enumerate() {
			let v = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
			if v < *t {
				wins[i] += 1;
			}
		}
	}
	let all: u64 = wins.iter().sum();
	let p: Vec<f64> = thresholds.iter().map(|t| *t as f64 / 2f64.powi(128)).collect();
	let p_sum: f64 = p.iter().sum();
	for i in 0..weights.len() {
		let share = wins[i] as f64 / all as f64;
		let expected = p[i] / p_sum;
		let sigma = (expected * (1.0 - expected) / all as f64).sqrt();
		let theta = weights[i] as f64 / total_weight as f64;
		assert!((share - expected).abs() < 4.0 * sigma, "{i}: {share} vs {expected}");
		assert!((expected - theta).abs() < 0.01, "{i}: {expected} vs weight share {theta}");
	}
}
