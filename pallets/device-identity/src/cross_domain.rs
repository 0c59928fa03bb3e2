//! Cross-domain requests (paper Fig. 5): a device, or its controller, asks to be admitted to
//! another domain; the proxy nodes' off-chain workers check the device and attest
//! [`Attestation::CrossDomain`] (`offchain.rs`), which adds the whitelist entry
//! (`attestation.rs`) and marks the request admitted. A request is removed when the sweep finds
//! it older than [`Config::RegistrationTimeout`] (so a device asks at most once in that time),
//! or when the device is quarantined, revoked or removed.

use crate::pallet::pallet::*;
use crate::{messages, types::*, DeviceInfoOf};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// The checks of a cross-domain request for `device` to the domain of `target`, without
	/// the requester's: the device is active and authenticated now (the proxies vouch for
	/// nothing else), the target is an active authority other than its home, and the device made
	/// no request in the last [`Config::RegistrationTimeout`] blocks (open or admitted). Returns
	/// the device's record.
	pub(crate) fn check_cross_domain_request(
		device: &DeviceId,
		target: AuthorityId,
	) -> Result<DeviceInfoOf<T>, Error<T>> {
		let epoch = Self::current_epoch()?;
		let info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		info.ensure_active()?;
		ensure!(!CrossDomainRequests::<T>::contains_key(device), Error::<T>::RequestOpen);
		Authorities::<T>::get(target).ok_or(Error::<T>::AuthorityUnknown)?.ensure_active()?;
		ensure!(target != info.authority, Error::<T>::SameDomain);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Self::authenticated_now(&info, epoch.index, now), Error::<T>::NotAuthenticated);
		Ok(info)
	}

	/// Every check of a device's own request (`request_cross_domain_unsigned`): `epoch` is
	/// the current one, `check_cross_domain_request`, then the NIZK proof with the
	/// purpose [`messages::cross_domain_purpose`]`(target)` against the epoch's challenge.
	pub fn verify_cross_domain_request(
		device: &DeviceId,
		target: AuthorityId,
		epoch: AuthEpoch,
		proof: &[u8; PROOF_BYTES],
	) -> Result<(), Error<T>> {
		let current = Self::check_epoch(epoch)?;
		let info = Self::check_cross_domain_request(device, target)?;
		let purpose = messages::cross_domain_purpose(target);
		Self::verify_device_proof(device, &info, &current, &purpose, proof)
	}

	/// Records the open request (its checks passed) and emits the event.
	pub(crate) fn open_cross_domain_request(
		device: DeviceId,
		target: AuthorityId,
		by_device: bool,
	) {
		let requested_at = frame_system::Pallet::<T>::block_number();
		CrossDomainRequests::<T>::insert(
			device,
			CrossDomainRequest { target, requested_at, admitted: false },
		);
		Self::deposit_event(Event::CrossDomainRequested { device, target, by_device });
	}

	/// Removes the device's request, if any; an event if it ended without an admission.
	pub(crate) fn end_cross_domain_request(device: &DeviceId) {
		if let Some(request) = CrossDomainRequests::<T>::take(device) {
			if !request.admitted {
				// Its open tally goes with it: votes on this request never count for a later
				// one. Their deposits are released when the hook prunes the epoch.
				let epoch = Epoch::<T>::get().map_or(0, |e| e.index);
				let statement = Attestation::CrossDomain { target: request.target };
				Tallies::<T>::remove((epoch, device, statement));
				Self::deposit_event(Event::CrossDomainRequestEnded {
					device: *device,
					target: request.target,
				});
			}
		}
	}

	/// Whether the device has an open (not yet admitted) request for `target`.
	pub(crate) fn requested(device: &DeviceId, target: AuthorityId) -> bool {
		CrossDomainRequests::<T>::get(device)
			.is_some_and(|request| request.target == target && !request.admitted)
	}

	/// Removes the device's request if it is older than [`Config::RegistrationTimeout`] at `now`
	/// (the sweep). Whether it did.
	pub(crate) fn expire_cross_domain_request(device: &DeviceId, now: BlockNumberFor<T>) -> bool {
		let expired = CrossDomainRequests::<T>::get(device).is_some_and(|request| {
			now >= request.requested_at.saturating_add(T::RegistrationTimeout::get())
		});
		if expired {
			Self::end_cross_domain_request(device);
		}
		expired
	}
}
