//! Reclaimed capacity (`reclaim.rs`): revoked tombstones and the records of retired
//! authorities leave `MaxDevices`, removed authorities leave `MaxAuthorities`. Mock:
//! `TOMBSTONE_RETENTION = 2` epochs of 10 blocks, `MaxAuthorities = 8`.

use super::*;
use frame_support::{assert_noop, assert_ok};

/// Runs to the first block of epoch `epoch`, and one block more for its sweep.
fn swept_into(epoch: AuthEpoch) {
	while testing_utils::epoch::<Test>() < epoch {
		next_epoch();
	}
	run_to_block(System::block_number() + 1);
	assert!(Sweep::<Test>::get().is_none());
}

#[test]
fn a_tombstone_goes_once_retained_and_its_certificate_expired() {
	test(|| {
		let expired = pki_device_certified_until(1, 15, None);
		let certified = active_pki_device(3, None);
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(5);
		let ibe =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(ibe.submit());
		for device in [expired.device, certified.device, ibe.device] {
			assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), device));
			assert_eq!(RevokedAt::<Test>::get(device), Some(0));
		}
		// Kept for the retention: the sweeps of epochs 0 and 1 keep every tombstone.
		swept_into(2);
		assert_eq!(Devices::<Test>::count(), 3);
		// The sweep of epoch 2 removes the one whose certificate expired; the one whose
		// certificate could still be replayed and the IBE one (enrolled until
		// `ENROLMENT_EXPIRY`) stay.
		swept_into(3);
		assert!(emitted(Event::DeviceRecordRemoved { device: expired.device }));
		assert!(Devices::<Test>::get(expired.device).is_none());
		assert!(RevokedAt::<Test>::get(expired.device).is_none());
		assert_eq!(info(certified.device).status, DeviceStatus::Revoked);
		assert_eq!(info(ibe.device).status, DeviceStatus::Revoked);
		assert_eq!(Devices::<Test>::count(), 2);
		// The removed ID cannot come back with its old certificate.
		let mut replay = expired.clone();
		replay.prove();
		assert_noop!(replay.submit(), Error::<Test>::CertificateExpired);
	});
}

/// A revoked IBE device's tombstone goes as a PKI one does: once `TOMBSTONE_RETENTION` epochs
/// have passed since the revocation and its enrolment has expired, not before either. The
/// removed ID cannot register again with its old credential. An IBE record without an expiry
/// (made before enrolments carried one) stays while its authority is active.
#[test]
fn an_ibe_tombstone_goes_once_retained_and_its_enrolment_expired() {
	test(|| {
		// Enrolled until block 15 (epoch 1) and until block 45 (epoch 4).
		let early = ibe_device_enrolled_until(1, 15, Some(2));
		let late = ibe_device_enrolled_until(3, 45, None);
		let legacy = ibe_device_enrolled_until(5, 15, None);
		Devices::<Test>::mutate(legacy.device, |record| {
			record.as_mut().unwrap().certificate_expires_at = None
		});
		for device in [early.device, late.device, legacy.device] {
			assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), device));
			assert_eq!(RevokedAt::<Test>::get(device), Some(0));
		}
		// Not before the retention: the sweep of epoch 1 (after block 20) keeps the tombstone
		// whose enrolment expired at block 15.
		swept_into(2);
		assert_eq!(Devices::<Test>::count(), 3);
		// The sweep of epoch 2 removes it, with what hangs on it.
		swept_into(3);
		assert!(emitted(Event::DeviceRecordRemoved { device: early.device }));
		assert!(Devices::<Test>::get(early.device).is_none());
		assert!(RevokedAt::<Test>::get(early.device).is_none());
		assert_eq!(Devices::<Test>::count(), 2);
		// Not before the expiry: retained, but enrolled until block 45, the other one stays
		// through the sweep of epoch 3 (blocks 31-40) and goes with that of epoch 4.
		swept_into(4);
		assert_eq!(info(late.device).status, DeviceStatus::Revoked);
		swept_into(5);
		assert!(emitted(Event::DeviceRecordRemoved { device: late.device }));
		assert!(Devices::<Test>::get(late.device).is_none());
		// The record without an expiry stays.
		assert_eq!(info(legacy.device).status, DeviceStatus::Revoked);
		assert_eq!(Devices::<Test>::count(), 1);
		// The removed IDs cannot come back with their old enrolments: the old call answers an
		// old challenge, and a new proof with the old credential meets its expiry.
		assert_noop!(early.submit(), Error::<Test>::ChallengeExpired);
		for removed in [early, late] {
			let mut replay = removed.clone();
			replay.prove();
			assert_eq!(validate(&replay.call()), Err(custom(Error::<Test>::CertificateExpired)));
			assert_noop!(replay.submit(), Error::<Test>::CertificateExpired);
		}
	});
}

