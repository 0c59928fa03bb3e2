//! Reclaimed capacity: the records that can never be used again leave [`Config::MaxDevices`]
//! and [`Config::MaxAuthorities`] (`docs/SECURITY.md`, "capacity is never reclaimed").
//!
//! * A revoked device's tombstone keeps its ID from registering again. The sweep removes it
//!   [`Config::TombstoneRetention`] epochs after the revocation, once its credential has
//!   expired too (a PKI certificate's or an IBE enrolment's `expires_at`, recorded as
//!   `certificate_expires_at`): then the old registration cannot be replayed, and a new one
//!   needs a new credential, which the CA (or the KGC, whose enrolment co-signature covers the
//!   expiry) does not issue to a revoked device. An IBE record made before enrolments carried
//!   an expiry has none: its tombstone stays while its authority is active.
//! * Every device record of a retired authority is useless (its devices can neither register
//!   nor authenticate): the sweep removes them `TombstoneRetention` epochs after the
//!   retirement, and [`Pallet::remove_authority`] then removes the authority (its key stays
//!   reserved in `AuthorityOfKey`, so it can never be registered again).

use crate::pallet::pallet::*;
use crate::{types::*, DeviceInfoOf};
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The epoch since which `authority` is retired; `Some(0)` for an authority retired before
	/// `RetiredAt` existed, or unknown. `None` while it is active.
	pub fn retired_since(authority: AuthorityId) -> Option<AuthEpoch> {
		match Authorities::<T>::get(authority) {
			Some(info) if info.ensure_active().is_ok() => None,
			Some(_) => Some(RetiredAt::<T>::get(authority).unwrap_or(0)),
			None => Some(0),
		}
	}

	/// Whether the sweep of `epoch` (at block `now`) removes `device`'s record `info`: its
	/// authority was retired at least [`Config::TombstoneRetention`] epochs before `epoch`, or
	/// it was revoked that long ago and its credential (PKI certificate or IBE enrolment) has
	/// expired; a record without an expiry (IBE, made before enrolments carried one) never. `retired` caches
	/// [`Pallet::retired_since`] for the sweep step.
	pub fn reclaimable(
		device: &DeviceId,
		info: &DeviceInfoOf<T>,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
		retired: &mut BTreeMap<AuthorityId, Option<AuthEpoch>>,
	) -> bool {
		let retention = T::TombstoneRetention::get();
		let old = |since: AuthEpoch| since.saturating_add(retention) <= epoch;
		let retired_since =
			*retired.entry(info.authority).or_insert_with(|| Self::retired_since(info.authority));
		if retired_since.is_some_and(old) {
			return true;
		}
		info.status == DeviceStatus::Revoked
			&& info.certificate_expires_at.is_some_and(|expires_at| expires_at < now)
			&& old(RevokedAt::<T>::get(device).unwrap_or(0))
	}

	/// Removes `device`'s record `info` and what hangs on it: a pending credential, the
	/// controller binding it holds, its whitelist entries and revocation epoch. (Its tallies
	/// of the current epoch, if any, go with the epoch's pruning; its whitelist expiries are
	/// skipped when pruned.)
	pub(crate) fn remove_record(device: &DeviceId, info: &DeviceInfoOf<T>) {
		Devices::<T>::remove(device);
		PendingCredentials::<T>::remove(device);
		RevokedAt::<T>::remove(device);
		Whitelist::<T>::remove(device);
		CrossDomainRequests::<T>::remove(device);
		if let Some(account) = &info.controller {
			if ControllerDevice::<T>::get(account) == Some(*device) {
				ControllerDevice::<T>::remove(account);
			}
		}
	}

	/// Removes a retired authority whose devices the sweep has removed (no origin check;
	/// `remove_authority`): retired at least [`Config::TombstoneRetention`] epochs before an
	/// epoch whose sweep is over (the sweep of an epoch visits every device during the next
	/// one, `integrity_test`).
	pub(crate) fn do_remove_authority(authority: AuthorityId) -> Result<(), Error<T>> {
		ensure!(Authorities::<T>::contains_key(authority), Error::<T>::AuthorityUnknown);
		let since = Self::retired_since(authority).ok_or(Error::<T>::AuthorityActive)?;
		let current = Self::current_epoch()?.index;
		let swept = since.saturating_add(T::TombstoneRetention::get()).saturating_add(1);
		ensure!(current > swept, Error::<T>::AuthorityRetiredRecently);
		Authorities::<T>::remove(authority);
		RetiredAt::<T>::remove(authority);
		RemovedAuthorities::<T>::mutate(|removed| *removed = removed.saturating_add(1));
		Ok(())
	}

	/// The number of registered authorities (retired ones included until removed).
	pub fn authority_count() -> u32 {
		NextAuthorityId::<T>::get().saturating_sub(RemovedAuthorities::<T>::get())
	}
}
