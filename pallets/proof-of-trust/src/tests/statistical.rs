//! Statistical test: BABE's own primary-slot threshold (`sc_consensus_babe`'s
//! `calculate_primary_threshold`, reproduced bit for bit by
//! `endo_trust::consensus::primary_threshold` and checked against a line-by-line copy in
//! `crates/endo-trust/tests/consensus.rs`) applied to the weights pallet-babe holds after the
//! epoch changes, with simulated uniform VRF outputs: each authority's share of primary-slot
//! claims follows its weight share.
//!
//! Stated tolerance: the share of authority `i` is within 4 standard deviations of
//! `p_i / sum p` (`p_i = 1 - (1 - c)^(w_i / sum w)`, what BABE actually promises), and within
//! `0.01 + 4 sigma` of the weight share `w_i / sum w` (for `c = 1/4` the concavity of `p`
//! shifts shares towards light authorities by less than 0.01 for these weights).

use super::*;
use endo_trust::clonal::{RandomSource, SplitMix64};
use endo_trust::consensus::primary_threshold;

#[test]
fn primary_slot_shares_follow_the_enacted_weights() {
	test_with(&[(1, 40), (2, 8), (3, 2), (4, 0)], || {
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		let authorities = babe_authorities();
		let weights: Vec<u64> = authorities.iter().map(|(_, w)| *w).collect();
		let max = *weights.iter().max().unwrap();
		let min = *weights.iter().min().unwrap();
		assert!(max as f64 > 1.5 * min as f64, "unequal trust gives unequal weights: {weights:?}");
		let c = pallet_babe::EpochConfig::<Test>::get().unwrap().c;
		assert_eq!(c, C);
		let thresholds: Vec<u128> =
			(0..weights.len()).map(|i| primary_threshold(c, &weights, i)).collect();

		let slots = 300_000u64;
		let mut rng = SplitMix64::new(0xbabe);
		let mut claims = vec![0u64; weights.len()];
		for _ in 0..slots {
			for (i, threshold) in thresholds.iter().enumerate() {
				// A uniform VRF output: its first 16 bytes read little-endian, as the node does.
				let output = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
				if output < *threshold {
					claims[i] += 1;
				}
			}
		}
		let total_claims: u64 = claims.iter().sum();
		let total_weight: u64 = weights.iter().sum();
		let p: Vec<f64> = thresholds.iter().map(|t| *t as f64 / 2f64.powi(128)).collect();
		let p_sum: f64 = p.iter().sum();
		// Concavity: sum p_i >= c, with equality only for a single authority.
		assert!((0.25..0.28).contains(&p_sum), "sum of primary probabilities {p_sum}");
		for i in 0..weights.len() {
			let share = claims[i] as f64 / total_claims as f64;
			let expected = p[i] / p_sum;
			let sigma = (expected * (1.0 - expected) / total_claims as f64).sqrt();
			let weight_share = weights[i] as f64 / total_weight as f64;
			println!(
				"authority {i}: weight share {weight_share:.4}, expected share {expected:.4}, \
				 simulated share {share:.4} ({} claims)",
				claims[i]
			);
			assert!((share - expected).abs() < 4.0 * sigma, "{i}: {share} vs {expected}");
			assert!(
				(share - weight_share).abs() < 0.01 + 4.0 * sigma,
				"{i}: {share} vs weight share {weight_share}"
			);
		}
	});
}
