//! `register_device`: both domains, and every bad input.

use super::*;
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Get};
use sp_core::Pair;
use sp_runtime::DispatchError;

#[test]
fn pki_device_registers_and_is_active_at_once() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let registration = Registration::pki(1, authority, &ca, Some(7));
		assert_ok!(registration.submit());

		let device = registration.device;
		assert!(emitted(Event::DeviceRegistered { device, authority, controller: Some(7) }));
		let record = info(device);
		assert_eq!(record.status, DeviceStatus::Active);
		assert_eq!(record.domain, DomainKind::Pki);
		assert_eq!(record.public_key, registration.public_key);
		assert_eq!(record.certificate_expires_at, Some(CERT_EXPIRY));
		assert_eq!(record.last_proof, Some(ProofRecord { epoch: 0, at: 1 }));
		assert_eq!(record.authenticated_since, Some(1));
		assert_eq!(ControllerDevice::<Test>::get(7), Some(device));
		// The registration proof is the epoch's proof: its evidence comes with the sweep.
		assert!(take_evidence().is_empty());
		assert!(DeviceIdentity::is_authenticated(&device));
		assert_eq!(Devices::<Test>::count(), 1);
	});
}

#[test]
fn ibe_device_waits_for_the_proxies() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let signature = sm9_credential(&kgc, &keypair);
		let registration = Registration::ibe(keypair, authority, signature, None);
		assert_ok!(registration.submit());

		let device = registration.device;
		assert!(emitted(Event::RegistrationPending { device, authority, controller: None }));
		assert_eq!(info(device).status, DeviceStatus::Pending);
		assert_eq!(PendingCredentials::<Test>::get(device), Some(signature));
		assert_eq!(info(device).certificate_expires_at, Some(ENROLMENT_EXPIRY));
		assert!(take_evidence().is_empty());
		assert!(!DeviceIdentity::is_authenticated(&device));
	});
}

#[test]
fn needs_an_unsigned_origin() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let r = Registration::pki(1, authority, &ca, None);
		assert_noop!(
			DeviceIdentity::register_device(
				RuntimeOrigin::signed(1),
				r.device,
				r.public_key,
				r.authority,
				r.credential.clone(),
				r.controller_consent(),
				r.epoch,
				r.proof
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn expired_and_unknown_challenges() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let mut registration = Registration::pki(1, authority, &ca, None);
		registration.epoch += 1;
		assert_noop!(registration.submit(), Error::<Test>::ChallengeUnknown);
		registration.epoch -= 1;
		next_epoch();
		assert_noop!(registration.submit(), Error::<Test>::ChallengeExpired);
		registration.prove();
		assert_ok!(registration.submit());
	});
}

#[test]
fn one_registration_per_id() {
	test(|| {
		let registration = active_pki_device(1, None);
		assert_noop!(registration.submit(), Error::<Test>::AlreadyRegistered);
		// A revoked ID stays taken.
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), registration.device));
		assert_noop!(registration.submit(), Error::<Test>::DeviceRevoked);
	});
}

#[test]
fn pending_ids_are_taken_too() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let registration =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(registration.submit());
		assert_noop!(registration.submit(), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn unknown_retired_and_mismatched_authorities() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let ibe = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);

		let mut unknown = Registration::pki(1, authority, &ca, None);
		unknown.authority = 9;
		unknown.prove();
		assert_noop!(unknown.submit(), Error::<Test>::AuthorityUnknown);

		// A certificate presented to an IBE authority.
		let mut mismatch = Registration::pki(1, authority, &ca, None);
		mismatch.authority = ibe;
		mismatch.prove();
		assert_noop!(mismatch.submit(), Error::<Test>::CredentialKindMismatch);
		// An SM9 signature presented to a CA.
		let keypair = testing_utils::device(2);
		let sm9_to_ca =
			Registration::ibe(keypair, authority, testing_utils::ANNEX_A_SIGNATURE, None);
		assert_noop!(sm9_to_ca.submit(), Error::<Test>::CredentialKindMismatch);

		let retired = Registration::pki(3, authority, &ca, None);
		assert_ok!(DeviceIdentity::retire_authority(RuntimeOrigin::root(), authority));
		assert_noop!(retired.submit(), Error::<Test>::AuthorityRetired);
	});
}

