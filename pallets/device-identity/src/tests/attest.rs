//! `attest`: proxy nodes verify IBE credentials off chain (real SM9), admit devices across
//! domains, and report failed authentications.

use super::*;
use endo_traits::IdentityEvidence;
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_runtime::DispatchError;

/// An IBE device registered with the credential its KGC issued.
fn pending_ibe_device(seed: u32) -> (Sm9Kgc, Registration) {
	let kgc = kgc(u64::from(seed));
	let authority = ibe_authority(&kgc);
	let keypair = testing_utils::device(seed);
	let signature = sm9_credential(&kgc, &keypair);
	let registration = Registration::ibe(keypair, authority, signature, Some(50 + seed as u64));
	assert_ok!(registration.submit());
	(kgc, registration)
}

#[test]
fn proxies_confirm_a_genuine_sm9_credential() {
	test(|| {
		let (_, registration) = pending_ibe_device(1);
		let device = registration.device;
		assert_eq!(proxy_verdict(device), Attestation::CredentialValid);

		assert_ok!(attest(PROXY_A, device, Attestation::CredentialValid));
		assert!(emitted(Event::Attested {
			device,
			proxy: PROXY_A,
			attestation: Attestation::CredentialValid,
			votes: 1
		}));
		assert_eq!(info(device).status, DeviceStatus::Pending);
		assert_eq!(
			Tallies::<Test>::get((0, device, Attestation::CredentialValid)).unwrap().0.to_vec(),
			vec![(PROXY_A, DEPOSIT)]
		);

		assert_eq!(ControllerDevice::<Test>::get(51), None, "a pending device reserves nothing");
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialValid));
		assert!(emitted(Event::RegistrationConfirmed { device }));
		assert_eq!(info(device).status, DeviceStatus::Active);
		assert_eq!(ControllerDevice::<Test>::get(51), Some(device), "bound when confirmed");
		assert!(!PendingCredentials::<Test>::contains_key(device));
		assert!(Tallies::<Test>::get((0, device, Attestation::CredentialValid)).is_none());
		assert!(take_evidence().is_empty());
		// The registration proof of this epoch counts, and the epoch's sweep reports it.
		assert!(DeviceIdentity::is_authenticated(&device));
		next_epoch();
		assert_eq!(take_evidence(), vec![(device, Some(51), IdentityEvidence::Authenticated)]);
		assert_ok!(authenticate(&registration.keypair));
	});
}

#[test]
fn proxies_reject_a_forged_sm9_credential() {
	test(|| {
		// Signed by another KGC's key for this identity: well formed, but not from the
		// registered centre.
		let genuine = kgc(1);
		let forger = kgc(2);
		let authority = ibe_authority(&genuine);
		let keypair = testing_utils::device(1);
		let forged = sm9_credential(&forger, &keypair);
		let registration = Registration::ibe(keypair.clone(), authority, forged, Some(5));
		assert_ok!(registration.submit());
		let device = registration.device;
		assert_eq!(proxy_verdict(device), Attestation::CredentialInvalid);

		assert_ok!(attest(PROXY_A, device, Attestation::CredentialInvalid));
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialInvalid));
		assert!(emitted(Event::RegistrationRejected { device }));
		assert_eq!(info(device).status, DeviceStatus::Rejected);
		assert!(!PendingCredentials::<Test>::contains_key(device));
		assert!(ControllerDevice::<Test>::get(5).is_none());
		assert!(Tallies::<Test>::iter_prefix((0, device)).next().is_none());

		// The device may try again with the genuine credential, from the next epoch on.
		next_epoch();
		assert!(Devices::<Test>::get(device).is_none(), "the sweep removed the marker");
		let mut retry =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&genuine, &keypair), None);
		retry.prove();
		assert_ok!(retry.submit());
		assert_eq!(proxy_verdict(device), Attestation::CredentialValid);
	});
}

/// Issue #11, Low 5: the proxies rejected a registration; the very same call (same device,
/// same proof of the same epoch) must not register it again in that epoch.
#[test]
fn a_rejected_registration_cannot_be_replayed_in_its_epoch() {
	test(|| {
		let authority = ibe_authority(&kgc(1));
		let forged = sm9_credential(&kgc(2), &testing_utils::device(1));
		let registration = Registration::ibe(testing_utils::device(1), authority, forged, None);
		let device = registration.device;
		assert_ok!(registration.submit());
		assert_ok!(attest(PROXY_A, device, Attestation::CredentialInvalid));
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialInvalid));
		assert!(emitted(Event::RegistrationRejected { device }));

		// The replay: refused by the pool and by the call, and nothing changes.
		run_to_block(2);
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::CredentialRejected)));
		assert_noop!(registration.submit(), Error::<Test>::CredentialRejected);
		// The marker is no device: no authentication, no attestation, no pending slot.
		assert_eq!(PendingCredentials::<Test>::count(), 0);
		assert_noop!(
			attest(PROXY_A, device, Attestation::CredentialValid),
			Error::<Test>::NotPending
		);
		assert!(!DeviceIdentity::is_authenticated(&device));

		// Next epoch: the old proof has expired, the sweep removed the marker, and a new
		// registration (a new proof) is accepted.
		next_epoch();
		assert!(Devices::<Test>::get(device).is_none());
		assert_noop!(registration.submit(), Error::<Test>::ChallengeExpired);
		let mut again = registration.clone();
		again.prove();
		assert_ok!(again.submit());
		assert_eq!(info(device).status, DeviceStatus::Pending);
	});
}