#[test]
fn the_records_of_a_retired_authority_go_then_the_authority() {
	test(|| {
		let registration = active_pki_device(1, Some(5));
		let device = registration.device;
		let home = registration.authority;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));
		assert_eq!(ControllerDevice::<Test>::get(5), Some(device));

		assert_noop!(
			DeviceIdentity::remove_authority(RuntimeOrigin::root(), home),
			Error::<Test>::AuthorityActive
		);
		assert_noop!(
			DeviceIdentity::remove_authority(RuntimeOrigin::root(), 7),
			Error::<Test>::AuthorityUnknown
		);
		assert_noop!(
			DeviceIdentity::remove_authority(RuntimeOrigin::signed(PROXY_A), home),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), home));
		assert_eq!(RetiredAt::<Test>::get(home), Some(0));
		assert_noop!(
			DeviceIdentity::remove_authority(RuntimeOrigin::root(), home),
			Error::<Test>::AuthorityRetiredRecently
		);

		// The sweep of epoch 2 removes the device, its controller binding and whitelist.
		swept_into(2);
		assert!(Devices::<Test>::get(device).is_some());
		swept_into(3);
		assert!(emitted(Event::DeviceRecordRemoved { device }));
		assert!(Devices::<Test>::get(device).is_none());
		assert_eq!(ControllerDevice::<Test>::get(5), None);
		assert!(Whitelist::<Test>::get(device).is_empty());
		// The authority goes once that sweep is over for sure (the next epoch).
		assert_noop!(
			DeviceIdentity::remove_authority(RuntimeOrigin::root(), home),
			Error::<Test>::AuthorityRetiredRecently
		);
		next_epoch();
		let before = DeviceIdentity::authority_count();
		assert_ok!(DeviceIdentity::remove_authority(RuntimeOrigin::root(), home));
		assert!(emitted(Event::AuthorityRemoved { authority: home }));
		assert_eq!(DeviceIdentity::authority_count(), before - 1);
		assert!(RetiredAt::<Test>::get(home).is_none());
		// Its key stays reserved.
		let key = AuthorityKey::Pki(CaKey::Ecdsa(testing_utils::ca_key(1)));
		assert_noop!(
			DeviceIdentity::register_authority(RuntimeOrigin::root(), key),
			Error::<Test>::AuthorityKeyInUse
		);
	});
}

#[test]
fn a_removed_authority_frees_its_place() {
	test(|| {
		let authorities: Vec<AuthorityId> = (1..=8u16)
			.map(|seed| {
				testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(seed))
			})
			.collect();
		let ninth = AuthorityKey::Ibe(testing_utils::sm9_master_key(9));
		// The attack on capacity: retired authorities held their places for good.
		assert_noop!(
			DeviceIdentity::register_authority(RuntimeOrigin::root(), ninth.clone()),
			Error::<Test>::TooManyAuthorities
		);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authorities[0]));
		swept_into(4);
		assert_ok!(DeviceIdentity::remove_authority(RuntimeOrigin::root(), authorities[0]));
		assert_ok!(DeviceIdentity::register_authority(RuntimeOrigin::root(), ninth));
		assert_eq!(DeviceIdentity::authority_count(), 8);
		assert_eq!(NextAuthorityId::<Test>::get(), 9);
	});
}