#[test]
fn forged_expired_and_misused_certificates() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let (_, other_ca) = pki_authority(2);

		// Signed by another CA.
		let keypair = testing_utils::device(1);
		let forged =
			testing_utils::certificate::<Test>(&other_ca, testing_utils::id(&keypair), CERT_EXPIRY);
		let mut registration = Registration::pki(1, authority, &ca, None);
		registration.credential = Credential::Pki { certificate: forged };
		registration.prove();
		assert_noop!(registration.submit(), Error::<Test>::CertificateInvalid);

		// Signed by the right CA for another chain.
		let message = messages::certificate_message(&[1; 32], &registration.device, &CERT_EXPIRY);
		let signature =
			sp_io::crypto::ecdsa_sign(testing_utils::CA_KEY_TYPE, &ca, &message).unwrap();
		registration.credential = Credential::Pki {
			certificate: Certificate {
				subject: registration.device,
				expires_at: CERT_EXPIRY,
				signature: signature.into(),
			},
		};
		registration.prove();
		assert_noop!(registration.submit(), Error::<Test>::CertificateInvalid);

		// Altered after signing: a later expiry.
		let mut altered = testing_utils::certificate::<Test>(&ca, registration.device, CERT_EXPIRY);
		altered.expires_at += 1;
		registration.credential = Credential::Pki { certificate: altered };
		registration.prove();
		assert_noop!(registration.submit(), Error::<Test>::CertificateInvalid);

		// Issued to another device.
		let other = testing_utils::id(&testing_utils::device(2));
		registration.credential = Credential::Pki {
			certificate: testing_utils::certificate::<Test>(&ca, other, CERT_EXPIRY),
		};
		registration.prove();
		assert_noop!(registration.submit(), Error::<Test>::CertificateSubjectMismatch);

		// Expired.
		run_to_block(3);
		registration.credential = Credential::Pki {
			certificate: testing_utils::certificate::<Test>(&ca, registration.device, 2),
		};
		registration.prove();
		assert_noop!(registration.submit(), Error::<Test>::CertificateExpired);
	});
}

#[test]
fn malformed_keys_and_wrong_proofs() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let good = Registration::pki(1, authority, &ca, Some(3));

		let mut identity_point = good.clone();
		identity_point.public_key = [0; 32];
		assert_noop!(identity_point.submit(), Error::<Test>::PublicKeyMalformed);
		let mut not_a_point = good.clone();
		not_a_point.public_key = [0xff; 32];
		assert_noop!(not_a_point.submit(), Error::<Test>::PublicKeyMalformed);

		// Someone else's (valid) key under this ID.
		let mut mismatch = good.clone();
		mismatch.public_key = testing_utils::public_key(&testing_utils::device(2));
		assert_noop!(mismatch.submit(), Error::<Test>::IdentityMismatch);

		// Response not a canonical scalar; commitment not a point.
		let mut malformed = good.clone();
		malformed.proof[32..].fill(0xff);
		assert_noop!(malformed.submit(), Error::<Test>::ProofMalformed);
		malformed.proof = good.proof;
		malformed.proof[..32].fill(0xff);
		assert_noop!(malformed.submit(), Error::<Test>::ProofMalformed);

		// A well-formed proof for something else: the proof binds the controller.
		let mut other_controller = good.clone();
		other_controller.controller = Some(4);
		assert_noop!(other_controller.submit(), Error::<Test>::ProofInvalid);
		// ... and the purpose: an authentication proof is no registration proof.
		let mut wrong_purpose = good.clone();
		wrong_purpose.proof = testing_utils::authenticate_proof::<Test>(&good.keypair);
		assert_noop!(wrong_purpose.submit(), Error::<Test>::ProofInvalid);
		// ... and the device: another device's proof under this ID and key.
		let mut stolen = good.clone();
		stolen.proof = Registration::pki(2, authority, &ca, Some(3)).proof;
		assert_noop!(stolen.submit(), Error::<Test>::ProofInvalid);

		assert_ok!(good.submit());
	});
}

#[test]
fn controller_binds_once() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		assert_ok!(Registration::pki(1, authority, &ca, Some(5)).submit());
		// Its consent does not help: the account already holds a device.
		assert_noop!(
			Registration::pki(2, authority, &ca, Some(5)).submit(),
			Error::<Test>::ControllerInUse
		);
		assert_ok!(Registration::pki(2, authority, &ca, Some(6)).submit());
	});
}

#[test]
fn malformed_sm9_credential() {
	test(|| {
		let authority = ibe_authority(&kgc(1));
		let mut signature = testing_utils::ANNEX_A_SIGNATURE;
		signature[32] = 0x02; // compressed point tag: not the standard's encoding
		let registration = Registration::ibe(testing_utils::device(1), authority, signature, None);
		assert_noop!(registration.submit(), Error::<Test>::CredentialMalformed);
	});
}

