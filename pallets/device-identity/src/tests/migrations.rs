//! Storage migrations.

use super::*;
use frame_support::{
	assert_ok,
	storage::{unhashed, StoragePrefixedMap},
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};

#[test]
fn version_1_clears_the_tallies_without_epoch_once() {
	test(|| {
		// Two version-0 tallies: `(device, statement) -> (epoch, voters)`.
		let prefix = Tallies::<Test>::final_prefix();
		let old_key = |device: u8| {
			let mut key = prefix.to_vec();
			key.extend(sp_io::hashing::blake2_128(&[device; 32]));
			key.extend([device; 32]);
			key
		};
		for device in [1, 2] {
			unhashed::put(&old_key(device), &(0u64, vec![PROXY_A]));
		}
		StorageVersion::new(0).put::<DeviceIdentity>();

		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(unhashed::get_raw(&old_key(1)).is_none());
		assert!(unhashed::get_raw(&old_key(2)).is_none());
		assert_eq!(DeviceIdentity::on_chain_storage_version(), 1);

		// Once only: a version-1 tally survives a second run.
		let device = active_pki_device(1, None).device;
		assert_ok!(attest(PROXY_A, device, Attestation::AuthenticationFailed));
		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(Tallies::<Test>::get((0, device, Attestation::AuthenticationFailed)).is_some());
	});
}

#[test]
fn version_2_records_zero_deposits_for_version_1_votes() {
	test(|| {
		// A version-1 tally `(voters, concluded)` and counter `count`.
		let key = (0u32, [7u8; 32], Attestation::AuthenticationFailed);
		let tally_key = Tallies::<Test>::hashed_key_for(key);
		let counter_key = AttestationsBy::<Test>::hashed_key_for(0, PROXY_A);
		unhashed::put(&tally_key, &(vec![PROXY_A, PROXY_B], false));
		unhashed::put(&counter_key, &3u32);
		StorageVersion::new(1).put::<DeviceIdentity>();

		crate::migrations::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let (voters, concluded) = Tallies::<Test>::get(key).unwrap();
		assert_eq!(voters.to_vec(), vec![(PROXY_A, 0), (PROXY_B, 0)]);
		assert!(!concluded);
		assert_eq!(AttestationsBy::<Test>::get(0, PROXY_A), (3, 0));
		assert_eq!(DeviceIdentity::on_chain_storage_version(), 2);
		// Keep `try_state`'s counters consistent with the epoch's count.
		AttestationsBy::<Test>::remove(0, PROXY_A);
		Tallies::<Test>::remove(key);
	});
}
