//! `Q32`: signed Q32.32 fixed point, and the deterministic transcendental functions the
//! network and the clonal-selection maths need.
//!
//! # Format
//!
//! A [`Q32`] is an `i64` holding `value * 2^32`: 31 integer bits, 32 fraction bits and a sign.
//! Range `[-2^31, 2^31 - 2^-32]`, resolution `2^-32 ~= 2.3e-10`. Every operation is integer-only,
//! saturates at the range ends instead of overflowing, and rounds half-way cases up (towards
//! `+inf`), so the same inputs give the same bits on every machine, native or wasm.
//!
//! # Transcendentals
//!
//! Internally the functions below work in Q.62 (`i128` holding `value * 2^62`) and round once
//! at the end:
//!
//! * `exp(-y)`, `y >= 0`: range reduction `y = k ln 2 + r`, `0 <= r < ln 2`, then
//!   `e^-r = 1 - r(1 - r/2(1 - r/3(...)))` (Taylor, 18 terms, truncation `< r^19/19! < 1e-19`),
//!   then a right shift by `k`. Arguments `>= 44` give 0 (`e^-44 < 2^-62`).
//! * sigmoid: `1 / (1 + e^-x)` for `x >= 0` and `e^-|x| / (1 + e^-|x|)` for `x < 0`, one rounded
//!   integer division. The result is always in `[0, 1]`.
//! * tanh: `sign(x) (1 - e^-2|x|) / (1 + e^-2|x|)`. The result is always in `[-1, 1]`.
//! * sine / cosine on `[0, pi/2]`: nested Taylor series, 14 terms each.
//!
//! The maximal errors against `f64` are measured in `tests/accuracy.rs` and listed in
//! `docs/TRUST-MODEL.md`; they are at the resolution of the format (a few `2^-32`).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// Number of fraction bits of a [`Q32`].
pub const FRAC_BITS: u32 = 32;

/// Fraction bits of the internal high-precision format.
const F62: u32 = 62;
/// 1.0 in Q.62.
const ONE62: i128 = 1 << F62;
/// ln 2 in Q.62, rounded to nearest.
const LN2_Q62: i128 = 3_196_577_161_300_663_915;
/// pi in Q.62, rounded to nearest.
pub(crate) const PI_Q62: i128 = 14_488_038_916_154_245_685;
/// Above this argument (in Q.32 bits) `exp(-y)` is below `2^-62` and returns 0.
const EXP_ZERO_ABOVE: u128 = 44 << FRAC_BITS;
/// Taylor terms for `exp(-r)` on `[0, ln 2)`.
const EXP_TERMS: i128 = 18;
/// Taylor term pairs for sine and cosine on `[0, pi/2]`.
const TRIG_TERMS: i128 = 14;
/// `Perbill` parts in one.
const BILLION: i128 = 1_000_000_000;

/// Signed Q32.32 fixed-point number (see the module docs).
///
/// SCALE-encodes as its `i64` bits (8 bytes, little endian).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Debug,
	Default,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Q32(i64);

/// Rounds `v / 2^shift` to nearest, half-way cases up.
pub(crate) fn round_shift(v: i128, shift: u32) -> i128 {
	if shift == 0 {
		v
	} else {
		v.saturating_add(1i128 << (shift - 1)) >> shift
	}
}

/// Clamps an `i128` into the `i64` range.
pub(crate) fn saturate_i64(v: i128) -> i64 {
	if v > i64::MAX as i128 {
		i64::MAX
	} else if v < i64::MIN as i128 {
		i64::MIN
	} else {
		v as i64
	}
}

/// Rounded division of non-negative numbers, half-way cases up. `den` must be positive.
fn div_round(num: i128, den: i128) -> i128 {
	(num + den / 2) / den
}

impl Q32 {
	/// 0.
	pub const ZERO: Q32 = Q32(0);
	/// 1.
	pub const ONE: Q32 = Q32(1 << FRAC_BITS);
	/// 1/2.
	pub const HALF: Q32 = Q32(1 << (FRAC_BITS - 1));
	/// The largest value, `2^31 - 2^-32`.
	pub const MAX: Q32 = Q32(i64::MAX);
	/// The smallest value, `-2^31`.
	pub const MIN: Q32 = Q32(i64::MIN);

