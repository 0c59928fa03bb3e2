//! `attest`'s limits (`docs/SECURITY.md`, "attestations"): each test first does what the
//! attack did, which the limit now refuses with its own error and no state change, and the
//! proxy set that cannot empty itself. Mock: `MinAttestations = 2`, quorum 34 % of the
//! validators, at most 5 voters, 4 attestations per proxy and 10 per epoch,
//! `MaxPrunePerBlock = 2`, epochs of 10 blocks, a deposit of `DEPOSIT` (10) per open vote.

use super::*;
use endo_traits::TrustLevel;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::Pays,
	traits::fungible::{Inspect, InspectHold},
};

/// Extra proxy nodes (trust `High`) for the tests that need more than three.
fn more_proxies(count: u64) -> Vec<AccountId> {
	let proxies: Vec<AccountId> = (201..201 + count).collect();
	for proxy in &proxies {
		set_trust(*proxy, TrustLevel::High);
	}
	proxies
}

/// What `who` holds for its attestations.
fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::AttestationDeposit.into(), &who)
}

/// `who`'s free balance.
fn free(who: AccountId) -> u64 {
	Balances::balance(&who)
}

/// Whether `proxy`'s attestation pays its fee.
fn pays(proxy: AccountId, device: DeviceId, attestation: Attestation) -> Pays {
	if let Attestation::CrossDomain { target } = attestation {
		request(device, target);
	}
	DeviceIdentity::attest(RuntimeOrigin::signed(proxy), device, attestation).unwrap().pays_fee
}

/// `count` active PKI devices, authenticated in the current epoch (three registrations per
/// block, the mock's rate limit).
fn active_devices(count: u32) -> Vec<DeviceId> {
	(1..=count)
		.map(|seed| {
			if seed % 3 == 1 && seed > 1 {
				run_to_block(System::block_number() + 1);
			}
			active_pki_device(seed, None).device
		})
		.collect()
}

#[test]
fn a_vote_that_settles_nothing_holds_a_deposit_instead_of_a_fee() {
	test(|| {
		let device = active_pki_device(1, None).device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		// The attack: votes that conclude nothing were free; then they paid a fee that was
		// never refunded. Now the lone vote pays no fee and holds the deposit.
		assert_eq!(pays(PROXY_A, device, cross), Pays::No);
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_eq!((held(PROXY_A), free(PROXY_A)), (DEPOSIT, PROXY_BALANCE - DEPOSIT));
		let tally = Tallies::<Test>::get((0, device, cross)).unwrap();
		assert_eq!(tally.0.to_vec(), vec![(PROXY_A, DEPOSIT)]);
		assert_eq!(AttestationsBy::<Test>::get(0, PROXY_A), (1, DEPOSIT));
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Balances(pallet_balances::Event::Held {
				who: PROXY_A,
				amount: DEPOSIT,
				..
			})
		)));
	});
}

#[test]
fn the_settling_vote_releases_every_voters_deposit() {
	test(|| {
		let validators = more_proxies(6);
		set_validators(validators.clone()); // threshold: ceil(34 % of 6) = 3
		let device = active_pki_device(1, None).device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_eq!(pays(validators[0], device, cross), Pays::No);
		assert_eq!(pays(validators[1], device, cross), Pays::No);
		assert_eq!((held(validators[0]), held(validators[1])), (DEPOSIT, DEPOSIT));
		// The settling vote holds nothing and releases the others': balances back to before.
		assert_eq!(pays(validators[2], device, cross), Pays::No);
		assert_eq!(Whitelist::<Test>::get(device).len(), 1);
		for voter in &validators[..3] {
			assert_eq!((held(*voter), free(*voter)), (0, PROXY_BALANCE));
			assert_eq!(AttestationsBy::<Test>::get(0, voter).1, 0);
		}
		// A settled failure tally is kept, with its deposits released.
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_B, device, Attestation::AuthenticationFailed));
		assert_eq!(held(PROXY_A), DEPOSIT);
		assert_ok!(attest(PROXY_C, device, Attestation::AuthenticationFailed));
		let (voters, concluded) =
			Tallies::<Test>::get((0, device, Attestation::AuthenticationFailed)).unwrap();
		assert!(concluded);
		assert_eq!(voters.to_vec(), vec![(PROXY_A, 0), (PROXY_B, 0), (PROXY_C, 0)]);
		for proxy in [PROXY_A, PROXY_B, PROXY_C] {
			assert_eq!((held(proxy), free(proxy)), (0, PROXY_BALANCE));
		}
		// The pruning of the epoch releases nothing more.
		run_to_block(2 * EPOCH + 1);
		assert!(AttestationsPrunedTo::<Test>::get() >= 1);
		assert_eq!(free(PROXY_A), PROXY_BALANCE);
	});
}

