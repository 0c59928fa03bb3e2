//! `request_cross_domain` (the controller) and `request_cross_domain_unsigned` (the device):
//! who may ask, what is refused, and how a request ends.

use super::*;
use frame_support::{assert_noop, assert_ok};

/// An active, authenticated PKI device with controller `controller`, and a second (IBE)
/// domain to enter.
fn device_and_target(controller: Option<AccountId>) -> (Registration, AuthorityId) {
	let registration = active_pki_device(1, controller);
	let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
	(registration, target)
}

/// The device's own request for `target` in the current epoch.
fn own_request(registration: &Registration, target: AuthorityId) -> Call<Test> {
	Call::request_cross_domain_unsigned {
		device: registration.device,
		target,
		epoch: testing_utils::epoch::<Test>(),
		proof: testing_utils::proof_for::<Test>(
			&registration.keypair,
			&messages::cross_domain_purpose(target),
		),
	}
}

fn dispatch_own(call: Call<Test>) -> DispatchResult {
	let Call::request_cross_domain_unsigned { device, target, epoch, proof } = call else {
		unreachable!("own_request makes this call")
	};
	DeviceIdentity::request_cross_domain_unsigned(
		RuntimeOrigin::none(),
		device,
		target,
		epoch,
		proof,
	)
}

#[test]
fn the_controller_asks_and_the_proxies_admit() {
	test(|| {
		let (registration, target) = device_and_target(Some(8));
		let device = registration.device;
		assert_ok!(DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target));
		assert!(emitted(Event::CrossDomainRequested { device, target, by_device: false }));
		assert_eq!(
			CrossDomainRequests::<Test>::get(device),
			Some(CrossDomainRequest { target, requested_at: 1, admitted: false })
		);
		// The proxies vouch; the request is admitted.
		for proxy in [PROXY_A, PROXY_B] {
			assert_ok!(DeviceIdentity::attest(
				RuntimeOrigin::signed(proxy),
				device,
				Attestation::CrossDomain { target }
			));
		}
		assert_eq!(Whitelist::<Test>::get(device).len(), 1);
		assert!(CrossDomainRequests::<Test>::get(device).unwrap().admitted);
		let report = DeviceIdentity::device_report(&device).unwrap();
		assert!(report.domains.iter().any(|d| d.authority == target && d.expires_at.is_some()));
		// The attack: the request asked again (or a device's gossiped request replayed) right
		// after its admission, so that the proxies vote again and spend their quotas. Refused
		// until the request expires; a vote on the admitted request is refused too.
		assert_noop!(
			DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target),
			Error::<Test>::RequestOpen
		);
		assert_noop!(
			DeviceIdentity::attest(
				RuntimeOrigin::signed(PROXY_C),
				device,
				Attestation::CrossDomain { target }
			),
			Error::<Test>::NoRequest
		);
		// The sweep removes it, silently, once it is RegistrationTimeout old; the device may
		// ask again (a renewal).
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		run_to_block(1 + TIMEOUT + EPOCH);
		assert!(!CrossDomainRequests::<Test>::contains_key(device));
		assert!(!emitted(Event::CrossDomainRequestEnded { device, target }));
		assert_ok!(DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target));
	});
}