	/// The number whose bits are `bits` (`value = bits / 2^32`).
	pub const fn from_bits(bits: i64) -> Q32 {
		Q32(bits)
	}

	/// The raw bits (`value * 2^32`).
	pub const fn to_bits(self) -> i64 {
		self.0
	}

	/// The integer `n`, exactly.
	pub const fn from_int(n: i32) -> Q32 {
		Q32((n as i64) << FRAC_BITS)
	}

	/// `num / den`, rounded to nearest and saturated; `None` if `den == 0`.
	pub fn from_rational(num: i64, den: i64) -> Option<Q32> {
		if den == 0 {
			return None;
		}
		let (num, den) =
			if den < 0 { (-(num as i128), -(den as i128)) } else { (num as i128, den as i128) };
		let scaled = num << FRAC_BITS;
		// Round half up also for negative quotients: floor((2 * scaled + den) / (2 * den)).
		let q = (2 * scaled + den).div_euclid(2 * den);
		Some(Q32(saturate_i64(q)))
	}

	/// The value of a `Perbill`, rounded to nearest.
	pub fn from_perbill(p: Perbill) -> Q32 {
		let parts = p.deconstruct() as i128;
		Q32(div_round(parts << FRAC_BITS, BILLION) as i64)
	}

	/// The value clamped to `[0, 1]` as a `Perbill`, rounded to nearest.
	pub fn to_perbill(self) -> Perbill {
		let clamped = self.0.clamp(0, Q32::ONE.0) as i128;
		Perbill::from_parts(round_shift(clamped * BILLION, FRAC_BITS) as u32)
	}

	/// `self + rhs`, saturated.
	pub const fn saturating_add(self, rhs: Q32) -> Q32 {
		Q32(self.0.saturating_add(rhs.0))
	}

	/// `self - rhs`, saturated.
	pub const fn saturating_sub(self, rhs: Q32) -> Q32 {
		Q32(self.0.saturating_sub(rhs.0))
	}

	/// `self * rhs`, rounded to nearest and saturated.
	pub fn saturating_mul(self, rhs: Q32) -> Q32 {
		Q32(saturate_i64(round_shift(self.0 as i128 * rhs.0 as i128, FRAC_BITS)))
	}

	/// `-self`, saturated (`-MIN` is `MAX`).
	pub const fn saturating_neg(self) -> Q32 {
		Q32(self.0.saturating_neg())
	}

	/// `|self|`, saturated (`|MIN|` is `MAX`).
	pub const fn saturating_abs(self) -> Q32 {
		Q32(self.0.saturating_abs())
	}

	/// `max(self, 0)`: the rectified linear unit.
	pub const fn relu(self) -> Q32 {
		if self.0 < 0 {
			Q32::ZERO
		} else {
			self
		}
	}

	/// The logistic sigmoid `1 / (1 + e^-x)`, always in `[0, 1]`.
	pub fn sigmoid(self) -> Q32 {
		let e = exp_neg_q62(self.0.unsigned_abs() as u128);
		let den = ONE62 + e;
		let num = if self.0 >= 0 { ONE62 } else { e };
		// num <= den, so the quotient is at most 2^32 (= 1.0), also after rounding.
		Q32(div_round(num << FRAC_BITS, den) as i64)
	}

	/// The hyperbolic tangent, always in `[-1, 1]`.
	pub fn tanh(self) -> Q32 {
		let e = exp_neg_q62((self.0.unsigned_abs() as u128) << 1);
		let magnitude = div_round((ONE62 - e) << FRAC_BITS, ONE62 + e) as i64;
		if self.0 < 0 {
			Q32(-magnitude)
		} else {
			Q32(magnitude)
		}
	}

	/// `e^-|self|`, in `[0, 1]`.
	pub fn exp_neg_abs(self) -> Q32 {
		let e = exp_neg_q62(self.0.unsigned_abs() as u128);
		Q32(round_shift(e, F62 - FRAC_BITS) as i64)
	}

	/// The value as an `f64` (exact: every `Q32` is an `f64` up to rounding of 64 to 53 bits).
	#[cfg(feature = "std")]
	pub fn to_f64(self) -> f64 {
		self.0 as f64 / (1u64 << FRAC_BITS) as f64
	}

