//! Retention: a closed case's deposit is returned at its closing, so its storage must not stay
//! for free. [`Config::CaseRetention`] blocks after the closing, anyone may purge the case
//! ([`Pallet::purge_case`], in batches of at most [`Config::MaxPurgePerCall`] entries: its
//! leak sightings, traces, accesses, invitations, participants, log entries and leak mark,
//! then its record); and the hooks prune each block's [`BlockLog`] and [`LogRoots`]
//! [`Config::CaseRetention`] blocks later (the roots stay in the headers' `uivl` digests).
//! After that, the runtime API no longer
//! serves the entries nor their inclusion proofs: participants export them before
//! (`endochain-uiv export-proof`), and they verify offline against the headers.

use crate::{logs::MAX_PRUNE_PER_BLOCK, pallet::pallet::*, types::*, weights::WeightInfo};
use alloc::vec::Vec;
use endo_uiv::ReportState;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::{Pays, Weight},
	traits::Get,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, UniqueSaturatedInto};

/// Removes up to `budget` keys that `keys` yields with `remove`; lowers `budget` by the number
/// removed. Returns whether the keys ran out (the prefix is empty now).
fn remove_some<K>(
	keys: impl Iterator<Item = K>,
	budget: &mut u32,
	mut remove: impl FnMut(&K),
) -> bool {
	let batch: Vec<K> = keys.take(*budget as usize).collect();
	let exhausted = (batch.len() as u32) < *budget;
	for key in &batch {
		remove(key);
	}
	*budget = budget.saturating_sub(batch.len() as u32);
	exhausted
}

impl<T: Config> Pallet<T> {
	/// Whether case `id`, closed at `closed`, may be purged at `now`.
	pub(crate) fn retention_over(closed: BlockNumberFor<T>, now: BlockNumberFor<T>) -> bool {
		now >= closed.saturating_add(T::CaseRetention::get())
	}

	pub(crate) fn do_purge_case(id: CaseId, limit: u32) -> DispatchResultWithPostInfo {
		let case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		ensure!(case.report == ReportState::Closed, Error::<T>::NotClosed);
		let closed = ClosedAt::<T>::get(id).ok_or(Error::<T>::NotClosed)?;
		ensure!(
			Self::retention_over(closed, frame_system::Pallet::<T>::block_number()),
			Error::<T>::RetentionNotOver
		);
		let max = T::MaxPurgePerCall::get();
		let limit = limit.min(max);
		let mut budget = limit;
		// The per-key entries first, the record last: a case is either whole or being purged,
		// and no entry ever outlives its record.
		// Sightings before their traces: no sighting outlives its trace.
		let mut exhausted =
			remove_some(LeakSightings::<T>::iter_key_prefix((id,)), &mut budget, |(c, k)| {
				LeakSightings::<T>::remove((id, c, k))
			});
		exhausted = exhausted
			&& remove_some(Traces::<T>::iter_key_prefix(id), &mut budget, |c| {
				Traces::<T>::remove(id, c)
			});
		exhausted = exhausted
			&& remove_some(Accesses::<T>::iter_key_prefix(id), &mut budget, |w| {
				Accesses::<T>::remove(id, w)
			});
		exhausted = exhausted
			&& remove_some(Invited::<T>::iter_key_prefix(id), &mut budget, |w| {
				Invited::<T>::remove(id, w)
			});
		exhausted = exhausted
			&& remove_some(Participants::<T>::iter_key_prefix(id), &mut budget, |w| {
				Participants::<T>::remove(id, w)
			});
		exhausted = exhausted
			&& remove_some(CaseLog::<T>::iter_key_prefix(id), &mut budget, |seq| {
				CaseLog::<T>::remove(id, seq)
			});
		// Its leak mark, one entry at most.
		exhausted = exhausted
			&& remove_some(
				LeakedCases::<T>::contains_key(id).then_some(id).into_iter(),
				&mut budget,
				|id| LeakedCases::<T>::remove(id),
			);
		let removed = limit.saturating_sub(budget);
		// Every prefix ran out before the budget did: the last step.
		let finished = exhausted && budget > 0;
		if finished {
			Requesters::<T>::remove(id);
			ClosedAt::<T>::remove(id);
			Cases::<T>::remove(id);
			Self::deposit_event(Event::CasePurged { case: id });
		} else {
			Self::deposit_event(Event::CasePartlyPurged { case: id, removed });
		}
		// Free for a full batch or the last one: a batch of one entry per call would make free
		// transactions cheap spam.
		let free = finished || removed >= max;
		Ok(PostDispatchInfo {
			actual_weight: Some(T::WeightInfo::purge_case(removed)),
			pays_fee: if free { Pays::No } else { Pays::Yes },
		})
	}

	/// Prunes [`BlockLog`] and [`LogRoots`] of the blocks at least [`Config::CaseRetention`]
	/// blocks before `now`, from [`LogPruneCursor`] on: at most [`MAX_PRUNE_PER_BLOCK`] blocks,
	/// and no more than `remaining` weight allows. Returns the weight used.
	pub(crate) fn prune_block_logs(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let idle = T::WeightInfo::prune_block_logs(0);
		if !remaining.all_gte(idle) {
			return Weight::zero();
		}
		let retention = T::CaseRetention::get();
		if now < retention {
			return Weight::zero();
		}
		// Blocks up to `last` are `retention` blocks old.
		let last = now.saturating_sub(retention);
		let cursor = LogPruneCursor::<T>::get();
		if cursor > last {
			return idle;
		}
		let due: u32 =
			last.saturating_sub(cursor).saturating_add(1u32.into()).unique_saturated_into();
		let mut n = due.min(MAX_PRUNE_PER_BLOCK);
		while n > 0 && !remaining.all_gte(T::WeightInfo::prune_block_logs(n)) {
			n -= 1;
		}
		if n == 0 {
			return idle;
		}
		let mut block = cursor;
		for _ in 0..n {
			BlockLog::<T>::remove(block);
			LogRoots::<T>::remove(block);
			block = block.saturating_add(1u32.into());
		}
		LogPruneCursor::<T>::put(block);
		T::WeightInfo::prune_block_logs(n)
	}
}
