//! `on_initialize`: epochs and challenges, the missed-window sweep, pending-registration
//! timeouts, whitelist expiry and pruning; the integrity test and `try_state`.

use super::*;
use endo_traits::IdentityEvidence;
use frame_support::{
	assert_noop, assert_ok,
	traits::{Get, Hooks},
	weights::RuntimeDbWeight,
};

fn db() -> RuntimeDbWeight {
	<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
}

#[test]
fn a_new_challenge_every_epoch() {
	new_test_ext().execute_with(|| {
		assert!(Epoch::<Test>::get().is_none());
		run_to_block(1);
		let first = Epoch::<Test>::get().unwrap();
		assert_eq!((first.index, first.started_at), (0, 1));
		assert_eq!(first.genesis_hash, DeviceIdentity::genesis_hash());
		// The documented derivation, with the mock's randomness and parent hash.
		let (seed, _) = <TestRandomness as frame_support::traits::Randomness<_, _>>::random(
			messages::CHALLENGE_TAG,
		);
		let parent = System::parent_hash();
		assert_eq!(first.challenge, messages::challenge(0, seed.as_ref(), parent.as_ref()));
		assert!(emitted(Event::NewChallenge { epoch: 0, challenge: first.challenge }));

		run_to_block(EPOCH);
		assert_eq!(Epoch::<Test>::get().unwrap(), first);
		run_to_block(EPOCH + 1);
		let second = Epoch::<Test>::get().unwrap();
		assert_eq!((second.index, second.started_at), (1, EPOCH + 1));
		assert_ne!(second.challenge, first.challenge);
		assert!(emitted(Event::NewChallenge { epoch: 1, challenge: second.challenge }));
		DeviceIdentity::do_try_state().unwrap();
	});
}

#[test]
fn missed_windows_become_strikes_then_quarantine() {
	test(|| {
		let registration = active_pki_device(1, Some(2));
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));
		take_evidence();

		next_epoch(); // epoch 1 starts; epoch 0 was the registration epoch
		assert_eq!(info(device).strikes, 0);
		// The registration proof answered epoch 0.
		assert_eq!(take_evidence(), vec![(device, Some(2), IdentityEvidence::Authenticated)]);
		for (epoch, strikes) in [(1u32, 1u32), (2, 2)] {
			next_epoch();
			assert!(emitted(Event::AuthenticationMissed { device, epoch, strikes }));
			assert_eq!(info(device).strikes, strikes);
			assert_eq!(info(device).status, DeviceStatus::Active);
		}
		next_epoch();
		assert!(emitted(Event::AuthenticationMissed { device, epoch: 3, strikes: 3 }));
		assert!(emitted(Event::DeviceQuarantined { device, reason: QuarantineReason::Strikes }));
		assert_eq!(info(device).status, DeviceStatus::Quarantined);
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_eq!(take_evidence(), vec![(device, Some(2), IdentityEvidence::Missed); 3]);
	});
}

#[test]
fn devices_that_prove_themselves_are_never_struck() {
	test(|| {
		let registration = active_pki_device(1, None);
		for _ in 0..5 {
			next_epoch();
			assert_ok!(authenticate(&registration.keypair));
		}
		next_epoch();
		assert_eq!(info(registration.device).strikes, 0);
		assert!(!events().iter().any(|e| matches!(e, Event::AuthenticationMissed { .. })));
	});
}

