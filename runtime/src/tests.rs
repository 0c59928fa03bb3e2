//! Tests of the composed runtime: the pallets' integrity checks with the runtime's constants,
//! and the wiring of `pallet-device-identity` (hooks, transaction validation, runtime API).

use crate::{
	configs::DEVICE_EPOCH, AllPalletsWithSystem, DeviceIdentity, Executive, Runtime, RuntimeCall,
	UncheckedExtrinsic,
};
use frame_support::traits::{Hooks, IntegrityTest};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

/// Genesis storage of a preset. A preset is a patch over the default genesis config; it is
/// merged here as the node's chain-spec builder merges it.
pub(crate) fn preset_ext(preset: &str) -> sp_io::TestExternalities {
	let patch = crate::genesis_config_presets::get_preset(&preset.into()).expect("preset exists");
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(crate::RuntimeGenesisConfig::default())
		.expect("the default genesis config serializes");
	merge(&mut config, patch);
	let config = serde_json::to_vec(&config).expect("JSON serializes");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<crate::RuntimeGenesisConfig>(config)
			.expect("genesis builds")
	});
	ext
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

fn dev_ext() -> sp_io::TestExternalities {
	preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// Every pallet's `integrity_test` holds with the runtime's constants (for the device registry:
/// the sweep visits all `MaxDevices` once per epoch).
#[test]
fn pallet_constants_pass_integrity_tests() {
	dev_ext().execute_with(AllPalletsWithSystem::integrity_test);
}

/// Block 1 opens the first authentication epoch; the runtime API reports its challenge.
#[test]
fn first_block_opens_device_epoch() {
	dev_ext().execute_with(|| {
		assert_eq!(DeviceIdentity::challenge_report(), None, "no epoch before the first block");
		frame_system::Pallet::<Runtime>::set_block_number(1);
		DeviceIdentity::on_initialize(1);
		let report = DeviceIdentity::challenge_report().expect("epoch 0 is open");
		assert_eq!(report.epoch, 0);
		assert_eq!(report.ends_at, 1 + DEVICE_EPOCH);
		assert_ne!(report.challenge, [0u8; 32], "the challenge is a hash");
	});
}

/// The transaction pool asks the pallet: a feeless proof for an unknown device is rejected
/// with the pallet's own error code, before any proof is checked.
#[test]
fn pool_rejects_unsigned_proof_of_unknown_device() {
	dev_ext().execute_with(|| {
		frame_system::Pallet::<Runtime>::set_block_number(1);
		DeviceIdentity::on_initialize(1);
		let call = RuntimeCall::DeviceIdentity(pallet_device_identity::Call::authenticate {
			device: [7u8; 32],
			epoch: 0,
			proof: [0u8; pallet_device_identity::PROOF_BYTES],
		});
		let xt = UncheckedExtrinsic::new_bare(call);
		let parent = frame_system::Pallet::<Runtime>::parent_hash();
		let code =
			DeviceIdentity::error_code(&pallet_device_identity::Error::<Runtime>::DeviceUnknown);
		assert_eq!(
			Executive::validate_transaction(TransactionSource::External, xt, parent),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)))
		);
	});
}
