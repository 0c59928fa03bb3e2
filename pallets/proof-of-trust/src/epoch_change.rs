//! BABE's epoch-change trigger driven by trust (used by the runtime and by this pallet's tests).
//!
//! BABE gives an authority a primary-slot probability that grows with its weight
//! (`1 - (1 - c)^(w_i / sum w)`), so weighting the authorities is how Proof of Trust turns trust
//! into a share of block authorship. pallet-session's BABE handler hard-codes weight 1, so the
//! runtime drives BABE itself: [`TrustWeightedEpochChange`] is pallet-babe's
//! `EpochChangeTrigger`. At each epoch change it enacts the set announced one epoch earlier
//! and announces the next one, taken from a [`NextEpochAuthorities`] source.
//!
//! Whatever the source proposes is made safe by [`sanitize_authorities`] first:
//! - a weight of 0 would make the node's primary-slot threshold computation panic, so every
//!   weight is clamped to at least 1 (untrusted validators are removed, not zero-weighted);
//! - duplicate keys are dropped (the first entry wins) and the set is cut at `MaxAuthorities`;
//! - an empty proposal keeps the set already announced: the authority set never becomes empty.

use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{traits::Get, WeakBoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_babe::AuthorityId as BabeId;
use sp_consensus_babe::BabeAuthorityWeight;

const LOG_TARGET: &str = "runtime::proof-of-trust";

/// Where the BABE authorities of the epoch after next, and their weights, come from.
pub trait NextEpochAuthorities {
	/// Given the set that was announced for the epoch now starting, propose the set to announce
	/// for the epoch after it. The proposal is sanitized by the caller.
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)>;
}

/// The Proof-of-Trust ledger as the source: at each epoch change it folds the ending epoch's
/// authorship into the ledger, schedules the GRANDPA set that BABE now enacts, and returns the
/// most trusted candidates weighted by trust (crate docs).
impl<T: crate::Config> NextEpochAuthorities for crate::Pallet<T> {
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		crate::Pallet::<T>::next_epoch_authorities(announced)
	}
}

/// Keeps the announced authorities and gives each the same weight, 1 (a reference source for
/// tests and for runtimes without a trust ledger).
pub struct EqualWeights;

impl NextEpochAuthorities for EqualWeights {
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		announced.iter().map(|(id, _)| (id.clone(), 1)).collect()
	}
}

/// Makes a proposed authority set safe to hand to BABE.
///
/// Weights are clamped to at least 1, duplicate keys dropped (the first one wins) and the set
/// truncated to `max` entries. Returns `None` if nothing is left, so that the caller keeps the
/// previous set.
pub fn sanitize_authorities(
	proposed: Vec<(BabeId, BabeAuthorityWeight)>,
	max: u32,
) -> Option<Vec<(BabeId, BabeAuthorityWeight)>> {
	let mut out: Vec<(BabeId, BabeAuthorityWeight)> = Vec::with_capacity(proposed.len());
	for (id, weight) in proposed {
		if out.len() >= max as usize {
			break;
		}
		if out.iter().any(|(known, _)| *known == id) {
			continue;
		}
		out.push((id, weight.max(1)));
	}
	(!out.is_empty()).then_some(out)
}

/// pallet-babe's epoch-change trigger, owned by the runtime (see the module docs).
pub struct TrustWeightedEpochChange<S>(PhantomData<S>);

impl<S: NextEpochAuthorities> pallet_babe::EpochChangeTrigger for TrustWeightedEpochChange<S> {
	fn trigger<T: pallet_babe::Config>(now: BlockNumberFor<T>) {
		if !pallet_babe::Pallet::<T>::should_epoch_change(now) {
			return;
		}
		// The set announced one epoch ago becomes current: the node already knows it from the
		// previous epoch's `NextEpochData` digest and checks the new epoch's blocks against it.
		let announced = pallet_babe::NextAuthorities::<T>::get();
		let max = T::MaxAuthorities::get();
		let next = match sanitize_authorities(S::next_authorities(&announced), max) {
			Some(next) => WeakBoundedVec::force_from(next, Some("TrustWeightedEpochChange")),
			None => {
				log::warn!(
					target: LOG_TARGET,
					"no eligible authority proposed for the next epoch; keeping the current set"
				);
				announced.clone()
			}
		};
		pallet_babe::Pallet::<T>::enact_epoch_change(announced, next, None);
	}
}
