//! Unit tests: one module per call, then hooks, pool validation, the runtime API's queries and
//! genesis. Every test runs in `mock::test`, which checks the storage invariants
//! (`do_try_state`) at the end; bad input is tested with `assert_noop!`, which also checks that
//! storage did not change.

#![allow(clippy::unwrap_used)]
#![allow(deprecated)] // `ValidateUnsigned`: see the crate docs.

mod attest;
mod attest_limits;
mod authenticate;
mod authenticate_batch;
mod cross_domain;
mod genesis;
mod hooks;
mod migrations;
mod offchain_worker;
mod proxy_keys;
mod quarantine_device;
mod reclaim;
mod register_authority;
mod register_device;
mod restore_device;
mod retire_authority;
mod revoke_device;
mod set_enrolment_key;
mod status_queries;
mod validate_unsigned;

use crate::{mock::*, testing_utils, *};
use endo_crypto::{
	device_identity::{ibe_credential_statement, ibe_credential_verdict, CredentialVerdict},
	DeviceKeypair, Sm9Kgc,
};
use frame_support::BoundedVec;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use sp_core::ecdsa;
use sp_runtime::{
	traits::ValidateUnsigned,
	transaction_validity::{TransactionSource, TransactionValidity},
	DispatchResult,
};

/// Expiry of the certificates the tests issue.
pub const CERT_EXPIRY: u64 = 1_000;
/// The expiry of the enrolments of [`Registration::ibe`].
pub const ENROLMENT_EXPIRY: u64 = 1_000;

/// Registers a CA (ECDSA key `seed` in the keystore) through the call.
pub fn pki_authority(seed: u32) -> (AuthorityId, ecdsa::Public) {
	let key = testing_utils::ca_key(seed);
	let authority = NextAuthorityId::<Test>::get();
	DeviceIdentity::register_authority(RuntimeOrigin::root(), AuthorityKey::Pki(CaKey::Ecdsa(key)))
		.unwrap();
	(authority, key)
}

