//! BABE's epoch changes: pallet-babe's `EpochChangeTrigger` is
//! [`TrustWeightedEpochChange`]`<ProofOfTrust>` from `pallet_proof_of_trust::epoch_change`. At
//! every epoch change it enacts the set announced one epoch earlier and announces the set the
//! Proof-of-Trust ledger selects, weighted by trust and sanitized (weights >= 1, no duplicate
//! keys, at most `MaxAuthorities`, never empty); the pallet schedules the same set in GRANDPA.
//! The trigger lives with the pallet, so that the pallet's tests run the same code as the
//! runtime; the tests here run it on this runtime's genesis presets.

pub use pallet_proof_of_trust::epoch_change::{
	EqualWeights, NextEpochAuthorities, TrustWeightedEpochChange,
};

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{Runtime, EPOCH_DURATION_IN_SLOTS};
	use pallet_babe::AuthorityId as BabeId;
	use pallet_babe::EpochChangeTrigger;
	use sp_consensus_babe::BabeAuthorityWeight;
	use sp_consensus_babe::Slot;

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