#[test]
fn a_rejection_after_the_registration_epoch_removes_the_record_at_once() {
	test(|| {
		let authority = ibe_authority(&kgc(1));
		let forged = sm9_credential(&kgc(2), &testing_utils::device(1));
		let registration = Registration::ibe(testing_utils::device(1), authority, forged, None);
		let device = registration.device;
		assert_ok!(registration.submit());
		next_epoch(); // its proof has expired: nothing to replay
		assert_ok!(attest(PROXY_A, device, Attestation::CredentialInvalid));
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialInvalid));
		assert!(emitted(Event::RegistrationRejected { device }));
		assert!(Devices::<Test>::get(device).is_none());
		assert_noop!(registration.submit(), Error::<Test>::ChallengeExpired);
	});
}

/// Issue #11, High 2: a pending registration reserves nothing, so when the proxies confirm it
/// after its controller bound another device, the registration is void (one device per
/// account) and nothing else changes.
#[test]
fn a_confirmation_is_void_if_the_controller_bound_another_device_meanwhile() {
	test(|| {
		let (_, pending) = pending_ibe_device(1); // controller 51
		let device = pending.device;
		assert_eq!(ControllerDevice::<Test>::get(51), None, "pending: nothing reserved");
		let active = active_pki_device(2, Some(51));
		assert_eq!(ControllerDevice::<Test>::get(51), Some(active.device));

		assert_ok!(attest(PROXY_A, device, Attestation::CredentialValid));
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialValid));
		assert!(emitted(Event::RegistrationVoided { device, controller: 51 }));
		assert!(!emitted(Event::RegistrationConfirmed { device }));
		assert!(Devices::<Test>::get(device).is_none());
		assert!(!PendingCredentials::<Test>::contains_key(device));
		assert!(Tallies::<Test>::iter_prefix((0, device)).next().is_none());
		assert_eq!(ControllerDevice::<Test>::get(51), Some(active.device));
		// The device may register again without that controller.
		let mut again = pending.clone();
		again.controller = None;
		again.prove();
		assert_ok!(again.submit());
	});
}

#[test]
fn a_credential_for_another_identity_is_rejected_by_the_proxies() {
	test(|| {
		// The KGC's genuine signature, but of another device's ID.
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let signature = sm9_credential(&kgc, &testing_utils::device(2));
		let registration = Registration::ibe(testing_utils::device(1), authority, signature, None);
		assert_ok!(registration.submit());
		assert_eq!(proxy_verdict(registration.device), Attestation::CredentialInvalid);
	});
}

#[test]
fn only_proxies_attest_and_only_concluding_votes_are_free() {
	test(|| {
		let (_, registration) = pending_ibe_device(1);
		let device = registration.device;
		let result = DeviceIdentity::attest(
			RuntimeOrigin::signed(NOT_PROXY),
			device,
			Attestation::CredentialValid,
		);
		assert_eq!(result.map_err(|e| e.error), Err(Error::<Test>::NotProxy.into()));
		assert_noop!(
			attest(NOT_PROXY, device, Attestation::CredentialValid),
			Error::<Test>::NotProxy
		);
		assert_noop!(
			DeviceIdentity::attest(RuntimeOrigin::none(), device, Attestation::CredentialValid),
			DispatchError::BadOrigin
		);
		let vote = DeviceIdentity::attest(
			RuntimeOrigin::signed(PROXY_A),
			device,
			Attestation::CredentialValid,
		)
		.unwrap();
		assert_eq!(vote.pays_fee, Pays::No, "a vote that settles nothing holds a deposit");
		assert!(vote.actual_weight.unwrap().all_lte(DeviceIdentity::attest_weight_bound()));
		let settling = DeviceIdentity::attest(
			RuntimeOrigin::signed(PROXY_B),
			device,
			Attestation::CredentialValid,
		)
		.unwrap();
		assert_eq!(settling.pays_fee, Pays::No, "the vote that settles is free");
		assert!(settling.actual_weight.unwrap().all_lte(DeviceIdentity::attest_weight_bound()));
	});
}

