//! The storage invariants, checked by the `try_state` hook (with `try-runtime`) and after every
//! unit test.

use crate::pallet::pallet::*;
use crate::{types::*, BalanceOf};
use alloc::collections::BTreeSet;
use endo_crypto::DevicePublicKey;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Checks the storage invariants (run by `try_state` and after every unit test).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError;
		let now = frame_system::Pallet::<T>::block_number();

		// Authorities: indices below the counter, as many as registered and not removed, the
		// key index matches both ways (removed authorities keep their key reserved); a
		// retirement epoch only for retired authorities.
		let next = NextAuthorityId::<T>::get();
		let count = Self::authority_count();
		ensure!(count <= T::MaxAuthorities::get(), TryRuntimeError::Other("too many authorities"));
		let mut authorities = 0u32;
		for (id, info) in Authorities::<T>::iter() {
			authorities += 1;
			ensure!(id < next, TryRuntimeError::Other("authority index beyond the counter"));
			ensure!(
				AuthorityOfKey::<T>::get(&info.key) == Some(id),
				TryRuntimeError::Other("authority key index out of sync")
			);
		}
		ensure!(authorities == count, TryRuntimeError::Other("authority count out of sync"));
		ensure!(
			AuthorityOfKey::<T>::iter().count() as u32 == next,
			TryRuntimeError::Other("authority key index has extra or missing entries")
		);
		ensure!(
			RetiredAt::<T>::iter_keys()
				.all(|a| Self::retired_since(a).is_some() && Authorities::<T>::contains_key(a)),
			TryRuntimeError::Other("retirement epoch of an active or removed authority")
		);
		ensure!(
			RevokedAt::<T>::iter_keys()
				.all(|d| Devices::<T>::get(d)
					.is_some_and(|info| info.status == DeviceStatus::Revoked)),
			TryRuntimeError::Other("revocation epoch of a device that is not revoked")
		);

		// Devices.
		let (mut devices, mut pending) = (0u32, 0u32);
		for (device, info) in Devices::<T>::iter() {
			devices += 1;
			let authority = Authorities::<T>::get(info.authority)
				.ok_or(TryRuntimeError::Other("device of an unknown authority"))?;
			ensure!(
				authority.key.kind() == info.domain,
				TryRuntimeError::Other("device domain differs from its authority's")
			);
			// IBE records made before enrolments carried an expiry have none.
			ensure!(
				info.domain != DomainKind::Pki || info.certificate_expires_at.is_some(),
				TryRuntimeError::Other("PKI device without a certificate expiry")
			);
			let key_matches = DevicePublicKey::from_bytes(&info.public_key)
				.is_ok_and(|key| key.device_id().as_bytes() == &device);
			ensure!(key_matches, TryRuntimeError::Other("device ID is not the hash of its key"));
			let is_pending = info.status == DeviceStatus::Pending;
			pending += u32::from(is_pending);
			ensure!(
				PendingCredentials::<T>::contains_key(device) == is_pending,
				TryRuntimeError::Other("pending credential without pending device or vice versa")
			);
			// Active and quarantined devices hold their controller's binding; pending,
			// rejected and revoked ones hold nothing (another device may hold the account).
			if let Some(account) = &info.controller {
				ensure!(
					(ControllerDevice::<T>::get(account) == Some(device))
						== info.holds_controller(),
					TryRuntimeError::Other("controller index out of sync")
				);
			}
			// A rejection marker lives until the sweep of its epoch.
			if info.status == DeviceStatus::Rejected {
				let current = Epoch::<T>::get().map_or(0, |e| e.index);
				ensure!(
					info.registration_epoch()
						.is_some_and(|epoch| epoch.saturating_add(1) >= current),
					TryRuntimeError::Other("rejection marker outlived the sweep of its epoch")
				);
			}
			if info.status == DeviceStatus::Active {
				ensure!(
					info.strikes < T::MaxStrikes::get(),
					TryRuntimeError::Other("active device at MaxStrikes")
				);
			} else {
				ensure!(
					!Whitelist::<T>::contains_key(device),
					TryRuntimeError::Other("whitelist entries of an inactive device")
				);
			}
		}
		ensure!(devices == Devices::<T>::count(), TryRuntimeError::Other("device counter"));
		ensure!(devices <= T::MaxDevices::get(), TryRuntimeError::Other("too many devices"));
		ensure!(
			pending == PendingCredentials::<T>::count()
				&& pending <= T::MaxPendingRegistrations::get(),
			TryRuntimeError::Other("pending counter")
		);
		for (account, device) in ControllerDevice::<T>::iter() {
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("controller of an unknown device"))?;
			ensure!(
				info.controller.as_ref() == Some(&account) && info.holds_controller(),
				TryRuntimeError::Other("controller index points at the wrong device")
			);
		}

		// Whitelist.
		let ttl = T::WhitelistTtl::get();
		for (device, entries) in Whitelist::<T>::iter() {
			ensure!(!entries.is_empty(), TryRuntimeError::Other("empty whitelist stored"));
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("whitelist of an unknown device"))?;
			for (i, entry) in entries.iter().enumerate() {
				ensure!(
					Authorities::<T>::contains_key(entry.target) && entry.target != info.authority,
					TryRuntimeError::Other("whitelist target unknown or home domain")
				);
				ensure!(
					entry.expires_at <= now.saturating_add(ttl),
					TryRuntimeError::Other("whitelist entry beyond the TTL")
				);
				ensure!(
					entries.iter().skip(i + 1).all(|other| other.target != entry.target),
					TryRuntimeError::Other("duplicate whitelist target")
				);
			}
		}
		let (head, tail) = ExpiryQueueRange::<T>::get();
		ensure!(head <= tail, TryRuntimeError::Other("expiry queue head beyond tail"));
		ensure!(
			ExpiryQueue::<T>::iter_keys().all(|k| (head..tail).contains(&k))
				&& ExpiryQueue::<T>::iter_keys().count() as u64 == tail - head,
			TryRuntimeError::Other("expiry queue positions")
		);
		let mut last = BlockNumberFor::<T>::zero();
		let mut queued = BTreeSet::new();
		for position in head..tail {
			let item = ExpiryQueue::<T>::get(position)
				.ok_or(TryRuntimeError::Other("hole in the expiry queue"))?;
			ensure!(item.2 >= last, TryRuntimeError::Other("expiry queue out of order"));
			last = item.2;
			queued.insert(item);
		}
		// Every whitelist entry's expiry is queued (a renewal queues the new expiry; the items
		// of older expiries are skipped when pruned), so that pruning reaches every entry.
		for (device, entries) in Whitelist::<T>::iter() {
			ensure!(
				entries.iter().all(|e| queued.contains(&(device, e.target, e.expires_at))),
				TryRuntimeError::Other("whitelist entry whose expiry is not queued")
			);
		}

		// Tallies: not below the pruned epoch nor after the current one; distinct voters,
		// within the bound; about existing devices; credential tallies only while pending;
		// only failure tallies are kept concluded. Counters: as many as the epoch's count.
		let current = Epoch::<T>::get().map_or(0, |e| e.index);
		let pruned_to = AttestationsPrunedTo::<T>::get();
		ensure!(pruned_to <= current, TryRuntimeError::Other("attestations pruned ahead"));
		for ((epoch, device, attestation), (voters, concluded)) in Tallies::<T>::iter() {
			ensure!(
				(pruned_to..=current).contains(&epoch),
				TryRuntimeError::Other("tally of a pruned or future epoch")
			);
			ensure!(!voters.is_empty(), TryRuntimeError::Other("empty tally"));
			ensure!(
				voters
					.iter()
					.enumerate()
					.all(|(i, (v, _))| voters[i + 1..].iter().all(|(other, _)| other != v)),
				TryRuntimeError::Other("duplicate voter")
			);
			// A settled tally released its deposits; an open one's are in its voters' counters.
			ensure!(
				!concluded || voters.iter().all(|(_, deposit)| deposit.is_zero()),
				TryRuntimeError::Other("a concluded tally records a deposit")
			);
			ensure!(
				voters.iter().all(|(v, deposit)| *deposit <= AttestationsBy::<T>::get(epoch, v).1),
				TryRuntimeError::Other("a vote's deposit is not in its voter's counter")
			);
			ensure!(
				!concluded || attestation == Attestation::AuthenticationFailed,
				TryRuntimeError::Other("a concluded tally other than a failure is kept")
			);
			// (A device's record may go before its tallies: the sweep's reclamation.)
			let Some(info) = Devices::<T>::get(device).filter(|_| epoch == current) else {
				continue;
			};
			if attestation.is_about_credential() {
				ensure!(
					info.status == DeviceStatus::Pending,
					TryRuntimeError::Other("credential tally of a device that is not pending")
				);
			}
		}
		let (counted_epoch, in_epoch) = AttestationsInEpoch::<T>::get();
		ensure!(
			in_epoch <= T::MaxAttestationsPerEpoch::get(),
			TryRuntimeError::Other("attestations beyond the epoch's quota")
		);
		// (The counters of a finished epoch may be partly pruned.)
		if counted_epoch == current {
			let by_proxy: u32 = AttestationsBy::<T>::iter_prefix_values(counted_epoch)
				.map(|(count, _)| count)
				.sum();
			ensure!(by_proxy == in_epoch, TryRuntimeError::Other("attestation counters disagree"));
		}
		ensure!(
			AttestationsBy::<T>::iter_keys()
				.all(|(epoch, _)| (pruned_to..=current).contains(&epoch)),
			TryRuntimeError::Other("attestation counter of a pruned or future epoch")
		);
		// Deposits: what the counters record is what each proxy holds for its attestations.
		let mut recorded = alloc::collections::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (_, proxy, (_, held)) in AttestationsBy::<T>::iter() {
			let sum = recorded.entry(proxy).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(held);
		}
		for (proxy, held) in recorded {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AttestationDeposit.into(), &proxy)
					== held,
				TryRuntimeError::Other("attestation deposits held differ from the counters")
			);
		}

		// Cross-domain requests: of devices that are active (quarantine, revocation and removal
		// take them away), never for the device's home domain, not from the future, as many as
		// the counter says. Proxy keys: the two maps agree.
		let mut requests = 0u32;
		for (device, request) in CrossDomainRequests::<T>::iter() {
			requests += 1;
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("cross-domain request of an unknown device"))?;
			ensure!(
				info.status == DeviceStatus::Active,
				TryRuntimeError::Other("cross-domain request of a device that is not active")
			);
			ensure!(
				request.target != info.authority,
				TryRuntimeError::Other("cross-domain request for the home domain")
			);
			ensure!(
				request.requested_at <= now,
				TryRuntimeError::Other("cross-domain request from the future")
			);
		}
		ensure!(
			requests == CrossDomainRequests::<T>::count(),
			TryRuntimeError::Other("cross-domain request count out of sync")
		);
		for (key, account) in ProxyKeyOwner::<T>::iter() {
			ensure!(
				ProxyKeyOf::<T>::get(&account).as_ref() == Some(&key),
				TryRuntimeError::Other("proxy key maps out of sync")
			);
		}
		ensure!(
			ProxyKeyOf::<T>::iter()
				.all(|(account, key)| ProxyKeyOwner::<T>::get(&key) == Some(account)),
			TryRuntimeError::Other("proxy key maps out of sync")
		);

		// Epoch: started, not overdue.
		if let Some(epoch) = Epoch::<T>::get() {
			ensure!(epoch.started_at <= now, TryRuntimeError::Other("epoch starts in the future"));
			ensure!(
				now < epoch.started_at.saturating_add(T::EpochLength::get()),
				TryRuntimeError::Other("epoch overdue")
			);
		}

		// Sweep: only of the epoch before the current one, its cursor a key of the device map.
		if let Some(sweep) = Sweep::<T>::get() {
			let current = Epoch::<T>::get().ok_or(TryRuntimeError::Other("sweep without epoch"))?;
			ensure!(
				sweep.epoch.checked_add(1) == Some(current.index),
				TryRuntimeError::Other("sweep of an epoch other than the previous one")
			);
			if let Some(cursor) = &sweep.cursor {
				ensure!(
					cursor.starts_with(&Devices::<T>::map_storage_final_prefix()),
					TryRuntimeError::Other("sweep cursor outside the device map")
				);
			}
		}
		Ok(())
	}
}
