//! BABE epoch changes owned by the runtime: pallet-babe's `EpochChangeTrigger` is
//! [`TrustWeightedEpochChange`]`<ProofOfTrust>` (`pallet_proof_of_trust::epoch_change`), which
//! enacts the set announced one epoch earlier and announces the trust-weighted set the
//! Proof-of-Trust ledger proposes, sanitized (weights >= 1, no duplicate keys, at most
//! `MaxAuthorities`, never empty). The trigger lives with the pallet so that the pallet's tests
//! run the same code as the runtime.

pub use pallet_proof_of_trust::epoch_change::{
	sanitize_authorities, EqualWeights, NextEpochAuthorities, TrustWeightedEpochChange,
};

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{Runtime, EPOCH_DURATION_IN_SLOTS};
	use pallet_babe::AuthorityId as BabeId;
	use pallet_babe::EpochChangeTrigger;
	use sp_consensus_babe::BabeAuthorityWeight;
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