#[test]
fn one_vote_per_proxy() {
	test(|| {
		let (_, registration) = pending_ibe_device(1);
		let device = registration.device;
		assert_ok!(attest(PROXY_A, device, Attestation::CredentialValid));
		assert_noop!(
			attest(PROXY_A, device, Attestation::CredentialValid),
			Error::<Test>::AlreadyAttested
		);
		// Nor both ways.
		assert_noop!(
			attest(PROXY_A, device, Attestation::CredentialInvalid),
			Error::<Test>::AlreadyAttested
		);
	});
}

#[test]
fn credential_attestations_need_a_pending_device() {
	test(|| {
		let registration = active_pki_device(1, None);
		assert_noop!(
			attest(PROXY_A, registration.device, Attestation::CredentialValid),
			Error::<Test>::NotPending
		);
		assert_noop!(
			attest(PROXY_A, [7; 32], Attestation::CredentialValid),
			Error::<Test>::DeviceUnknown
		);
	});
}

/// A pending IBE registration whose enrolment has expired is never confirmed: a confirmation
/// is refused ([`Error::CertificateExpired`]) and changes nothing (no vote, no deposit); the
/// proxies can still reject it, and the deposit of a confirmation made before the expiry is
/// released when its epoch is pruned, as for any tally that does not settle.
#[test]
fn a_registration_whose_enrolment_expired_is_not_confirmed() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let signature = sm9_credential(&kgc, &keypair);
		// Enrolled until block 3.
		let registration = Registration::ibe_until(keypair, authority, signature, Some(51), 3);
		assert_ok!(registration.submit());
		let device = registration.device;
		assert_eq!(info(device).certificate_expires_at, Some(3));
		assert_ok!(attest(PROXY_A, device, Attestation::CredentialValid));
		// At the enrolment's last block a confirmation would still count; after it, none does.
		run_to_block(4);
		assert_noop!(
			attest(PROXY_B, device, Attestation::CredentialValid),
			Error::<Test>::CertificateExpired
		);
		assert_eq!(info(device).status, DeviceStatus::Pending);
		assert_eq!(
			Tallies::<Test>::get((0, device, Attestation::CredentialValid)).unwrap().0.to_vec(),
			vec![(PROXY_A, DEPOSIT)]
		);
		assert!(ControllerDevice::<Test>::get(51).is_none());
		// A rejection still settles, and the device never authenticates.
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialInvalid));
		assert_ok!(attest(PROXY_C, device, Attestation::CredentialInvalid));
		assert!(emitted(Event::RegistrationRejected { device }));
		assert_eq!(info(device).status, DeviceStatus::Rejected);
		assert!(!DeviceIdentity::is_authenticated(&device));
		use frame_support::traits::fungible::InspectHold;
		let hold: RuntimeHoldReason = crate::HoldReason::AttestationDeposit.into();
		assert_eq!(Balances::balance_on_hold(&hold, &PROXY_A), DEPOSIT);
		run_to_block(2 * EPOCH);
		assert_eq!(AttestationsPrunedTo::<Test>::get(), 1);
		assert_eq!(Balances::balance_on_hold(&hold, &PROXY_A), 0);
		assert!(Devices::<Test>::get(device).is_none(), "the marker goes with its epoch");
	});
}

/// Confirmed before its enrolment expires, an IBE device is active, then stops authenticating
/// at the expiry, as a PKI device at its certificate's.
#[test]
fn a_confirmation_at_the_enrolment_last_block_activates_the_device() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let signature = sm9_credential(&kgc, &keypair);
		let registration = Registration::ibe_until(keypair, authority, signature, None, 3);
		assert_ok!(registration.submit());
		let device = registration.device;
		assert_ok!(attest(PROXY_A, device, Attestation::CredentialValid));
		run_to_block(3);
		assert_ok!(attest(PROXY_B, device, Attestation::CredentialValid));
		assert_eq!(info(device).status, DeviceStatus::Active);
		assert!(DeviceIdentity::is_authenticated(&device));
		run_to_block(4);
		assert!(!DeviceIdentity::is_authenticated(&device));
	});
}

#[test]
fn cross_domain_whitelisting() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_ok!(attest(PROXY_A, device, cross));
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_ok!(attest(PROXY_B, device, cross));
		let expires_at = System::block_number() + TTL;
		assert!(emitted(Event::WhitelistEntryAdded { device, target, expires_at }));
		assert_eq!(
			Whitelist::<Test>::get(device).to_vec(),
			vec![WhitelistEntry { target, expires_at }]
		);
		assert_eq!(ExpiryQueue::<Test>::get(0), Some((device, target, expires_at)));

		let report = DeviceIdentity::device_report(&device).unwrap();
		assert_eq!(
			report.domains,
			vec![
				DomainMembership {
					authority: registration.authority,
					kind: DomainKind::Pki,
					expires_at: None
				},
				DomainMembership {
					authority: target,
					kind: DomainKind::Ibe,
					expires_at: Some(expires_at)
				},
			]
		);

		// Renewal in a later block extends the entry.
		run_to_block(5);
		assert_ok!(attest(PROXY_A, device, cross));
		assert_ok!(attest(PROXY_C, device, cross));
		let renewed = 5 + TTL;
		assert_eq!(
			Whitelist::<Test>::get(device).to_vec(),
			vec![WhitelistEntry { target, expires_at: renewed }]
		);
	});
}

