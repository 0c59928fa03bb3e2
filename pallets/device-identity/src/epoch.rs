//! Authentication epochs (the three parts of `on_initialize`): a new challenge every
//! [`Config::EpochLength`] blocks, the sweep of the finished epoch over every device, and the
//! pruning of expired whitelist entries from their expiry queue.

use crate::pallet::pallet::*;
use crate::{messages, types::*, weights::WeightInfo, DeviceInfoOf, EpochInfoOf, LOG_TARGET};
use alloc::{collections::BTreeMap, vec::Vec};
use endo_traits::{IdentityEvidence, IdentityTrustSink};
use frame_support::{
	traits::{Get, Randomness},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, the first input of every proof transcript (read from
	/// `frame_system`; the pallet copies it into `Epoch` at every epoch change).
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		hash.as_ref().try_into().unwrap_or_else(|_| sp_io::hashing::blake2_256(hash.as_ref()))
	}

	/// The current epoch; [`Error::ChallengeUnknown`] before the first block.
	pub fn current_epoch() -> Result<EpochInfoOf<T>, Error<T>> {
		Epoch::<T>::get().ok_or(Error::<T>::ChallengeUnknown)
	}

	/// Hook part 1: a new epoch every [`Config::EpochLength`] blocks (the first at the first
	/// block) with the challenge [`messages::challenge`]; the sweep of the finished epoch
	/// starts.
	pub(crate) fn roll_epoch(now: BlockNumberFor<T>) -> Weight {
		let current = Epoch::<T>::get();
		let due = current
			.as_ref()
			.is_none_or(|e| now >= e.started_at.saturating_add(T::EpochLength::get()));
		if !due {
			return T::DbWeight::get().reads(1);
		}
		let index = current.as_ref().map_or(0, |e| e.index.saturating_add(1));
		let (seed, _) = T::Randomness::random(messages::CHALLENGE_TAG);
		let parent = frame_system::Pallet::<T>::parent_hash();
		let challenge = messages::challenge(index, seed.as_ref(), parent.as_ref());
		let genesis_hash = Self::genesis_hash();
		Epoch::<T>::put(EpochInfo { index, challenge, started_at: now, genesis_hash });
		if let Some(finished) = current {
			if let Some(unfinished) = Sweep::<T>::get() {
				// Cannot happen while the integrity test holds.
				log::warn!(
					target: LOG_TARGET,
					"sweep of epoch {} unfinished at epoch {}",
					unfinished.epoch,
					index
				);
			}
			Sweep::<T>::put(SweepState { epoch: finished.index, cursor: None });
		}
		Self::deposit_event(Event::NewChallenge { epoch: index, challenge });
		T::WeightInfo::new_epoch()
	}

	/// Hook part 2: visits up to [`Config::MaxSweepPerBlock`] devices for the finished epoch:
	/// identity-trust evidence for proofs, strikes for missed windows, removal of timed-out
	/// pending registrations, of the markers of registrations rejected in that epoch and of
	/// the records that can never be used again ([`Pallet::reclaimable`]). Charged per outcome (a visit that changes nothing costs a read).
	pub(crate) fn sweep_step(now: BlockNumberFor<T>) -> Weight {
		let Some(mut state) = Sweep::<T>::get() else {
			return T::DbWeight::get().reads(1);
		};
		let limit = T::MaxSweepPerBlock::get() as usize;
		let batch: Vec<_> = match &state.cursor {
			Some(key) => Devices::<T>::iter_from(key.to_vec()).take(limit).collect(),
			None => Devices::<T>::iter().take(limit).collect(),
		};
		let (mut idle, mut proved, mut missed, mut expired) = (0u32, 0u32, 0u32, 0u32);
		let (mut reclaimed, mut retired_since) = (0u32, BTreeMap::new());
		let timeout = T::RegistrationTimeout::get();
		// The first block after the finished epoch, and the authorities' states, read once.
		let epoch_start = Epoch::<T>::get().map(|e| e.started_at);
		let mut retired = BTreeMap::new();
		for (device, mut info) in batch.iter().cloned() {
			// A record that can never be used again (`reclaim.rs`).
			if Self::reclaimable(&device, &info, state.epoch, now, &mut retired_since) {
				Self::remove_record(&device, &info);
				Self::deposit_event(Event::DeviceRecordRemoved { device });
				reclaimed.saturating_inc();
				continue;
			}
			match info.status {
				DeviceStatus::Pending if now >= info.registered_at.saturating_add(timeout) => {
					Self::remove_pending(&device);
					Self::deposit_event(Event::RegistrationExpired { device });
					expired.saturating_inc();
				}
				// A rejected registration's marker, once its epoch is over (its proof has
				// expired, so the marker has nothing left to block). Charged as an expiry.
				DeviceStatus::Rejected if !info.rejected_in(state.epoch.saturating_add(1)) => {
					Devices::<T>::remove(device);
					expired.saturating_inc();
				}
				DeviceStatus::Active if info.missed(state.epoch) => {
					// A miss the device could not avoid is neither a strike nor evidence.
					// Charged as a strike (an upper bound).
					if !Self::could_not_prove(&info, epoch_start, &mut retired) {
						Self::strike(device, &mut info, IdentityEvidence::Missed, state.epoch);
						Devices::<T>::insert(device, &info);
					}
					missed.saturating_inc();
				}
				// Identity-trust evidence for the proof of the finished epoch: reported here,
				// once per device and epoch, so that a proof writes only its own record.
				DeviceStatus::Active if info.proved_in(state.epoch) => {
					T::IdentityTrust::note_identity_evidence(
						&device,
						info.controller.as_ref(),
						IdentityEvidence::Authenticated,
					);
					proved.saturating_inc();
				}
				_ => idle.saturating_inc(),
			}
			// A cross-domain request the proxies did not settle in time. Charged as an expiry.
			if Self::expire_cross_domain_request(&device, now) {
				expired.saturating_inc();
			}
		}
		let cursor = batch
			.last()
			.filter(|_| batch.len() == limit)
			.and_then(|(device, _)| Devices::<T>::hashed_key_for(device).try_into().ok());
		match cursor {
			Some(key) => {
				state.cursor = Some(key);
				Sweep::<T>::put(state);
			}
			None => Sweep::<T>::kill(),
		}
		// Each benchmark includes the fixed part (the cursor): charged three times, a slight
		// overestimate.
		T::WeightInfo::sweep_idle(idle)
			.saturating_add(T::WeightInfo::sweep_proved(proved))
			.saturating_add(T::WeightInfo::sweep_missed(missed))
			.saturating_add(T::WeightInfo::sweep_expired(expired))
			.saturating_add(T::WeightInfo::sweep_reclaimed(reclaimed))
	}

	/// Whether an active device that missed the finished epoch could not have proved itself in
	/// all of it through no fault of its own or its controller's: its home authority is retired
	/// (so [`Pallet::authenticate`] refuses it), or its credential (PKI certificate or IBE
	/// enrolment) expired before the epoch's last block (`epoch_start` is the first block of
	/// the epoch after it). Such a miss must not strike the device nor send `Missed` evidence
	/// against its controller; the device stays unauthenticated all the same. `retired` caches
	/// the authorities' states for the sweep step.
	fn could_not_prove(
		info: &DeviceInfoOf<T>,
		epoch_start: Option<BlockNumberFor<T>>,
		retired: &mut BTreeMap<AuthorityId, bool>,
	) -> bool {
		let certificate_expired = match (info.certificate_expires_at, epoch_start) {
			(Some(expires_at), Some(start)) => expires_at.saturating_add(One::one()) < start,
			_ => false,
		};
		certificate_expired
			|| *retired.entry(info.authority).or_insert_with(|| {
				Authorities::<T>::get(info.authority)
					.is_none_or(|authority| authority.ensure_active().is_err())
			})
	}

	/// Queues the expiry of `device`'s whitelist entry for `target` at `expires_at`. Every
	/// entry lasts [`Config::WhitelistTtl`], so insertion order is expiry order.
	pub(crate) fn push_expiry(
		device: DeviceId,
		target: AuthorityId,
		expires_at: BlockNumberFor<T>,
	) {
		let (head, tail) = ExpiryQueueRange::<T>::get();
		ExpiryQueue::<T>::insert(tail, (device, target, expires_at));
		ExpiryQueueRange::<T>::put((head, tail.saturating_add(1)));
	}

	/// Hook part 3: prunes up to [`Config::MaxPrunePerBlock`] expired whitelist entries, in
	/// expiry order.
	pub(crate) fn prune_whitelist(now: BlockNumberFor<T>) -> Weight {
		let (mut head, tail) = ExpiryQueueRange::<T>::get();
		let mut pruned = 0u32;
		while head < tail && pruned < T::MaxPrunePerBlock::get() {
			let entry = ExpiryQueue::<T>::get(head);
			if entry.as_ref().is_some_and(|(_, _, expires_at)| *expires_at > now) {
				break;
			}
			ExpiryQueue::<T>::remove(head);
			head = head.saturating_add(1);
			pruned = pruned.saturating_add(1);
			let Some((device, target, _)) = entry else { continue };
			let removed = Whitelist::<T>::mutate_exists(device, |list| {
				let Some(entries) = list else { return false };
				let removed = entries.expire(target, now);
				if entries.is_empty() {
					*list = None;
				}
				removed
			});
			if removed {
				Self::deposit_event(Event::WhitelistEntryExpired { device, target });
			}
		}
		if pruned > 0 {
			ExpiryQueueRange::<T>::put((head, tail));
		}
		T::WeightInfo::prune_whitelist(pruned)
	}
}