#[test]
fn the_sweep_reports_each_proof_once_even_after_the_next_epochs_proof() {
	test(|| {
		// Seven devices registered in epoch 0 (three per block: the registration rate limit).
		let registrations: Vec<_> = (1..=7u32)
			.map(|seed| {
				if seed > 1 && (seed - 1) % 3 == 0 {
					run_to_block(System::block_number() + 1);
				}
				active_pki_device(seed, None)
			})
			.collect();
		assert!(take_evidence().is_empty(), "proofs write only their own records");
		next_epoch(); // the sweep of epoch 0 visits five devices in this block
		assert_eq!(take_evidence().len(), 5);
		// Every device proves itself for epoch 1 before the sweep reaches the last two.
		for r in &registrations {
			assert_ok!(authenticate(&r.keypair));
		}
		run_to_block(System::block_number() + 1);
		let reported = take_evidence();
		assert_eq!(reported.len(), 2, "the last two, whose last proof is already epoch 1's");
		assert!(reported.iter().all(|(_, _, e)| *e == IdentityEvidence::Authenticated));
		assert!(Sweep::<Test>::get().is_none());
		next_epoch(); // the sweep of epoch 1: five devices in this block, two in the next
		run_to_block(System::block_number() + 1);
		let reported = take_evidence();
		assert_eq!(reported.len(), 7, "epoch 1's proofs, once each");
		assert!(reported.iter().all(|(_, _, e)| *e == IdentityEvidence::Authenticated));
	});
}

#[test]
fn proved_in_follows_the_run_of_proofs() {
	test(|| {
		let registration = active_pki_device(1, None);
		let mut record = info(registration.device);
		assert!(record.proved_in(0) && !record.proved_in(1));
		let mut broken = record.clone();
		record.record_proof(1, 12);
		assert!(record.proved_in(0), "epoch 1's proof continued the run of epoch 0's");
		assert!(record.proved_in(1) && !record.proved_in(2));
		// A failed window breaks the run: epoch 0 no longer counts as proved.
		broken.record_strike(3);
		broken.record_proof(1, 12);
		assert!(!broken.proved_in(0) && broken.proved_in(1));
	});
}

#[test]
fn the_sweep_visits_every_device_with_bounded_work_per_block() {
	test(|| {
		let (authority, _) = pki_authority(1);
		// 12 devices, 5 visited per block: three blocks.
		let devices: Vec<_> = (0..12)
			.map(|seed| {
				testing_utils::insert_device::<Test>(
					100 + seed,
					authority,
					DeviceStatus::Active,
					0,
					Some(0),
					None,
				)
			})
			.collect();
		next_epoch(); // epoch 1 (epoch 0: registration grace)
		let start = System::block_number();
		next_epoch(); // epoch 2: sweep of epoch 1 starts
		let sweep_start = System::block_number();
		assert!(start < sweep_start);
		let struck = || devices.iter().filter(|d| info(**d).strikes == 1).count();
		assert_eq!(struck(), 5);
		assert!(Sweep::<Test>::get().is_some());
		run_to_block(sweep_start + 1);
		assert_eq!(struck(), 10);
		run_to_block(sweep_start + 2);
		assert_eq!(struck(), 12);
		assert!(Sweep::<Test>::get().is_none());
		run_to_block(sweep_start + 5);
		assert_eq!(struck(), 12);
		assert!(devices.iter().all(|d| info(*d).strikes == 1));
	});
}

#[test]
fn the_hook_reports_the_sweep_weight() {
	test(|| {
		let (authority, _) = pki_authority(1);
		for seed in 0..7 {
			testing_utils::insert_device::<Test>(
				100 + seed,
				authority,
				DeviceStatus::Active,
				0,
				None,
				None,
			);
		}
		Sweep::<Test>::put(SweepState { epoch: 1, cursor: None });
		let now = System::block_number();
		// Five visits: all missed.
		let weight = DeviceIdentity::sweep_step(now);
		let charge = |idle, missed, expired| {
			<() as WeightInfo>::sweep_idle(idle)
				+ <() as WeightInfo>::sweep_proved(0)
				+ <() as WeightInfo>::sweep_missed(missed)
				+ <() as WeightInfo>::sweep_expired(expired)
				+ <() as WeightInfo>::sweep_reclaimed(0)
		};
		assert_eq!(weight, charge(0, 5, 0));
		let rest = DeviceIdentity::sweep_step(now);
		assert_eq!(rest, charge(0, 2, 0));
		// Visits that change nothing cost less.
		Sweep::<Test>::put(SweepState { epoch: 0, cursor: None });
		assert_eq!(DeviceIdentity::sweep_step(now), charge(5, 0, 0));
		assert!(charge(5, 0, 0).ref_time() < charge(0, 5, 0).ref_time());
		assert_eq!(DeviceIdentity::sweep_step(now), charge(2, 0, 0));
		assert!(Sweep::<Test>::get().is_none());
		assert_eq!(DeviceIdentity::sweep_step(now), db().reads(1));
		// An idle block costs three reads: epoch, sweep, expiry queue.
		let idle = DeviceIdentity::on_initialize(now);
		assert_eq!(idle, db().reads(2) + <() as WeightInfo>::prune_whitelist(0));
	});
}

