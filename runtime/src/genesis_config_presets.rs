//! Genesis presets: `development` (Alice alone) and `local_testnet` (Alice, Bob, Charlie and
//! Dave as validators), and `local_testnet_unequal_trust` (the same four with unequal trust at
//! genesis, to watch trust weighting at work). All endow the well-known development accounts
//! and make Alice sudo. The validators are the Proof-of-Trust ledger's genesis candidates.

use crate::{
	AccountId, BalancesConfig, DeviceIdentityConfig, ProofOfTrustConfig, RuntimeGenesisConfig,
	SudoConfig, UivSharingConfig, BABE_GENESIS_EPOCH_CONFIG, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_proof_of_trust::AdmissionMode;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What every endowed development account holds at genesis: 1,000,000 ENDO.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// A genesis validator: its account (which holds the candidate bond), its BABE and GRANDPA keys,
/// and the good events it starts with in the trust ledger (identity and behaviour alike).
pub type GenesisAuthority = (AccountId, BabeId, GrandpaId, u32);

/// The bond a founding validator holds from its endowment: the full-weight bond.
pub const FOUNDING_BOND: crate::Balance = crate::configs::FullWeightBond::get();

/// Good events a genesis validator starts with: trust 11/12, level `High` (enough to act as a
/// proxy node for device identities).
pub const GENESIS_GOOD_EVENTS: u32 = 10;

/// The UIV-TSP trust network every preset starts with: the FNN `endo-ml` trained on its SW
/// simulator and exported as a fixed-point blob (`docs/TRUST-EVALUATION.md`).
pub const TRUST_MODEL: &[u8] = include_bytes!("../../docs/trust-evaluation/fnn.blob");

/// Where a development TA's node serves reports and packages.
pub const TA_ENDPOINT: &str = "ws://127.0.0.1:9944";

/// The genesis state for the given validators, endowed accounts and sudo key, as a JSON patch.
///
/// Every validator starts with BABE weight 1 and GRANDPA weight 1 for the first two epochs
/// (BABE announces sets one epoch ahead); from then on the Proof-of-Trust ledger weights them.
///
/// `admission` is how further validators join: `Permissioned` for a consortium whose admin
/// (the sudo key) admits each one, `Staked` for open admission with weight by bond.
pub fn testnet_genesis(
	initial_authorities: Vec<GenesisAuthority>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	admission: AdmissionMode,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		babe: pallet_babe::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|(_, babe, _, _)| (babe.clone(), 1))
				.collect::<Vec<_>>(),
			epoch_config: BABE_GENESIS_EPOCH_CONFIG,
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities
				.iter()
				.map(|(_, _, grandpa, _)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		// Each genesis validator's proxy key is its development account's own sr25519 key,
		// which `--dev`, `--alice` etc. and the zombienet networks insert under `edpx` (a
		// production validator registers a key of its node with `set_proxy_key`).
		device_identity: DeviceIdentityConfig {
			proxy_keys: initial_authorities
				.iter()
				.map(|(account, ..)| (account.clone(), dev_proxy_key(account)))
				.collect::<Vec<_>>(),
		},
		proof_of_trust: ProofOfTrustConfig {
			candidates: initial_authorities
				.into_iter()
				.map(|(account, babe, grandpa, good)| (account, babe, grandpa, good, FOUNDING_BOND))
				.collect::<Vec<_>>(),
			admission,
		},
		uiv_sharing: UivSharingConfig {
			// Alice is the development TA; her sr25519 key receives the reports.
			authorities: vec![(
				Sr25519Keyring::Alice.to_account_id(),
				Sr25519Keyring::Alice.public().0,
				TA_ENDPOINT.as_bytes().to_vec()
			)],
			trust_model: TRUST_MODEL.to_vec(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The proxy key of a development account: its own sr25519 public key.
fn dev_proxy_key(account: &AccountId) -> pallet_device_identity::crypto::Public {
	let raw: [u8; 32] = *account.as_ref();
	sp_core::sr25519::Public::from_raw(raw).into()
}

fn authority(sr: Sr25519Keyring, ed: Ed25519Keyring, good_events: u32) -> GenesisAuthority {
	(sr.to_account_id(), sr.public().into(), ed.public().into(), good_events)
}

/// The well-known development accounts (Alice..Ferdie and their `//stash` accounts).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// Alice, Bob, Charlie and Dave with the given genesis good events.
fn four_validators(good_events: [u32; 4]) -> Vec<GenesisAuthority> {
	vec![
		authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice, good_events[0]),
		authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob, good_events[1]),
		authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie, good_events[2]),
		authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave, good_events[3]),
	]
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate, equally trusted. Permissioned: a
/// plant consortium's network, where the consortium's admin (sudo) admits each new validator,
/// as on the alliance chains the papers measure.
pub fn local_testnet_config_genesis() -> Value {
	testnet_genesis(
		four_validators([GENESIS_GOOD_EVENTS; 4]),
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		AdmissionMode::Permissioned,
	)
}

/// The preset of [`local_testnet_unequal_trust_config_genesis`].
pub const LOCAL_TESTNET_UNEQUAL_TRUST_PRESET: &str = "local_testnet_unequal_trust";

/// `local_testnet_unequal_trust`: the four validators of `local_testnet` with 40, 8, 2 and 0
/// good events at genesis (trust 0.98, 0.90, 0.75, 0.50), so that their BABE weights differ
/// from the third epoch on.
pub fn local_testnet_unequal_trust_config_genesis() -> Value {
	testnet_genesis(
		four_validators([40, 8, 2, 0]),
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		AdmissionMode::Permissioned,
	)
}

/// `development`: Alice alone validates. Staked: open admission, so that a developer can try
/// the whole candidacy from polkadot.js (bond, register, probation, weight by bond) without an
/// admin step.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice, GENESIS_GOOD_EVENTS)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		AdmissionMode::Staked,
	)
}

/// Provides the JSON representation of the predefined genesis config for the given `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_config_genesis(),
		LOCAL_TESTNET_UNEQUAL_TRUST_PRESET => local_testnet_unequal_trust_config_genesis(),
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
		PresetId::from(LOCAL_TESTNET_UNEQUAL_TRUST_PRESET),
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