#[test]
fn a_pruned_unsettled_tally_releases_its_deposits() {
	test(|| {
		let kgc = kgc(1);
		let keypair = testing_utils::device(1);
		let signature = sm9_credential(&kgc, &keypair);
		let pending = Registration::ibe(keypair, ibe_authority(&kgc), signature, None);
		assert_ok!(pending.submit());
		let device = active_pki_device(2, None).device;
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_B, pending.device, Attestation::CredentialInvalid));
		// A tally removed with its registration keeps its deposit held until the pruning.
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), pending.device));
		assert_eq!((held(PROXY_A), held(PROXY_B)), (DEPOSIT, DEPOSIT));
		// The epoch ends without a second vote; the hook prunes it and releases both.
		run_to_block(EPOCH + 1);
		assert_eq!(AttestationsPrunedTo::<Test>::get(), 0, "pruning under way");
		run_to_block(2 * EPOCH);
		assert_eq!(AttestationsPrunedTo::<Test>::get(), 1);
		assert!(Tallies::<Test>::iter_prefix((0,)).next().is_none());
		for proxy in [PROXY_A, PROXY_B] {
			assert_eq!((held(proxy), free(proxy)), (0, PROXY_BALANCE));
		}
	});
}

#[test]
fn a_proxy_without_the_deposit_cannot_open_a_vote() {
	test(|| {
		let device = active_pki_device(1, None).device;
		// The attack: a proxy node with nothing at stake opens votes that settle nothing.
		assert_noop!(
			attest(POOR_PROXY, device, Attestation::AuthenticationFailed),
			Error::<Test>::InsufficientDeposit
		);
		assert!(Tallies::<Test>::iter().next().is_none());
		assert_eq!(AttestationsBy::<Test>::get(0, POOR_PROXY), (0, 0));
		assert_eq!(AttestationsInEpoch::<Test>::get(), (0, 0));
		// The settling vote holds nothing, so it needs no deposit.
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(POOR_PROXY, device, Attestation::AuthenticationFailed));
		assert_eq!(info(device).strikes, 1);
		assert_eq!(held(PROXY_A), 0);
	});
}

#[test]
fn a_proxy_cannot_attest_beyond_its_quota_per_epoch() {
	test(|| {
		let devices = active_devices(MAX_ATTESTATIONS_PER_PROXY + 1);
		// The attack: one proxy votes about every device of the chain, every epoch.
		for device in &devices[..MAX_ATTESTATIONS_PER_PROXY as usize] {
			assert_ok!(attest(PROXY_A, *device, Attestation::AuthenticationFailed));
		}
		assert_eq!(AttestationsBy::<Test>::get(0, PROXY_A).0, MAX_ATTESTATIONS_PER_PROXY);
		let last = devices[MAX_ATTESTATIONS_PER_PROXY as usize];
		assert_noop!(
			attest(PROXY_A, last, Attestation::AuthenticationFailed),
			Error::<Test>::ProxyQuotaExhausted
		);
		// Other proxies are not affected, and the quota is per epoch.
		assert_ok!(attest(PROXY_B, last, Attestation::AuthenticationFailed));
		next_epoch();
		assert_ok!(attest(PROXY_A, last, Attestation::AuthenticationFailed));
		assert_eq!(AttestationsBy::<Test>::get(1, PROXY_A).0, 1);
	});
}

