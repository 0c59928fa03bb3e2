//! GRANDPA follows the BABE set: the change to the set BABE enacts is scheduled at the epoch
//! change, deferred while pallet-grandpa refuses it ([`PendingFinalityChange`]) and retried
//! every block in `on_initialize`; after `pallet_grandpa::note_stalled` the change is a forced
//! one (crate docs, *No input can empty the set or halt finality*).

use crate::{
	types::{GrandpaId, Validator},
	weights::WeightInfo,
	Config, Event, Pallet, PendingFinalityChange, Validators, LOG_TARGET,
};
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight, BoundedVec};

impl<T: Config> Pallet<T> {
	/// The GRANDPA set that is, or will be once the pending change is enacted, in force.
	fn effective_finality_set() -> Vec<(GrandpaId, u64)> {
		match pallet_grandpa::PendingChange::<T>::get() {
			Some(pending) => pending.next_authorities.to_vec(),
			None => pallet_grandpa::Pallet::<T>::grandpa_authorities(),
		}
	}

	/// Makes `validators` the GRANDPA set, now or (if a change is pending) later.
	pub(crate) fn schedule_finality(validators: &[Validator<T::AccountId>]) {
		if validators.is_empty() {
			return;
		}
		let set: Vec<(GrandpaId, u64)> =
			validators.iter().map(|v| (v.grandpa.clone(), v.weight)).collect();
		Self::try_schedule_finality(set, true);
	}

	/// Schedules `set` in GRANDPA unless it is already in force (and finality is not stalled);
	/// defers it if pallet-grandpa refuses (another change pending, or a forced change too
	/// soon after the last). Mirrors pallet-grandpa's own session handler: a stall noted with
	/// `pallet_grandpa::note_stalled` turns the change into a forced one, and each scheduled
	/// change bumps `pallet_grandpa::CurrentSetId` (the node bumps its set id when it applies the
	/// change). `announce_deferral`: emit [`Event::FinalityChangeDeferred`] if deferred.
	fn try_schedule_finality(set: Vec<(GrandpaId, u64)>, announce_deferral: bool) {
		let authorities = set.len() as u32;
		let stalled = pallet_grandpa::Stalled::<T>::get();
		if stalled.is_none() && set == Self::effective_finality_set() {
			PendingFinalityChange::<T>::kill();
			return;
		}
		let (delay, forced) = match stalled {
			Some((further_wait, median)) => (further_wait, Some(median)),
			None => (T::FinalityChangeDelay::get(), None),
		};
		match pallet_grandpa::Pallet::<T>::schedule_change(set.clone(), delay, forced) {
			Ok(()) => {
				pallet_grandpa::Stalled::<T>::kill();
				pallet_grandpa::CurrentSetId::<T>::mutate(|id| *id = id.saturating_add(1));
				PendingFinalityChange::<T>::kill();
				Self::deposit_event(Event::FinalityChangeScheduled {
					authorities,
					forced: forced.is_some(),
				});
			}
			Err(error) => {
				log::info!(
					target: LOG_TARGET,
					"GRANDPA change deferred ({error:?}); retrying every block"
				);
				PendingFinalityChange::<T>::put(BoundedVec::truncate_from(set));
				if announce_deferral {
					Self::deposit_event(Event::FinalityChangeDeferred { authorities });
				}
			}
		}
	}

	/// `on_initialize`: schedules a deferred GRANDPA change, or (after
	/// `pallet_grandpa::note_stalled`) a forced change to the current set, once pallet-grandpa
	/// has no change pending.
	pub(crate) fn retry_finality_change() -> Weight {
		let pending = PendingFinalityChange::<T>::get();
		let stalled = pallet_grandpa::Stalled::<T>::exists();
		if pending.is_none() && !stalled {
			return T::DbWeight::get().reads(2);
		}
		if pallet_grandpa::PendingChange::<T>::exists() {
			return T::DbWeight::get().reads(3);
		}
		let set = match pending {
			Some(set) => set.into_inner(),
			None => Validators::<T>::get().iter().map(|v| (v.grandpa.clone(), v.weight)).collect(),
		};
		if !set.is_empty() {
			Self::try_schedule_finality(set, false);
		}
		<T as Config>::WeightInfo::retry_finality_change()
	}
}
