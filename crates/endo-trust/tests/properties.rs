//! Property tests of the trust maths (issue #4): trust stays in [0, 1], more good evidence never
//! lowers it, one bad event costs more than one good event gains (where the penalty guarantees
//! it), and the network's output is bounded.

use endo_trust::clonal::{self, SplitMix64};
use endo_trust::{Activation, Evidence, Layer, Thresholds, TrustModel, TrustParams, Q32};
use proptest::prelude::*;
use sp_arithmetic::{FixedU64, Perbill};

/// Exact `(s + 1) / (s + lambda f + 2)` as a rational, for comparisons without rounding.
fn exact(good: u64, bad: u64, lambda_inner: u64) -> (u128, u128) {
	let unit = 1_000_000u128;
	let g = good as u128 * unit;
	let wb = bad as u128 * unit * lambda_inner as u128 / 1_000_000_000;
	(g + unit, g + wb + 2 * unit)
}

fn params(lambda_milli: u32, retention: u32, weight: u32) -> TrustParams {
	TrustParams::new(
		FixedU64::from_rational(lambda_milli as u128, 1_000),
		Perbill::from_parts(retention),
		Perbill::from_parts(weight),
		Thresholds::default(),
	)
	.expect("penalty in [1, 1000]; qed")
}

fn layer_strategy(inputs: usize, outputs: usize) -> impl Strategy<Value = Layer> {
	(
		prop::collection::vec(-(8i64 << 32)..(8i64 << 32), inputs * outputs),
		prop::collection::vec(-(8i64 << 32)..(8i64 << 32), outputs),
		prop_oneof![
			Just(Activation::Identity),
			Just(Activation::Relu),
			Just(Activation::Sigmoid),
			Just(Activation::Tanh)
		],
	)
		.prop_map(move |(w, b, act)| {
			Layer::new(
				inputs,
				outputs,
				act,
				w.into_iter().map(Q32::from_bits).collect(),
				b.into_iter().map(Q32::from_bits).collect(),
			)
			.expect("generated within bounds; qed")
		})
}