#[test]
fn pending_registrations_time_out() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let registration =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), Some(3));
		assert_ok!(registration.submit());
		assert_ok!(attest(PROXY_A, registration.device, Attestation::CredentialValid));
		let device = registration.device;
		next_epoch(); // block 11 < 1 + TIMEOUT: still pending
		assert_eq!(info(device).status, DeviceStatus::Pending);
		next_epoch(); // block 21: the sweep removes it
		assert!(emitted(Event::RegistrationExpired { device }));
		assert!(Devices::<Test>::get(device).is_none());
		assert!(!PendingCredentials::<Test>::contains_key(device));
		assert_eq!(ControllerDevice::<Test>::get(3), None);
		assert!(Tallies::<Test>::iter().all(|((_, tallied, _), _)| tallied != device));
		// It may register again.
		let mut again = registration.clone();
		again.prove();
		assert_ok!(again.submit());
	});
}

#[test]
fn whitelist_entries_stop_counting_at_expiry_and_are_pruned() {
	test(|| {
		// Three devices whitelisted in the same block; two pruned per block.
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let registrations: Vec<_> = (1..=3).map(|seed| active_pki_device(seed, None)).collect();
		for r in &registrations {
			assert_ok!(attest(PROXY_A, r.device, Attestation::CrossDomain { target }));
			assert_ok!(attest(PROXY_B, r.device, Attestation::CrossDomain { target }));
		}
		let expires_at = 1 + TTL;
		let in_target = |device: DeviceId| {
			DeviceIdentity::device_report(&device)
				.unwrap()
				.domains
				.iter()
				.any(|d| d.authority == target)
		};
		// Keep the devices authenticated.
		let keep_up = |block: u64| {
			while System::block_number() < block {
				run_to_block(System::block_number() + 1);
				if System::block_number() == Epoch::<Test>::get().unwrap().started_at {
					for r in &registrations {
						assert_ok!(authenticate(&r.keypair));
					}
				}
			}
		};
		keep_up(expires_at - 1);
		assert!(registrations.iter().all(|r| in_target(r.device)));
		// At the expiry block the entries no longer count, pruned or not.
		keep_up(expires_at);
		assert!(registrations.iter().all(|r| !in_target(r.device)));
		let pruned = |r: &Registration| Whitelist::<Test>::get(r.device).is_empty();
		assert_eq!(registrations.iter().filter(|r| pruned(r)).count(), 2);
		assert_eq!(ExpiryQueueRange::<Test>::get(), (2, 3));
		keep_up(expires_at + 1);
		assert!(registrations.iter().all(pruned));
		assert_eq!(ExpiryQueueRange::<Test>::get(), (3, 3));
		let expired = events()
			.iter()
			.filter(|e| matches!(e, Event::WhitelistEntryExpired { target: t, .. } if *t == target))
			.count();
		assert_eq!(expired, 3);
	});
}

