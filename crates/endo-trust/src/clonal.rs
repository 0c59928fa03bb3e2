//! The clonal-selection maths of the improved clonal selection algorithm based on federated
//! learning (paper 000, sec. 4, Fig. 3, Algorithm 1), in fixed point and deterministic given the
//! random source passed in.
//!
//! # Formulas
//!
//! * **Affinity** (sec. 4: "the affinity refers to the accuracy of the local model to defend
//!   against attacks"): `affinity = correct / total` on the test data. [`affinity`].
//! * **Distance and diversity** (sec. 4: "the diversity refers to the similarity between
//!   multiple local models"): Euclidean distance `||P_i - P_j||` between parameter vectors; a
//!   model's diversity is its mean distance to the other models. [`distance`], [`diversities`].
//! * **Eq. (1), Cauchy mutation** (Step 2, Algorithm 1 line 5): `P^IV = P^t + eta Cauchy(0, 1)`.
//!   The text survived intact. As in fast evolutionary programming, every parameter gets its own
//!   independent Cauchy draw, in index order. [`mutate`].
//! * **Eq. (2), eta** (Step 4, Algorithm 1 line 10), intact in the text:
//!   `eta = 1/N sum_{i,j in N} sqrt(||P_i - P_j||^2) (Rand(0,1) * 2 - 1)`. We read the sum as
//!   over ordered pairs `i != j` (the `i = j` terms are 0), with one uniform draw per term, `i`
//!   ascending then `j` ascending. `eta` may be negative; `Cauchy(0, 1)` is symmetric, so only
//!   `|eta|` matters for the mutation's spread. The text adds that eta is "inversely related to
//!   the magnitude of the affinity"; Eq. (2) does not contain the affinity, so neither do we.
//!   The initial value (Step 0) is [`ETA_INITIAL`] = 1. [`eta`].
//! * **Ranking** (Step 5, Algorithm 1 line 9: "ranks local models based on accuracy and
//!   similarity", no formula): [`rank`] orders by affinity, descending, then by diversity,
//!   descending, then by index. The tie-break order is our choice.
//!
//! # Cauchy sampling
//!
//! `Cauchy(0, 1)` by inversion: `X = tan(pi (u - 1/2))` with `u = (2k + 1) / 2^33` for 32 random
//! bits `k`, so `u` is never 0 or 1. It is computed as `X = sign(u - 1/2) cot(pi r)` with
//! `r = 1/2 - |u - 1/2|` (an exact integer), and the cotangent from the Q.62 sine and cosine of
//! [`crate::fixed`]. `|X|` is clamped to [`CAUCHY_LIMIT`] = `2^20`; `P(|X| > 2^20) ~= 6.1e-7`.
//!
//! # Randomness
//!
//! Everything random takes a [`RandomSource`]. [`SplitMix64`] (Steele, Lea and Flood 2014) is
//! provided for reproducible runs, seeded from a `u64` or 32 bytes (e.g. on-chain randomness).
//! It is not cryptographic: a runtime that needs unpredictable mutations must seed it with
//! randomness the submitter cannot choose.

extern crate alloc;
use alloc::vec::Vec;

use sp_arithmetic::Perbill;

use crate::fixed::{isqrt_u128, saturate_i64, sin_cos_q62, FRAC_BITS, PI_Q62};
use crate::{Error, Q32};

/// The initial eta of Algorithm 1 (Step 0: "sets the initial parameter eta = 1").
pub const ETA_INITIAL: Q32 = Q32::ONE;

/// The largest magnitude a Cauchy draw is clamped to: `2^20`.
pub const CAUCHY_LIMIT: Q32 = Q32::from_int(1 << 20);

/// A source of uniformly distributed 64-bit words.
pub trait RandomSource {
	/// The next 64 random bits.
	fn next_u64(&mut self) -> u64;
}

impl<R: RandomSource + ?Sized> RandomSource for &mut R {
	fn next_u64(&mut self) -> u64 {
		(**self).next_u64()
	}
}

