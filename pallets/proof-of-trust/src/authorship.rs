//! Behaviour evidence from block authorship (`on_finalize`): the author's primary or secondary
//! block, and the empty slots since the previous block, each blamed on the slot's secondary
//! author (see the crate docs, *Behaviour evidence from authorship*). The counts are folded into
//! the ledger at the epoch change (`epoch_change.rs`).

use crate::{Config, EpochAuthorship, Event, LastSlot, Pallet, Validators};
use codec::{Decode, Encode};
use endo_trust::consensus;
use frame_support::traits::Get;
use sp_consensus_babe::{digests::PreDigest, Slot, BABE_ENGINE_ID};

impl<T: Config> Pallet<T> {
	/// The BABE pre-digest of the block being built or imported.
	fn babe_pre_digest() -> Option<PreDigest> {
		frame_system::Pallet::<T>::digest()
			.logs
			.iter()
			.filter_map(|item| item.as_pre_runtime())
			.filter_map(
				|(id, mut data)| {
					if id == BABE_ENGINE_ID {
						PreDigest::decode(&mut data).ok()
					} else {
						None
					}
				},
			)
			.next()
	}

	/// `on_finalize`: counts the author's block and blames the empty slots since the last
	/// block on their secondary authors. Returns the number of slots blamed.
	pub(crate) fn note_author() -> u32 {
		let Some(pre_digest) = Self::babe_pre_digest() else { return 0 };
		let slot = pre_digest.slot();
		let validators = Validators::<T>::get();
		let authorities = pallet_babe::Authorities::<T>::get();
		let mut stats = EpochAuthorship::<T>::get();
		// Stats count only where the pallet's set is BABE's (same key at the same index).
		let aligned = |index: usize| {
			validators
				.get(index)
				.zip(authorities.get(index))
				.is_some_and(|(v, (key, _))| v.babe == *key)
		};
		let author = pre_digest.authority_index() as usize;
		if aligned(author) {
			if let Some(entry) = stats.get_mut(author) {
				if pre_digest.is_primary() {
					entry.primary = entry.primary.saturating_add(1);
				} else {
					entry.secondary = entry.secondary.saturating_add(1);
				}
			}
		}
		let mut blamed = 0u32;
		let last = u64::from(LastSlot::<T>::get());
		let now_slot = u64::from(slot);
		let secondary_slots = pallet_babe::EpochConfig::<T>::get().is_some_and(|c| {
			c.allowed_slots.is_secondary_plain_slots_allowed()
				|| c.allowed_slots.is_secondary_vrf_slots_allowed()
		});
		if last > 0 && now_slot > last.saturating_add(1) && secondary_slots {
			let from = last
				.saturating_add(1)
				.max(u64::from(pallet_babe::Pallet::<T>::current_epoch_start()));
			let to = now_slot;
			let gap = to.saturating_sub(from);
			if gap > u64::from(T::MaxMissedSlotsPerBlock::get()) {
				Self::deposit_event(Event::SlotsUnattributed { from, to });
			} else {
				let randomness = pallet_babe::Randomness::<T>::get();
				let n = authorities.len() as u32;
				for empty in from..to {
					let hash =
						(randomness, Slot::from(empty)).using_encoded(sp_io::hashing::blake2_256);
					let Some(index) = consensus::secondary_slot_index(&hash, n) else { break };
					let index = index as usize;
					if aligned(index) {
						if let Some(entry) = stats.get_mut(index) {
							entry.missed = entry.missed.saturating_add(1);
							blamed = blamed.saturating_add(1);
						}
					}
				}
			}
		}
		LastSlot::<T>::put(slot);
		EpochAuthorship::<T>::put(stats);
		blamed
	}
}
