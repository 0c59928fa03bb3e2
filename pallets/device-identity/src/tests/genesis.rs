//! Genesis authorities.

use super::*;
use sp_runtime::testing::UintAuthorityId;
use sp_runtime::BuildStorage;

fn ext_with(config: crate::GenesisConfig<Test>) -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: Default::default(),
		device_identity: config,
	}
	.build_storage()
	.unwrap();
	storage.into()
}

#[test]
fn genesis_registers_authorities() {
	let ca = CaKey::Sr25519(sp_core::sr25519::Public::from_raw([7; 32]));
	ext_with(crate::GenesisConfig {
		ibe_authorities: vec![testing_utils::ANNEX_A_MASTER_KEY.to_vec()],
		pki_authorities: vec![ca.clone()],
		proxy_keys: vec![(7, UintAuthorityId(70))],
		_config: Default::default(),
	})
	.execute_with(|| {
		assert_eq!(NextAuthorityId::<Test>::get(), 2);
		assert_eq!(
			Authorities::<Test>::get(0).unwrap().key,
			AuthorityKey::Ibe(testing_utils::ANNEX_A_MASTER_KEY)
		);
		assert_eq!(Authorities::<Test>::get(1).unwrap().key, AuthorityKey::Pki(ca));
		assert_eq!(ProxyKeyOwner::<Test>::get(UintAuthorityId(70)), Some(7));
		assert_eq!(ProxyKeyOf::<Test>::get(7), Some(UintAuthorityId(70)));
		DeviceIdentity::do_try_state().unwrap();
	});
}

#[test]
fn genesis_config_round_trips_through_json() {
	let config = crate::GenesisConfig::<Test> {
		ibe_authorities: vec![testing_utils::ANNEX_A_MASTER_KEY.to_vec()],
		pki_authorities: vec![CaKey::Ecdsa(sp_core::ecdsa::Public::from_raw([2; 33]))],
		proxy_keys: vec![(7, UintAuthorityId(70))],
		_config: Default::default(),
	};
	let json = serde_json::to_string(&config).unwrap();
	assert!(json.contains("ibeAuthorities") && json.contains("pkiAuthorities"));
	let back: crate::GenesisConfig<Test> = serde_json::from_str(&json).unwrap();
	assert_eq!(back.ibe_authorities, config.ibe_authorities);
	assert_eq!(back.pki_authorities, config.pki_authorities);
	assert_eq!(back.proxy_keys, config.proxy_keys);
}

#[test]
#[should_panic(expected = "an SM9 master public key has 128 bytes")]
fn genesis_rejects_an_oversized_key() {
	let mut key = testing_utils::ANNEX_A_MASTER_KEY.to_vec();
	key.push(0);
	ext_with(crate::GenesisConfig {
		ibe_authorities: vec![key],
		pki_authorities: vec![],
		proxy_keys: vec![],
		_config: Default::default(),
	});
}

#[test]
#[should_panic(expected = "IBE authority keys must be valid and distinct")]
fn genesis_rejects_duplicate_keys() {
	ext_with(crate::GenesisConfig {
		ibe_authorities: vec![
			testing_utils::ANNEX_A_MASTER_KEY.to_vec(),
			testing_utils::ANNEX_A_MASTER_KEY.to_vec(),
		],
		pki_authorities: vec![],
		proxy_keys: vec![],
		_config: Default::default(),
	});
}