#[test]
fn the_proxies_together_cannot_attest_beyond_the_epoch_quota() {
	test(|| {
		let proxies = more_proxies(3);
		let targets = [testing_utils::ANNEX_A_MASTER_KEY, testing_utils::sm9_master_key(1)]
			.map(testing_utils::add_ibe_authority::<Test>);
		// Twelve statements, each opened by one vote: a failure and two admissions per device.
		let statements: Vec<(DeviceId, Attestation)> = active_devices(4)
			.into_iter()
			.flat_map(|device| {
				[
					Attestation::AuthenticationFailed,
					Attestation::CrossDomain { target: targets[0] },
					Attestation::CrossDomain { target: targets[1] },
				]
				.map(|attestation| (device, attestation))
			})
			.collect();
		// The attack: ten votes from four proxies, within their own quotas.
		let voters = [PROXY_A, PROXY_B, proxies[0], proxies[1]];
		let quota = MAX_ATTESTATIONS_PER_EPOCH as usize;
		for (i, (device, attestation)) in statements[..quota].iter().enumerate() {
			assert_ok!(attest(voters[i % voters.len()], *device, *attestation));
		}
		assert_eq!(AttestationsInEpoch::<Test>::get(), (0, MAX_ATTESTATIONS_PER_EPOCH));
		let (device, attestation) = statements[quota];
		if let Attestation::CrossDomain { target } = attestation {
			request(device, target);
		}
		assert_noop!(attest(proxies[2], device, attestation), Error::<Test>::EpochQuotaExhausted);
		next_epoch();
		assert_ok!(attest(proxies[2], device, Attestation::AuthenticationFailed));
	});
}

#[test]
fn the_threshold_is_a_share_of_the_validator_set_with_a_minimum() {
	test(|| {
		// No validators: the minimum, 2.
		assert_eq!(DeviceIdentity::attestation_threshold(), 2);
		// One or two validators: still two votes (see the worker tests: a one-validator chain
		// settles with its validator's vote alone).
		set_validators([PROXY_A]);
		assert_eq!(DeviceIdentity::attestation_threshold(), 2);
		set_validators([PROXY_A, PROXY_B]);
		assert_eq!(DeviceIdentity::attestation_threshold(), 2);
		// 9 validators: ceil(34 % of 9) = 4.
		let validators = more_proxies(9);
		set_validators(validators.clone());
		assert_eq!(DeviceIdentity::attestation_threshold(), 4);
		// 100 validators: 34, capped at MaxAttestationVoters.
		set_validators(1_000..1_100);
		assert_eq!(DeviceIdentity::attestation_threshold(), MAX_ATTESTATION_VOTERS);

		set_validators(validators.clone());
		let device = active_pki_device(1, None).device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		// The attack: two colluding proxies settled any statement. Now two votes of nine
		// validators settle nothing.
		assert_ok!(attest(validators[0], device, cross));
		assert_ok!(attest(validators[1], device, cross));
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_ok!(attest(validators[2], device, cross));
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_ok!(attest(validators[3], device, cross));
		assert_eq!(Whitelist::<Test>::get(device).len(), 1);
	});
}

#[test]
fn a_device_fails_at_most_once_per_epoch() {
	test(|| {
		let registration = active_pki_device(1, Some(8));
		let device = registration.device;
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_B, device, Attestation::AuthenticationFailed));
		assert_eq!(info(device).strikes, 1);
		// The attack: the same proxies report the failure again in the same epoch, for a
		// second strike and a second piece of `Failed` evidence.
		assert_noop!(
			attest(PROXY_A, device, Attestation::AuthenticationFailed),
			Error::<Test>::AlreadyConcluded
		);
		assert_noop!(
			attest(PROXY_C, device, Attestation::AuthenticationFailed),
			Error::<Test>::AlreadyConcluded
		);
		// Even after the device proved itself again.
		assert_ok!(authenticate(&registration.keypair));
		assert_noop!(
			attest(PROXY_C, device, Attestation::AuthenticationFailed),
			Error::<Test>::AlreadyConcluded
		);
		// The next epoch may conclude a failure again.
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_C, device, Attestation::AuthenticationFailed));
		assert!(emitted(Event::AuthenticationFailed { device, epoch: 1, strikes: 1 }));
	});
}

