//! `set_enrolment_key`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// An IBE authority registered through the call, without an enrolment key.
fn bare_ibe_authority(seed: u64) -> AuthorityId {
	let key = kgc(seed).sign_public_key().unwrap().to_bytes();
	let authority = NextAuthorityId::<Test>::get();
	assert_ok!(DeviceIdentity::register_authority(RuntimeOrigin::root(), AuthorityKey::Ibe(key)));
	authority
}

#[test]
fn sets_replaces_and_removes_the_key() {
	test(|| {
		let authority = bare_ibe_authority(1);
		let key = Some(testing_utils::enrolment_key(authority).0);
		assert_ok!(DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, key));
		assert!(emitted(Event::EnrolmentKeySet { authority, key }));
		assert_eq!(EnrolmentKeys::<Test>::get(authority), key);

		let other = Some(testing_utils::enrolment_key(authority + 1).0);
		assert_ok!(DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, other));
		assert_eq!(EnrolmentKeys::<Test>::get(authority), other);

		assert_ok!(DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, None));
		assert!(emitted(Event::EnrolmentKeySet { authority, key: None }));
		assert_eq!(EnrolmentKeys::<Test>::get(authority), None);
	});
}

#[test]
fn errors() {
	test(|| {
		let authority = bare_ibe_authority(1);
		let key = Some(testing_utils::enrolment_key(authority).0);
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::signed(PROXY_A), authority, key),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::none(), authority, key),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority + 1, key),
			Error::<Test>::AuthorityUnknown
		);
		let (pki, _) = pki_authority(2);
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), pki, key),
			Error::<Test>::NotIbeAuthority
		);
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), pki, None),
			Error::<Test>::NotIbeAuthority
		);
		// Not an sr25519 public key: the identity point, a non-canonical encoding.
		for malformed in [[0; 32], [0xff; 32]] {
			assert_noop!(
				DeviceIdentity::set_enrolment_key(
					RuntimeOrigin::root(),
					authority,
					Some(malformed)
				),
				Error::<Test>::EnrolmentKeyMalformed
			);
		}
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority));
		assert_noop!(
			DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, key),
			Error::<Test>::AuthorityRetired
		);
	});
}

/// Removing the key stops new registrations at once; a pending one stays pending and is
/// settled by the proxies or times out, as before.
#[test]
fn removing_the_key_stops_new_registrations_pending_ones_time_out() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let pending =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(pending.submit());
		let keypair = testing_utils::device(2);
		let next =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);

		assert_ok!(DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, None));
		assert_eq!(validate(&next.call()), Err(custom(Error::<Test>::EnrolmentKeyMissing)));
		assert_noop!(next.submit(), Error::<Test>::EnrolmentKeyMissing);
		assert_eq!(info(pending.device).status, DeviceStatus::Pending);

		next_epoch();
		next_epoch(); // past the registration timeout
		assert!(emitted(Event::RegistrationExpired { device: pending.device }));
		assert_eq!(PendingCredentials::<Test>::count(), 0);
	});
}