#[test]
fn rate_limited_per_block() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		for seed in 1..=3 {
			assert_ok!(Registration::pki(seed, authority, &ca, None).submit());
		}
		let fourth = Registration::pki(4, authority, &ca, None);
		assert_noop!(fourth.submit(), Error::<Test>::RegistrationRateLimited);
		run_to_block(2);
		assert_ok!(fourth.submit());
		assert_eq!(RegistrationsInBlock::<Test>::get(), (2, 1));
	});
}

#[test]
fn bounded_pending_registrations() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let register = |seed: u32| {
			let keypair = testing_utils::device(seed);
			let signature = sm9_credential(&kgc, &keypair);
			Registration::ibe(keypair, authority, signature, None)
		};
		for seed in 1..=3 {
			assert_ok!(register(seed).submit());
		}
		run_to_block(2);
		assert_ok!(register(4).submit());
		assert_eq!(PendingCredentials::<Test>::count(), 4);
		assert_noop!(register(5).submit(), Error::<Test>::TooManyPendingRegistrations);
	});
}

#[test]
fn bounded_devices() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		for seed in 100..150 {
			testing_utils::insert_device::<Test>(
				seed,
				authority,
				DeviceStatus::Active,
				0,
				Some(0),
				None,
			);
		}
		assert_eq!(Devices::<Test>::count(), 50);
		assert_noop!(
			Registration::pki(1, authority, &ca, None).submit(),
			Error::<Test>::TooManyDevices
		);
	});
}

/// Issue #11, High 2: a controller is bound only with its own consent, signed for this device
/// (ID and key), this authority and this chain. Anything else fails with
/// `ControllerConsentInvalid`, in the pool and in the call, and changes nothing.
#[test]
fn a_controller_binds_only_with_its_consent_for_this_device_and_chain() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let (other_authority, _) = pki_authority(2);
		let good = Registration::pki(1, authority, &ca, Some(7));
		let reject = |registration: &Registration| {
			assert_eq!(
				validate(&registration.call()),
				Err(custom(Error::<Test>::ControllerConsentInvalid))
			);
			assert_noop!(registration.submit(), Error::<Test>::ControllerConsentInvalid);
		};

		// Signed by someone else (the device holder, say) in the victim's name.
		let mut by_someone_else = good.clone();
		by_someone_else.consent = Some(sign(8, &good.consent_message()));
		reject(&by_someone_else);

		// The victim's consent to another device.
		let other_device = Registration::pki(2, authority, &ca, Some(7));
		let mut for_another_device = good.clone();
		for_another_device.consent = other_device.consent.clone();
		reject(&for_another_device);

		// ... for this device under another authority.
		let message = messages::controller_consent_message(
			&DeviceIdentity::genesis_hash(),
			&good.device,
			&good.public_key,
			other_authority,
		);
		let mut for_another_authority = good.clone();
		for_another_authority.consent = Some(sign(7, &message));
		reject(&for_another_authority);

		// ... for this device on another chain.
		let message = messages::controller_consent_message(
			&[0xaa; 32],
			&good.device,
			&good.public_key,
			authority,
		);
		let mut for_another_chain = good.clone();
		for_another_chain.consent = Some(sign(7, &message));
		reject(&for_another_chain);

		assert_eq!(ControllerDevice::<Test>::get(7), None);
		assert_eq!(Devices::<Test>::count(), 0);
		assert_ok!(good.submit());
		assert_eq!(ControllerDevice::<Test>::get(7), Some(good.device));
	});
}

/// Issue #11, High 2: a pending IBE registration (here a junk one: its SM9 credential is
/// forged) that names a controller reserves nothing, neither in storage nor in the pool: a
/// second pending registration naming it is accepted, and so is the controller's own device,
/// which binds it.
#[test]
fn a_pending_registration_reserves_no_controller() {
	test(|| {
		let victim = 7;
		let authority = ibe_authority(&kgc(1));
		let junk_credential = |seed| sm9_credential(&kgc(2), &testing_utils::device(seed));
		let junk = Registration::ibe(
			testing_utils::device(1),
			authority,
			junk_credential(1),
			Some(victim),
		);
		let junk_provides = validate(&junk.call()).unwrap().provides;
		assert_eq!(junk_provides, vec![("DeviceIdentity", "register", junk.device).encode()]);
		assert_ok!(junk.submit());
		assert_eq!(info(junk.device).controller, Some(victim));
		assert_eq!(ControllerDevice::<Test>::get(victim), None);

		let second = Registration::ibe(
			testing_utils::device(2),
			authority,
			junk_credential(2),
			Some(victim),
		);
		assert_ok!(second.submit());

		let (pki, ca) = pki_authority(3);
		let own = Registration::pki(3, pki, &ca, Some(victim));
		assert!(validate(&own.call()).is_ok());
		assert_ok!(own.submit());
		assert!(emitted(Event::DeviceRegistered {
			device: own.device,
			authority: pki,
			controller: Some(victim)
		}));
		assert_eq!(ControllerDevice::<Test>::get(victim), Some(own.device));
		// From now on the account is taken, for pending registrations too.
		run_to_block(2); // past the per-block rate limit
		let third = Registration::ibe(
			testing_utils::device(4),
			authority,
			junk_credential(4),
			Some(victim),
		);
		assert_noop!(third.submit(), Error::<Test>::ControllerInUse);
	});
}

