//! `restore_device`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn restores_and_requires_a_fresh_proof() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		// Quarantined by strikes: three missed epochs.
		for _ in 0..4 {
			next_epoch();
		}
		assert_eq!(info(device).status, DeviceStatus::Quarantined);
		assert_eq!(info(device).strikes, 3);

		assert_ok!(DeviceIdentity::restore_device(RuntimeOrigin::root(), device));
		assert!(emitted(Event::DeviceRestored { device }));
		let record = info(device);
		assert_eq!(record.status, DeviceStatus::Active);
		assert_eq!(record.strikes, 0);
		assert_eq!(record.last_proof, None);
		assert_eq!(record.activated_epoch, testing_utils::epoch::<Test>());
		assert!(!DeviceIdentity::is_authenticated(&device));
		// It may prove itself in the epoch it was restored in.
		assert_ok!(authenticate(&registration.keypair));
		assert!(DeviceIdentity::is_authenticated(&device));
	});
}

#[test]
fn the_restore_epoch_is_not_counted_as_missed() {
	test(|| {
		let registration = active_pki_device(1, None);
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), registration.device));
		next_epoch();
		assert_ok!(DeviceIdentity::restore_device(RuntimeOrigin::root(), registration.device));
		next_epoch();
		assert_eq!(info(registration.device).strikes, 0);
		next_epoch();
		assert_eq!(info(registration.device).strikes, 1);
	});
}

#[test]
fn errors() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		assert_noop!(
			DeviceIdentity::restore_device(RuntimeOrigin::root(), device),
			Error::<Test>::NotQuarantined
		);
		assert_noop!(
			DeviceIdentity::restore_device(RuntimeOrigin::root(), [3; 32]),
			Error::<Test>::DeviceUnknown
		);
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert_noop!(
			DeviceIdentity::restore_device(RuntimeOrigin::signed(PROXY_A), device),
			DispatchError::BadOrigin
		);
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), device));
		assert_noop!(
			DeviceIdentity::restore_device(RuntimeOrigin::root(), device),
			Error::<Test>::NotQuarantined
		);
	});
}
