//! The error-correcting code of the fuzzy extractor: the first-order Reed-Muller code
//! RM(1,8), a binary `[256, 9, 128]` code, decoded by maximum likelihood with the fast
//! Hadamard transform.
//!
//! # Encoding
//!
//! A message is a 9-bit value `a` (held in a `u16`; higher bits are ignored). Write
//! `a0 = a & 1` and `u = (a >> 1) & 0xff` (8 bits). Codeword bit `i` (`i` in `0..256`) is
//!
//! ```text
//! c_i = a0 XOR parity(u AND i)
//! ```
//!
//! i.e. the evaluation at point `i` of the affine Boolean function `a0 + <u, i>`. A codeword is
//! stored as 32 bytes, bit `i` being bit `i % 8` (least significant first) of byte `i / 8`.
//!
//! # Decoding
//!
//! For a received word `y`, the decoder computes for every `u` the correlation
//! `F(u) = sum_i (-1)^(y_i XOR <u, i>)` with an 8-stage fast Hadamard transform (2048
//! additions), picks the `u` with the largest `|F(u)|` (the smallest `u` on a tie) and sets
//! `a0 = 1` iff `F(u) < 0`. This is exact maximum-likelihood decoding on a binary symmetric
//! channel: the distance from `y` to the codeword `(a0, u)` is `(256 - (-1)^a0 F(u)) / 2`.
//! The minimum distance is 128, so every error pattern of weight at most 63 is corrected, and
//! most heavier ones are too.

/// Codeword length in bits.
pub const BLOCK_BITS: usize = 256;
/// Codeword length in bytes.
pub const BLOCK_BYTES: usize = BLOCK_BITS / 8;
/// Bits of information per codeword.
pub const MESSAGE_BITS: u32 = 9;
/// Mask of the message bits in a `u16`.
pub const MESSAGE_MASK: u16 = (1 << MESSAGE_BITS) - 1;
/// Guaranteed error-correction radius (`(d - 1) / 2` with `d = 128`).
pub const CORRECTION_RADIUS: u32 = 63;

/// The codeword of the 9-bit `message`.
pub fn encode(message: u16) -> [u8; BLOCK_BYTES] {
	let a0 = (message & 1) as u8;
	let u = usize::from((message >> 1) & 0xff);
	let mut out = [0u8; BLOCK_BYTES];
	for i in 0..BLOCK_BITS {
		let bit = a0 ^ ((u & i).count_ones() & 1) as u8;
		out[i / 8] |= bit << (i % 8);
	}
	out
}

/// The outcome of decoding one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoded {
	/// The maximum-likelihood 9-bit message.
	pub message: u16,
	/// Hamming distance between the received word and the codeword of `message`.
	pub distance: u32,
	/// Whether another codeword was exactly as close (then `message` is the tie-break choice
	/// and may be wrong).
	pub ambiguous: bool,
}

/// Maximum-likelihood decoding of a received 256-bit word.
pub fn decode(received: &[u8; BLOCK_BYTES]) -> Decoded {
	// +1 for a received 0, -1 for a received 1.
	let mut f = [0i32; BLOCK_BITS];
	for (i, value) in f.iter_mut().enumerate() {
		*value = 1 - 2 * i32::from((received[i / 8] >> (i % 8)) & 1);
	}
	// In-place fast Walsh-Hadamard transform: f[u] = sum_i r_i (-1)^<u,i>.
	let mut half = 1;
	while half < BLOCK_BITS {
		let mut start = 0;
		while start < BLOCK_BITS {
			for j in start..start + half {
				let (a, b) = (f[j], f[j + half]);
				f[j] = a + b;
				f[j + half] = a - b;
			}
			start += 2 * half;
		}
		half *= 2;
	}
	let mut best_u = 0usize;
	let mut best_abs = -1i32;
	let mut ties = 0u32;
	for (u, value) in f.iter().enumerate() {
		let abs = value.abs();
		if abs > best_abs {
			best_abs = abs;
			best_u = u;
			ties = 0;
		} else if abs == best_abs {
			ties += 1;
		}
	}
	let a0 = u16::from(f[best_u] < 0);
	// best_u < 256, so it fits in 8 bits.
	let message = ((best_u as u16) << 1) | a0;
	// best_abs is in 0..=256.
	let distance = (BLOCK_BITS as u32 - best_abs.unsigned_abs()) / 2;
	Decoded { message, distance, ambiguous: ties > 0 }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn all_codewords_decode_and_have_distance_128() {
		for a in 0..=MESSAGE_MASK {
			let c = encode(a);
			assert_eq!(decode(&c), Decoded { message: a, distance: 0, ambiguous: false });
			// Bits above the ninth are ignored.
			assert_eq!(encode(a | 0xfe00), c);
			for b in 0..a {
				let d: u32 =
					c.iter().zip(encode(b).iter()).map(|(x, y)| (x ^ y).count_ones()).sum();
				// Complementary pairs (same u) are at distance 256, all others at 128.
				let expected = if (a >> 1) == (b >> 1) { 256 } else { 128 };
				assert_eq!(d, expected, "{a} vs {b}");
			}
		}
	}

	#[test]
	fn known_codewords() {
		assert_eq!(encode(0), [0u8; 32]);
		assert_eq!(encode(1), [0xff; 32]);
		// u = 1: c_i = i & 1 -> 0b10101010 in every byte.
		assert_eq!(encode(2), [0xaa; 32]);
		// u = 128: c_i = bit 7 of i -> bytes 16..32 are all ones.
		let mut expected = [0u8; 32];
		expected[16..].fill(0xff);
		assert_eq!(encode(256), expected);
	}

	#[test]
	fn exactly_64_errors_can_be_ambiguous() {
		// Flip 64 positions where codeword 0 and codeword 2 (u = 1) differ: the word is then
		// at distance 64 from both.
		let mut word = encode(0);
		let mut flipped = 0;
		for i in 0..BLOCK_BITS {
			if i & 1 == 1 && flipped < 64 {
				word[i / 8] ^= 1 << (i % 8);
				flipped += 1;
			}
		}
		let decoded = decode(&word);
		assert!(decoded.ambiguous);
		assert_eq!(decoded.distance, 64);
	}

	proptest! {
		#[test]
		fn code_is_linear(a in 0..=MESSAGE_MASK, b in 0..=MESSAGE_MASK) {
			let (ca, cb, cab) = (encode(a), encode(b), encode(a ^ b));
			for i in 0..BLOCK_BYTES {
				prop_assert_eq!(ca[i] ^ cb[i], cab[i]);
			}
		}

		#[test]
		fn corrects_up_to_63_errors(
			message in 0..=MESSAGE_MASK,
			positions in proptest::collection::btree_set(0usize..BLOCK_BITS, 0..=63usize),
		) {
			let mut word = encode(message);
			for &p in &positions {
				word[p / 8] ^= 1 << (p % 8);
			}
			let decoded = decode(&word);
			prop_assert_eq!(decoded.message, message);
			prop_assert_eq!(decoded.distance as usize, positions.len());
			prop_assert!(!decoded.ambiguous);
		}
	}
}
