//! BABE epoch changes owned by the runtime.
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

const LOG_TARGET: &str = "runtime::consensus";

/// Where the BABE authorities of the epoch after next, and their weights, come from.
pub trait NextEpochAuthorities {
	/// Given the set that was announced for the epoch now starting, propose the set to announce
	/// for the epoch after it. The proposal is sanitized by the caller.
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)>;
}

/// The runtime's source: the Proof-of-Trust ledger. At each epoch change it folds the ending
/// epoch's authorship into the ledger, schedules the GRANDPA set that BABE now enacts, and
/// returns the most trusted candidates weighted by trust (`pallet_proof_of_trust` crate docs).
impl NextEpochAuthorities for crate::ProofOfTrust {
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		crate::ProofOfTrust::next_epoch_authorities(announced)
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

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{Runtime, EPOCH_DURATION_IN_SLOTS};
	use pallet_babe::EpochChangeTrigger;
	use sp_consensus_babe::Slot;
	use sp_core::{crypto::UncheckedFrom, sr25519};

	fn id(n: u8) -> BabeId {
		BabeId::from(sr25519::Public::unchecked_from([n; 32]))
	}

	#[test]
	fn zero_weights_are_clamped_to_one() {
		let out = sanitize_authorities(vec![(id(1), 0), (id(2), 7)], 10).expect("non-empty");
		assert_eq!(out, vec![(id(1), 1), (id(2), 7)]);
	}

	#[test]
	fn duplicates_are_dropped_first_wins() {
		let out =
			sanitize_authorities(vec![(id(1), 3), (id(1), 9), (id(2), 1)], 10).expect("non-empty");
		assert_eq!(out, vec![(id(1), 3), (id(2), 1)]);
	}

	#[test]
	fn set_is_truncated_to_max() {
		let proposed = (0..5).map(|n| (id(n), 1)).collect();
		assert_eq!(sanitize_authorities(proposed, 3).map(|v| v.len()), Some(3));
	}

	#[test]
	fn empty_proposal_is_rejected() {
		assert_eq!(sanitize_authorities(vec![], 10), None);
	}

	fn local_testnet_ext() -> sp_io::TestExternalities {
		crate::tests::preset_ext(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
	}

	/// Sources that propose weights reach BABE; an empty proposal keeps the set.
	struct Fixed;
	impl NextEpochAuthorities for Fixed {
		fn next_authorities(
			announced: &[(BabeId, BabeAuthorityWeight)],
		) -> Vec<(BabeId, BabeAuthorityWeight)> {
			announced.iter().enumerate().map(|(i, (id, _))| (id.clone(), i as u64 * 10)).collect()
		}
	}
	struct Nobody;
	impl NextEpochAuthorities for Nobody {
		fn next_authorities(
			_: &[(BabeId, BabeAuthorityWeight)],
		) -> Vec<(BabeId, BabeAuthorityWeight)> {
			Vec::new()
		}
	}

	fn end_first_epoch() {
		pallet_babe::GenesisSlot::<Runtime>::put(Slot::from(1));
		pallet_babe::CurrentSlot::<Runtime>::put(Slot::from(1 + EPOCH_DURATION_IN_SLOTS));
	}

	#[test]
	fn epoch_change_enacts_announced_set_and_announces_weighted_one() {
		local_testnet_ext().execute_with(|| {
			let genesis = pallet_babe::Authorities::<Runtime>::get().to_vec();
			assert_eq!(genesis.len(), 4);
			assert!(genesis.iter().all(|(_, w)| *w == 1));
			end_first_epoch();
			// Not at block 1: BABE never changes epoch in the first block.
			TrustWeightedEpochChange::<Fixed>::trigger::<Runtime>(2);
			assert_eq!(pallet_babe::EpochIndex::<Runtime>::get(), 1);
			assert_eq!(pallet_babe::Authorities::<Runtime>::get().to_vec(), genesis);
			let next: Vec<u64> =
				pallet_babe::NextAuthorities::<Runtime>::get().iter().map(|(_, w)| *w).collect();
			assert_eq!(next, vec![1, 10, 20, 30], "weights clamped to >= 1 and passed through");
		});
	}

	#[test]
	fn empty_proposal_keeps_the_announced_set() {
		local_testnet_ext().execute_with(|| {
			let genesis = pallet_babe::NextAuthorities::<Runtime>::get().to_vec();
			end_first_epoch();
			TrustWeightedEpochChange::<Nobody>::trigger::<Runtime>(2);
			assert_eq!(pallet_babe::EpochIndex::<Runtime>::get(), 1);
			assert_eq!(pallet_babe::NextAuthorities::<Runtime>::get().to_vec(), genesis);
		});
	}

	#[test]
	fn no_epoch_change_before_the_epoch_ends() {
		local_testnet_ext().execute_with(|| {
			pallet_babe::GenesisSlot::<Runtime>::put(Slot::from(1));
			pallet_babe::CurrentSlot::<Runtime>::put(Slot::from(EPOCH_DURATION_IN_SLOTS));
			TrustWeightedEpochChange::<EqualWeights>::trigger::<Runtime>(2);
			assert_eq!(pallet_babe::EpochIndex::<Runtime>::get(), 0);
		});
	}
}