#[test]
fn a_renewed_entry_survives_its_old_expiry() {
	test(|| {
		let registration = active_pki_device(1, None);
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_ok!(attest(PROXY_A, registration.device, cross));
		assert_ok!(attest(PROXY_B, registration.device, cross));
		run_to_block(5);
		assert_ok!(attest(PROXY_A, registration.device, cross));
		assert_ok!(attest(PROXY_B, registration.device, cross));
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		run_to_block(1 + TTL + 1); // the first entry's expiry has passed and its queue item popped
		assert_eq!(ExpiryQueueRange::<Test>::get(), (1, 2));
		assert_eq!(
			Whitelist::<Test>::get(registration.device).to_vec(),
			vec![WhitelistEntry { target, expires_at: 5 + TTL }]
		);
		assert_ok!(authenticate(&registration.keypair));
		assert!(DeviceIdentity::device_report(&registration.device)
			.unwrap()
			.domains
			.iter()
			.any(|d| d.authority == target));
	});
}

#[test]
fn integrity_test_passes_for_the_mock() {
	new_test_ext().execute_with(|| {
		<DeviceIdentity as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_catches_broken_invariants() {
	test(|| {
		let registration = active_pki_device(1, Some(4));
		assert!(DeviceIdentity::do_try_state().is_ok());
		// A whitelist entry towards the device's own domain.
		let own = registration.authority;
		Whitelist::<Test>::insert(
			registration.device,
			BoundedVec::try_from(vec![WhitelistEntry { target: own, expires_at: 5 }]).unwrap(),
		);
		assert!(DeviceIdentity::do_try_state().is_err());
		Whitelist::<Test>::remove(registration.device);
		// A controller index pointing at the wrong device.
		ControllerDevice::<Test>::insert(5, registration.device);
		assert!(DeviceIdentity::do_try_state().is_err());
		ControllerDevice::<Test>::remove(5);
		// A key that is not the device's.
		Devices::<Test>::mutate(registration.device, |i| {
			i.as_mut().unwrap().public_key = testing_utils::public_key(&testing_utils::device(2))
		});
		assert!(DeviceIdentity::do_try_state().is_err());
		Devices::<Test>::mutate(registration.device, |i| {
			i.as_mut().unwrap().public_key = registration.public_key
		});
		// A PKI device without a certificate expiry (an IBE record made before enrolments
		// carried an expiry has none, and passes: `reclaim.rs`'s tests).
		let expiry = |expires_at| {
			Devices::<Test>::mutate(registration.device, |i| {
				i.as_mut().unwrap().certificate_expires_at = expires_at
			})
		};
		expiry(None);
		assert!(DeviceIdentity::do_try_state().is_err());
		expiry(Some(CERT_EXPIRY));
		// A concluded tally kept for a statement other than a failure.
		let voters = BoundedVec::try_from(vec![(PROXY_A, 0), (PROXY_B, 0)]).unwrap();
		let key = (0, registration.device, Attestation::CrossDomain { target: 0 });
		Tallies::<Test>::insert(key, (voters.clone(), true));
		assert!(DeviceIdentity::do_try_state().is_err());
		Tallies::<Test>::remove(key);
		// A tally of a future epoch.
		let key = (1, registration.device, Attestation::AuthenticationFailed);
		Tallies::<Test>::insert(key, (voters, false));
		assert!(DeviceIdentity::do_try_state().is_err());
		Tallies::<Test>::remove(key);
		// Counters that disagree with the epoch's count.
		AttestationsBy::<Test>::insert(0, PROXY_A, (1, 0));
		assert!(DeviceIdentity::do_try_state().is_err());
		AttestationsBy::<Test>::remove(0, PROXY_A);
		// An overdue epoch.
		System::set_block_number(EPOCH + 5);
		assert!(DeviceIdentity::do_try_state().is_err());
		System::set_block_number(1);
	});
}

#[test]
fn try_state_checks_the_expiry_queue_against_the_whitelist() {
	test(|| {
		let registration = active_pki_device(1, None);
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_ok!(attest(PROXY_A, registration.device, cross));
		assert_ok!(attest(PROXY_B, registration.device, cross));
		assert!(DeviceIdentity::do_try_state().is_ok());
		// The entry's queue item lost: pruning would never reach the entry.
		let (head, tail) = ExpiryQueueRange::<Test>::get();
		let item = ExpiryQueue::<Test>::take(tail - 1).unwrap();
		ExpiryQueueRange::<Test>::put((head, tail - 1));
		assert!(DeviceIdentity::do_try_state().is_err());
		// A queued expiry that is not the entry's (the entry outlives it).
		ExpiryQueue::<Test>::insert(tail - 1, (item.0, item.1, item.2 - 1));
		ExpiryQueueRange::<Test>::put((head, tail));
		assert!(DeviceIdentity::do_try_state().is_err());
		ExpiryQueue::<Test>::insert(tail - 1, item);
		assert!(DeviceIdentity::do_try_state().is_ok());
	});
}

#[test]
fn try_state_checks_the_sweep() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch();
		let current = Epoch::<Test>::get().unwrap().index;
		let previous = current - 1;
		Sweep::<Test>::put(SweepState { epoch: previous, cursor: None });
		assert!(DeviceIdentity::do_try_state().is_ok());
		// A sweep of the current epoch, which has not finished.
		Sweep::<Test>::put(SweepState { epoch: current, cursor: None });
		assert!(DeviceIdentity::do_try_state().is_err());
		// A cursor that is not a key of the device map.
		let stray = BoundedVec::try_from(vec![0u8; 48]).unwrap();
		Sweep::<Test>::put(SweepState { epoch: previous, cursor: Some(stray) });
		assert!(DeviceIdentity::do_try_state().is_err());
		let key = Devices::<Test>::hashed_key_for(registration.device);
		let cursor = BoundedVec::try_from(key).unwrap();
		Sweep::<Test>::put(SweepState { epoch: previous, cursor: Some(cursor) });
		assert!(DeviceIdentity::do_try_state().is_ok());
		Sweep::<Test>::kill();
	});
}