	/// The nearest `Q32` to `x`; `Err(NotRepresentable)` for NaN, infinities and values outside
	/// `[-2^31, 2^31)`.
	#[cfg(feature = "std")]
	pub fn from_f64(x: f64) -> Result<Q32, crate::Error> {
		let scaled = (x * (1u64 << FRAC_BITS) as f64).round();
		// 2^63 is exactly representable; anything at or above it does not fit.
		const LIMIT: f64 = 9_223_372_036_854_775_808.0;
		if !(-LIMIT..LIMIT).contains(&scaled) {
			return Err(crate::Error::NotRepresentable);
		}
		Ok(Q32(scaled as i64))
	}
}

/// `e^-y` in Q.62 for `y >= 0` given in Q.32 bits (see the module docs).
fn exp_neg_q62(y_q32: u128) -> i128 {
	if y_q32 >= EXP_ZERO_ABOVE {
		return 0;
	}
	// y < 44, so y in Q.62 is below 2^68.
	let y62 = (y_q32 as i128) << (F62 - FRAC_BITS);
	let k = y62 / LN2_Q62;
	let r = y62 - k * LN2_Q62;
	let mut acc = ONE62;
	let mut n = EXP_TERMS;
	while n >= 1 {
		// r < 0.7 and 0 < acc <= 1: the product stays below 2^124.
		acc = ONE62 - ((r * acc) >> F62) / n;
		n -= 1;
	}
	// k <= 63 since y < 44.
	acc >> k
}

/// Sine and cosine of `z` (Q.62, `0 <= z <= pi/2`) in Q.62.
pub(crate) fn sin_cos_q62(z: i128) -> (i128, i128) {
	let z2 = (z * z) >> F62;
	let mut s = ONE62;
	let mut c = ONE62;
	let mut n = TRIG_TERMS;
	while n >= 1 {
		// |z2| < 2.47 and |s|, |c| <= 1.3: the products stay below 2^125.
		s = ONE62 - ((z2 * s) >> F62) / ((2 * n) * (2 * n + 1));
		c = ONE62 - ((z2 * c) >> F62) / ((2 * n - 1) * (2 * n));
		n -= 1;
	}
	((z * s) >> F62, c)
}

