//! Genesis presets: `development` (Alice alone) and `local_testnet` (Alice, Bob, Charlie and
//! Dave as validators). Both endow the well-known development accounts and make Alice sudo.

use crate::{
	AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, BABE_GENESIS_EPOCH_CONFIG, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What every endowed development account holds at genesis: 1,000,000 ENDO.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A genesis validator: its BABE and GRANDPA keys.
pub type GenesisAuthority = (BabeId, GrandpaId);

/// The genesis state for the given validators, endowed accounts and sudo key, as a JSON patch.
///
/// Every validator starts with BABE weight 1 and GRANDPA weight 1: at genesis no trust evidence
/// exists yet.
pub fn testnet_genesis(
	initial_authorities: Vec<GenesisAuthority>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		babe: pallet_babe::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|(babe, _)| (babe.clone(), 1))
				.collect::<Vec<_>>(),
			epoch_config: BABE_GENESIS_EPOCH_CONFIG,
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

fn authority(sr: Sr25519Keyring, ed: Ed25519Keyring) -> GenesisAuthority {
	(sr.public().into(), ed.public().into())
}

/// The well-known development accounts (Alice..Ferdie and their `//stash` accounts).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate.
pub fn local_testnet_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `development`: Alice alone validates.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// Provides the JSON representation of the predefined genesis config for the given `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the available presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn presets_are_listed_and_unknown_ones_rejected() {
		for id in preset_names() {
			assert!(get_preset(&id).is_some(), "{id:?}");
		}
		assert!(get_preset(&PresetId::from("mainnet")).is_none());
	}

	#[test]
	fn local_testnet_has_four_validators_and_development_one() {
		let local = local_testnet_config_genesis();
		assert_eq!(local["babe"]["authorities"].as_array().map(|a| a.len()), Some(4));
		assert_eq!(local["grandpa"]["authorities"].as_array().map(|a| a.len()), Some(4));
		let dev = development_config_genesis();
		assert_eq!(dev["babe"]["authorities"].as_array().map(|a| a.len()), Some(1));
		assert_eq!(dev["balances"]["balances"].as_array().map(|a| a.len()), Some(12));
	}
}