/// The co-signature of the enrolment of `device` under `authority` on chain `genesis` until
/// `expires_at`, by the test enrolment key of `signer` (`testing_utils::enrolment_key`).
fn cosign(
	signer: AuthorityId,
	genesis: &[u8; 32],
	authority: AuthorityId,
	device: &DeviceId,
	expires_at: u64,
) -> [u8; 64] {
	let message = messages::enrolment_message(genesis, authority, device, &expires_at);
	sp_io::crypto::sr25519_sign(
		testing_utils::ENROLMENT_KEY_TYPE,
		&testing_utils::enrolment_key(signer),
		&message,
	)
	.unwrap()
	.0
}

/// Issue #11, Medium 2: before the enrolment co-signature, anybody could make a valid NIZK for
/// a made-up device key, attach a structurally valid (forged) SM9 credential, and fill
/// `MaxPendingRegistrations` for free, again after every timeout. Now every such registration
/// is refused in the pool, at block inclusion and in the call, whatever co-signature it
/// carries (none, or the attacker's own key's), the pending slots stay empty, and a device the
/// KGC enrolled still registers.
#[test]
fn junk_ibe_registrations_cannot_fill_the_pending_slots() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let genesis = DeviceIdentity::genesis_hash();
		let attacker = sp_core::sr25519::Pair::from_seed(&[66; 32]);
		let slots: u32 = <Test as Config>::MaxPendingRegistrations::get();
		for seed in 100..100 + 3 * slots {
			let keypair = testing_utils::device(seed);
			let device = testing_utils::id(&keypair);
			let forged = sm9_credential(&crate::tests::kgc(2), &keypair);
			let expires_at = ENROLMENT_EXPIRY;
			let message = messages::enrolment_message(&genesis, authority, &device, &expires_at);
			for enrolment in [[0; 64], attacker.sign(&message).0] {
				let credential = Credential::Ibe { signature: forged, expires_at, enrolment };
				let junk = Registration::new(keypair.clone(), authority, credential, None);
				let refused = custom(Error::<Test>::EnrolmentSignatureInvalid);
				assert_eq!(validate(&junk.call()), Err(refused));
				assert_eq!(DeviceIdentity::pre_dispatch(&junk.call()), Err(refused));
				assert_noop!(junk.submit(), Error::<Test>::EnrolmentSignatureInvalid);
			}
			// Everything else about the junk is valid: with the KGC's co-signature (which the
			// attacker does not have) it would take a slot, as it did before.
			let cosigned = Credential::Ibe {
				signature: forged,
				expires_at,
				enrolment: cosign(authority, &genesis, authority, &device, expires_at),
			};
			assert!(validate(&Registration::new(keypair, authority, cosigned, None).call()).is_ok());
		}
		assert_eq!(PendingCredentials::<Test>::count(), 0);
		assert_eq!(Devices::<Test>::count(), 0);

		let keypair = testing_utils::device(1);
		let real =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert!(validate(&real.call()).is_ok());
		assert_ok!(DeviceIdentity::pre_dispatch(&real.call()));
		assert_ok!(real.submit());
		assert_eq!(PendingCredentials::<Test>::count(), 1);
		assert_eq!(proxy_verdict(real.device), Attestation::CredentialValid);
	});
}