/// Floor of the square root of `n`.
pub(crate) fn isqrt_u128(n: u128) -> u128 {
	let mut op = n;
	let mut res: u128 = 0;
	let mut one: u128 = 1 << 126;
	while one > op {
		one >>= 2;
	}
	while one != 0 {
		if op >= res + one {
			op -= res + one;
			res = (res >> 1) + one;
		} else {
			res >>= 1;
		}
		one >>= 2;
	}
	res
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn constants_and_conversions() {
		assert_eq!(Q32::ONE.to_bits(), 1 << 32);
		assert_eq!(Q32::from_int(-3).to_bits(), -3 << 32);
		assert_eq!(Q32::from_rational(1, 2), Some(Q32::HALF));
		assert_eq!(Q32::from_rational(-1, 2), Some(Q32::HALF.saturating_neg()));
		assert_eq!(Q32::from_rational(1, -2), Some(Q32::HALF.saturating_neg()));
		assert_eq!(Q32::from_rational(1, 0), None);
		// 1/3 rounds to nearest: 0x5555_5555 (the remainder is 1/3 of a unit).
		assert_eq!(Q32::from_rational(1, 3).map(Q32::to_bits), Some(0x5555_5555));
		assert_eq!(Q32::from_rational(2, 3).map(Q32::to_bits), Some(0xAAAA_AAAB));
		assert_eq!(Q32::from_rational(i64::MAX, 1), Some(Q32::MAX));
		assert_eq!(Q32::from_rational(i64::MIN, 1), Some(Q32::MIN));
		assert_eq!(Q32::from_perbill(Perbill::one()), Q32::ONE);
		assert_eq!(Q32::from_perbill(Perbill::from_percent(50)), Q32::HALF);
		assert_eq!(Q32::ONE.to_perbill(), Perbill::one());
		assert_eq!(Q32::from_int(7).to_perbill(), Perbill::one());
		assert_eq!(Q32::from_int(-7).to_perbill(), Perbill::zero());
		assert_eq!(Q32::HALF.to_perbill(), Perbill::from_percent(50));
	}

	#[cfg(feature = "std")]
	#[test]
	fn float_conversions() {
		assert_eq!(Q32::from_f64(0.5), Ok(Q32::HALF));
		assert_eq!(Q32::from_f64(-2.0), Ok(Q32::from_int(-2)));
		assert_eq!(Q32::from_f64(-2_147_483_648.0), Ok(Q32::MIN));
		assert_eq!(Q32::from_f64(2_147_483_648.0), Err(crate::Error::NotRepresentable));
		assert_eq!(Q32::from_f64(f64::NAN), Err(crate::Error::NotRepresentable));
		assert_eq!(Q32::from_f64(f64::INFINITY), Err(crate::Error::NotRepresentable));
		assert_eq!(Q32::from_f64(f64::NEG_INFINITY), Err(crate::Error::NotRepresentable));
		assert_eq!(Q32::from_bits(3).to_f64(), 3.0 / 4_294_967_296.0);
	}

	#[test]
	fn arithmetic_saturates() {
		assert_eq!(Q32::MAX.saturating_add(Q32::ONE), Q32::MAX);
		assert_eq!(Q32::MIN.saturating_sub(Q32::ONE), Q32::MIN);
		assert_eq!(Q32::MAX.saturating_mul(Q32::from_int(2)), Q32::MAX);
		assert_eq!(Q32::MAX.saturating_mul(Q32::from_int(-2)), Q32::MIN);
		assert_eq!(
			Q32::from_int(3).saturating_mul(Q32::HALF),
			Q32::from_rational(3, 2).unwrap_or_default()
		);
		assert_eq!(Q32::MIN.saturating_abs(), Q32::MAX);
		assert_eq!(Q32::from_int(-2).relu(), Q32::ZERO);
		assert_eq!(Q32::from_int(2).relu(), Q32::from_int(2));
	}

	#[test]
	fn activation_fixed_points() {
		assert_eq!(Q32::ZERO.sigmoid(), Q32::HALF);
		assert_eq!(Q32::ZERO.tanh(), Q32::ZERO);
		assert_eq!(Q32::ZERO.exp_neg_abs(), Q32::ONE);
		assert_eq!(Q32::MAX.sigmoid(), Q32::ONE);
		assert_eq!(Q32::MIN.sigmoid(), Q32::ZERO);
		assert_eq!(Q32::MAX.tanh(), Q32::ONE);
		assert_eq!(Q32::MIN.tanh(), Q32::ONE.saturating_neg());
		// ln 2: e^-ln2 = 1/2 to within one unit.
		let ln2 = Q32::from_bits(round_shift(LN2_Q62, F62 - FRAC_BITS) as i64);
		assert!((ln2.exp_neg_abs().to_bits() - Q32::HALF.to_bits()).abs() <= 1);
	}

	#[test]
	fn sigmoid_is_monotone_and_symmetric() {
		let mut previous = Q32::ZERO;
		let mut bits = -(20i64 << 32);
		while bits <= 20i64 << 32 {
			let x = Q32::from_bits(bits);
			let s = x.sigmoid();
			assert!(s >= previous, "sigmoid not monotone at {bits}");
			let sum = s.to_bits() + x.saturating_neg().sigmoid().to_bits();
			assert!(
				(sum - Q32::ONE.to_bits()).abs() <= 1,
				"sigmoid(x) + sigmoid(-x) != 1 at {bits}"
			);
			previous = s;
			bits += 0x0123_4567;
		}
	}

	#[test]
	fn sin_cos_known_values() {
		let (s, c) = sin_cos_q62(0);
		assert_eq!((s, c), (0, ONE62));
		let (s, c) = sin_cos_q62(PI_Q62 / 2);
		assert!((s - ONE62).abs() < 64, "sin(pi/2) = {s}");
		assert!(c.abs() < 64, "cos(pi/2) = {c}");
		let (s, c) = sin_cos_q62(PI_Q62 / 4);
		assert!((s - c).abs() < 64);
	}

	#[test]
	fn isqrt_is_floor_sqrt() {
		for n in [0u128, 1, 2, 3, 4, 15, 16, 17, 1 << 64, (1 << 64) + 1, u128::MAX] {
			let r = isqrt_u128(n);
			assert!(r * r <= n);
			assert!((r + 1).checked_mul(r + 1).is_none_or(|sq| sq > n));
		}
	}
}