/// The SplitMix64 generator: small, fast, deterministic, not cryptographic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
	state: u64,
}

/// The SplitMix64 output function (a bijective 64-bit mixer).
const fn mix64(mut z: u64) -> u64 {
	z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
	z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
	z ^ (z >> 31)
}

impl SplitMix64 {
	/// A generator whose state starts at `seed`.
	pub const fn new(seed: u64) -> SplitMix64 {
		SplitMix64 { state: seed }
	}

	/// A generator seeded from 32 bytes: the four little-endian words are folded with
	/// `state = mix64(state ^ word)`.
	pub fn from_seed(seed: &[u8; 32]) -> SplitMix64 {
		let mut state = 0u64;
		for chunk in seed.chunks_exact(8) {
			let mut word = [0u8; 8];
			word.copy_from_slice(chunk);
			state = mix64(state ^ u64::from_le_bytes(word));
		}
		SplitMix64 { state }
	}
}

impl RandomSource for SplitMix64 {
	fn next_u64(&mut self) -> u64 {
		self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
		mix64(self.state)
	}
}

/// A uniform draw from `[0, 1)` with 32 random bits (the top bits of one word).
pub fn uniform<R: RandomSource>(rng: &mut R) -> Q32 {
	Q32::from_bits((rng.next_u64() >> 32) as i64)
}

/// `Rand(0, 1) * 2 - 1` of Eq. (2): uniform on `[-1, 1)`, from one word.
pub fn uniform_symmetric<R: RandomSource>(rng: &mut R) -> Q32 {
	Q32::from_bits((((rng.next_u64() >> 32) as i64) << 1) - Q32::ONE.to_bits())
}

/// A `Cauchy(0, 1)` draw from one word (its top 32 bits), clamped to [`CAUCHY_LIMIT`].
pub fn cauchy<R: RandomSource>(rng: &mut R) -> Q32 {
	cauchy_from_bits((rng.next_u64() >> 32) as u32)
}

/// The inverse Cauchy CDF at `u = (2k + 1) / 2^33`: `tan(pi (u - 1/2))`, clamped to
/// [`CAUCHY_LIMIT`] (see the module docs).
pub fn cauchy_from_bits(k: u32) -> Q32 {
	let t = 2 * k as i128 + 1 - (1i128 << 32);
	// m is odd and in [1, 2^32 - 1]; r = m / 2^33 is in (0, 1/2).
	let m = (1i128 << 32) - t.abs();
	let z = (PI_Q62 * m) >> 33;
	let (sin, cos) = sin_cos_q62(z);
	// sin > 0 because z >= pi 2^29 > 0; cos >= 0 up to rounding: floor((2 num + den) / 2 den).
	let num = cos << FRAC_BITS;
	let cot = (2 * num + sin).div_euclid(2 * sin);
	let limit = CAUCHY_LIMIT.to_bits() as i128;
	let magnitude = cot.clamp(-limit, limit) as i64;
	if t < 0 {
		Q32::from_bits(-magnitude)
	} else {
		Q32::from_bits(magnitude)
	}
}

/// Eq. (1): `P^IV = P^t + eta Cauchy(0, 1)`, one draw per parameter in index order, saturating.
pub fn mutate<R: RandomSource>(antibody: &mut [Q32], eta: Q32, rng: &mut R) {
	for p in antibody.iter_mut() {
		*p = p.saturating_add(eta.saturating_mul(cauchy(rng)));
	}
}

/// Euclidean distance `||a - b||` (saturating at `Q32::MAX`).
pub fn distance(a: &[Q32], b: &[Q32]) -> Result<Q32, Error> {
	if a.len() != b.len() {
		return Err(Error::DimensionMismatch);
	}
	let mut sum: u128 = 0;
	for (x, y) in a.iter().zip(b) {
		let d = (x.to_bits() as i128 - y.to_bits() as i128).unsigned_abs();
		sum = sum.saturating_add(d.saturating_mul(d));
	}
	// sum is Q.64, its square root Q.32.
	let root = isqrt_u128(sum);
	Ok(Q32::from_bits(saturate_i64(root as i128)))
}