#[test]
fn a_retired_authority_does_not_strike_its_devices_nor_blame_their_controllers() {
	test(|| {
		let retired = active_pki_device(1, Some(2));
		let struck = active_pki_device(3, Some(4));
		next_epoch(); // epoch 1; both answered epoch 0 with their registration proofs
		take_evidence();
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), retired.authority));
		next_epoch(); // neither proved in epoch 1
		assert_eq!(info(retired.device).strikes, 0);
		assert_eq!(info(struck.device).strikes, 1);
		assert_eq!(take_evidence(), vec![(struck.device, Some(4), IdentityEvidence::Missed)]);
		assert!(!DeviceIdentity::is_authenticated(&retired.device));
		// It stays so, epoch after epoch: never quarantined by strikes it could not avoid (until
		// its record is reclaimed, `TOMBSTONE_RETENTION` epochs after the retirement).
		next_epoch();
		assert_eq!(info(retired.device).status, DeviceStatus::Active);
		assert!(take_evidence().iter().all(|(device, ..)| *device == struck.device));
	});
}

#[test]
fn an_expired_certificate_does_not_strike_the_device_nor_blame_its_controller() {
	test(|| {
		// Certified until block 15: epoch 1 (blocks 11-20) ends after the certificate.
		let expiring = pki_device_certified_until(1, 15, Some(2));
		let valid = active_pki_device(3, Some(4));
		next_epoch();
		take_evidence();
		next_epoch(); // neither proved in epoch 1
		assert_eq!(info(expiring.device).strikes, 0);
		assert_eq!(info(valid.device).strikes, 1);
		assert_eq!(take_evidence(), vec![(valid.device, Some(4), IdentityEvidence::Missed)]);
	});
}

