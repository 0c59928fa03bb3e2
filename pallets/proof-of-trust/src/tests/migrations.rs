//! Storage migrations.

use super::*;
use crate::migrations::v1::OldCandidateInfo;
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};

#[test]
fn version_1_gives_candidates_founding_admission_and_membership() {
	test(|| {
		// Rewrite the four genesis validators and one registered candidate in the version-0
		// layout (genesis candidates had bond 0).
		register(10);
		let old = |who: AccountId, bond: u64| OldCandidateInfo {
			babe: babe_key(who),
			grandpa: grandpa_key(who),
			bond,
			last_authored: Some(0),
		};
		for (who, bond) in [(1, 0), (2, 0), (3, 0), (4, 0), (10, BOND)] {
			unhashed::put(&Candidates::<Test>::hashed_key_for(who), &old(who, bond));
		}
		StorageVersion::new(0).put::<ProofOfTrust>();
		assert!(Candidates::<Test>::get(1).is_none(), "version 0 does not decode as version 1");

		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(ProofOfTrust::on_chain_storage_version(), 1);
		let genesis = Candidates::<Test>::get(1).unwrap();
		assert!(genesis.founding && genesis.admitted);
		assert_eq!(genesis.membership, Membership::Founding);
		assert_eq!(genesis.last_authored, Some(0));
		let registered = Candidates::<Test>::get(10).unwrap();
		assert!(!registered.founding && !registered.admitted);
		assert_eq!(registered.membership, Membership::Out);
		assert_eq!(registered.bond, BOND);
		assert_eq!(Candidates::<Test>::count(), 5);
		assert_eq!(Candidates::<Test>::iter().count(), 5);

		// Once only.
		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Candidates::<Test>::get(10).unwrap(), registered);
	});
}