fn check_models<M: AsRef<[Q32]>>(models: &[M]) -> Result<(), Error> {
	let first = models.first().ok_or(Error::Empty)?.as_ref().len();
	if models.iter().all(|m| m.as_ref().len() == first) {
		Ok(())
	} else {
		Err(Error::DimensionMismatch)
	}
}

/// Eq. (2): `eta = 1/N sum_{i != j} ||P_i - P_j|| (Rand(0,1) * 2 - 1)` over ordered pairs,
/// `i` then `j` ascending, one [`uniform_symmetric`] draw per pair. One model gives 0.
pub fn eta<M: AsRef<[Q32]>, R: RandomSource>(models: &[M], rng: &mut R) -> Result<Q32, Error> {
	check_models(models)?;
	let mut sum: i128 = 0;
	for (i, a) in models.iter().enumerate() {
		for (j, b) in models.iter().enumerate() {
			if i == j {
				continue;
			}
			let d = distance(a.as_ref(), b.as_ref())?;
			let r = uniform_symmetric(rng);
			// |d| < 2^63, |r| <= 2^32: each term is below 2^95.
			sum = sum.saturating_add(d.to_bits() as i128 * r.to_bits() as i128);
		}
	}
	// sum is Q.64; divide by N and round once to Q.32: floor((2 sum + den) / (2 den)).
	let den = (models.len() as i128) << FRAC_BITS;
	let q = sum.saturating_mul(2).saturating_add(den).div_euclid(2 * den);
	Ok(Q32::from_bits(saturate_i64(q)))
}

/// The diversity of every model: its mean distance to the other models (0 for a single model).
pub fn diversities<M: AsRef<[Q32]>>(models: &[M]) -> Result<Vec<Q32>, Error> {
	check_models(models)?;
	let n = models.len();
	let mut sums = alloc::vec![0i128; n];
	for i in 0..n {
		for j in (i + 1)..n {
			let (a, b) = match (models.get(i), models.get(j)) {
				(Some(a), Some(b)) => (a.as_ref(), b.as_ref()),
				_ => return Err(Error::DimensionMismatch),
			};
			let d = distance(a, b)?.to_bits() as i128;
			if let Some(s) = sums.get_mut(i) {
				*s += d;
			}
			if let Some(s) = sums.get_mut(j) {
				*s += d;
			}
		}
	}
	let others = (n as i128 - 1).max(1);
	Ok(sums.into_iter().map(|s| Q32::from_bits(saturate_i64((s + others / 2) / others))).collect())
}

/// Affinity (sec. 4): the accuracy `correct / total` of a model on the test data, rounded down.
pub fn affinity(correct: u32, total: u32) -> Result<Perbill, Error> {
	if total == 0 {
		return Err(Error::Empty);
	}
	if correct > total {
		return Err(Error::CountExceedsTotal);
	}
	Ok(Perbill::from_parts((correct as u64 * 1_000_000_000 / total as u64) as u32))
}

/// A local model as the server ranks it (Step 5).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Candidate {
	/// Its accuracy against the antigens ([`affinity`]).
	pub affinity: Perbill,
	/// Its mean distance to the other models ([`diversities`]).
	pub diversity: Q32,
}