/// The enrolment co-signature names the chain, the authority, the device and the expiry: one
/// made by another authority's key, for another authority, another device, another chain or
/// another expiry is refused ([`Error::EnrolmentSignatureInvalid`]), and changes nothing.
#[test]
fn an_enrolment_for_another_authority_device_chain_or_expiry_is_refused() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let other = ibe_authority(&crate::tests::kgc(2));
		let genesis = DeviceIdentity::genesis_hash();
		let keypair = testing_utils::device(1);
		let device = testing_utils::id(&keypair);
		let signature = sm9_credential(&kgc, &keypair);
		let other_device = testing_utils::id(&testing_utils::device(2));
		let expires_at = ENROLMENT_EXPIRY;
		let cases = [
			("another authority's key", cosign(other, &genesis, authority, &device, expires_at)),
			("for another authority", cosign(authority, &genesis, other, &device, expires_at)),
			(
				"for another device",
				cosign(authority, &genesis, authority, &other_device, expires_at),
			),
			("for another chain", cosign(authority, &[0xee; 32], authority, &device, expires_at)),
			("for another expiry", cosign(authority, &genesis, authority, &device, expires_at - 1)),
		];
		for (case, enrolment) in cases {
			let credential = Credential::Ibe { signature, expires_at, enrolment };
			let registration = Registration::new(keypair.clone(), authority, credential, None);
			assert_eq!(
				validate(&registration.call()),
				Err(custom(Error::<Test>::EnrolmentSignatureInvalid)),
				"{case}"
			);
			assert_noop!(registration.submit(), Error::<Test>::EnrolmentSignatureInvalid);
		}
		// The co-signature of another authority's device is no good under this one either.
		let moved = Registration::new(
			keypair.clone(),
			authority,
			testing_utils::ibe_credential::<Test>(other, &device, signature, ENROLMENT_EXPIRY),
			None,
		);
		assert_noop!(moved.submit(), Error::<Test>::EnrolmentSignatureInvalid);
		let good = Registration::ibe(keypair, authority, signature, None);
		assert_ok!(good.submit());
	});
}

/// An IBE enrolment is valid through its `expires_at` block and refused after it
/// ([`Error::CertificateExpired`], as an expired PKI certificate), in the pool, at block
/// inclusion and in the call. The expiry is checked before the co-signature: an expired
/// enrolment with a bad co-signature gets the same answer.
#[test]
fn an_expired_ibe_enrolment_is_refused_at_registration() {
	test(|| {
		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(1);
		let signature = sm9_credential(&kgc, &keypair);
		run_to_block(3);
		let expired = Registration::ibe_until(keypair.clone(), authority, signature, None, 2);
		let refused = custom(Error::<Test>::CertificateExpired);
		assert_eq!(validate(&expired.call()), Err(refused));
		assert_eq!(DeviceIdentity::pre_dispatch(&expired.call()), Err(refused));
		assert_noop!(expired.submit(), Error::<Test>::CertificateExpired);
		let mut uncosigned = expired.clone();
		uncosigned.credential = Credential::Ibe { signature, expires_at: 2, enrolment: [0; 64] };
		uncosigned.prove();
		assert_noop!(uncosigned.submit(), Error::<Test>::CertificateExpired);
		// A later expiry needs its own co-signature: the one over block 2 does not cover it.
		let mut extended = expired.clone();
		if let Credential::Ibe { expires_at, .. } = &mut extended.credential {
			*expires_at = 3;
		}
		extended.prove();
		assert_noop!(extended.submit(), Error::<Test>::EnrolmentSignatureInvalid);
		// Through its last block it registers.
		let last = Registration::ibe_until(keypair, authority, signature, None, 3);
		assert_ok!(last.submit());
		assert_eq!(info(last.device).certificate_expires_at, Some(3));
	});
}

/// An IBE authority without an enrolment key takes no registrations, genuine or not
/// ([`Error::EnrolmentKeyMissing`], checked before the NIZK).
#[test]
fn an_authority_without_enrolment_key_takes_no_registrations() {
	test(|| {
		let kgc = kgc(1);
		let key = kgc.sign_public_key().unwrap().to_bytes();
		let authority = NextAuthorityId::<Test>::get();
		assert_ok!(DeviceIdentity::register_authority(
			RuntimeOrigin::root(),
			AuthorityKey::Ibe(key)
		));
		let keypair = testing_utils::device(1);
		let mut registration =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::EnrolmentKeyMissing)));
		assert_noop!(registration.submit(), Error::<Test>::EnrolmentKeyMissing);
		// Checked before the proof: a garbage proof gets the same answer.
		registration.proof = [0; PROOF_BYTES];
		assert_noop!(registration.submit(), Error::<Test>::EnrolmentKeyMissing);
		let enrolment = testing_utils::enrolment_key(authority).0;
		assert_ok!(DeviceIdentity::set_enrolment_key(
			RuntimeOrigin::root(),
			authority,
			Some(enrolment)
		));
		registration.prove();
		assert_ok!(registration.submit());
	});
}
