//! Measures the fuzzy extractor's reconstruction failure rate on the SRAM PUF model and prints
//! a markdown table, next to the analytical union bound.
//!
//! ```text
//! cargo run --release -p endo-crypto --example puf_failure_rate            # 10,000 reads per row
//! cargo run --release -p endo-crypto --example puf_failure_rate -- 2000    # fewer reads
//! ```
//!
//! For every bit-error rate and enrolment mode, 100 devices are manufactured (seeded), each is
//! enrolled once, and `reads / 100` fresh noisy reads per device are reconstructed. A failure is
//! any read for which `reconstruct` does not return the enrolled key (it can only return an
//! error: the check value rules out a wrong key, which is also asserted here).
//!
//! The analytical column is the union bound on maximum-likelihood decoding of RM(1,8) over a
//! binary symmetric channel with the effective read-versus-reference error rate `q`:
//! `P_block <= 510 P[Bin(128, q) >= 64] + P[Bin(256, q) >= 128]`, `P_key <= 43 P_block`.

use endo_crypto::{
	code, enroll, fuzzy::CODE_BLOCKS, reconstruct, DeviceKeypair, PufConfig, PufResponse, SramPuf,
};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Instant;

const DEVICES: usize = 100;

#[derive(Clone, Copy)]
enum Enrolment {
	SingleRead,
	Majority5,
}

impl Enrolment {
	fn name(self) -> &'static str {
		match self {
			Enrolment::SingleRead => "1 read",
			Enrolment::Majority5 => "majority of 5",
		}
	}

	/// Probability that the enrolment reference differs from the noise-free cell value.
	fn reference_error(self, p: f64) -> f64 {
		match self {
			Enrolment::SingleRead => p,
			Enrolment::Majority5 => (3..=5).map(|k| binomial_pmf(5, k, p)).sum(),
		}
	}

	fn reference(self, puf: &SramPuf, rng: &mut ChaCha20Rng) -> PufResponse {
		match self {
			Enrolment::SingleRead => puf.read(rng),
			Enrolment::Majority5 => {
				let reads: Vec<PufResponse> = (0..5).map(|_| puf.read(rng)).collect();
				PufResponse::majority(&reads).expect("odd number of reads")
			}
		}
	}
}

fn ln_choose(n: u32, k: u32) -> f64 {
	(1..=k).map(|i| ((n - k + i) as f64).ln() - (i as f64).ln()).sum()
}

