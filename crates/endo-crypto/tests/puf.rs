//! SRAM PUF model and fuzzy extractor across devices: reconstruction under noise, keys of
//! different devices unrelated, helper data useless on another device. (The 10,000-read
//! failure-rate measurement is `examples/puf_failure_rate.rs`.)

use endo_crypto::{
	enroll, puf::RESPONSE_BITS, reconstruct, DeviceKeypair, PufConfig, PufError, PufKey,
	PufResponse, SramPuf,
};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn device(index: u64, ber: f64) -> SramPuf {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&index.to_le_bytes());
	SramPuf::manufacture(&seed, PufConfig::with_bit_error_rate(ber)).expect("valid config")
}

fn key_distance(a: &PufKey, b: &PufKey) -> u32 {
	a.as_bytes().iter().zip(b.as_bytes()).map(|(x, y)| (x ^ y).count_ones()).sum()
}

#[test]
fn reconstruction_at_5_10_15_percent() {
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	for (ber, majority) in [(0.05, false), (0.10, false), (0.15, true)] {
		for index in 0..4 {
			let puf = device(index, ber);
			let reference = if majority {
				let reads: Vec<PufResponse> = (0..5).map(|_| puf.read(&mut rng)).collect();
				PufResponse::majority(&reads).expect("odd")
			} else {
				puf.read(&mut rng)
			};
			let (key, helper) = enroll(&reference, &mut rng);
			for _ in 0..75 {
				assert_eq!(
					reconstruct(&puf.read(&mut rng), &helper).as_ref(),
					Ok(&key),
					"ber {ber}"
				);
			}
		}
	}
}

#[test]
fn keys_of_different_devices_are_unrelated() {
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let n = 60;
	let mut keys = Vec::new();
	let mut helpers = Vec::new();
	let mut pufs = Vec::new();
	for index in 0..n {
		let puf = device(1000 + index, 0.05);
		let (key, helper) = enroll(&puf.read(&mut rng), &mut rng);
		keys.push(key);
		helpers.push(helper);
		pufs.push(puf);
	}
	let mut total = 0u64;
	let mut pairs = 0u64;
	for i in 0..keys.len() {
		for j in i + 1..keys.len() {
			let d = key_distance(&keys[i], &keys[j]);
			// Independent uniform keys: Bin(256, 1/2), sigma 8; 64 is 8 sigma away.
			assert!((64..=192).contains(&d), "keys {i} and {j} at distance {d}");
			total += u64::from(d);
			pairs += 1;
		}
	}
	let mean = total as f64 / pairs as f64;
	// Mean of 1770 pairs: sigma of the mean about 0.2 (pairs are not independent; allow 2).
	assert!((126.0..=130.0).contains(&mean), "mean key distance {mean}");
	// Device IDs are distinct, and helper data of one device do not open another.
	let ids: std::collections::HashSet<_> =
		keys.iter().map(|k| *DeviceKeypair::from_puf_key(k).expect("key").device_id()).collect();
	assert_eq!(ids.len(), keys.len());
	for i in 0..10 {
		let other = &pufs[(i + 1) % pufs.len()];
		assert_eq!(
			reconstruct(&other.read(&mut rng), &helpers[i]),
			Err(PufError::ReconstructionFailed)
		);
	}
}

#[test]
fn helper_data_of_two_enrolments_differ() {
	// Fresh randomness at every enrolment: the offsets and seeds differ, the PUF is the same.
	let mut rng = ChaCha20Rng::seed_from_u64(3);
	let puf = device(7, 0.05);
	let (k1, h1) = enroll(&puf.read(&mut rng), &mut rng);
	let (k2, h2) = enroll(&puf.read(&mut rng), &mut rng);
	assert_ne!(h1.to_bytes().to_vec(), h2.to_bytes().to_vec());
	assert!(key_distance(&k1, &k2) > 64);
	// The offset of an unbiased PUF looks balanced.
	let ones: u32 = h1.offset().iter().map(|b| b.count_ones()).sum();
	let half = RESPONSE_BITS as u32 / 2;
	assert!(ones.abs_diff(half) < 400, "offset weight {ones}");
}
