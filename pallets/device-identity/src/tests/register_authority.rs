//! `register_authority`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_core::{ecdsa, sr25519};
use sp_runtime::DispatchError;

#[test]
fn registers_ibe_and_pki_authorities_with_sequential_indices() {
	test(|| {
		let ibe_key = AuthorityKey::Ibe(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(DeviceIdentity::register_authority(RuntimeOrigin::root(), ibe_key.clone()));
		let pki_key = AuthorityKey::Pki(CaKey::Ecdsa(testing_utils::ca_key(1)));
		assert_ok!(DeviceIdentity::register_authority(RuntimeOrigin::root(), pki_key.clone()));

		assert!(emitted(Event::AuthorityRegistered { authority: 0, kind: DomainKind::Ibe }));
		assert!(emitted(Event::AuthorityRegistered { authority: 1, kind: DomainKind::Pki }));
		let first = Authorities::<Test>::get(0).unwrap();
		assert_eq!(
			(first.key, first.status, first.registered_at),
			(ibe_key.clone(), AuthorityStatus::Active, 1)
		);
		assert_eq!(AuthorityOfKey::<Test>::get(&ibe_key), Some(0));
		assert_eq!(AuthorityOfKey::<Test>::get(&pki_key), Some(1));
		assert_eq!(NextAuthorityId::<Test>::get(), 2);
	});
}

#[test]
fn needs_the_admin_origin() {
	test(|| {
		assert_noop!(
			DeviceIdentity::register_authority(
				RuntimeOrigin::signed(PROXY_A),
				AuthorityKey::Ibe(testing_utils::ANNEX_A_MASTER_KEY)
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn rejects_malformed_keys() {
	test(|| {
		let mut coordinate_too_large = testing_utils::ANNEX_A_MASTER_KEY;
		coordinate_too_large[..32].fill(0xff);
		for key in [
			AuthorityKey::Ibe([0; SM9_MASTER_KEY_BYTES]),
			AuthorityKey::Ibe(coordinate_too_large),
			AuthorityKey::Pki(CaKey::Sr25519(sr25519::Public::from_raw([0; 32]))),
			AuthorityKey::Pki(CaKey::Ecdsa(ecdsa::Public::from_raw([4; 33]))),
		] {
			assert_noop!(
				DeviceIdentity::register_authority(RuntimeOrigin::root(), key),
				Error::<Test>::AuthorityKeyMalformed
			);
		}
	});
}

#[test]
fn a_key_registers_once_even_after_retirement() {
	test(|| {
		let key = AuthorityKey::Ibe(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(DeviceIdentity::register_authority(RuntimeOrigin::root(), key.clone()));
		assert_noop!(
			DeviceIdentity::register_authority(RuntimeOrigin::root(), key.clone()),
			Error::<Test>::AuthorityKeyInUse
		);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), 0));
		assert_noop!(
			DeviceIdentity::register_authority(RuntimeOrigin::root(), key),
			Error::<Test>::AuthorityKeyInUse
		);
	});
}

#[test]
fn at_most_max_authorities() {
	test(|| {
		for seed in 0..8u8 {
			assert_ok!(DeviceIdentity::register_authority(
				RuntimeOrigin::root(),
				AuthorityKey::Ibe(testing_utils::sm9_master_key(seed.into()))
			));
		}
		assert_noop!(
			DeviceIdentity::register_authority(
				RuntimeOrigin::root(),
				AuthorityKey::Ibe(testing_utils::sm9_master_key(8))
			),
			Error::<Test>::TooManyAuthorities
		);
	});
}
