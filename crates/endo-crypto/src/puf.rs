//! A software model of an SRAM PUF (the paper's "endogenous key" source, section 3).
//!
//! # The model
//!
//! An SRAM cell is a pair of cross-coupled inverters. At power-up it settles to 0 or 1, and
//! which one it prefers is fixed by random manufacturing mismatch of its transistors. Most cells
//! always come up the same way; a minority are close to balanced and flip from read to read.
//!
//! The model keeps exactly those two properties:
//!
//! * **Manufacturing.** A device is defined by a 32-byte manufacturing seed. Cell `i`'s
//!   preferred value is `u_i < one_probability * 2^32`, where `u_i` is the `i`-th little-endian
//!   `u32` of the stream `SHA-256(tags::PUF_CELLS, seed || ctr_le32)`, `ctr = 0, 1, ...`
//!   (see [`crate::hash`]). With the default `one_probability = 0.5` the cells are unbiased and
//!   independent; another value models a biased SRAM (used to study entropy loss).
//! * **Reading.** Every read returns the preferred pattern with each cell flipped independently
//!   with probability `bit_error_rate` (default 5 %, valid up to 50 %), drawn from the caller's
//!   RNG: flip cell `i` iff the next `u32` of the RNG is `< bit_error_rate * 2^32`.
//!
//! Real SRAM noise is heterogeneous (per-cell flip probabilities that average to the BER).
//! The model uses the same flip probability for every cell. For a given mean BER that is the
//! *worst case* for the decoder: the number of errors in a block is then binomial, whose
//! variance `n p (1-p)` is the largest of all Poisson-binomial distributions with mean `n p`,
//! so measured failure rates are conservative.
//!
//! The model produces exactly [`RESPONSE_BITS`] cells, the amount the
//! [fuzzy extractor](crate::fuzzy) consumes. Bit `i` of a response is bit `i % 8`
//! (least significant first) of byte `i / 8`.

use rand_core::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{hash, PufError};

/// Number of SRAM cells read per response (43 Reed-Muller blocks of 256 bits; 1376 bytes).
pub const RESPONSE_BITS: usize = 11008;
/// [`RESPONSE_BITS`] in bytes.
pub const RESPONSE_BYTES: usize = RESPONSE_BITS / 8;

/// One read-out of the SRAM start-up pattern. Secret: it *is* the device's key material.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PufResponse([u8; RESPONSE_BYTES]);

impl PufResponse {
	/// Wraps raw response bytes.
	pub const fn from_bytes(bytes: [u8; RESPONSE_BYTES]) -> Self {
		Self(bytes)
	}

	/// Parses a response from a slice of exactly [`RESPONSE_BYTES`] bytes.
	pub fn from_slice(bytes: &[u8]) -> Result<Self, PufError> {
		let array: [u8; RESPONSE_BYTES] =
			bytes.try_into().map_err(|_| PufError::ResponseMalformed)?;
		Ok(Self(array))
	}

	/// The response bytes.
	pub fn as_bytes(&self) -> &[u8; RESPONSE_BYTES] {
		&self.0
	}

	/// Bit `index` (0 or 1); `index` must be below [`RESPONSE_BITS`] (out-of-range reads 0).
	pub fn bit(&self, index: usize) -> u8 {
		self.0.get(index / 8).map_or(0, |byte| (byte >> (index % 8)) & 1)
	}

	/// Number of cells in which two responses differ.
	pub fn hamming_distance(&self, other: &PufResponse) -> u32 {
		self.0.iter().zip(other.0.iter()).map(|(a, b)| (a ^ b).count_ones()).sum()
	}

	/// Number of cells that read 1.
	pub fn weight(&self) -> u32 {
		self.0.iter().map(|b| b.count_ones()).sum()
	}

	/// Bitwise majority of an odd number of reads (temporal majority voting, the usual way to
	/// take an enrolment reference close to the noise-free pattern). [`PufError::ResponseMalformed`]
	/// for an empty or even-sized set.
	pub fn majority(reads: &[PufResponse]) -> Result<PufResponse, PufError> {
		if reads.len().is_multiple_of(2) {
			return Err(PufError::ResponseMalformed);
		}
		let threshold = reads.len() / 2;
		let mut out = [0u8; RESPONSE_BYTES];
		for (index, byte) in out.iter_mut().enumerate() {
			for bit in 0..8 {
				let ones = reads.iter().filter(|r| (r.0[index] >> bit) & 1 == 1).count();
				if ones > threshold {
					*byte |= 1 << bit;
				}
			}
		}
		Ok(PufResponse(out))
	}
}

