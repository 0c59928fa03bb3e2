//! Proxy attestations (paper Fig. 5) and what follows from them: the preconditions of each
//! statement, its settlement at [`Config::AttestationThreshold`] votes, strikes, quarantine
//! and the removal of pending registrations.

use crate::pallet::pallet::*;
use crate::{types::*, weights::WeightInfo, DeviceInfoOf};
use endo_traits::{IdentityEvidence, IdentityTrustSink};
use frame_support::{dispatch::DispatchResult, ensure, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// The preconditions of `proxy`'s `attestation` about `device` (record `info`) in epoch
	/// `epoch` at block `now`: credential statements need a pending registration and a proxy
	/// that did not vote the other way; a cross-domain admission needs an authenticated device
	/// and an active target domain other than its home; a failure report needs an active
	/// device.
	pub(crate) fn ensure_attestable(
		device: &DeviceId,
		info: &DeviceInfoOf<T>,
		proxy: &T::AccountId,
		attestation: Attestation,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
	) -> Result<(), Error<T>> {
		match attestation {
			Attestation::CredentialValid | Attestation::CredentialInvalid => {
				info.ensure_pending()?;
				let opposite = match attestation {
					Attestation::CredentialValid => Attestation::CredentialInvalid,
					_ => Attestation::CredentialValid,
				};
				let voted_opposite = Tallies::<T>::get(device, opposite)
					.is_some_and(|(_, voters)| voters.contains(proxy));
				ensure!(!voted_opposite, Error::<T>::AlreadyAttested);
			}
			Attestation::CrossDomain { target } => {
				info.ensure_active()?;
				ensure!(Self::authenticated_now(info, epoch, now), Error::<T>::NotAuthenticated);
				Authorities::<T>::get(target)
					.ok_or(Error::<T>::AuthorityUnknown)?
					.ensure_active()?;
				ensure!(target != info.authority, Error::<T>::SameDomain);
			}
			Attestation::AuthenticationFailed => info.ensure_active()?,
		}
		Ok(())
	}

	/// Settles an attestation that reached the threshold: confirms or rejects a pending
	/// registration, admits the device to another domain, or records a failed authentication.
	/// Returns the weight of the path taken. Fallible steps come before the first write.
	pub(crate) fn settle_attestation(
		device: DeviceId,
		mut info: DeviceInfoOf<T>,
		attestation: Attestation,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
	) -> Result<Weight, Error<T>> {
		Ok(match attestation {
			Attestation::CredentialValid => {
				// The pending registration reserved nothing: if its controller became bound to
				// another device meanwhile, the registration is void (one device per account).
				if let Some(account) = info
					.controller
					.clone()
					.filter(|account| ControllerDevice::<T>::contains_key(account))
				{
					Self::remove_pending(&device);
					Self::deposit_event(Event::RegistrationVoided { device, controller: account });
					return Ok(T::WeightInfo::attest_confirm_credential());
				}
				info.confirm(epoch)?;
				Devices::<T>::insert(device, &info);
				if let Some(account) = &info.controller {
					ControllerDevice::<T>::insert(account, device);
				}
				PendingCredentials::<T>::remove(device);
				Tallies::<T>::remove(device, Attestation::CredentialInvalid);
				Self::deposit_event(Event::RegistrationConfirmed { device });
				T::WeightInfo::attest_confirm_credential()
			}
			Attestation::CredentialInvalid => {
				if info.registration_epoch() == Some(epoch) {
					// Its proof answers this epoch's challenge: keep a marker until the epoch is
					// over, so that the same registration cannot be submitted again.
					info.reject()?;
					Devices::<T>::insert(device, &info);
					PendingCredentials::<T>::remove(device);
					Self::remove_credential_tallies(&device);
				} else {
					Self::remove_pending(&device);
				}
				Self::deposit_event(Event::RegistrationRejected { device });
				T::WeightInfo::attest_reject_credential()
			}
			Attestation::CrossDomain { target } => {
				let expires_at = now.saturating_add(T::WhitelistTtl::get());
				let mut list = Whitelist::<T>::get(device);
				list.admit(target, now, expires_at)?;
				Whitelist::<T>::insert(device, list);
				Self::push_expiry(device, target, expires_at);
				Self::deposit_event(Event::WhitelistEntryAdded { device, target, expires_at });
				T::WeightInfo::attest_cross_domain()
			}
			Attestation::AuthenticationFailed => {
				// The current authentication is void: the device must prove itself again.
				info.void_proof();
				Whitelist::<T>::remove(device);
				Self::strike(device, &mut info, IdentityEvidence::Failed, epoch);
				Devices::<T>::insert(device, &info);
				T::WeightInfo::attest_authentication_failed()
			}
		})
	}

	/// A missed or failed window of an active device: strike, evidence, event, and quarantine
	/// at [`Config::MaxStrikes`]. The caller writes `info`.
	pub(crate) fn strike(
		device: DeviceId,
		info: &mut DeviceInfoOf<T>,
		evidence: IdentityEvidence,
		epoch: AuthEpoch,
	) {
		let reached = info.record_strike(T::MaxStrikes::get());
		T::IdentityTrust::note_identity_evidence(&device, info.controller.as_ref(), evidence);
		let strikes = info.strikes;
		Self::deposit_event(match evidence {
			IdentityEvidence::Failed => Event::AuthenticationFailed { device, epoch, strikes },
			_ => Event::AuthenticationMissed { device, epoch, strikes },
		});
		if reached && Self::put_in_quarantine(&device, info, QuarantineReason::Strikes).is_err() {
			frame_support::defensive!(
				"only active devices are struck, and they can be quarantined"
			);
		}
	}

	/// The one quarantine path (strikes, the admin origin, another pallet): the device's record
	/// `info` becomes quarantined, its whitelist entries are removed and the event names the
	/// `reason`. The caller writes `info`; nothing changes on error.
	fn put_in_quarantine(
		device: &DeviceId,
		info: &mut DeviceInfoOf<T>,
		reason: QuarantineReason,
	) -> Result<(), LifecycleError> {
		info.quarantine()?;
		Whitelist::<T>::remove(device);
		Self::deposit_event(Event::DeviceQuarantined { device: *device, reason });
		Ok(())
	}

	/// Quarantines an active device by its ID (`quarantine_device` and
	/// `DeviceIdentityInspect::quarantine`).
	pub(crate) fn do_quarantine(device: &DeviceId, reason: QuarantineReason) -> DispatchResult {
		let mut info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		Self::put_in_quarantine(device, &mut info, reason).map_err(Error::<T>::from)?;
		Devices::<T>::insert(device, info);
		Ok(())
	}

	/// Removes a pending registration and everything attached to it (it holds no controller
	/// binding: a pending device reserves nothing).
	pub(crate) fn remove_pending(device: &DeviceId) {
		Devices::<T>::remove(device);
		PendingCredentials::<T>::remove(device);
		Self::remove_credential_tallies(device);
	}

	/// Removes the open credential tallies of a registration that is no longer pending.
	fn remove_credential_tallies(device: &DeviceId) {
		Tallies::<T>::remove(device, Attestation::CredentialValid);
		Tallies::<T>::remove(device, Attestation::CredentialInvalid);
	}

	/// The most tallies a device can have: the two credential statements, the failure
	/// statement and one cross-domain statement per authority.
	pub fn max_tallies_per_device() -> u32 {
		T::MaxAuthorities::get().saturating_add(3)
	}

	/// The weight `attest` is charged up front: its most expensive outcome.
	pub fn attest_weight_bound() -> Weight {
		T::WeightInfo::attest_vote()
			.max(T::WeightInfo::attest_confirm_credential())
			.max(T::WeightInfo::attest_reject_credential())
			.max(T::WeightInfo::attest_cross_domain())
			.max(T::WeightInfo::attest_authentication_failed())
	}
}
