//! The checks of the unsigned calls, cheapest first (see the crate docs, "Unsigned
//! transactions"), and how their errors reach the transaction pool.
//!
//! Each call has two entry points: `check_*` runs the cheap, state-dependent checks that
//! `pre_dispatch` repeats at block inclusion; `verify_*` runs them and then verifies the proof
//! and the certificate, for the transaction pool and the call itself. Whatever admits a
//! transaction to the pool (`validate_unsigned` today, an `authorize` closure later) must call
//! `verify_*`: `check_*` alone would let proofs that do not verify into the pool; it serves only
//! where the pool has already verified them (`pre_dispatch`).

use crate::pallet::pallet::*;
use crate::{messages, types::*, AuthorityInfoOf, ControllerConsentOf, DeviceInfoOf, EpochInfoOf};
use alloc::vec::Vec;
use codec::Encode;
use endo_crypto::{
	verify_identity_proof, verify_identity_proofs_batch, DevicePublicKey, IdentityProof,
};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Verify},
	transaction_validity::{
		InvalidTransaction, TransactionValidity, TransactionValidityError, ValidTransaction,
	},
};

/// The arguments of a `register_device` call, by reference: what its checks look at.
pub struct RegisterRequest<'a, T: Config> {
	/// The device's ID.
	pub device: &'a DeviceId,
	/// Its PUF-derived public key.
	pub public_key: &'a [u8; PUBLIC_KEY_BYTES],
	/// The authority of its home domain.
	pub authority: AuthorityId,
	/// The credential that authority issued.
	pub credential: &'a Credential<BlockNumberFor<T>>,
	/// The account to bind and its consent signature, if any.
	pub controller: &'a Option<ControllerConsentOf<T>>,
	/// The epoch whose challenge the proof answers.
	pub epoch: AuthEpoch,
	/// The NIZK proof of possession.
	pub proof: &'a [u8; PROOF_BYTES],
}

impl<T: Config> Pallet<T> {
	/// The current epoch, if `epoch` names it.
	pub(crate) fn check_epoch(epoch: AuthEpoch) -> Result<EpochInfoOf<T>, Error<T>> {
		let current = Self::current_epoch()?;
		ensure!(epoch >= current.index, Error::<T>::ChallengeExpired);
		ensure!(epoch == current.index, Error::<T>::ChallengeUnknown);
		Ok(current)
	}

	/// `(block, count)` of registrations in block `now` (count 0 if the record is older).
	pub(crate) fn registrations_in_block(now: BlockNumberFor<T>) -> (BlockNumberFor<T>, u32) {
		let (block, count) = RegistrationsInBlock::<T>::get();
		if block == now {
			(block, count)
		} else {
			(now, 0)
		}
	}