/// Indices of `candidates` by affinity (descending), then diversity (descending), then index.
/// The first `k` are the models to aggregate or clone (Algorithm 1 lines 11 and 14).
pub fn rank(candidates: &[Candidate]) -> Vec<usize> {
	let mut order: Vec<usize> = (0..candidates.len()).collect();
	order.sort_by(|&a, &b| match (candidates.get(a), candidates.get(b)) {
		(Some(x), Some(y)) => {
			y.affinity.cmp(&x.affinity).then(y.diversity.cmp(&x.diversity)).then(a.cmp(&b))
		}
		_ => a.cmp(&b),
	});
	order
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	#[test]
	fn splitmix64_known_answers() {
		// Reference outputs of Vigna's splitmix64.c for seed 1234567.
		let mut rng = SplitMix64::new(1_234_567);
		let expected = [
			6_457_827_717_110_365_317u64,
			3_203_168_211_198_807_973,
			9_817_491_932_198_370_423,
			4_593_380_528_125_082_431,
			16_408_922_859_458_223_821,
		];
		for e in expected {
			assert_eq!(rng.next_u64(), e);
		}
		let a = SplitMix64::from_seed(&[7u8; 32]);
		let mut b_seed = [7u8; 32];
		b_seed[31] = 8;
		assert_ne!(a, SplitMix64::from_seed(&b_seed));
	}

	#[test]
	fn uniform_ranges() {
		let mut rng = SplitMix64::new(42);
		for _ in 0..10_000 {
			let u = uniform(&mut rng);
			assert!(u >= Q32::ZERO && u < Q32::ONE);
			let s = uniform_symmetric(&mut rng);
			assert!(s >= Q32::ONE.saturating_neg() && s < Q32::ONE);
		}
	}

	#[test]
	fn cauchy_quantiles() {
		// u = 1/2 +- 2^-33: X ~= +-pi 2^-33 = +-1.57 units, which rounds to +-2 units.
		assert_eq!(cauchy_from_bits(1 << 31).to_bits(), 2);
		assert_eq!(cauchy_from_bits((1 << 31) - 1).to_bits(), -2);
		// u ~= 3/4 gives 1, u ~= 1/4 gives -1.
		let q3 = cauchy_from_bits(3 << 30);
		let q1 = cauchy_from_bits(1 << 30);
		assert!((q3.to_bits() - Q32::ONE.to_bits()).abs() < 16, "{q3:?}");
		assert!((q1.to_bits() + Q32::ONE.to_bits()).abs() < 16, "{q1:?}");
		// The tails are clamped.
		assert_eq!(cauchy_from_bits(u32::MAX), CAUCHY_LIMIT);
		assert_eq!(cauchy_from_bits(0), CAUCHY_LIMIT.saturating_neg());
		// Monotone in k.
		let mut previous = Q32::MIN;
		let mut k: u32 = 0;
		while let Some(next) = k.checked_add(0x0001_2345) {
			let x = cauchy_from_bits(k);
			assert!(x >= previous, "not monotone at {k}");
			previous = x;
			k = next;
		}
	}

	#[test]
	fn cauchy_draws_have_the_right_spread() {
		// P(|X| < 1) = 1/2 and P(|X| < tan(0.45 pi)) = 0.9 for Cauchy(0, 1).
		let mut rng = SplitMix64::new(7);
		let n = 20_000;
		let tan_045pi =
			Q32::from_rational(631_375_151_467_504, 100_000_000_000_000).unwrap_or(Q32::ZERO);
		let (mut inner, mut ninety) = (0, 0);
		for _ in 0..n {
			let x = cauchy(&mut rng).saturating_abs();
			inner += (x < Q32::ONE) as u32;
			ninety += (x < tan_045pi) as u32;
		}
		assert!(inner.abs_diff(n / 2) < 400, "{inner}");
		assert!(ninety.abs_diff(n * 9 / 10) < 250, "{ninety}");
	}

	#[test]
	fn distance_and_diversity() {
		let q = Q32::from_int;
		let a = [q(0), q(0)];
		let b = [q(3), q(4)];
		assert_eq!(distance(&a, &b), Ok(q(5)));
		assert_eq!(distance(&a, &[q(1)]), Err(Error::DimensionMismatch));
		assert_eq!(distance(&[Q32::MAX], &[Q32::MIN]), Ok(Q32::MAX));
		let c = [q(6), q(8)];
		// distances: ab = 5, ac = 10, bc = 5
		let d = diversities(&[&a[..], &b[..], &c[..]]).expect("same dimensions; qed");
		assert_eq!(
			d,
			vec![
				Q32::from_rational(15, 2).unwrap_or(Q32::ZERO),
				q(5),
				Q32::from_rational(15, 2).unwrap_or(Q32::ZERO)
			]
		);
		assert_eq!(diversities(&[&a[..]]), Ok(vec![q(0)]));
		let empty: [&[Q32]; 0] = [];
		assert_eq!(diversities(&empty), Err(Error::Empty));
	}

	#[test]
	fn eta_follows_eq_2() {
		let q = Q32::from_int;
		let models = [vec![q(0), q(0)], vec![q(3), q(4)]];
		// Two ordered pairs, both at distance 5: eta = (5 r1 + 5 r2) / 2.
		let mut rng = SplitMix64::new(99);
		let got = eta(&models, &mut rng).expect("same dimensions; qed");
		let mut replay = SplitMix64::new(99);
		let r1 = uniform_symmetric(&mut replay);
		let r2 = uniform_symmetric(&mut replay);
		let expected = q(5).saturating_mul(r1.saturating_add(r2)).to_bits() / 2;
		assert!((got.to_bits() - expected).abs() <= 2, "{got:?} vs {expected}");
		assert!(got.saturating_abs() <= q(5));
		// Same seed, same eta.
		assert_eq!(eta(&models, &mut SplitMix64::new(99)), Ok(got));
		// One model: no pairs.
		assert_eq!(eta(&models[..1], &mut rng), Ok(Q32::ZERO));
		// Identical models: zero distance.
		assert_eq!(eta(&[vec![q(1)], vec![q(1)], vec![q(1)]], &mut rng), Ok(Q32::ZERO));
		assert_eq!(eta(&[vec![q(1)], vec![q(1), q(2)]], &mut rng), Err(Error::DimensionMismatch));
	}

	#[test]
	fn mutation_is_deterministic_and_scaled_by_eta() {
		let base = vec![Q32::ONE; 64];
		let mut a = base.clone();
		let mut b = base.clone();
		mutate(&mut a, ETA_INITIAL, &mut SplitMix64::new(5));
		mutate(&mut b, ETA_INITIAL, &mut SplitMix64::new(5));
		assert_eq!(a, b);
		assert_ne!(a, base);
		let mut zero = base.clone();
		mutate(&mut zero, Q32::ZERO, &mut SplitMix64::new(5));
		assert_eq!(zero, base);
		// eta = 1/2 halves every displacement (up to one unit of rounding).
		let mut half = base.clone();
		mutate(&mut half, Q32::HALF, &mut SplitMix64::new(5));
		for ((h, f), p) in half.iter().zip(&a).zip(&base) {
			let dh = h.to_bits() - p.to_bits();
			let df = f.to_bits() - p.to_bits();
			assert!((2 * dh - df).abs() <= 2);
		}
	}

	#[test]
	fn affinity_and_rank() {
		assert_eq!(affinity(3, 4), Ok(Perbill::from_percent(75)));
		assert_eq!(affinity(0, 4), Ok(Perbill::zero()));
		assert_eq!(affinity(4, 4), Ok(Perbill::one()));
		assert_eq!(affinity(1, 0), Err(Error::Empty));
		assert_eq!(affinity(5, 4), Err(Error::CountExceedsTotal));
		let c = |a: u32, d: i32| Candidate {
			affinity: Perbill::from_percent(a),
			diversity: Q32::from_int(d),
		};
		let ranked = rank(&[c(50, 1), c(90, 0), c(50, 3), c(90, 0), c(10, 9)]);
		assert_eq!(ranked, vec![1, 3, 2, 0, 4]);
		assert!(rank(&[]).is_empty());
	}
}
