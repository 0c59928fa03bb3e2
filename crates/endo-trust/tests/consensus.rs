//! Consensus maths (issue #6): the primary threshold is BABE's to the bit, the selection keeps
//! its invariants for any input, the secondary-slot reduction is the node's, and simulated
//! primary-slot shares follow the weights.

use endo_trust::clonal::{RandomSource, SplitMix64};
use endo_trust::consensus::{
	authority_weight, live_weight, primary_threshold, secondary_slot_index, select_authorities,
	Candidate, NoSelection, SelectionLimits, Standing, PROBATION_WEIGHT, WEIGHT_SCALE,
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
		raw in prop::collection::vec(
			(0u32..=1_000_000_000, any::<bool>(), any::<bool>(), 0u32..=1_000_000_000, 0u8..3),
			0..60,
		),
		max in 1u32..=40,
		min in 0u32..=5,
		max_newcomers in 0u32..=10,
		share in 0u32..=1_000_000_000,
	) {
		let standing = |s: u8| match s {
			0 => Standing::Veteran,
			1 => Standing::Recent,
			_ => Standing::Newcomer,
		};
		let candidates: Vec<Candidate> = raw
			.iter()
			.map(|(t, eligible, live, stake, s)| Candidate {
				trust: Perbill::from_parts(*t),
				eligible: *eligible,
				live: *live,
				stake: Perbill::from_parts(*stake),
				standing: standing(*s),
			})
			.collect();
		let recent_share = Perbill::from_parts(share);
		let limits = SelectionLimits { max, min, max_newcomers, recent_share };
		match select_authorities(&candidates, limits) {
			Ok(set) => {
				prop_assert!(!set.is_empty());
				prop_assert!(set.len() >= min.max(1) as usize);
				prop_assert!(set.len() <= max as usize);
				let mut seen = std::collections::BTreeSet::new();
				let (mut live, mut total, mut recent) = (0u128, 0u128, 0u128);
				let mut newcomers = 0u32;
				for (i, w) in &set {
					let c = candidates[*i];
					prop_assert!(seen.insert(*i), "index twice");
					prop_assert!(c.eligible);
					prop_assert!(*w >= 1);
					let full = if c.live { live_weight(c.trust, c.stake) } else { PROBATION_WEIGHT };
					if c.standing.is_recent() {
						// Recent weights are only ever cut.
						prop_assert!(*w <= full);
						recent += u128::from(*w);
					} else {
						prop_assert_eq!(*w, full);
					}
					newcomers += u32::from(c.standing == Standing::Newcomer);
					total += u128::from(*w);
					if c.live { live += u128::from(*w); }
				}
				prop_assert!(3 * live > 2 * total, "live weight {} of {}", live, total);
				prop_assert!(newcomers <= max_newcomers);
				// The cap on recent admissions, whatever their number.
				prop_assert!(
					recent == 0 || recent * 1_000_000_000 < u128::from(share) * total,
					"recent weight {} of {} at share {}", recent, total, share
				);
				// Sorted by trust, descending.
				prop_assert!(set.windows(2).all(|p| candidates[p[0].0].trust >= candidates[p[1].0].trust));
				// Every live eligible veteran trusted more than the last member was taken
				// (recent members may be dropped by the cap, veterans only by `max`).
				let last = candidates[set[set.len() - 1].0].trust;
				let taken = set.iter().filter(|(i, _)| {
					let c = candidates[*i];
					c.live && !c.standing.is_recent()
				}).count();
				let better = candidates.iter().filter(|c| {
					c.eligible && c.live && !c.standing.is_recent() && c.trust > last
				}).count();
				prop_assert!(taken >= better.min(max as usize));
			}
			Err(NoSelection::NoneLive) => {}
			Err(NoSelection::TooFewEligible) => {}
		}
	}

	/// Sybils: any number of recent candidates of any trust and stake never reach the share.
	#[test]
	fn sybils_never_reach_the_recent_share(
		veterans in prop::collection::vec(500_000_000u32..=1_000_000_000, 1..8),
		sybils in 0usize..200,
		sybil_trust in 0u32..=1_000_000_000,
	) {
		let mut candidates: Vec<Candidate> = veterans.iter().map(|t| Candidate {
			trust: Perbill::from_parts(*t), eligible: true, live: true, stake: Perbill::one(),
			standing: Standing::Veteran,
		}).collect();
		candidates.extend((0..sybils).map(|_| Candidate {
			trust: Perbill::from_parts(sybil_trust), eligible: true, live: true,
			stake: Perbill::one(), standing: Standing::Recent,
		}));
		let limits = SelectionLimits {
			max: 250, min: 1, max_newcomers: 250, recent_share: Perbill::from_percent(10),
		};
		let set = select_authorities(&candidates, limits).expect("the veterans qualify");
		let total: u64 = set.iter().map(|(_, w)| w).sum();
		let recent: u64 = set.iter().filter(|(i, _)| *i >= veterans.len()).map(|(_, w)| w).sum();
		prop_assert!(recent * 10 < total, "{} of {}", recent, total);
		prop_assert!(set.iter().filter(|(i, _)| *i < veterans.len()).count() == veterans.len());
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