impl core::fmt::Debug for PufResponse {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("PufResponse(<secret>)")
	}
}

/// Parameters of the SRAM PUF model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PufConfig {
	/// Probability that a cell reads differently from its preferred value, per read
	/// (default 0.05; the fuzzy extractor is designed for up to 0.15).
	pub bit_error_rate: f64,
	/// Probability that a cell's preferred value is 1 (default 0.5: an unbiased SRAM).
	pub one_probability: f64,
}

impl Default for PufConfig {
	fn default() -> Self {
		Self { bit_error_rate: 0.05, one_probability: 0.5 }
	}
}

impl PufConfig {
	/// The default model with another bit-error rate.
	pub fn with_bit_error_rate(bit_error_rate: f64) -> Self {
		Self { bit_error_rate, ..Self::default() }
	}

	fn validate(&self) -> Result<(), PufError> {
		let ber_ok = self.bit_error_rate.is_finite() && (0.0..=0.5).contains(&self.bit_error_rate);
		let bias_ok =
			self.one_probability.is_finite() && (0.0..=1.0).contains(&self.one_probability);
		if ber_ok && bias_ok {
			Ok(())
		} else {
			Err(PufError::ConfigInvalid)
		}
	}
}

/// `p * 2^32` as a threshold for a uniform `u32` (`p` in `[0, 1]`, validated by the caller).
fn threshold(p: f64) -> u64 {
	// p <= 1, so the product is at most 2^32 and fits; `as` truncates towards zero.
	(p * 4_294_967_296.0) as u64
}

/// A simulated SRAM PUF: a manufactured device whose start-up pattern can be read, noisily.
#[derive(Clone)]
pub struct SramPuf {
	preferred: PufResponse,
	flip_threshold: u64,
	config: PufConfig,
}

impl core::fmt::Debug for SramPuf {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("SramPuf").field("config", &self.config).finish_non_exhaustive()
	}
}

impl SramPuf {
	/// "Manufactures" a device: its per-cell preferences follow from `seed` (see the module
	/// docs for the exact derivation).
	pub fn manufacture(seed: &[u8; 32], config: PufConfig) -> Result<Self, PufError> {
		config.validate()?;
		let one_threshold = threshold(config.one_probability);
		let mut preferred = [0u8; RESPONSE_BYTES];
		let mut cell = 0usize;
		let mut counter: u32 = 0;
		while cell < RESPONSE_BITS {
			let block = hash::tagged_sha256(
				hash::tags::PUF_CELLS,
				&[seed.as_slice(), counter.to_le_bytes().as_slice()],
			);
			for chunk in block.chunks_exact(4) {
				if cell >= RESPONSE_BITS {
					break;
				}
				let u = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
				if u64::from(u) < one_threshold {
					preferred[cell / 8] |= 1 << (cell % 8);
				}
				cell += 1;
			}
			counter = counter.wrapping_add(1);
		}
		Ok(Self {
			preferred: PufResponse(preferred),
			flip_threshold: threshold(config.bit_error_rate),
			config,
		})
	}

	/// The model's parameters.
	pub fn config(&self) -> PufConfig {
		self.config
	}

	/// The noise-free start-up pattern (what an ideal, noiseless read would return). A real
	/// device cannot observe it; the model exposes it for tests and statistics.
	pub fn preferred_pattern(&self) -> &PufResponse {
		&self.preferred
	}

