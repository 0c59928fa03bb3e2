//! Measured error of the fixed-point activations, Cauchy sampler and network inference against
//! `f64` (run with `--nocapture` to see the numbers; `docs/TRUST-MODEL.md` records them).

use endo_trust::clonal::{cauchy_from_bits, CAUCHY_LIMIT};
use endo_trust::reference::{FloatLayer, FloatModel};
use endo_trust::{Activation, Q32};

const UNIT: f64 = 1.0 / 4_294_967_296.0;

/// Max |fixed(x) - f(x)| over x = -range .. range in `steps` steps (plus both ends).
fn max_error(
	range: f64,
	steps: u32,
	fixed: impl Fn(Q32) -> Q32,
	float: impl Fn(f64) -> f64,
) -> (f64, f64) {
	let mut worst = (0.0f64, 0.0f64);
	for n in 0..=steps {
		let x = -range + 2.0 * range * n as f64 / steps as f64;
		let q = Q32::from_f64(x).expect("in range; qed");
		// Compare at the exactly representable input, so only the function's error is measured.
		let err = (fixed(q).to_f64() - float(q.to_f64())).abs();
		if err > worst.0 {
			worst = (err, q.to_f64());
		}
	}
	worst
}

#[test]
fn activation_errors() {
	let (sig, at) = max_error(40.0, 1_000_000, Q32::sigmoid, |x| 1.0 / (1.0 + (-x).exp()));
	println!("sigmoid max error {sig:.3e} ({:.2} units) at x = {at}", sig / UNIT);
	let (tanh, at) = max_error(20.0, 1_000_000, Q32::tanh, f64::tanh);
	println!("tanh    max error {tanh:.3e} ({:.2} units) at x = {at}", tanh / UNIT);
	let (exp, at) = max_error(50.0, 1_000_000, Q32::exp_neg_abs, |x| (-x.abs()).exp());
	println!("exp(-|x|) max error {exp:.3e} ({:.2} units) at x = {at}", exp / UNIT);
	// One unit of 2^-32 for the rounding of the result plus the Q.62 internals.
	assert!(sig <= UNIT, "sigmoid error {sig}");
	assert!(tanh <= UNIT, "tanh error {tanh}");
	assert!(exp <= UNIT, "exp error {exp}");
}

#[test]
fn cauchy_inverse_cdf_error() {
	let mut worst_abs = 0.0f64;
	let mut worst_rel = 0.0f64;
	let limit = CAUCHY_LIMIT.to_f64();
	let mut k: u64 = 0;
	while k <= u32::MAX as u64 {
		let u = (2.0 * k as f64 + 1.0) / 8_589_934_592.0;
		let exact = (std::f64::consts::PI * (u - 0.5)).tan().clamp(-limit, limit);
		let got = cauchy_from_bits(k as u32).to_f64();
		let abs = (got - exact).abs();
		if exact.abs() > 1.0 {
			worst_rel = worst_rel.max(abs / exact.abs());
		} else {
			worst_abs = worst_abs.max(abs);
		}
		k += 65_537;
	}
	// f64's tan near pi/2 is itself only accurate to ~1e-16 relative in its argument, which is
	// ~1e-7 relative in the result at the clamp; so compare relatively.
	println!(
		"cauchy: max error {worst_abs:.3e} absolute where |X| <= 1, {worst_rel:.3e} relative elsewhere"
	);
	assert!(worst_abs <= 2.0 * UNIT, "cauchy absolute error {worst_abs}");
	assert!(worst_rel < 1e-6, "cauchy relative error {worst_rel}");
}

/// A deterministic pseudo-random f64 in [-a, a] (not Q32-representable in general).
fn lcg(state: &mut u64, a: f64) -> f64 {
	*state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
	((*state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * a
}

fn random_layer(state: &mut u64, inputs: usize, outputs: usize, act: Activation) -> FloatLayer {
	FloatLayer {
		inputs,
		outputs,
		activation: act,
		weights: (0..inputs * outputs).map(|_| lcg(state, 2.0)).collect(),
		biases: (0..outputs).map(|_| lcg(state, 1.0)).collect(),
	}
}

/// The export path of `endo-ml`: an f64 model (standing for burn's f32 weights), rounded to
/// Q32.32, run in fixed point, compared with the f64 model on the original weights.
#[test]
fn exported_11_8_8_1_network_matches_float() {
	let mut state = 0x5EED_u64;
	let mut worst = 0.0f64;
	let mut worst_same_weights = 0.0f64;
	for (h1, h2) in [
		(Activation::Relu, Activation::Relu),
		(Activation::Sigmoid, Activation::Tanh),
		(Activation::Tanh, Activation::Relu),
	] {
		for _ in 0..50 {
			let float = FloatModel {
				input_norm: (0..11)
					.map(|_| (lcg(&mut state, 50.0), lcg(&mut state, 1.0).abs() + 0.01))
					.collect(),
				layers: vec![
					random_layer(&mut state, 11, 8, h1),
					random_layer(&mut state, 8, 8, h2),
					random_layer(&mut state, 8, 1, Activation::Sigmoid),
				],
			};
			let fixed = float.to_fixed().expect("representable; qed");
			let rounded = fixed.to_float();
			for _ in 0..100 {
				let x: Vec<f64> = (0..11).map(|_| lcg(&mut state, 100.0)).collect();
				let xq: Vec<Q32> =
					x.iter().map(|v| Q32::from_f64(*v).expect("in range; qed")).collect();
				let want = float.infer(&x).expect("shape; qed")[0];
				let got = fixed.infer(&xq).expect("shape; qed").as_slice()[0].to_f64();
				worst = worst.max((want - got).abs());
				let xr: Vec<f64> = xq.iter().map(|q| q.to_f64()).collect();
				let same = rounded.infer(&xr).expect("shape; qed")[0];
				worst_same_weights = worst_same_weights.max((same - got).abs());
			}
		}
	}
	println!("11-8-8-1 exported network: max |fixed - f64| = {worst:.3e} over 15 000 inferences");
	println!(
		"11-8-8-1, same (rounded) weights and inputs on both sides: max |fixed - f64| = \
		 {worst_same_weights:.3e}"
	);
	assert!(worst < 1e-6, "inference error {worst}");
	assert!(worst_same_weights < 1e-8, "arithmetic error {worst_same_weights}");
}