	/// The cheap checks of [`Pallet::register_device`], in order: epoch, device, authority,
	/// credential kind, rate limit and capacity, controller (not bound to an active device),
	/// the credential's structure and expiry and, for IBE, the authority's enrolment
	/// co-signature over that expiry (one read and one sr25519 verification; what
	/// `pre_dispatch` repeats). Returns the epoch and the authority for the expensive checks.
	///
	/// # Security
	/// The enrolment co-signature is checked here, before the NIZK, because a valid NIZK costs
	/// nothing to make for a made-up key and the SM9 credential is verified only off chain:
	/// it is what keeps junk IBE registrations out of the pending slots.
	fn register_context(
		request: &RegisterRequest<T>,
	) -> Result<(EpochInfoOf<T>, AuthorityInfoOf<T>), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::check_epoch(request.epoch)?;
		match Devices::<T>::get(request.device) {
			Some(info) if info.status == DeviceStatus::Revoked => {
				return Err(Error::<T>::DeviceRevoked)
			}
			// The proxies rejected this registration in this epoch: its proof must not be
			// accepted again. A marker of an earlier epoch is replaced by the new record.
			Some(info) if info.rejected_in(current.index) => {
				return Err(Error::<T>::CredentialRejected)
			}
			Some(info) if info.status == DeviceStatus::Rejected => {}
			Some(_) => return Err(Error::<T>::AlreadyRegistered),
			None => {}
		}
		let authority =
			Authorities::<T>::get(request.authority).ok_or(Error::<T>::AuthorityUnknown)?;
		authority.ensure_active()?;
		let kind = authority.key.kind();
		ensure!(request.credential.kind() == kind, Error::<T>::CredentialKindMismatch);
		let (_, in_block) = Self::registrations_in_block(now);
		ensure!(in_block < T::MaxRegistrationsPerBlock::get(), Error::<T>::RegistrationRateLimited);
		ensure!(Devices::<T>::count() < T::MaxDevices::get(), Error::<T>::TooManyDevices);
		if kind == DomainKind::Ibe {
			ensure!(
				PendingCredentials::<T>::count() < T::MaxPendingRegistrations::get(),
				Error::<T>::TooManyPendingRegistrations
			);
		}
		if let Some(consent) = request.controller {
			ensure!(
				!ControllerDevice::<T>::contains_key(&consent.account),
				Error::<T>::ControllerInUse
			);
		}
		match request.credential {
			Credential::Ibe { signature, expires_at, enrolment } => {
				ensure!(
					endo_crypto::device_identity::ibe_signature_well_formed(signature),
					Error::<T>::CredentialMalformed
				);
				ensure!(now <= *expires_at, Error::<T>::CertificateExpired);
				// The check the chain can afford in place of SM9: the KGC enrolled this device,
				// until `expires_at`.
				let key = EnrolmentKeys::<T>::get(request.authority)
					.ok_or(Error::<T>::EnrolmentKeyMissing)?;
				ensure!(
					messages::verify_enrolment(
						&key,
						&current.genesis_hash,
						request.authority,
						request.device,
						expires_at,
						enrolment
					),
					Error::<T>::EnrolmentSignatureInvalid
				);
			}
			Credential::Pki { certificate } => {
				ensure!(
					certificate.subject == *request.device,
					Error::<T>::CertificateSubjectMismatch
				);
				ensure!(now <= certificate.expires_at, Error::<T>::CertificateExpired);
			}
		}
		Ok((current, authority))
	}

	/// The cheap checks of [`Pallet::register_device`] (block inclusion): everything up to and
	/// including the credential's structure and the IBE enrolment co-signature (the only
	/// cryptography here). Returns the domain kind.
	pub fn check_register(request: &RegisterRequest<T>) -> Result<DomainKind, Error<T>> {
		Self::register_context(request).map(|(_, authority)| authority.key.kind())
	}

	/// Every check of [`Pallet::register_device`] (transaction pool and the call): the cheap
	/// ones, then the key, the NIZK proof with the registration purpose
	/// ([`messages::register_purpose`]), the controller's consent signature
	/// ([`messages::controller_consent_message`]) and the certificate's signature. Returns the
	/// domain kind.
	pub fn verify_register(request: &RegisterRequest<T>) -> Result<DomainKind, Error<T>> {
		let (current, authority) = Self::register_context(request)?;
		let key = DevicePublicKey::from_bytes(request.public_key)?;
		ensure!(key.device_id().as_bytes() == request.device, Error::<T>::IdentityMismatch);
		let proof = IdentityProof::from_bytes(request.proof)?;
		let genesis = current.genesis_hash;
		let controller = request.controller.as_ref().map(|consent| &consent.account);
		let purpose = messages::register_purpose(request.authority, controller, request.credential);
		verify_identity_proof(
			&genesis,
			&endo_crypto::DeviceId::from_bytes(*request.device),
			&key,
			&purpose,
			&current.challenge,
			&proof,
		)?;
		if let Some(consent) = request.controller {
			let message = messages::controller_consent_message(
				&genesis,
				request.device,
				request.public_key,
				request.authority,
			);
			ensure!(
				consent.signature.verify(&message[..], &consent.account),
				Error::<T>::ControllerConsentInvalid
			);
		}
		if let (AuthorityKey::Pki(ca), Credential::Pki { certificate }) =
			(&authority.key, request.credential)
		{
			ensure!(
				messages::verify_certificate(ca, &genesis, certificate),
				Error::<T>::CertificateInvalid
			);
		}
		Ok(authority.key.kind())
	}

	/// The cheap checks of [`Pallet::authenticate`] (block inclusion): the epoch; the device
	/// exists, is active and has not answered this epoch; its authority is active and its
	/// credential (PKI certificate or IBE enrolment) unexpired. Returns the device record.
	pub fn check_authenticate(
		device: &DeviceId,
		epoch: AuthEpoch,
	) -> Result<DeviceInfoOf<T>, Error<T>> {
		let current = Self::check_epoch(epoch)?;
		Self::check_device_can_prove(device, &current)
	}

	/// Every check of [`Pallet::authenticate`] (transaction pool and the call): the cheap ones,
	/// then the proof. Returns the device record.
	pub fn verify_authenticate(
		device: &DeviceId,
		epoch: AuthEpoch,
		proof: &[u8; PROOF_BYTES],
	) -> Result<DeviceInfoOf<T>, Error<T>> {
		let current = Self::check_epoch(epoch)?;
		let info = Self::check_device_can_prove(device, &current)?;
		Self::verify_authentication(device, &info, &current, proof)?;
		Ok(info)
	}

	/// The cheap checks of a batch as a whole, no storage read beyond the epoch: not empty,
	/// the epoch, and the entries in strictly increasing order of device ID (a device twice is
	/// [`Error::ProofReplayed`], any other disorder [`Error::BatchUnsorted`]). Returns the
	/// epoch.
	///
	/// # Security
	/// One set of devices has one valid batch: a reordered copy of a gossiped batch (a new
	/// transaction hash, the same proofs) is rejected here, before any storage read or proof.
	fn check_batch_shape(
		epoch: AuthEpoch,
		proofs: &[(DeviceId, [u8; PROOF_BYTES])],
	) -> Result<EpochInfoOf<T>, Error<T>> {
		ensure!(!proofs.is_empty(), Error::<T>::EmptyBatch);
		for pair in proofs.windows(2) {
			if let [(previous, _), (next, _)] = pair {
				ensure!(previous != next, Error::<T>::ProofReplayed);
				ensure!(previous < next, Error::<T>::BatchUnsorted);
			}
		}
		Self::check_epoch(epoch)
	}

	/// The cheap checks of every entry of a batch: one read per device (and one per distinct
	/// authority), no cryptography. Returns the records in the batch's order.
	fn check_batch_entries(
		proofs: &[(DeviceId, [u8; PROOF_BYTES])],
		current: &EpochInfoOf<T>,
	) -> Result<Vec<DeviceInfoOf<T>>, Error<T>> {
		let mut active_authorities = alloc::collections::BTreeSet::new();
		let mut infos = Vec::with_capacity(proofs.len());
		for (device, _) in proofs {
			let info = Self::check_device_record(device, current)?;
			if !active_authorities.contains(&info.authority) {
				Self::check_authority_active(info.authority)?;
				active_authorities.insert(info.authority);
			}
			infos.push(info);
		}
		Ok(infos)
	}

	/// The cheap checks of [`Pallet::authenticate_batch`] (block inclusion): not empty, the
	/// epoch, sorted without duplicates, then every entry's. Returns the records in the batch's
	/// order.
	pub fn check_authenticate_batch(
		epoch: AuthEpoch,
		proofs: &[(DeviceId, [u8; PROOF_BYTES])],
	) -> Result<Vec<DeviceInfoOf<T>>, Error<T>> {
		let current = Self::check_batch_shape(epoch, proofs)?;
		Self::check_batch_entries(proofs, &current)
	}

	/// Every check of [`Pallet::authenticate_batch`] (transaction pool and the call): the cheap
	/// checks of every entry, then every key and proof parsed, then one batch verification of
	/// all proofs (`endo_crypto::verify_identity_proofs_batch`). Returns the records in the
	/// batch's order.
	///
	/// # Security
	/// A junk batch costs the pool at most the cheap checks (no cryptography) or, if they pass,
	/// one multiscalar check for the whole batch: there is no order of entries that makes the
	/// pool verify 249 proofs and fail at the 250th. If the batch check fails, the whole batch
	/// is [`Error::ProofInvalid`] without saying which proof is bad: the gateway, which can
	/// verify each proof itself, resubmits without the bad device.
	pub fn verify_authenticate_batch(
		epoch: AuthEpoch,
		proofs: &[(DeviceId, [u8; PROOF_BYTES])],
	) -> Result<Vec<DeviceInfoOf<T>>, Error<T>> {
		let current = Self::check_batch_shape(epoch, proofs)?;
		let infos = Self::check_batch_entries(proofs, &current)?;
		let mut entries = Vec::with_capacity(proofs.len());
		for ((device, proof), info) in proofs.iter().zip(&infos) {
			entries.push((
				endo_crypto::DeviceId::from_bytes(*device),
				DevicePublicKey::from_bytes(&info.public_key)?,
				IdentityProof::from_bytes(proof)?,
			));
		}
		verify_identity_proofs_batch(
			&current.genesis_hash,
			messages::AUTHENTICATE_PURPOSE,
			&current.challenge,
			&entries,
		)?;
		Ok(infos)
	}

	/// The cheap checks of an authentication: the device exists, is active, has not answered
	/// this epoch, its authority is active and its credential (PKI certificate or IBE
	/// enrolment) unexpired.
	fn check_device_can_prove(
		device: &DeviceId,
		current: &EpochInfoOf<T>,
	) -> Result<DeviceInfoOf<T>, Error<T>> {
		let info = Self::check_device_record(device, current)?;
		Self::check_authority_active(info.authority)?;
		Ok(info)
	}

	/// The checks of an authentication that read the device record only: it exists, is
	/// active, has not answered this epoch, and its credential (PKI certificate or IBE
	/// enrolment, `certificate_expires_at`) is unexpired; an IBE record made before enrolments
	/// carried an expiry has none and never expires.
	fn check_device_record(
		device: &DeviceId,
		current: &EpochInfoOf<T>,
	) -> Result<DeviceInfoOf<T>, Error<T>> {
		let info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		info.ensure_active()?;
		ensure!(!info.answered(current.index), Error::<T>::ProofReplayed);
		if let Some(expires_at) = info.certificate_expires_at {
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= expires_at, Error::<T>::CertificateExpired);
		}
		Ok(info)
	}

	/// The device's authority exists and is active.
	fn check_authority_active(authority: AuthorityId) -> Result<(), Error<T>> {
		Authorities::<T>::get(authority).ok_or(Error::<T>::AuthorityUnknown)?.ensure_active()?;
		Ok(())
	}

	/// Verifies an authentication proof of `device` against the current challenge, with the
	/// purpose [`messages::AUTHENTICATE_PURPOSE`].
	fn verify_authentication(
		device: &DeviceId,
		info: &DeviceInfoOf<T>,
		current: &EpochInfoOf<T>,
		proof: &[u8; PROOF_BYTES],
	) -> Result<(), Error<T>> {
		Self::verify_device_proof(device, info, current, messages::AUTHENTICATE_PURPOSE, proof)
	}

	/// Verifies a NIZK proof of `device` (record `info`) for `purpose` against the challenge of
	/// the epoch `current`.
	pub(crate) fn verify_device_proof(
		device: &DeviceId,
		info: &DeviceInfoOf<T>,
		current: &EpochInfoOf<T>,
		purpose: &[u8],
		proof: &[u8; PROOF_BYTES],
	) -> Result<(), Error<T>> {
		let key = DevicePublicKey::from_bytes(&info.public_key)?;
		let proof = IdentityProof::from_bytes(proof)?;
		verify_identity_proof(
			&current.genesis_hash,
			&endo_crypto::DeviceId::from_bytes(*device),
			&key,
			purpose,
			&current.challenge,
			&proof,
		)?;
		Ok(())
	}

	/// How the transaction pool rejects a call that fails its checks: capacity and rate limits
	/// are `ExhaustsResources` (the block builder keeps the transaction for later), everything
	/// else `Custom(index of the error in this pallet's metadata)`.
	pub(crate) fn pool_rejection(error: Error<T>) -> TransactionValidityError {
		match error {
			Error::<T>::RegistrationRateLimited
			| Error::<T>::TooManyDevices
			| Error::<T>::TooManyPendingRegistrations => InvalidTransaction::ExhaustsResources.into(),
			other => InvalidTransaction::Custom(Self::error_code(&other)).into(),
		}
	}

	/// The index of an error variant (its SCALE encoding), as used in
	/// `InvalidTransaction::Custom`.
	pub fn error_code(error: &Error<T>) -> u8 {
		error.encode().first().copied().unwrap_or(u8::MAX)
	}

	/// Blocks until the current epoch ends (at least 1): the longevity of unsigned calls.
	pub(crate) fn blocks_left_in_epoch() -> u64 {
		let now = frame_system::Pallet::<T>::block_number();
		Epoch::<T>::get()
			.map(|e| e.started_at.saturating_add(T::EpochLength::get()).saturating_sub(now))
			.and_then(|left| TryInto::<u64>::try_into(left).ok())
			.unwrap_or(1)
			.max(1)
	}
}