#[test]
fn cross_domain_errors() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		let home = registration.authority;
		// Nobody asked.
		assert_noop!(
			DeviceIdentity::attest(
				RuntimeOrigin::signed(PROXY_A),
				device,
				Attestation::CrossDomain { target: 7 }
			),
			Error::<Test>::NoRequest
		);
		request(device, home);
		assert_noop!(
			attest(PROXY_A, device, Attestation::CrossDomain { target: home }),
			Error::<Test>::SameDomain
		);
		request(device, 7);
		assert_noop!(
			attest(PROXY_A, device, Attestation::CrossDomain { target: 7 }),
			Error::<Test>::AuthorityUnknown
		);
		let retired = testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(1));
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), retired));
		request(device, retired);
		assert_noop!(
			attest(PROXY_A, device, Attestation::CrossDomain { target: retired }),
			Error::<Test>::AuthorityRetired
		);

		// Full: MaxWhitelistPerDevice = 3 targets.
		for seed in 2..5u16 {
			let target =
				testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(seed));
			assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
			assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));
		}
		let fourth = testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(5));
		// Refused at the first vote: the admission could not settle (an authorized worker vote
		// would otherwise fail in its block).
		request(device, fourth);
		assert_noop!(
			attest(PROXY_A, device, Attestation::CrossDomain { target: fourth }),
			Error::<Test>::WhitelistFull
		);

		// Not authenticated: the device misses epoch 1.
		next_epoch();
		next_epoch();
		// (The sweep ended the request that had timed out.)
		assert!(!CrossDomainRequests::<Test>::contains_key(device));
		request(device, fourth);
		assert_noop!(
			attest(PROXY_C, device, Attestation::CrossDomain { target: fourth }),
			Error::<Test>::NotAuthenticated
		);
	});
}

#[test]
fn window_votes_count_only_in_their_epoch() {
	test(|| {
		let registration = active_pki_device(1, None);
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_ok!(attest(PROXY_A, registration.device, cross));
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		// PROXY_A's vote was for epoch 0: this is a first vote again, and PROXY_A may vote anew.
		assert_ok!(attest(PROXY_B, registration.device, cross));
		assert!(emitted(Event::Attested {
			device: registration.device,
			proxy: PROXY_B,
			attestation: cross,
			votes: 1
		}));
		assert!(Whitelist::<Test>::get(registration.device).is_empty());
		assert_ok!(attest(PROXY_A, registration.device, cross));
		assert_eq!(Whitelist::<Test>::get(registration.device).len(), 1);
	});
}

#[test]
fn failed_authentication_reported_by_the_proxies() {
	test(|| {
		let registration = active_pki_device(1, Some(8));
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));
		take_evidence();

		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_eq!(info(device).strikes, 0);
		assert_ok!(attest(PROXY_B, device, Attestation::AuthenticationFailed));
		assert!(emitted(Event::AuthenticationFailed { device, epoch: 0, strikes: 1 }));
		assert_eq!(take_evidence(), vec![(device, Some(8), IdentityEvidence::Failed)]);
		let record = info(device);
		assert_eq!(
			(record.strikes, record.last_proof, record.authenticated_since),
			(1, None, None)
		);
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert!(!DeviceIdentity::is_authenticated(&device));
		// It must prove itself again, and may do so at once.
		assert_ok!(authenticate(&registration.keypair));
		assert!(DeviceIdentity::is_authenticated(&device));
		assert_eq!(info(device).strikes, 0);
	});
}

#[test]
fn repeated_failures_quarantine() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		// A failure in epoch 0 (strike 1), one in epoch 1 (strike 2; at most one failure per
		// epoch), and the window of epoch 1 missed after it (strike 3, from the sweep).
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_B, device, Attestation::AuthenticationFailed));
		assert_eq!(info(device).strikes, 1);
		next_epoch();
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_B, device, Attestation::AuthenticationFailed));
		assert_eq!(info(device).strikes, 2);
		next_epoch();
		assert_eq!(info(device).strikes, 3);
		assert_eq!(info(device).status, DeviceStatus::Quarantined);
		assert!(emitted(Event::DeviceQuarantined { device, reason: QuarantineReason::Strikes }));
		assert_noop!(
			attest(PROXY_C, device, Attestation::AuthenticationFailed),
			Error::<Test>::DeviceQuarantined
		);
	});
}
