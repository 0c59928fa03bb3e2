//! `revoke_device`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn revokes_for_good_and_cleans_up() {
	test(|| {
		let registration = active_pki_device(1, Some(6));
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(attest(PROXY_A, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_B, device, Attestation::CrossDomain { target }));
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));

		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), device));
		assert!(emitted(Event::DeviceRevoked { device }));
		assert_eq!(info(device).status, DeviceStatus::Revoked);
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert!(Tallies::<Test>::iter_prefix((0, device)).next().is_none());
		assert_eq!(ControllerDevice::<Test>::get(6), None);
		assert!(!DeviceIdentity::is_authenticated(&device));
		next_epoch();
		assert_noop!(authenticate(&registration.keypair), Error::<Test>::DeviceRevoked);
		// The controller may bind a new device; the ID stays taken.
		let (authority, ca) = pki_authority(2);
		assert_ok!(Registration::pki(2, authority, &ca, Some(6)).submit());
		let mut again = Registration::pki(1, authority, &ca, None);
		again.prove();
		assert_noop!(again.submit(), Error::<Test>::DeviceRevoked);
	});
}

#[test]
fn revocation_is_charged_for_the_tallies_it_deletes() {
	let mut ext = new_test_ext();
	let device = ext.execute_with(|| {
		run_to_block(1);
		for proxy in [PROXY_A, PROXY_B] {
			set_trust(proxy, endo_traits::TrustLevel::High);
		}
		let registration = active_pki_device(1, None);
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		// Two open tallies; a third one decided (and gone).
		assert_ok!(attest(PROXY_A, registration.device, Attestation::AuthenticationFailed));
		assert_ok!(attest(PROXY_A, registration.device, Attestation::CrossDomain { target }));
		registration.device
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		let post = DeviceIdentity::revoke_device(RuntimeOrigin::root(), device).unwrap();
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::revoke_device(2)));
		let bound = <() as WeightInfo>::revoke_device(DeviceIdentity::max_tallies_per_device());
		assert!(post.actual_weight.unwrap().ref_time() < bound.ref_time());
		DeviceIdentity::do_try_state().unwrap();
	});
}

#[test]
fn revoking_a_pending_registration_drops_its_credential() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let pending =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(pending.submit());
		assert_ok!(attest(PROXY_A, pending.device, Attestation::CredentialValid));
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), pending.device));
		assert!(!PendingCredentials::<Test>::contains_key(pending.device));
		assert!(Tallies::<Test>::iter_prefix((0, pending.device)).next().is_none());
		assert_noop!(
			attest(PROXY_B, pending.device, Attestation::CredentialValid),
			Error::<Test>::NotPending
		);
	});
}

#[test]
fn errors() {
	test(|| {
		let registration = active_pki_device(1, None);
		assert_noop!(
			DeviceIdentity::revoke_device(RuntimeOrigin::signed(PROXY_A), registration.device),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DeviceIdentity::revoke_device(RuntimeOrigin::root(), [2; 32]),
			Error::<Test>::DeviceUnknown
		);
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), registration.device));
		assert_noop!(
			DeviceIdentity::revoke_device(RuntimeOrigin::root(), registration.device),
			Error::<Test>::DeviceRevoked
		);
	});
}