/// A random 11-8-8-1 network whose last activation is `last`.
fn trust_network(last: Activation) -> impl Strategy<Value = TrustModel> {
	(layer_strategy(11, 8), layer_strategy(8, 8), layer_strategy(8, 1)).prop_map(
		move |(a, b, c)| {
			let c = Layer::new(8, 1, last, c.weights().to_vec(), c.biases().to_vec())
				.expect("same shape; qed");
			TrustModel::new(vec![], vec![a, b, c]).expect("consistent shapes; qed")
		},
	)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

	/// The penalised expectation equals the exact rational rounded down, so it is in [0, 1]
	/// and never 0 or 1 on finite evidence.
	#[test]
	fn trust_is_the_exact_ratio_in_unit_interval(
		good in 0u64..1_000_000_000, bad in 0u64..1_000_000_000, lambda in 1_000u32..=1_000_000,
	) {
		let p = params(lambda, 950_000_000, 500_000_000);
		let t = p.evidence_trust(&Evidence::from_events(good, bad));
		let (num, den) = exact(good, bad, p.penalty().into_inner());
		prop_assert_eq!(t.deconstruct() as u128, num * 1_000_000_000 / den);
		prop_assert!(t > Perbill::zero() && t < Perbill::one());
	}

	/// Combined trust lies between its parts, so in [0, 1].
	#[test]
	fn combined_trust_is_between_its_parts(
		id in 0u32..=1_000_000_000, be in 0u32..=1_000_000_000, w in 0u32..=1_000_000_000,
	) {
		let p = params(2_000, 950_000_000, w);
		let (i, b) = (Perbill::from_parts(id), Perbill::from_parts(be));
		let c = p.combine(i, b);
		prop_assert!(c >= i.min(b) && c <= i.max(b));
	}

	/// More good evidence never lowers behaviour trust, combined trust or the trust level.
	#[test]
	fn more_good_evidence_never_lowers_trust(
		good in 0u64..u64::MAX / 2, bad in 0u64..u64::MAX / 2, extra in 0u64..u64::MAX / 2,
		id_good in 0u64..1_000_000, id_bad in 0u64..1_000_000,
		lambda in 1_000u32..=1_000_000, w in 0u32..=1_000_000_000,
	) {
		let p = params(lambda, 950_000_000, w);
		let identity = Evidence::from_units(id_good, id_bad);
		let before = Evidence::from_units(good, bad);
		let after = Evidence::from_units(good + extra, bad);
		prop_assert!(p.evidence_trust(&after) >= p.evidence_trust(&before));
		let (t0, t1) = (p.trust(&identity, &before), p.trust(&identity, &after));
		prop_assert!(t1 >= t0);
		prop_assert!(p.level(t1) >= p.level(t0));
		// And more bad evidence never raises it.
		let worse = Evidence::from_units(good, bad + extra);
		prop_assert!(p.evidence_trust(&worse) <= p.evidence_trust(&before));
	}

	/// With lambda > 1 and at least as many good as bad events, one bad event lowers trust by
	/// more than one good event raises it (checked on the exact rationals; the rounded Perbill
	/// values keep that order up to one unit of rounding).
	#[test]
	fn one_bad_event_costs_more_than_one_good_event_gains(
		bad in 0u64..2_000, surplus in 0u64..2_000, lambda in 1_100u32..=20_000,
	) {
		let good = bad + surplus;
		let p = params(lambda, 950_000_000, 500_000_000);
		let li = p.penalty().into_inner();
		let (n0, d0) = exact(good, bad, li);
		let (ng, dg) = exact(good + 1, bad, li);
		let (nb, db) = exact(good, bad + 1, li);
		// gain = ng/dg - n0/d0, loss = n0/d0 - nb/db; compare over the common denominator.
		let den = d0 * dg * db;
		let gain = ng * d0 * db - n0 * dg * db;
		let loss = n0 * dg * db - nb * d0 * dg;
		prop_assert!(loss > gain, "loss {} gain {} (den {})", loss, gain, den);
		let t = |g, b| p.evidence_trust(&Evidence::from_events(g, b)).deconstruct();
		let (t0, tg, tb) = (t(good, bad), t(good + 1, bad), t(good, bad + 1));
		// Rounded to Perbill, the two differences can tie (or cross by one unit) when their
		// exact gap is below one part per billion, e.g. many events and a large lambda.
		prop_assert!(t0 - tb + 1 >= tg - t0, "rounded: loss {} gain {}", t0 - tb, tg - t0);
	}

	/// Decay never adds evidence and composes: two single epochs equal one double epoch up
	/// to one unit of rounding per count.
	#[test]
	fn decay_shrinks_and_composes(
		good in 0u64..u64::MAX, bad in 0u64..u64::MAX, retention in 0u32..=1_000_000_000,
	) {
		let r = Perbill::from_parts(retention);
		let start = Evidence::from_units(good, bad);
		let mut twice = start;
		twice.decay(r, 1);
		prop_assert!(twice.good_units() <= good && twice.bad_units() <= bad);
		twice.decay(r, 1);
		let mut once = start;
		once.decay(r, 2);
		// The Q.63 factor carries rounding of up to a few 2^-63; with counts up to 2^64 that is
		// a few units.
		prop_assert!(once.good_units().abs_diff(twice.good_units()) <= 4);
		prop_assert!(once.bad_units().abs_diff(twice.bad_units()) <= 4);
	}

	/// A sigmoid (tanh) output layer keeps the network's raw output in [0, 1] ([-1, 1]) for any
	/// weights and inputs, and `evaluate_trust` gives the same value as a Perbill.
	#[test]
	fn network_output_is_bounded(
		sig in trust_network(Activation::Sigmoid),
		tanh in trust_network(Activation::Tanh),
		input in prop::collection::vec(any::<i64>(), 11),
	) {
		let x: Vec<Q32> = input.into_iter().map(Q32::from_bits).collect();
		let y = sig.infer(&x).expect("shape matches; qed");
		prop_assert_eq!(y.as_slice().len(), 1);
		prop_assert!(y.as_slice()[0] >= Q32::ZERO && y.as_slice()[0] <= Q32::ONE);
		let features: [Q32; 11] = x.clone().try_into().expect("eleven inputs; qed");
		prop_assert_eq!(sig.evaluate_trust(&features), Ok(y.as_slice()[0].to_perbill()));
		let y = tanh.infer(&x).expect("shape matches; qed");
		prop_assert!(y.as_slice()[0] >= Q32::ONE.saturating_neg() && y.as_slice()[0] <= Q32::ONE);
	}

	/// Fixed-point inference agrees with the f64 reference of the same weights.
	#[test]
	fn fixed_point_matches_float_reference(
		m in trust_network(Activation::Sigmoid),
		input in prop::collection::vec(-(4i64 << 32)..(4i64 << 32), 11),
	) {
		let x: Vec<Q32> = input.into_iter().map(Q32::from_bits).collect();
		let fixed = m.infer(&x).expect("shape matches; qed").as_slice()[0].to_f64();
		let xf: Vec<f64> = x.iter().map(|q| q.to_f64()).collect();
		let float = m.to_float().infer(&xf).expect("shape matches; qed")[0];
		prop_assert!((fixed - float).abs() < 1e-6, "fixed {} float {}", fixed, float);
	}

	/// Any byte string either decodes to a valid model or is rejected; never a panic.
	#[test]
	fn arbitrary_blobs_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2_048)) {
		if let Ok(m) = TrustModel::decode_checked(&bytes) {
			prop_assert!(m.validate().is_ok());
		}
	}

	/// Eq. (1) mutation moves every parameter by eta times a clamped Cauchy draw.
	#[test]
	fn mutation_is_bounded_by_eta_times_limit(
		seed in any::<u64>(), eta_bits in -(4i64 << 32)..(4i64 << 32),
	) {
		let eta = Q32::from_bits(eta_bits);
		let base = vec![Q32::ZERO; 16];
		let mut m = base.clone();
		clonal::mutate(&mut m, eta, &mut SplitMix64::new(seed));
		let bound = eta.saturating_abs().saturating_mul(clonal::CAUCHY_LIMIT);
		for p in m {
			prop_assert!(p.saturating_abs() <= bound.saturating_add(Q32::from_bits(1)));
		}
	}
}
