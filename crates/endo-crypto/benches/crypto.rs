//! Criterion benchmarks of endo-crypto, sized like the paper's Tables 2 and 3.
//!
//! `scripts/bench-crypto.sh` runs them and prints the comparison table (from criterion's
//! `estimates.json` files, via `examples/bench_report.rs`). Benchmark IDs:
//!
//! * `sm9/{encrypt,decrypt,sign,verify}/{1KB,1MB,10MB}`
//! * `abe/{encrypt,decrypt}/{1KB,1MB,10MB}` (ciphertext for trust >= 3, key of level 5)
//! * `nizk/{prove,verify}`
//! * `nizk/verify_each/250`, `nizk/verify_batch/250`: a full `authenticate_batch` (250 proofs)
//!   verified one proof at a time and in one batch check (parsing of keys and proofs included)
//! * `puf/{read,enroll,reconstruct}` (BER 10 %)

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use endo_crypto::{
	enroll, nizk, reconstruct, AbeAuthority, DeviceId, DeviceKeypair, DevicePublicKey,
	IdentityProof, PufConfig, PufKey, Sm9Kgc, SramPuf, TrustLevel,
};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Proofs in a full `authenticate_batch` (the runtime's `MaxBatchSize`).
const BATCH: usize = 250;

/// The paper's model sizes (KB and MB as 2^10 and 2^20 bytes).
const SIZES: [(&str, usize); 3] = [("1KB", 1 << 10), ("1MB", 1 << 20), ("10MB", 10 << 20)];

fn payload(size: usize, rng: &mut ChaCha20Rng) -> Vec<u8> {
	let mut out = vec![0u8; size];
	rng.fill_bytes(&mut out);
	out
}

fn sm9(c: &mut Criterion) {
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let kgc = Sm9Kgc::generate(&mut rng);
	let server = DeviceKeypair::from_puf_key(&PufKey::from_bytes([1; 32])).expect("key");
	let id = server.device_id().to_hex();
	let epk = kgc.encrypt_public_key().expect("epk");
	let dk = kgc.user_decryption_key(&id).expect("dk");
	let spk = kgc.sign_public_key().expect("spk");
	let sk = kgc.user_signing_key(&id).expect("sk");

	let mut group = c.benchmark_group("sm9");
	group
		.sample_size(10)
		.warm_up_time(Duration::from_millis(500))
		.measurement_time(Duration::from_secs(2));
	for (name, size) in SIZES {
		let data = payload(size, &mut rng);
		let ct = epk.encrypt(&id, &data, &mut rng).expect("encrypt");
		let sig = sk.sign(&spk, &data, &mut rng).expect("sign");
		group.throughput(Throughput::Bytes(size as u64));
		group.bench_with_input(BenchmarkId::new("encrypt", name), &data, |b, data| {
			b.iter(|| epk.encrypt(&id, black_box(data), &mut rng).expect("encrypt"))
		});
		group.bench_with_input(BenchmarkId::new("decrypt", name), &ct, |b, ct| {
			b.iter(|| dk.decrypt(black_box(ct)).expect("decrypt"))
		});
		group.bench_with_input(BenchmarkId::new("sign", name), &data, |b, data| {
			b.iter(|| sk.sign(&spk, black_box(data), &mut rng).expect("sign"))
		});
		group.bench_with_input(BenchmarkId::new("verify", name), &data, |b, data| {
			b.iter(|| spk.verify(&id, black_box(data), &sig).expect("valid"))
		});
	}
	group.finish();
}

fn abe(c: &mut Criterion) {
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let authority = AbeAuthority::setup().expect("setup");
	let pk = authority.public_key();
	let required = TrustLevel::new(3).expect("level");
	let key = authority.issue_key(TrustLevel::new(5).expect("level")).expect("key");

	let mut group = c.benchmark_group("abe");
	group
		.sample_size(10)
		.warm_up_time(Duration::from_millis(500))
		.measurement_time(Duration::from_secs(2));
	for (name, size) in SIZES {
		let data = payload(size, &mut rng);
		let ct = pk.encrypt(required, &data, &mut rng).expect("encrypt");
		group.throughput(Throughput::Bytes(size as u64));
		group.bench_with_input(BenchmarkId::new("encrypt", name), &data, |b, data| {
			b.iter(|| pk.encrypt(required, black_box(data), &mut rng).expect("encrypt"))
		});
		group.bench_with_input(BenchmarkId::new("decrypt", name), &ct, |b, ct| {
			b.iter(|| key.decrypt(black_box(ct)).expect("decrypt"))
		});
	}
	group.finish();
}

fn nizk_and_puf(c: &mut Criterion) {
	let mut rng = ChaCha20Rng::seed_from_u64(3);
	let device = DeviceKeypair::from_puf_key(&PufKey::from_bytes([2; 32])).expect("key");
	let (genesis, challenge) = ([7u8; 32], [9u8; 32]);
	let proof = nizk::prove_identity(&device, &genesis, b"authenticate", &challenge, &mut rng);

	let mut group = c.benchmark_group("nizk");
	group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
	group.bench_function("prove", |b| {
		b.iter(|| {
			nizk::prove_identity(
				&device,
				&genesis,
				b"authenticate",
				black_box(&challenge),
				&mut rng,
			)
		})
	});
	group.bench_function("verify", |b| {
		b.iter(|| {
			nizk::verify_identity_proof(
				&genesis,
				device.device_id(),
				device.public_key(),
				b"authenticate",
				&challenge,
				black_box(&proof),
			)
			.expect("valid")
		})
	});
	// A full batch: parsing of every key and proof included, as the pallet does it.
	let batch: Vec<([u8; 32], [u8; 32], [u8; 64])> = (0..BATCH)
		.map(|i| {
			let mut seed = [0u8; 32];
			seed[..4].copy_from_slice(&(i as u32).to_le_bytes());
			let kp = DeviceKeypair::from_puf_key(&PufKey::from_bytes(seed)).expect("key");
			let proof = nizk::prove_identity(&kp, &genesis, b"authenticate", &challenge, &mut rng);
			(kp.device_id().to_bytes(), kp.public_key().to_bytes(), proof.to_bytes())
		})
		.collect();
	let parse = |(id, key, proof): &([u8; 32], [u8; 32], [u8; 64])| {
		(
			DeviceId::from_bytes(*id),
			DevicePublicKey::from_bytes(key).expect("key"),
			IdentityProof::from_bytes(proof).expect("proof"),
		)
	};
	group.throughput(Throughput::Elements(BATCH as u64));
	group.bench_function(BenchmarkId::new("verify_each", BATCH), |b| {
		b.iter(|| {
			for entry in black_box(&batch) {
				let (id, key, proof) = parse(entry);
				nizk::verify_identity_proof(
					&genesis,
					&id,
					&key,
					b"authenticate",
					&challenge,
					&proof,
				)
				.expect("valid")
			}
		})
	});
	group.bench_function(BenchmarkId::new("verify_batch", BATCH), |b| {
		b.iter(|| {
			let entries: Vec<_> = black_box(&batch).iter().map(parse).collect();
			nizk::verify_identity_proofs_batch(&genesis, b"authenticate", &challenge, &entries)
				.expect("valid")
		})
	});
	group.finish();

	let puf = SramPuf::manufacture(&[3; 32], PufConfig::with_bit_error_rate(0.10)).expect("config");
	let reference = puf.read(&mut rng);
	let (_, helper) = enroll(&reference, &mut rng);
	let noisy = puf.read(&mut rng);
	let mut group = c.benchmark_group("puf");
	group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
	group.bench_function("read", |b| b.iter(|| puf.read(&mut rng)));
	group.bench_function("enroll", |b| b.iter(|| enroll(black_box(&reference), &mut rng)));
	group.bench_function("reconstruct", |b| {
		b.iter(|| reconstruct(black_box(&noisy), &helper).expect("reconstructs"))
	});
	group.finish();
}

// `criterion_group!` defines an undocumented `benches` function.
#[allow(missing_docs)]
mod group {
	use super::*;
	criterion_group!(benches, nizk_and_puf, sm9, abe);
}
use group::benches;
criterion_main!(benches);