#[test]
fn a_certificate_valid_through_the_epoch_still_strikes_a_miss() {
	test(|| {
		// Certified until the last block of epoch 1 (block 20): the device could have proved.
		let device = pki_device_certified_until(1, 20, Some(2));
		next_epoch();
		take_evidence();
		next_epoch();
		assert_eq!(info(device.device).strikes, 1);
		assert_eq!(take_evidence(), vec![(device.device, Some(2), IdentityEvidence::Missed)]);
	});
}

#[test]
fn an_expired_ibe_enrolment_stops_authentication_and_does_not_strike_nor_blame() {
	test(|| {
		// Enrolled until block 15: epoch 1 (blocks 11-20) ends after the enrolment.
		let expiring = ibe_device_enrolled_until(1, 15, Some(2));
		let valid = active_pki_device(3, Some(4));
		next_epoch();
		take_evidence();
		assert!(DeviceIdentity::is_authenticated(&expiring.device));
		run_to_block(16); // past the enrolment's expiry
		assert!(!DeviceIdentity::is_authenticated(&expiring.device));
		assert_eq!(
			validate(&Call::authenticate {
				device: expiring.device,
				epoch: 1,
				proof: testing_utils::authenticate_proof::<Test>(&expiring.keypair),
			}),
			Err(custom(Error::<Test>::CertificateExpired))
		);
		assert_noop!(authenticate(&expiring.keypair), Error::<Test>::CertificateExpired);
		next_epoch(); // neither proved in epoch 1
		assert_eq!(info(expiring.device).strikes, 0);
		assert_eq!(info(valid.device).strikes, 1);
		assert_eq!(take_evidence(), vec![(valid.device, Some(4), IdentityEvidence::Missed)]);
	});
}

#[test]
fn an_ibe_enrolment_valid_through_the_epoch_still_strikes_a_miss() {
	test(|| {
		// Enrolled until the last block of epoch 1 (block 20): the device could have proved.
		let device = ibe_device_enrolled_until(1, 20, Some(2));
		next_epoch();
		take_evidence();
		next_epoch();
		assert_eq!(info(device.device).strikes, 1);
		assert_eq!(take_evidence(), vec![(device.device, Some(2), IdentityEvidence::Missed)]);
	});
}

/// Issue #11, High 2: a device holder cannot feed `Missed` evidence to an account that never
/// consented. Naming the victim without its consent fails; the device that registers anyway
/// misses epoch after epoch, and no evidence ever names the victim. A pending device gives no
/// evidence at all, even to a controller that consented.
#[test]
fn a_controller_that_never_consented_receives_no_evidence() {
	test(|| {
		let (victim, holder) = (7, 8);
		let (authority, ca) = pki_authority(1);
		let mut hostile = Registration::pki(1, authority, &ca, Some(victim));
		hostile.consent = Some(sign(holder, &hostile.consent_message()));
		assert_eq!(
			hostile.submit(),
			Err(Error::<Test>::ControllerConsentInvalid.into()),
			"the victim never signed"
		);
		// The holder registers the device for itself, and a pending IBE device names the
		// victim (who consented to that one).
		let own = Registration::pki(1, authority, &ca, Some(holder));
		assert_ok!(own.submit());
		let kgc = kgc(2);
		let ibe = ibe_authority(&kgc);
		let keypair = testing_utils::device(2);
		let pending =
			Registration::ibe(keypair.clone(), ibe, sm9_credential(&kgc, &keypair), Some(victim));
		assert_ok!(pending.submit());

		for _ in 0..4 {
			next_epoch(); // epochs 1 to 3 missed: three strikes
		}
		assert_eq!(info(own.device).status, DeviceStatus::Quarantined);
		let evidence = take_evidence();
		assert!(evidence.contains(&(own.device, Some(holder), IdentityEvidence::Missed)));
		assert!(
			evidence.iter().all(|(_, controller, _)| *controller != Some(victim)),
			"{evidence:?}"
		);
		assert_eq!(ControllerDevice::<Test>::get(victim), None);
	});
}