/// A real SM9 key generation centre (endo-crypto, std), deterministic per `seed`.
pub fn kgc(seed: u64) -> Sm9Kgc {
	Sm9Kgc::generate(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// Registers `kgc` as an IBE authority through the call, and sets its test enrolment key
/// (`testing_utils::enrolment_key`) through `set_enrolment_key`.
pub fn ibe_authority(kgc: &Sm9Kgc) -> AuthorityId {
	let key = kgc.sign_public_key().unwrap().to_bytes();
	let authority = NextAuthorityId::<Test>::get();
	DeviceIdentity::register_authority(RuntimeOrigin::root(), AuthorityKey::Ibe(key)).unwrap();
	let enrolment = testing_utils::enrolment_key(authority).0;
	DeviceIdentity::set_enrolment_key(RuntimeOrigin::root(), authority, Some(enrolment)).unwrap();
	authority
}

/// The SM9 credential the KGC's key for `hex(ID)` makes: the standard signature of the ID bytes.
pub fn sm9_credential(kgc: &Sm9Kgc, device: &DeviceKeypair) -> [u8; SM9_SIGNATURE_BYTES] {
	let (identity, message) = ibe_credential_statement(&testing_utils::id(device));
	let master = kgc.sign_public_key().unwrap();
	let signing_key = kgc.user_signing_key(&identity).unwrap();
	signing_key.sign_raw(&master, &message, &mut ChaCha20Rng::seed_from_u64(7)).unwrap().to_bytes()
}

/// What an honest proxy node concludes about a pending IBE registration, off chain, with
/// endo-crypto's SM9 (`ibe_credential_verdict`): the credential verifies against the
/// authority's master key for the identity `hex(ID)` and the message `ID`, or it does not.
pub fn proxy_verdict(device: DeviceId) -> Attestation {
	let info = DeviceIdentity::device(&device).unwrap();
	let AuthorityKey::Ibe(master) = DeviceIdentity::authority(info.authority).unwrap().key else {
		panic!("not an IBE device");
	};
	let signature = DeviceIdentity::pending_credential(&device).unwrap();
	match ibe_credential_verdict(&master, &device, &signature) {
		CredentialVerdict::Valid => Attestation::CredentialValid,
		CredentialVerdict::Invalid => Attestation::CredentialInvalid,
	}
}

/// All arguments of a `register_device` call; `controller` and `consent` make its
/// [`ControllerConsent`].
#[derive(Clone)]
pub struct Registration {
	pub keypair: DeviceKeypair,
	pub device: DeviceId,
	pub public_key: [u8; PUBLIC_KEY_BYTES],
	pub authority: AuthorityId,
	pub credential: Credential<u64>,
	pub controller: Option<AccountId>,
	/// The controller's consent signature (made by [`Registration::prove`]).
	pub consent: Option<MockSignature>,
	pub epoch: AuthEpoch,
	pub proof: [u8; PROOF_BYTES],
}

impl Registration {
	/// Device `seed` in the PKI domain of `authority`, certified by `ca` until
	/// [`CERT_EXPIRY`], with a valid proof for the current epoch.
	pub fn pki(
		seed: u32,
		authority: AuthorityId,
		ca: &ecdsa::Public,
		controller: Option<AccountId>,
	) -> Self {
		let keypair = testing_utils::device(seed);
		let certificate =
			testing_utils::certificate::<Test>(ca, testing_utils::id(&keypair), CERT_EXPIRY);
		Self::new(keypair, authority, Credential::Pki { certificate }, controller)
	}

	/// Device `seed` in the IBE domain of `authority` with the given SM9 signature, enrolled
	/// until [`ENROLMENT_EXPIRY`] by the authority's test enrolment key
	/// (`testing_utils::enrolment_signature`).
	pub fn ibe(
		keypair: DeviceKeypair,
		authority: AuthorityId,
		signature: [u8; SM9_SIGNATURE_BYTES],
		controller: Option<AccountId>,
	) -> Self {
		Self::ibe_until(keypair, authority, signature, controller, ENROLMENT_EXPIRY)
	}

	/// [`Registration::ibe`] with an enrolment valid until block `expires_at`.
	pub fn ibe_until(
		keypair: DeviceKeypair,
		authority: AuthorityId,
		signature: [u8; SM9_SIGNATURE_BYTES],
		controller: Option<AccountId>,
		expires_at: u64,
	) -> Self {
		let device = testing_utils::id(&keypair);
		let credential =
			testing_utils::ibe_credential::<Test>(authority, &device, signature, expires_at);
		Self::new(keypair, authority, credential, controller)
	}

	pub fn new(
		keypair: DeviceKeypair,
		authority: AuthorityId,
		credential: Credential<u64>,
		controller: Option<AccountId>,
	) -> Self {
		let mut registration = Self {
			device: testing_utils::id(&keypair),
			public_key: testing_utils::public_key(&keypair),
			keypair,
			authority,
			credential,
			controller,
			consent: None,
			epoch: testing_utils::epoch::<Test>(),
			proof: [0; PROOF_BYTES],
		};
		registration.prove();
		registration
	}

	/// Recomputes the proof for the current fields and epoch, and the controller's consent
	/// (signed by the controller account's own key).
	pub fn prove(&mut self) {
		self.epoch = testing_utils::epoch::<Test>();
		self.proof = testing_utils::register_proof::<Test>(
			&self.keypair,
			self.authority,
			self.controller.as_ref(),
			&self.credential,
		);
		self.consent = self.controller.map(|who| sign(who, &self.consent_message()));
	}

	/// The message the controller signs: this chain, device, key and authority.
	pub fn consent_message(&self) -> Vec<u8> {
		messages::controller_consent_message(
			&DeviceIdentity::genesis_hash(),
			&self.device,
			&self.public_key,
			self.authority,
		)
	}

	/// The call's `controller` argument.
	pub fn controller_consent(&self) -> Option<ControllerConsentOf<Test>> {
		self.controller.map(|account| ControllerConsent {
			account,
			// A registration without a consent signature is a test's mistake.
			signature: self.consent.clone().expect("prove() signs the consent"),
		})
	}

	/// The call.
	pub fn call(&self) -> Call<Test> {
		Call::register_device {
			device: self.device,
			public_key: self.public_key,
			authority: self.authority,
			credential: self.credential.clone(),
			controller: self.controller_consent(),
			epoch: self.epoch,
			proof: self.proof,
		}
	}

	/// Dispatches the call (unsigned).
	pub fn submit(&self) -> DispatchResult {
		DeviceIdentity::register_device(
			RuntimeOrigin::none(),
			self.device,
			self.public_key,
			self.authority,
			self.credential.clone(),
			self.controller_consent(),
			self.epoch,
			self.proof,
		)
	}
}

/// A registered, active PKI device (`seed`) under a fresh CA; returns the registration.
pub fn active_pki_device(seed: u32, controller: Option<AccountId>) -> Registration {
	let (authority, ca) = pki_authority(seed);
	let registration = Registration::pki(seed, authority, &ca, controller);
	registration.submit().unwrap();
	registration
}

/// An IBE device (`seed`) under a fresh KGC, enrolled until `expires_at`, registered and
/// confirmed by the proxies: active.
pub fn ibe_device_enrolled_until(
	seed: u32,
	expires_at: u64,
	controller: Option<AccountId>,
) -> Registration {
	let kgc = kgc(u64::from(seed));
	let authority = ibe_authority(&kgc);
	let keypair = testing_utils::device(seed);
	let signature = sm9_credential(&kgc, &keypair);
	let registration =
		Registration::ibe_until(keypair, authority, signature, controller, expires_at);
	registration.submit().unwrap();
	for proxy in [PROXY_A, PROXY_B] {
		attest(proxy, registration.device, Attestation::CredentialValid).unwrap();
	}
	assert_eq!(info(registration.device).status, DeviceStatus::Active);
	registration
}

/// A registered PKI device (`seed`) under a fresh CA whose certificate expires at `expires_at`.
pub fn pki_device_certified_until(
	seed: u32,
	expires_at: u64,
	controller: Option<AccountId>,
) -> Registration {
	let (authority, ca) = pki_authority(seed);
	let keypair = testing_utils::device(seed);
	let certificate =
		testing_utils::certificate::<Test>(&ca, testing_utils::id(&keypair), expires_at);
	let registration =
		Registration::new(keypair, authority, Credential::Pki { certificate }, controller);
	registration.submit().unwrap();
	registration
}

/// Authenticates `keypair` for the current epoch.
pub fn authenticate(keypair: &DeviceKeypair) -> DispatchResult {
	DeviceIdentity::authenticate(
		RuntimeOrigin::none(),
		testing_utils::id(keypair),
		testing_utils::epoch::<Test>(),
		testing_utils::authenticate_proof::<Test>(keypair),
	)
}

/// Runs to the first block of the next epoch.
pub fn next_epoch() {
	let epoch = Epoch::<Test>::get().unwrap();
	run_to_block(epoch.started_at + EPOCH);
}

/// Pool validation of `call`.
pub fn validate(call: &Call<Test>) -> TransactionValidity {
	<DeviceIdentity as ValidateUnsigned>::validate_unsigned(TransactionSource::External, call)
}

/// The pool error of a pallet error.
pub fn custom(error: Error<Test>) -> sp_runtime::transaction_validity::TransactionValidityError {
	sp_runtime::transaction_validity::InvalidTransaction::Custom(DeviceIdentity::error_code(&error))
		.into()
}

/// The device's record.
pub fn info(device: DeviceId) -> DeviceInfoOf<Test> {
	Devices::<Test>::get(device).unwrap()
}

/// The device's open cross-domain request for `target`, written directly (replacing any other,
/// admitted ones included):
/// the fixture of the attestation tests. The request calls and their checks are tested in
/// `cross_domain.rs`.
pub fn request(device: DeviceId, target: AuthorityId) {
	let requested_at = System::block_number();
	CrossDomainRequests::<Test>::insert(
		device,
		CrossDomainRequest { target, requested_at, admitted: false },
	);
}

/// A proxy attestation. A cross-domain admission gets its request first (see [`request`]) when
/// the device has none for that target.
pub fn attest(proxy: AccountId, device: DeviceId, attestation: Attestation) -> DispatchResult {
	if let Attestation::CrossDomain { target } = attestation {
		if CrossDomainRequests::<Test>::get(device).map(|r| (r.target, r.admitted))
			!= Some((target, false))
		{
			request(device, target);
		}
	}
	DeviceIdentity::attest(RuntimeOrigin::signed(proxy), device, attestation)
		.map(|_| ())
		.map_err(|e| e.error)
}