impl<'a, T: Config> RegisterRequest<'a, T> {
	/// The request of a `register_device` call, or `None` for any other call.
	pub(crate) fn of_call(call: &'a Call<T>) -> Option<Self> {
		match call {
			Call::register_device {
				device,
				public_key,
				authority,
				credential,
				controller,
				epoch,
				proof,
			} => Some(RegisterRequest {
				device,
				public_key,
				authority: *authority,
				credential,
				controller,
				epoch: *epoch,
				proof,
			}),
			_ => None,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// `validate_unsigned`: every check of the call, cheapest first, proof and signature
	/// last; the tags make one registration per device, one proof per device and epoch, and one
	/// binding per controller in a block.
	pub(crate) fn pool_validity(call: &Call<T>) -> TransactionValidity {
		let builder = || {
			ValidTransaction::with_tag_prefix("DeviceIdentity")
				.priority(T::UnsignedPriority::get())
				.longevity(Self::blocks_left_in_epoch())
				.propagate(true)
		};
		if let Some(request) = RegisterRequest::of_call(call) {
			Self::verify_register(&request).map_err(Self::pool_rejection)?;
			let mut valid = builder().and_provides(("register", request.device));
			// A PKI registration binds its controller at once: one per controller in a block.
			// Pending IBE registrations reserve nothing, in the pool neither.
			if let (Credential::Pki { .. }, Some(consent)) =
				(request.credential, request.controller)
			{
				valid = valid.and_provides(("controller", &consent.account));
			}
			return valid.build();
		}
		match call {
			Call::authenticate { device, epoch, proof } => {
				Self::verify_authenticate(device, *epoch, proof).map_err(Self::pool_rejection)?;
				builder().and_provides(("authenticate", device, epoch)).build()
			}
			Call::authenticate_batch { epoch, proofs } => {
				Self::verify_authenticate_batch(*epoch, proofs).map_err(Self::pool_rejection)?;
				proofs
					.iter()
					.fold(builder(), |valid, (device, _)| {
						valid.and_provides(("authenticate", device, epoch))
					})
					.build()
			}
			Call::request_cross_domain_unsigned { device, target, epoch, proof } => {
				Self::verify_cross_domain_request(device, *target, *epoch, proof)
					.map_err(Self::pool_rejection)?;
				// One open request per device: one in the pool as well.
				builder().and_provides(("cross-domain", device)).build()
			}
			_ => InvalidTransaction::Call.into(),
		}
	}

	/// `pre_dispatch`: only the cheap checks whose outcome can change between pool and block
	/// (epoch, duplicates, capacity, rate limit); the call itself verifies the proof, so an
	/// included proof is verified once.
	pub(crate) fn inclusion_check(call: &Call<T>) -> Result<(), TransactionValidityError> {
		if let Some(request) = RegisterRequest::of_call(call) {
			return Self::check_register(&request).map(|_| ()).map_err(Self::pool_rejection);
		}
		match call {
			Call::authenticate { device, epoch, .. } => {
				Self::check_authenticate(device, *epoch).map(|_| ()).map_err(Self::pool_rejection)
			}
			Call::authenticate_batch { epoch, proofs } => {
				Self::check_authenticate_batch(*epoch, proofs)
					.map(|_| ())
					.map_err(Self::pool_rejection)
			}
			Call::request_cross_domain_unsigned { device, target, epoch, .. } => {
				Self::check_epoch(*epoch).map_err(Self::pool_rejection)?;
				Self::check_cross_domain_request(device, *target)
					.map(|_| ())
					.map_err(Self::pool_rejection)
			}
			_ => Err(InvalidTransaction::Call.into()),
		}
	}
}