	/// One power-up read: the preferred pattern with every cell flipped independently with
	/// probability `bit_error_rate`, using `rng` for the noise.
	pub fn read<R: RngCore + ?Sized>(&self, rng: &mut R) -> PufResponse {
		let mut out = self.preferred.clone();
		if self.flip_threshold == 0 {
			return out;
		}
		for byte in out.0.iter_mut() {
			let mut flips = 0u8;
			for bit in 0..8 {
				if u64::from(rng.next_u32()) < self.flip_threshold {
					flips |= 1 << bit;
				}
			}
			*byte ^= flips;
		}
		out
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use rand_chacha::rand_core::SeedableRng;
	use rand_chacha::ChaCha20Rng;

	#[test]
	fn config_is_validated() {
		for ber in [-0.1, 0.51, f64::NAN, f64::INFINITY] {
			let config = PufConfig::with_bit_error_rate(ber);
			assert_eq!(SramPuf::manufacture(&[0; 32], config).err(), Some(PufError::ConfigInvalid));
		}
		let biased = PufConfig { one_probability: 1.5, ..PufConfig::default() };
		assert_eq!(SramPuf::manufacture(&[0; 32], biased).err(), Some(PufError::ConfigInvalid));
		assert!(SramPuf::manufacture(&[0; 32], PufConfig::with_bit_error_rate(0.5)).is_ok());
	}

	#[test]
	fn manufacturing_is_deterministic_and_device_specific() {
		let a = SramPuf::manufacture(&[1; 32], PufConfig::default()).unwrap();
		let a2 = SramPuf::manufacture(&[1; 32], PufConfig::default()).unwrap();
		let b = SramPuf::manufacture(&[2; 32], PufConfig::default()).unwrap();
		assert!(a.preferred_pattern() == a2.preferred_pattern());
		let inter = a.preferred_pattern().hamming_distance(b.preferred_pattern());
		// Unrelated devices differ in about half of the cells (6 sigma = 315 cells).
		assert!((5504 - 315..=5504 + 315).contains(&inter), "inter-device distance {inter}");
		let weight = a.preferred_pattern().weight();
		assert!((5504 - 315..=5504 + 315).contains(&weight), "weight {weight}");
	}

	#[test]
	fn bias_moves_the_weight() {
		let config = PufConfig { one_probability: 0.8, ..PufConfig::default() };
		let puf = SramPuf::manufacture(&[3; 32], config).unwrap();
		let weight = puf.preferred_pattern().weight();
		// Mean 8806, sigma 42.
		assert!((8806 - 252..=8806 + 252).contains(&weight), "weight {weight}");
	}

	#[test]
	fn reads_flip_at_the_configured_rate() {
		let mut rng = ChaCha20Rng::seed_from_u64(7);
		for ber in [0.0, 0.05, 0.15] {
			let puf = SramPuf::manufacture(&[4; 32], PufConfig::with_bit_error_rate(ber)).unwrap();
			let mut total = 0u64;
			let reads = 50;
			for _ in 0..reads {
				total += u64::from(puf.read(&mut rng).hamming_distance(puf.preferred_pattern()));
			}
			let measured = total as f64 / (reads as f64 * RESPONSE_BITS as f64);
			// Standard error at 15 %: sqrt(.15*.85/550400) = 4.8e-4; allow 6 sigma.
			assert!((measured - ber).abs() < 0.003, "ber {ber}: measured {measured}");
		}
	}

	#[test]
	fn majority_vote_approaches_the_preferred_pattern() {
		let mut rng = ChaCha20Rng::seed_from_u64(8);
		let puf = SramPuf::manufacture(&[6; 32], PufConfig::with_bit_error_rate(0.15)).unwrap();
		let reads: Vec<PufResponse> = (0..5).map(|_| puf.read(&mut rng)).collect();
		let voted = PufResponse::majority(&reads).unwrap();
		// P(majority of 5 wrong at 15 %) = 2.7 %: mean 293 of 11008 cells, sigma 17.
		let distance = voted.hamming_distance(puf.preferred_pattern());
		assert!((190..=400).contains(&distance), "distance {distance}");
		assert_eq!(PufResponse::majority(&reads[..1]).unwrap(), reads[0]);
		assert_eq!(PufResponse::majority(&reads[..2]).err(), Some(PufError::ResponseMalformed));
		assert_eq!(PufResponse::majority(&[]).err(), Some(PufError::ResponseMalformed));
	}

	#[test]
	fn response_slice_parsing() {
		assert_eq!(PufResponse::from_slice(&[0; 10]).err(), Some(PufError::ResponseMalformed));
		assert!(PufResponse::from_slice(&[0; RESPONSE_BYTES]).is_ok());
	}
}
