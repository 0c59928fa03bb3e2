//! `authenticate`: continuous authentication against the epoch's challenge.

use super::*;
use endo_traits::IdentityEvidence;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn a_device_proves_itself_every_epoch() {
	test(|| {
		let registration = active_pki_device(1, Some(9));
		let device = registration.device;
		take_evidence();
		for epoch in 1..=3 {
			next_epoch();
			assert_ok!(authenticate(&registration.keypair));
			assert!(emitted(Event::DeviceAuthenticated { device, epoch }));
			let record = info(device);
			let now = System::block_number();
			assert_eq!(record.last_proof, Some(ProofRecord { epoch, at: now }));
			// The run of authenticated windows started at registration (block 1).
			assert_eq!(record.authenticated_since, Some(1));
			assert_eq!(record.strikes, 0);
			assert!(DeviceIdentity::is_authenticated(&device));
		}
		// Evidence comes from the sweep of each finished epoch: epochs 0 (the registration
		// proof), 1 and 2 so far; epoch 3's follows when it ends.
		assert_eq!(take_evidence(), vec![(device, Some(9), IdentityEvidence::Authenticated); 3]);
		next_epoch();
		assert_eq!(take_evidence(), vec![(device, Some(9), IdentityEvidence::Authenticated)]);
	});
}

#[test]
fn the_run_restarts_after_a_missed_window() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch(); // epoch 1: no proof
		next_epoch(); // epoch 2: epoch 1 was missed
		assert!(!DeviceIdentity::is_authenticated(&registration.device));
		assert_eq!(info(registration.device).strikes, 1);
		assert_ok!(authenticate(&registration.keypair));
		let record = info(registration.device);
		assert_eq!(record.authenticated_since, Some(System::block_number()));
		assert_eq!(record.strikes, 0);
	});
}

#[test]
fn replayed_and_second_proofs_fail() {
	test(|| {
		let registration = active_pki_device(1, None);
		// The registration proof answered epoch 0's challenge already.
		assert_noop!(authenticate(&registration.keypair), Error::<Test>::ProofReplayed);
		next_epoch();
		let proof = testing_utils::authenticate_proof::<Test>(&registration.keypair);
		let epoch = testing_utils::epoch::<Test>();
		let device = registration.device;
		assert_ok!(DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, proof));
		// The same proof again.
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, proof),
			Error::<Test>::ProofReplayed
		);
		// A fresh proof for the same challenge.
		let mut rng = testing_utils::TestRng::new(99);
		let epoch_info = Epoch::<Test>::get().unwrap();
		let fresh = endo_crypto::prove_identity(
			&registration.keypair,
			&epoch_info.genesis_hash,
			messages::AUTHENTICATE_PURPOSE,
			&epoch_info.challenge,
			&mut rng,
		)
		.to_bytes();
		assert_ne!(fresh, proof);
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, fresh),
			Error::<Test>::ProofReplayed
		);
	});
}

#[test]
fn expired_and_unknown_challenges() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch();
		let old_proof = testing_utils::authenticate_proof::<Test>(&registration.keypair);
		next_epoch();
		let device = registration.device;
		// Epoch 1's proof after epoch 1 ended.
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, 1, old_proof),
			Error::<Test>::ChallengeExpired
		);
		// ... relabelled as epoch 2: it answers the wrong challenge.
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, 2, old_proof),
			Error::<Test>::ProofInvalid
		);
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, 3, old_proof),
			Error::<Test>::ChallengeUnknown
		);
	});
}

#[test]
fn wrong_proofs() {
	test(|| {
		let registration = active_pki_device(1, None);
		let other = active_pki_device(2, None);
		next_epoch();
		let epoch = testing_utils::epoch::<Test>();
		let device = registration.device;
		// Another device's proof.
		let foreign = testing_utils::authenticate_proof::<Test>(&other.keypair);
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, foreign),
			Error::<Test>::ProofInvalid
		);
		// A proof for another purpose.
		let register_purpose = testing_utils::proof_for::<Test>(&registration.keypair, b"register");
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, register_purpose),
			Error::<Test>::ProofInvalid
		);
		// Not canonical.
		let mut malformed = testing_utils::authenticate_proof::<Test>(&registration.keypair);
		malformed[32..].fill(0xff);
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, malformed),
			Error::<Test>::ProofMalformed
		);
		// A flipped bit.
		let mut flipped = testing_utils::authenticate_proof::<Test>(&registration.keypair);
		flipped[40] ^= 1;
		assert_noop!(
			DeviceIdentity::authenticate(RuntimeOrigin::none(), device, epoch, flipped),
			Error::<Test>::ProofInvalid
		);
		assert_ok!(authenticate(&registration.keypair));
	});
}

#[test]
fn only_active_devices_authenticate() {
	test(|| {
		assert_noop!(authenticate(&testing_utils::device(5)), Error::<Test>::DeviceUnknown);

		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(6);
		let pending =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(pending.submit());

		let quarantined = active_pki_device(1, None);
		let revoked = active_pki_device(2, None);
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), quarantined.device));
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), revoked.device));
		next_epoch();
		assert_noop!(authenticate(&keypair), Error::<Test>::RegistrationPending);
		assert_noop!(authenticate(&quarantined.keypair), Error::<Test>::DeviceQuarantined);
		assert_noop!(authenticate(&revoked.keypair), Error::<Test>::DeviceRevoked);
	});
}

#[test]
fn expired_certificates_stop_authentication() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let mut registration = Registration::pki(1, authority, &ca, None);
		let certificate = testing_utils::certificate::<Test>(&ca, registration.device, EPOCH + 2);
		registration.credential = Credential::Pki { certificate };
		registration.prove();
		assert_ok!(registration.submit());
		next_epoch(); // block 11
		assert!(DeviceIdentity::is_authenticated(&registration.device));
		run_to_block(EPOCH + 3); // past the certificate's expiry
		assert!(!DeviceIdentity::is_authenticated(&registration.device));
		assert_noop!(authenticate(&registration.keypair), Error::<Test>::CertificateExpired);
	});
}

#[test]
fn needs_an_unsigned_origin() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch();
		assert_noop!(
			DeviceIdentity::authenticate(
				RuntimeOrigin::signed(1),
				registration.device,
				testing_utils::epoch::<Test>(),
				testing_utils::authenticate_proof::<Test>(&registration.keypair)
			),
			DispatchError::BadOrigin
		);
	});
}
