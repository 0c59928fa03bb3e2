//! Native execution times of every call and hook part, in the mock (in-memory storage): the
//! measured source of the placeholder weights in `weights.rs` (see its header). Ignored by
//! default; run with
//!
//! ```text
//! cargo test -p pallet-device-identity --release measure_native -- --ignored --nocapture
//! ```
//!
//! Each figure is the median of `RUNS` samples, each sample in fresh externalities; the unsigned
//! calls are timed together with their `pre_dispatch`, as at block inclusion. Storage here is
//! an in-memory overlay: database reads and writes are added separately, per key, with the
//! runtime's `DbWeight` (as `benchmark pallet` does).

use super::*;
use frame_support::traits::UnfilteredDispatchable;
use std::time::Instant;

const RUNS: usize = 101;

fn median(mut samples: Vec<u128>) -> u128 {
	samples.sort_unstable();
	samples[samples.len() / 2]
}

/// Runs `sample` `RUNS` times in fresh externalities at block 1 with proxies; median ns.
fn measure(mut sample: impl FnMut(u32) -> u128) -> u128 {
	let samples = (0..RUNS as u32)
		.map(|i| {
			let mut ns = 0;
			test(|| ns = sample(i));
			ns
		})
		.collect();
	median(samples)
}

fn time(f: impl FnOnce()) -> u128 {
	let start = Instant::now();
	f();
	start.elapsed().as_nanos()
}

fn time_unsigned(call: Call<Test>) -> u128 {
	time(|| {
		<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&call).unwrap();
		call.dispatch_bypass_filter(RuntimeOrigin::none()).unwrap();
	})
}

fn time_call(origin: RuntimeOrigin, call: Call<Test>) -> u128 {
	time(|| {
		call.dispatch_bypass_filter(origin).unwrap();
	})
}

/// A pending IBE device (structural credential) with a controller; `seed` picks it.
fn pending(seed: u32) -> DeviceId {
	let authority = tu::add_ibe_authority::<Test>(tu::ANNEX_A_MASTER_KEY);
	tu::insert_device::<Test>(seed, authority, DeviceStatus::Pending, 0, Some(0), Some(7))
}

/// `mode`: 0 idle (authenticated devices), 1 missed (reaching quarantine), 2 expired.
fn sweep_sample(n: u32, mode: u8) -> u128 {
	let expired = mode == 2;
	let mut ns = 0;
	test(|| {
		let voter: BoundedVec<AccountId, _> = vec![PROXY_C].try_into().unwrap();
		if expired {
			let authority = tu::add_ibe_authority::<Test>(tu::ANNEX_A_MASTER_KEY);
			for i in 0..n {
				let d = tu::insert_device::<Test>(
					100 + i,
					authority,
					DeviceStatus::Pending,
					0,
					Some(0),
					Some(u64::from(i)),
				);
				Tallies::<Test>::insert(d, Attestation::CredentialValid, (0, voter.clone()));
				Tallies::<Test>::insert(d, Attestation::CredentialInvalid, (0, voter.clone()));
			}
		} else {
			let (authority, _) = pki_authority(1);
			for i in 0..n {
				let d = tu::insert_device::<Test>(
					100 + i,
					authority,
					DeviceStatus::Active,
					0,
					None,
					Some(u64::from(i)),
				);
				Devices::<Test>::mutate(d, |info| {
					let info = info.as_mut().unwrap();
					if mode == 0 {
						info.last_proof = Some(ProofRecord { epoch: 1, at: 1 });
					} else {
						info.strikes = 2;
					}
				});
			}
		}
		Sweep::<Test>::put(SweepState { epoch: 1, cursor: None });
		let now = if expired { TIMEOUT + 1 } else { 1 };
		System::set_block_number(now);
		ns = time(|| {
			DeviceIdentity::sweep_step(now);
		});
		System::set_block_number(1);
		// Leave a consistent state for the invariant check.
		for (device, _) in Devices::<Test>::iter().collect::<Vec<_>>() {
			let _ = DeviceIdentity::revoke_device(RuntimeOrigin::root(), device);
		}
	});
	ns
}