fn binomial_pmf(n: u32, k: u32, p: f64) -> f64 {
	(ln_choose(n, k) + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp()
}

fn binomial_tail(n: u32, from: u32, p: f64) -> f64 {
	(from..=n).map(|k| binomial_pmf(n, k, p)).sum()
}

/// Union bound on the probability that one RM(1,8) block decodes wrongly at channel error `q`
/// (ties counted as errors).
fn block_bound(q: f64) -> f64 {
	510.0 * binomial_tail(128, 64, q) + binomial_tail(256, 128, q)
}

fn main() {
	let reads: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
	let per_device = reads.div_ceil(DEVICES);
	let total = per_device * DEVICES;
	println!(
		"## Fuzzy-extractor reconstruction (SRAM PUF model, RM(1,8) x 43, Toeplitz extractor)\n"
	);
	println!(
		"{total} reconstructions per row: {DEVICES} devices x {per_device} reads, each device enrolled once.\n\
		 BER = per-read cell flip probability relative to the noise-free pattern; q = expected\n\
		 read-vs-reference distance; failures = reads whose key did not reconstruct.\n"
	);
	println!(
		"| BER | enrolment | q (expected) | q (measured) | worst block errors | failed blocks | key failures | failure rate | 95 % upper bound | union bound |"
	);
	println!("|---|---|---|---|---|---|---|---|---|---|");
	let started = Instant::now();
	for ber in [0.05, 0.10, 0.15, 0.175, 0.20] {
		for mode in [Enrolment::SingleRead, Enrolment::Majority5] {
			let pe = mode.reference_error(ber);
			let q = pe * (1.0 - ber) + (1.0 - pe) * ber;
			let mut rng = ChaCha20Rng::seed_from_u64((ber * 1000.0) as u64);
			let (mut failures, mut block_failures, mut worst, mut distance) =
				(0u64, 0u64, 0u32, 0u64);
			for device in 0..DEVICES {
				let mut seed = [0u8; 32];
				seed[..8].copy_from_slice(&(device as u64).to_le_bytes());
				let puf = SramPuf::manufacture(&seed, PufConfig::with_bit_error_rate(ber))
					.expect("valid configuration");
				let reference = mode.reference(&puf, &mut rng);
				let (key, helper) = enroll(&reference, &mut rng);
				for _ in 0..per_device {
					let read = puf.read(&mut rng);
					distance += u64::from(read.hamming_distance(&reference));
					// Per-block view: how many errors, and did ML decoding land on the enrolled
					// codeword?
					for block in 0..CODE_BLOCKS {
						let range = block * code::BLOCK_BYTES..(block + 1) * code::BLOCK_BYTES;
						let mut word = [0u8; code::BLOCK_BYTES];
						let mut errors = 0;
						for (i, w) in word.iter_mut().enumerate() {
							let at = range.start + i;
							*w = read.as_bytes()[at] ^ helper.offset()[at];
							errors += (read.as_bytes()[at] ^ reference.as_bytes()[at]).count_ones();
						}
						worst = worst.max(errors);
						let decoded = code::decode(&word);
						let mut enrolled = [0u8; code::BLOCK_BYTES];
						for (i, e) in enrolled.iter_mut().enumerate() {
							*e = reference.as_bytes()[range.start + i]
								^ helper.offset()[range.start + i];
						}
						if code::encode(decoded.message) != enrolled {
							block_failures += 1;
						}
					}
					match reconstruct(&read, &helper) {
						Ok(k) => assert!(k == key, "a wrong key was returned"),
						Err(_) => failures += 1,
					}
				}
			}
			let measured_q =
				distance as f64 / (total as f64 * endo_crypto::puf::RESPONSE_BITS as f64);
			let rate = failures as f64 / total as f64;
			// Exact one-sided 95 % Clopper-Pearson bound for 0 failures; otherwise a normal
			// approximation.
			let upper = if failures == 0 {
				1.0 - 0.05f64.powf(1.0 / total as f64)
			} else {
				rate + 1.96 * (rate * (1.0 - rate) / total as f64).sqrt()
			};
			let bound = (CODE_BLOCKS as f64 * block_bound(q)).min(1.0);
			let rate = if failures == 0 { "0".to_string() } else { format!("{rate:.1e}") };
			println!(
				"| {:.1} % | {} | {:.4} | {:.4} | {} / 256 | {} / {} | {} / {} | {} | {:.1e} | {:.1e} |",
				ber * 100.0,
				mode.name(),
				q,
				measured_q,
				worst,
				block_failures,
				total * CODE_BLOCKS,
				failures,
				total,
				rate,
				upper,
				bound
			);
		}
	}
	let elapsed = started.elapsed();

	// Uniqueness: keys and responses of different devices.
	let mut rng = ChaCha20Rng::seed_from_u64(42);
	let devices = 500;
	let mut keys = Vec::with_capacity(devices);
	let mut patterns = Vec::with_capacity(devices);
	for device in 0..devices {
		let mut seed = [0xa5u8; 32];
		seed[..8].copy_from_slice(&(device as u64).to_le_bytes());
		let puf = SramPuf::manufacture(&seed, PufConfig::default()).expect("default");
		let (key, _) = enroll(&puf.read(&mut rng), &mut rng);
		let keypair = DeviceKeypair::from_puf_key(&key).expect("key");
		keys.push((key, *keypair.device_id()));
		patterns.push(puf.preferred_pattern().clone());
	}
	let (mut min_key, mut max_key, mut sum_key, mut pairs) = (u32::MAX, 0u32, 0u64, 0u64);
	let (mut min_resp, mut max_resp, mut sum_resp) = (u32::MAX, 0u32, 0u64);
	for i in 0..devices {
		for j in i + 1..devices {
			let d: u32 = keys[i]
				.0
				.as_bytes()
				.iter()
				.zip(keys[j].0.as_bytes())
				.map(|(a, b)| (a ^ b).count_ones())
				.sum();
			min_key = min_key.min(d);
			max_key = max_key.max(d);
			sum_key += u64::from(d);
			let r = patterns[i].hamming_distance(&patterns[j]);
			min_resp = min_resp.min(r);
			max_resp = max_resp.max(r);
			sum_resp += u64::from(r);
			pairs += 1;
			assert_ne!(keys[i].1, keys[j].1, "device ID collision");
		}
	}
	println!("\n## Uniqueness ({devices} devices, {pairs} pairs)\n");
	println!("| quantity | mean | min | max | ideal |");
	println!("|---|---|---|---|---|");
	println!(
		"| PUF key Hamming distance (of 256) | {:.2} | {} | {} | 128 |",
		sum_key as f64 / pairs as f64,
		min_key,
		max_key
	);
	println!(
		"| start-up pattern distance (of {}) | {:.1} ({:.4}) | {} | {} | 50 % |",
		endo_crypto::puf::RESPONSE_BITS,
		sum_resp as f64 / pairs as f64,
		sum_resp as f64 / pairs as f64 / endo_crypto::puf::RESPONSE_BITS as f64,
		min_resp,
		max_resp
	);
	println!(
		"\nAll {devices} device IDs distinct. Reconstruction table took {:.1} s.",
		elapsed.as_secs_f64()
	);
}
