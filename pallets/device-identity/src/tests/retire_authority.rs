//! `retire_authority`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn retires_an_authority() {
	test(|| {
		let (authority, _) = pki_authority(1);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority));
		assert!(emitted(Event::AuthorityRetired { authority }));
		assert_eq!(Authorities::<Test>::get(authority).unwrap().status, AuthorityStatus::Retired);
	});
}

#[test]
fn errors() {
	test(|| {
		let (authority, _) = pki_authority(1);
		assert_noop!(
			DeviceIdentity::retire_authority(RuntimeOrigin::signed(PROXY_A), authority),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority + 1),
			Error::<Test>::AuthorityUnknown
		);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority));
		assert_noop!(
			DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority),
			Error::<Test>::AuthorityRetired
		);
	});
}

#[test]
fn devices_of_a_retired_authority_stop_registering_and_authenticating() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let registered = Registration::pki(1, authority, &ca, None);
		assert_ok!(registered.submit());
		let waiting = Registration::pki(2, authority, &ca, None);
		assert!(DeviceIdentity::is_authenticated(&registered.device));

		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority));
		assert!(!DeviceIdentity::is_authenticated(&registered.device));
		assert_noop!(waiting.submit(), Error::<Test>::AuthorityRetired);
		next_epoch();
		assert_noop!(authenticate(&registered.keypair), Error::<Test>::AuthorityRetired);
	});
}

#[test]
fn whitelist_entries_for_a_retired_domain_stop_counting() {
	test(|| {
		let device = active_pki_device(1, None);
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let cross = Attestation::CrossDomain { target };
		assert_ok!(attest(PROXY_A, device.device, cross));
		assert_ok!(attest(PROXY_B, device.device, cross));
		let domains = |d| DeviceIdentity::device_report(&d).unwrap().domains.len();
		assert_eq!(domains(device.device), 2);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), target));
		assert_eq!(domains(device.device), 1);
	});
}
