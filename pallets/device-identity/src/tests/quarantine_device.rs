//! `quarantine_device`, and quarantine through `DeviceIdentityInspect`.

use super::*;
use endo_traits::DeviceIdentityInspect;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn quarantines_an_active_device() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));

		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert!(emitted(Event::DeviceQuarantined { device, reason: QuarantineReason::Admin }));
		assert_eq!(info(device).status, DeviceStatus::Quarantined);
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert!(!DeviceIdentity::is_authenticated(&device));
		next_epoch();
		assert_noop!(authenticate(&registration.keypair), Error::<Test>::DeviceQuarantined);
		// Quarantined devices are not swept: no strikes while quarantined.
		next_epoch();
		assert_eq!(info(device).strikes, 0);
	});
}

#[test]
fn errors() {
	test(|| {
		let registration = active_pki_device(1, None);
		let device = registration.device;
		assert_noop!(
			DeviceIdentity::quarantine_device(RuntimeOrigin::signed(PROXY_A), device),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DeviceIdentity::quarantine_device(RuntimeOrigin::root(), [1; 32]),
			Error::<Test>::DeviceUnknown
		);
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert_noop!(
			DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device),
			Error::<Test>::DeviceQuarantined
		);

		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(2);
		let pending =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(pending.submit());
		assert_noop!(
			DeviceIdentity::quarantine_device(RuntimeOrigin::root(), pending.device),
			Error::<Test>::RegistrationPending
		);

		let revoked = active_pki_device(3, None);
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), revoked.device));
		assert_noop!(
			DeviceIdentity::quarantine_device(RuntimeOrigin::root(), revoked.device),
			Error::<Test>::DeviceRevoked
		);
	});
}

#[test]
fn other_pallets_quarantine_through_the_inspect_trait() {
	test(|| {
		let registration = active_pki_device(1, Some(4));
		let device = registration.device;
		type Inspect = DeviceIdentity;
		assert!(<Inspect as DeviceIdentityInspect<AccountId>>::is_authenticated(&device));
		assert_eq!(<Inspect as DeviceIdentityInspect<AccountId>>::device_of(&4), Some(device));
		assert_eq!(<Inspect as DeviceIdentityInspect<AccountId>>::device_of(&5), None);
		assert_eq!(<Inspect as DeviceIdentityInspect<AccountId>>::quarantine(&device), Ok(()));
		assert!(emitted(Event::DeviceQuarantined { device, reason: QuarantineReason::Trust }));
		assert!(!<Inspect as DeviceIdentityInspect<AccountId>>::is_authenticated(&device));
		assert_eq!(<Inspect as DeviceIdentityInspect<AccountId>>::quarantine(&device), Err(()));
		assert_eq!(<Inspect as DeviceIdentityInspect<AccountId>>::quarantine(&[9; 32]), Err(()));
	});
}
