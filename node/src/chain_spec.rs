//! Chain specifications, all built from the runtime's genesis presets.

use endochain_runtime::WASM_BINARY;
use sc_service::ChainType;

/// Specialized `ChainSpec`: the runtime's genesis presets, no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_chain_spec::Properties {
	let mut p = sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), "ENDO".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime's wasm binary is not available".to_string())
}

/// `--dev`: Alice alone authors and finalizes.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Endochain Development")
		.with_id("endochain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Endochain Local Testnet")
		.with_id("endochain_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_protocol_id("endochain")
		.with_properties(properties())
		.build())
}

/// `--chain local-unequal-trust`: the validators of `local` with unequal trust at genesis
/// (40, 8, 2 and 0 good events), to watch trust-weighted authorship.
pub fn local_unequal_trust_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Endochain Local Testnet, unequal trust")
		.with_id("endochain_local_unequal_trust")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(
			endochain_runtime::genesis_config_presets::LOCAL_TESTNET_UNEQUAL_TRUST_PRESET,
		)
		.with_protocol_id("endochain")
		.with_properties(properties())
		.build())
}
