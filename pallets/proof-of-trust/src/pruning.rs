//! Capacity is reclaimed: in `on_idle`, a cursor walks [`Ledger`] and then [`DeviceLedger`]
//! and removes the records that nothing has written for [`Config::LedgerRetentionEpochs`] and
//! whose evidence has decayed below [`Config::PruneBelowUnits`] (in evidence units, good and bad
//! together), unless the account is a candidate, is unbonding or is sanctioned. Such a record
//! says no more than the prior does; a device or controller that authenticates again simply
//! re-enters the ledger, and a pallet that enrolled an account
//! ([`BehaviourTrustSink::enrol`](endo_traits::BehaviourTrustSink::enrol)) enrols it again
//! before reporting about it. With the default decay (95 % kept per epoch) ten events decay
//! below a hundredth of an event in about 135 epochs.

use crate::{
	types::DeviceId, weights::WeightInfo, Candidates, Config, CurrentEpoch, DeviceLedger, Event,
	Ledger, Pallet, PruneCursor, Unbonding,
};
use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use scale_info::TypeInfo;

/// Where the pruning walk is: which map, and the last key visited.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum PruneState {
	/// Walking the account ledger after this raw key (`None`: from the start).
	Accounts(Option<BoundedVec<u8, frame_support::traits::ConstU32<128>>>),
	/// Walking the device ledger after this raw key (`None`: from the start).
	Devices(Option<BoundedVec<u8, frame_support::traits::ConstU32<128>>>),
}

impl Default for PruneState {
	fn default() -> Self {
		PruneState::Accounts(None)
	}
}

impl<T: Config> Pallet<T> {
	/// `on_idle`: visits up to `min(MaxPrunePerBlock, what remaining_weight pays for)` ledger
	/// records and removes the decayed ones. Returns the weight used.
	pub(crate) fn prune_step(remaining: Weight) -> Weight {
		let per_record = <T as Config>::WeightInfo::prune_ledger(1)
			.saturating_sub(<T as Config>::WeightInfo::prune_ledger(0));
		let base = <T as Config>::WeightInfo::prune_ledger(0);
		if remaining.any_lt(base.saturating_add(per_record)) {
			return Weight::zero();
		}
		let affordable = remaining
			.saturating_sub(base)
			.checked_div_per_component(&per_record)
			.unwrap_or(u64::MAX);
		let limit = affordable.min(u64::from(T::MaxPrunePerBlock::get())) as u32;
		if limit == 0 {
			return Weight::zero();
		}
		let visited = Self::prune(limit);
		<T as Config>::WeightInfo::prune_ledger(visited)
	}

	/// Visits up to `limit` records from the cursor and removes the decayed ones. Returns the
	/// number visited.
	pub(crate) fn prune(limit: u32) -> u32 {
		let params = T::TrustParams::get();
		let now = CurrentEpoch::<T>::get();
		let threshold = T::PruneBelowUnits::get();
		let retention = u64::from(T::LedgerRetentionEpochs::get());
		let decayed = |record: &crate::TrustRecord| {
			let untouched = now.saturating_sub(record.epoch) >= retention;
			let record = record.at(&params, now);
			untouched
				&& !record.sanctioned
				&& record
					.identity
					.good_units()
					.saturating_add(record.identity.bad_units())
					.saturating_add(record.behaviour.good_units())
					.saturating_add(record.behaviour.bad_units())
					< threshold
		};
		let bound = |key: Vec<u8>| BoundedVec::truncate_from(key);
		let mut visited = 0u32;
		let state = PruneCursor::<T>::get();
		let next = match state {
			PruneState::Accounts(cursor) => {
				let mut iter = match cursor {
					Some(key) => Ledger::<T>::iter_from(key.into_inner()),
					None => Ledger::<T>::iter(),
				};
				let mut last = None;
				let mut removed: Vec<T::AccountId> = Vec::new();
				for (who, record) in iter.by_ref().take(limit as usize) {
					visited = visited.saturating_add(1);
					last = Some(Ledger::<T>::hashed_key_for(&who));
					if decayed(&record)
						&& !Candidates::<T>::contains_key(&who)
						&& !Unbonding::<T>::contains_key(&who)
					{
						removed.push(who);
					}
				}
				// Removed after the walk: the map is not changed while it is iterated.
				for who in removed {
					Ledger::<T>::remove(&who);
					Self::deposit_event(Event::SubjectRemoved { who });
				}
				match last {
					Some(key) if visited == limit => PruneState::Accounts(Some(bound(key))),
					_ => PruneState::Devices(None),
				}
			}
			PruneState::Devices(cursor) => {
				let mut iter = match cursor {
					Some(key) => DeviceLedger::<T>::iter_from(key.into_inner()),
					None => DeviceLedger::<T>::iter(),
				};
				let mut last = None;
				let mut removed: Vec<DeviceId> = Vec::new();
				for (device, record) in iter.by_ref().take(limit as usize) {
					visited = visited.saturating_add(1);
					last = Some(DeviceLedger::<T>::hashed_key_for(device));
					if decayed(&record) {
						removed.push(device);
					}
				}
				for device in removed {
					DeviceLedger::<T>::remove(device);
					Self::deposit_event(Event::DeviceRecordRemoved { device });
				}
				match last {
					Some(key) if visited == limit => PruneState::Devices(Some(bound(key))),
					_ => PruneState::Accounts(None),
				}
			}
		};
		PruneCursor::<T>::put(next);
		visited
	}
}