#[test]
fn only_the_controller_asks_by_signature() {
	test(|| {
		let (registration, target) = device_and_target(Some(8));
		assert_noop!(
			DeviceIdentity::request_cross_domain(
				RuntimeOrigin::signed(9),
				registration.device,
				target
			),
			Error::<Test>::NotController
		);
		// A device without a controller has nobody to ask by signature.
		let (other, target) = (active_pki_device(2, None), target);
		assert_noop!(
			DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(9), other.device, target),
			Error::<Test>::NotController
		);
		assert_noop!(
			DeviceIdentity::request_cross_domain(RuntimeOrigin::none(), other.device, target),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn requests_that_are_refused() {
	test(|| {
		let (registration, target) = device_and_target(Some(8));
		let device = registration.device;
		let ask =
			|target| DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target);
		assert_noop!(ask(registration.authority), Error::<Test>::SameDomain);
		assert_noop!(ask(42), Error::<Test>::AuthorityUnknown);
		let retired = testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(3));
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), retired));
		assert_noop!(ask(retired), Error::<Test>::AuthorityRetired);
		assert_noop!(
			DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), [7; 32], target),
			Error::<Test>::DeviceUnknown
		);
		// One open request per device.
		assert_ok!(ask(target));
		let second = testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(4));
		assert_noop!(ask(second), Error::<Test>::RequestOpen);
		// A device that has not proved itself lately is vouched for by nobody: refused.
		CrossDomainRequests::<Test>::remove(device);
		next_epoch();
		next_epoch();
		assert_noop!(ask(target), Error::<Test>::NotAuthenticated);
		// A quarantined one neither.
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert_noop!(ask(target), Error::<Test>::DeviceQuarantined);
	});
}

#[test]
fn the_device_asks_with_a_proof_of_this_epoch() {
	test(|| {
		let (registration, target) = device_and_target(None);
		let device = registration.device;
		let call = own_request(&registration, target);
		assert!(validate(&call).is_ok());
		assert_ok!(dispatch_own(call.clone()));
		assert!(emitted(Event::CrossDomainRequested { device, target, by_device: true }));
		// Once open, the same request is refused in the pool and in a block.
		assert_eq!(validate(&call), Err(custom(Error::<Test>::RequestOpen)));
		assert_noop!(dispatch_own(call), Error::<Test>::RequestOpen);
	});
}

#[test]
fn a_device_proof_for_something_else_is_refused() {
	test(|| {
		let (registration, target) = device_and_target(None);
		let other = testing_utils::add_ibe_authority::<Test>(testing_utils::sm9_master_key(5));
		// A proof for another target domain, an authentication proof, another device's proof.
		let Call::request_cross_domain_unsigned { device, epoch, .. } =
			own_request(&registration, target)
		else {
			unreachable!()
		};
		let wrong_target = testing_utils::proof_for::<Test>(
			&registration.keypair,
			&messages::cross_domain_purpose(other),
		);
		let authentication = testing_utils::authenticate_proof::<Test>(&registration.keypair);
		let stranger = testing_utils::proof_for::<Test>(
			&testing_utils::device(77),
			&messages::cross_domain_purpose(target),
		);
		for proof in [wrong_target, authentication, stranger] {
			let call = Call::request_cross_domain_unsigned { device, target, epoch, proof };
			assert_eq!(validate(&call), Err(custom(Error::<Test>::ProofInvalid)));
			assert_noop!(dispatch_own(call), Error::<Test>::ProofInvalid);
		}
		// A proof of the previous epoch has expired.
		let old = own_request(&registration, target);
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		assert_eq!(validate(&old), Err(custom(Error::<Test>::ChallengeExpired)));
	});
}

#[test]
fn a_request_ends_by_timeout_quarantine_or_revocation() {
	test(|| {
		let (registration, target) = device_and_target(Some(8));
		let device = registration.device;
		let ask = || DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target);
		// Nobody vouches: the sweep ends the request once it is RegistrationTimeout old.
		assert_ok!(ask());
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		run_to_block(1 + TIMEOUT + EPOCH);
		assert!(!CrossDomainRequests::<Test>::contains_key(device));
		assert!(emitted(Event::CrossDomainRequestEnded { device, target }));
		// Quarantine ends it at once.
		assert_ok!(ask());
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert!(!CrossDomainRequests::<Test>::contains_key(device));
		// And revocation.
		assert_ok!(DeviceIdentity::restore_device(RuntimeOrigin::root(), device));
		assert_ok!(authenticate(&registration.keypair));
		assert_ok!(ask());
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), device));
		assert!(!CrossDomainRequests::<Test>::contains_key(device));
		assert_eq!(CrossDomainRequests::<Test>::count(), 0);
	});
}
