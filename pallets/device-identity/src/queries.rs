//! Queries: the runtime API's reports (the paper's match step, Fig. 7 steps 4-5), whether a
//! device is authenticated, read access for off-chain code, and
//! [`endo_traits::DeviceIdentityInspect`] for other pallets.

use crate::pallet::pallet::*;
use crate::{types::*, AuthorityInfoOf, DeviceInfoOf};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Whether the device counts as authenticated at block `now` of epoch `epoch`: it proved
	/// itself recently, its credential (PKI certificate or IBE enrolment) has not expired and
	/// its authority is active.
	pub(crate) fn authenticated_now(
		info: &DeviceInfoOf<T>,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
	) -> bool {
		info.proved_recently(epoch)
			&& info.certificate_expires_at.is_none_or(|expires_at| now <= expires_at)
			&& Authorities::<T>::get(info.authority).is_some_and(|a| a.ensure_active().is_ok())
	}

	/// Whether `device` is authenticated now (see the crate docs).
	pub fn is_authenticated(device: &DeviceId) -> bool {
		let (Some(info), Some(epoch)) = (Devices::<T>::get(device), Epoch::<T>::get()) else {
			return false;
		};
		Self::authenticated_now(&info, epoch.index, frame_system::Pallet::<T>::block_number())
	}

	/// The runtime API's status report (see [`DeviceReport`]).
	pub fn device_report(
		device: &DeviceId,
	) -> Option<DeviceReport<T::AccountId, BlockNumberFor<T>>> {
		let info = Devices::<T>::get(device)?;
		let now = frame_system::Pallet::<T>::block_number();
		let authenticated =
			Epoch::<T>::get().is_some_and(|epoch| Self::authenticated_now(&info, epoch.index, now));
		let mut domains = Vec::new();
		if authenticated {
			domains.push(DomainMembership {
				authority: info.authority,
				kind: info.domain,
				expires_at: None,
			});
			for entry in Whitelist::<T>::get(device) {
				if !entry.counts_at(&now) {
					continue;
				}
				let Some(target) = Authorities::<T>::get(entry.target) else { continue };
				if target.ensure_active().is_ok() {
					domains.push(DomainMembership {
						authority: entry.target,
						kind: target.key.kind(),
						expires_at: Some(entry.expires_at),
					});
				}
			}
		}
		Some(DeviceReport {
			status: info.status,
			authenticated,
			authenticated_since: if authenticated { info.authenticated_since } else { None },
			last_proof_at: info.last_proof.map(|p| p.at),
			last_proof_epoch: info.last_proof.map(|p| p.epoch),
			authority: info.authority,
			domain: info.domain,
			domains,
			controller: info.controller,
			strikes: info.strikes,
		})
	}

	/// The runtime API's challenge report (see [`ChallengeReport`]).
	pub fn challenge_report() -> Option<ChallengeReport<BlockNumberFor<T>>> {
		let epoch = Epoch::<T>::get()?;
		Some(ChallengeReport {
			epoch: epoch.index,
			challenge: epoch.challenge,
			genesis_hash: epoch.genesis_hash,
			started_at: epoch.started_at,
			ends_at: epoch.started_at.saturating_add(T::EpochLength::get()),
		})
	}

	/// The record of `device`, if registered (tombstones of revoked devices included).
	pub fn device(device: &DeviceId) -> Option<DeviceInfoOf<T>> {
		Devices::<T>::get(device)
	}

	/// The authority with index `authority`, if registered (retired ones included).
	pub fn authority(authority: AuthorityId) -> Option<AuthorityInfoOf<T>> {
		Authorities::<T>::get(authority)
	}

	/// The SM9 credential of a pending IBE registration: what a proxy node verifies
	/// (`endo_crypto::device_identity::ibe_credential_verdict`) before it attests.
	pub fn pending_credential(device: &DeviceId) -> Option<[u8; SM9_SIGNATURE_BYTES]> {
		PendingCredentials::<T>::get(device)
	}
}

impl<T: Config> endo_traits::DeviceIdentityInspect<T::AccountId> for Pallet<T> {
	fn is_authenticated(device: &DeviceId) -> bool {
		Pallet::<T>::is_authenticated(device)
	}

	fn device_of(controller: &T::AccountId) -> Option<DeviceId> {
		ControllerDevice::<T>::get(controller)
	}

	fn quarantine(device: &DeviceId) -> Result<(), ()> {
		Pallet::<T>::do_quarantine(device, QuarantineReason::Trust).map_err(|_| ())
	}
}
