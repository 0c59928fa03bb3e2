//! `set_proxy_key`, `remove_proxy_key`: the keys a proxy node's worker votes with.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{testing::UintAuthorityId, RuntimeAppPublic};

/// Key `key`'s proof that it belongs to `who` on this chain.
fn proof(key: u64, who: AccountId) -> sp_runtime::testing::TestSignature {
	let message = messages::proxy_key_message(&DeviceIdentity::genesis_hash(), &who);
	UintAuthorityId(key).sign(&message).unwrap()
}

fn set(who: AccountId, key: u64, proof: sp_runtime::testing::TestSignature) -> DispatchResult {
	DeviceIdentity::set_proxy_key(RuntimeOrigin::signed(who), UintAuthorityId(key), proof)
}

#[test]
fn a_proxy_registers_a_key_of_its_node_and_replaces_it() {
	test(|| {
		assert_ok!(set(PROXY_A, 500, proof(500, PROXY_A)));
		assert!(emitted(Event::ProxyKeySet { account: PROXY_A, key: UintAuthorityId(500) }));
		assert_eq!(ProxyKeyOwner::<Test>::get(UintAuthorityId(500)), Some(PROXY_A));
		assert_eq!(ProxyKeyOf::<Test>::get(PROXY_A), Some(UintAuthorityId(500)));
		// The key the mock set up before is gone with the replacement.
		assert!(!ProxyKeyOwner::<Test>::contains_key(UintAuthorityId(PROXY_A)));
		assert_ok!(set(PROXY_A, 501, proof(501, PROXY_A)));
		assert!(!ProxyKeyOwner::<Test>::contains_key(UintAuthorityId(500)));
		assert_eq!(ProxyKeyOwner::<Test>::get(UintAuthorityId(501)), Some(PROXY_A));
		// Removing it.
		assert_ok!(DeviceIdentity::remove_proxy_key(RuntimeOrigin::signed(PROXY_A)));
		assert!(emitted(Event::ProxyKeyRemoved { account: PROXY_A, key: UintAuthorityId(501) }));
		assert!(!ProxyKeyOwner::<Test>::contains_key(UintAuthorityId(501)));
		assert_noop!(
			DeviceIdentity::remove_proxy_key(RuntimeOrigin::signed(PROXY_A)),
			Error::<Test>::NoProxyKey
		);
	});
}

#[test]
fn keys_that_are_refused() {
	test(|| {
		// Not a proxy node: no key (the entries stay bounded by the proxies).
		assert_noop!(set(NOT_PROXY, 600, proof(600, NOT_PROXY)), Error::<Test>::NotProxy);
		// The attack: claiming another node's key, so that its votes count for the claimant.
		// Its proof names the real owner; a proof for the claimant cannot be made without it.
		assert_noop!(set(PROXY_B, PROXY_A, proof(PROXY_A, PROXY_A)), Error::<Test>::ProxyKeyInUse);
		assert_noop!(set(PROXY_B, 602, proof(602, PROXY_A)), Error::<Test>::ProxyKeyProofInvalid);
		assert_noop!(set(PROXY_B, 602, proof(603, PROXY_B)), Error::<Test>::ProxyKeyProofInvalid);
	});
}

#[test]
fn a_vote_of_an_unregistered_key_is_not_authorized() {
	worker_test(|_| {
		use frame_support::pallet_prelude::{Authorize, TransactionSource};
		let registration = active_pki_device(1, None);
		let device = registration.device;
		let epoch = testing_utils::epoch::<Test>();
		let attestation = Attestation::AuthenticationFailed;
		let subject = DeviceIdentity::vote_subject(&device, attestation).unwrap();
		// PROXY_A's key after PROXY_A removed it.
		assert_ok!(DeviceIdentity::remove_proxy_key(RuntimeOrigin::signed(PROXY_A)));
		let vote =
			ProxyVote { proxy: UintAuthorityId(PROXY_A), device, attestation, epoch, subject };
		let message = messages::proxy_vote_message(&DeviceIdentity::genesis_hash(), &vote);
		let signature = UintAuthorityId(PROXY_A).sign(&message).unwrap();
		let call = Call::<Test>::submit_attestation { vote, signature };
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap(),
			Err(custom(Error::<Test>::ProxyKeyUnknown))
		);
		// And the node holding it no longer works for the account.
		UintAuthorityId::set_all_keys([PROXY_A]);
		assert!(DeviceIdentity::local_proxies().is_empty());
	});
}