fn prune_sample(n: u32) -> u128 {
	let mut ns = 0;
	test(|| {
		for i in 0..n {
			let r = active_pki_device(i + 1, None);
			let entries: Vec<_> = (0..3)
				.map(|t| WhitelistEntry {
					target: 100 + t,
					expires_at: if t == 0 { 5 } else { 50 },
				})
				.collect();
			Whitelist::<Test>::insert(r.device, BoundedVec::try_from(entries).unwrap());
			ExpiryQueue::<Test>::insert(u64::from(i), (r.device, 100, 5));
		}
		ExpiryQueueRange::<Test>::put((0, u64::from(n)));
		ns = time(|| {
			DeviceIdentity::prune_whitelist(5);
		});
		for i in 0..n {
			Whitelist::<Test>::remove(tu::id(&tu::device(i + 1)));
		}
	});
	ns
}

#[test]
#[ignore = "timing run, see the module docs"]
fn measure_native_execution_times() {
	let mut rows: Vec<(&str, u128)> = Vec::new();

	rows.push((
		"register_authority",
		measure(|_| {
			time_call(
				RuntimeOrigin::root(),
				Call::register_authority { key: AuthorityKey::Ibe(tu::ANNEX_A_MASTER_KEY) },
			)
		}),
	));
	rows.push((
		"retire_authority",
		measure(|_| {
			let (authority, _) = pki_authority(1);
			time_call(RuntimeOrigin::root(), Call::retire_authority { authority })
		}),
	));
	rows.push((
		"register_device_ibe",
		measure(|i| {
			let authority = tu::add_ibe_authority::<Test>(tu::ANNEX_A_MASTER_KEY);
			let r = Registration::ibe(tu::device(i), authority, tu::ANNEX_A_SIGNATURE, Some(3));
			time_unsigned(r.call())
		}),
	));
	rows.push((
		"register_device_pki",
		measure(|i| {
			let (authority, ca) = pki_authority(1);
			let r = Registration::pki(i, authority, &ca, Some(3));
			time_unsigned(r.call())
		}),
	));
	rows.push((
		"authenticate",
		measure(|i| {
			let (authority, _) = pki_authority(1);
			let device =
				tu::insert_device::<Test>(i, authority, DeviceStatus::Active, 0, None, Some(3));
			let proof = tu::authenticate_proof::<Test>(&tu::device(i));
			time_unsigned(Call::authenticate { device, epoch: 0, proof })
		}),
	));
	for n in [1u32, 8] {
		let name = if n == 1 { "authenticate_batch (n = 1)" } else { "authenticate_batch (n = 8)" };
		rows.push((
			name,
			measure(|i| {
				let (authority, _) = pki_authority(1);
				let mut entries = Vec::new();
				for k in 0..n {
					let seed = 1000 * i + k;
					let device = tu::insert_device::<Test>(
						seed,
						authority,
						DeviceStatus::Active,
						0,
						None,
						None,
					);
					entries.push((device, tu::authenticate_proof::<Test>(&tu::device(seed))));
				}
				let proofs = entries.try_into().unwrap();
				time_unsigned(Call::authenticate_batch { epoch: 0, proofs })
			}),
		));
	}
	rows.push((
		"attest_vote",
		measure(|i| {
			let device = pending(i);
			time_call(
				RuntimeOrigin::signed(PROXY_A),
				Call::attest { device, attestation: Attestation::CredentialValid },
			)
		}),
	));
	for (name, attestation) in [
		("attest_confirm_credential", Attestation::CredentialValid),
		("attest_reject_credential", Attestation::CredentialInvalid),
	] {
		rows.push((
			name,
			measure(|i| {
				let device = pending(i);
				attest(PROXY_A, device, attestation).unwrap();
				time_call(RuntimeOrigin::signed(PROXY_B), Call::attest { device, attestation })
			}),
		));
	}
	rows.push((
		"attest_cross_domain",
		measure(|i| {
			let r = active_pki_device(i, None);
			let target = tu::add_ibe_authority::<Test>(tu::ANNEX_A_MASTER_KEY);
			let other = tu::add_ibe_authority::<Test>(tu::sm9_master_key(1));
			attest(PROXY_A, r.device, Attestation::CrossDomain { target: other }).unwrap();
			attest(PROXY_B, r.device, Attestation::CrossDomain { target: other }).unwrap();
			let attestation = Attestation::CrossDomain { target };
			attest(PROXY_A, r.device, attestation).unwrap();
			time_call(
				RuntimeOrigin::signed(PROXY_B),
				Call::attest { device: r.device, attestation },
			)
		}),
	));
	rows.push((
		"attest_authentication_failed",
		measure(|i| {
			let r = active_pki_device(i, Some(4));
			Devices::<Test>::mutate(r.device, |info| info.as_mut().unwrap().strikes = 2);
			let attestation = Attestation::AuthenticationFailed;
			attest(PROXY_A, r.device, attestation).unwrap();
			time_call(
				RuntimeOrigin::signed(PROXY_B),
				Call::attest { device: r.device, attestation },
			)
		}),
	));
	rows.push((
		"quarantine_device",
		measure(|i| {
			let r = active_pki_device(i, None);
			time_call(RuntimeOrigin::root(), Call::quarantine_device { device: r.device })
		}),
	));
	rows.push((
		"restore_device",
		measure(|i| {
			let r = active_pki_device(i, None);
			DeviceIdentity::quarantine_device(RuntimeOrigin::root(), r.device).unwrap();
			time_call(RuntimeOrigin::root(), Call::restore_device { device: r.device })
		}),
	));
	rows.push((
		"revoke_device (t = 0)",
		measure(|i| {
			let device = pending(i);
			time_call(RuntimeOrigin::root(), Call::revoke_device { device })
		}),
	));
	rows.push((
		"new_epoch",
		measure(|_| {
			System::set_block_number(1 + EPOCH);
			let ns = time(|| {
				DeviceIdentity::roll_epoch(1 + EPOCH);
			});
			System::set_block_number(1);
			Epoch::<Test>::mutate(|e| e.as_mut().unwrap().started_at = 1);
			Sweep::<Test>::kill();
			ns
		}),
	));
	for (name, mode) in [("sweep_idle", 0), ("sweep_missed", 1), ("sweep_expired", 2)] {
		let zero = median((0..RUNS).map(|_| sweep_sample(0, mode)).collect());
		let five = median((0..RUNS).map(|_| sweep_sample(5, mode)).collect());
		rows.push((name, zero));
		rows.push(("  ... per device", five.saturating_sub(zero) / 5));
	}
	let zero = median((0..RUNS).map(|_| prune_sample(0)).collect());
	let two = median((0..RUNS).map(|_| prune_sample(2)).collect());
	rows.push(("prune_whitelist", zero));
	rows.push(("  ... per entry", two.saturating_sub(zero) / 2));

	// The parts that are not FRAME glue: the NIZK verification (endo-crypto, in this build) and
	// the certificate check (an ECDSA recovery: a host function, native in the runtime too).
	rows.push((
		"  NIZK verification alone",
		measure(|i| {
			let keypair = tu::device(i);
			let proof = tu::authenticate_proof::<Test>(&keypair);
			let epoch = Epoch::<Test>::get().unwrap();
			time(|| {
				let key =
					endo_crypto::DevicePublicKey::from_bytes(&tu::public_key(&keypair)).unwrap();
				let proof = endo_crypto::IdentityProof::from_bytes(&proof).unwrap();
				endo_crypto::verify_identity_proof(
					&epoch.genesis_hash,
					keypair.device_id(),
					&key,
					logic::AUTHENTICATE_PURPOSE,
					&epoch.challenge,
					&proof,
				)
				.unwrap();
			})
		}),
	));
	rows.push((
		"  certificate verification alone",
		measure(|i| {
			let (_, ca) = pki_authority(1);
			let certificate = tu::certificate::<Test>(&ca, tu::id(&tu::device(i)), CERT_EXPIRY);
			let genesis = Epoch::<Test>::get().unwrap().genesis_hash;
			time(|| assert!(logic::verify_certificate(&CaKey::Ecdsa(ca), &genesis, &certificate)))
		}),
	));

	println!("\n| operation | native median (µs) |\n|---|---|");
	for (name, ns) in rows {
		println!("| {name} | {:.1} |", ns as f64 / 1000.0);
	}
}