#[test]
fn tallies_and_counters_of_finished_epochs_are_pruned_a_few_per_block() {
	// Written to the database (not only the overlay) before the pruning, as on a chain, so
	// that the per-block limit applies.
	let mut ext = new_test_ext();
	let devices = ext.execute_with(|| {
		for proxy in [PROXY_A, PROXY_B] {
			set_trust(proxy, TrustLevel::High);
		}
		run_to_block(1);
		let devices = active_devices(4);
		for device in &devices {
			assert_ok!(attest(PROXY_A, *device, Attestation::AuthenticationFailed));
		}
		assert_ok!(attest(PROXY_B, devices[0], Attestation::AuthenticationFailed));
		// Epoch 0 holds 4 tallies (one of them concluded) and 2 counters.
		assert_eq!(Tallies::<Test>::iter_prefix((0,)).count(), 4);
		assert_eq!(AttestationsBy::<Test>::iter_prefix(0).count(), 2);
		run_to_block(EPOCH);
		devices
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		let left = || {
			Tallies::<Test>::iter_prefix((0,)).count()
				+ AttestationsBy::<Test>::iter_prefix(0).count()
		};
		// Epoch 1 starts: MaxPrunePerBlock = 2 entries per block, tallies first.
		let mut blocks = 0;
		while AttestationsPrunedTo::<Test>::get() == 0 {
			let before = left();
			run_to_block(System::block_number() + 1);
			assert!(before - left() <= 2, "at most MaxPrunePerBlock entries per block");
			blocks += 1;
			assert!(blocks <= 4, "six entries take three blocks, and one to move on");
		}
		assert_eq!(left(), 0);
		// A tally of the finished epoch no longer counts, nor blocks a new one.
		assert_ok!(attest(PROXY_A, devices[0], Attestation::AuthenticationFailed));
		let tally = Tallies::<Test>::get((1, devices[0], Attestation::AuthenticationFailed));
		assert_eq!(tally.unwrap().0.to_vec(), vec![(PROXY_A, DEPOSIT)]);
		DeviceIdentity::do_try_state().unwrap();
	});
}

#[test]
fn the_expiry_queue_cannot_outgrow_its_pruning() {
	test(|| {
		// The bound of the configuration (what `integrity_test` checks).
		assert!(DeviceIdentity::pruning_keeps_up());
		<DeviceIdentity as frame_support::traits::Hooks<u64>>::integrity_test();
		let per_epoch = MAX_ATTESTATIONS_PER_EPOCH / 2; // conclusions: MinAttestations votes each
		let bound = ((TTL + EPOCH) / EPOCH + 1) * u64::from(per_epoch);

		// The attack: proxies renew one device's admission as often as they can, every block,
		// for ten epochs; every renewal queues an expiry.
		let proxies = more_proxies(5);
		let registration = active_pki_device(1, None);
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		let mut longest = 0;
		let mut refused = 0;
		for _ in 0..10 * EPOCH {
			let pair = |i: usize| (proxies[i % 5], proxies[(i + 1) % 5]);
			for i in 0..2 {
				let (a, b) = pair(System::block_number() as usize + i);
				if attest(a, device, cross).is_err() || attest(b, device, cross).is_err() {
					refused += 1;
				}
			}
			let (head, tail) = ExpiryQueueRange::<Test>::get();
			longest = longest.max(tail - head);
			run_to_block(System::block_number() + 1);
			if Epoch::<Test>::get().unwrap().started_at == System::block_number() {
				assert_ok!(authenticate(&registration.keypair));
			}
		}
		assert!(refused > 0, "the epoch quota refused some renewals");
		assert!(longest <= bound, "queue length {longest} exceeds {bound}");
		// Everything queued is pruned once it expires.
		run_to_block(System::block_number() + TTL + EPOCH);
		let (head, tail) = ExpiryQueueRange::<Test>::get();
		assert_eq!(head, tail);
	});
}

#[test]
fn validators_at_moderate_trust_are_proxies() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		// Moderate and not a validator: no proxy.
		assert!(!DeviceIdentity::is_proxy(&NOT_PROXY));
		assert_noop!(
			attest(NOT_PROXY, device, Attestation::AuthenticationFailed),
			Error::<Test>::NotProxy
		);
		// Moderate and a validator: a proxy (the set of proxies cannot empty itself while
		// there are validators). Below Moderate, a validator is not one.
		set_validators([NOT_PROXY, 300]);
		set_trust(300, TrustLevel::Doubtful);
		assert!(DeviceIdentity::is_proxy(&NOT_PROXY));
		assert!(!DeviceIdentity::is_proxy(&300));
		assert_ok!(attest(NOT_PROXY, device, Attestation::AuthenticationFailed));
		assert_noop!(
			attest(300, device, Attestation::AuthenticationFailed),
			Error::<Test>::NotProxy
		);
		// Accounts at High stay proxies without being validators.
		assert!(DeviceIdentity::is_proxy(&PROXY_A));
	});
}
