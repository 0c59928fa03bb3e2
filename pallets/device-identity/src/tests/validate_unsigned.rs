//! Transaction-pool validation of the unsigned calls, block-inclusion checks, and input that
//! cannot even be decoded.

use super::*;
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::transaction_validity::{InvalidTransaction, ValidTransaction};

#[test]
fn a_valid_registration_is_tagged_for_deduplication() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let registration = Registration::pki(1, authority, &ca, Some(3));
		let valid = validate(&registration.call()).unwrap();
		let expected = ValidTransaction::with_tag_prefix("DeviceIdentity")
			.priority(100)
			.and_provides(("register", registration.device))
			.and_provides(("controller", 3u64))
			.longevity(EPOCH) // block 1 of an epoch that started at block 1
			.propagate(true)
			.build()
			.unwrap();
		assert_eq!(valid, expected);
		assert!(valid.requires.is_empty());
		// Later in the epoch the transaction lives shorter.
		run_to_block(4);
		assert_eq!(validate(&registration.call()).unwrap().longevity, EPOCH - 3);
	});
}

#[test]
fn a_valid_authentication_is_tagged_per_device_and_epoch() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch();
		let epoch = testing_utils::epoch::<Test>();
		let call = Call::<Test>::authenticate {
			device: registration.device,
			epoch,
			proof: testing_utils::authenticate_proof::<Test>(&registration.keypair),
		};
		let valid = validate(&call).unwrap();
		let expected = ValidTransaction::with_tag_prefix("DeviceIdentity")
			.priority(100)
			.and_provides(("authenticate", registration.device, epoch))
			.longevity(EPOCH)
			.propagate(true)
			.build()
			.unwrap();
		assert_eq!(valid, expected);
		// Once included, the pool rejects it (and any other proof of this epoch).
		assert_ok!(authenticate(&registration.keypair));
		assert_eq!(validate(&call), Err(custom(Error::<Test>::ProofReplayed)));
	});
}

#[test]
fn the_pool_rejects_bad_proofs_with_their_error() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let mut registration = Registration::pki(1, authority, &ca, None);
		registration.proof[40] ^= 1;
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::ProofInvalid)));
		registration.proof[32..].fill(0xff);
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::ProofMalformed)));
		registration.public_key = [0; 32];
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::PublicKeyMalformed)));
	});
}

#[test]
fn cheap_checks_come_first() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let mut registration = Registration::pki(1, authority, &ca, None);
		registration.proof[40] ^= 1; // would fail last
		registration.epoch += 1; // fails first
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::ChallengeUnknown)));
		registration.epoch -= 1;
		registration.authority = 7;
		assert_eq!(validate(&registration.call()), Err(custom(Error::<Test>::AuthorityUnknown)));
	});
}

#[test]
fn capacity_limits_ask_the_block_builder_to_wait() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		for seed in 1..=3 {
			assert_ok!(Registration::pki(seed, authority, &ca, None).submit());
		}
		let fourth = Registration::pki(4, authority, &ca, None);
		assert_eq!(
			<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&fourth.call()),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		run_to_block(2);
		assert_ok!(<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&fourth.call()));
	});
}

#[test]
fn pre_dispatch_repeats_only_the_cheap_checks_and_the_call_verifies() {
	test(|| {
		let (authority, ca) = pki_authority(1);
		let mut registration = Registration::pki(1, authority, &ca, None);
		registration.proof[40] ^= 1;
		// A bad proof passes the inclusion check (the pool already rejected it; only a block
		// author could include it) ...
		assert_ok!(<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&registration.call()));
		// ... and the call refuses it, changing nothing.
		assert_noop!(registration.submit(), Error::<Test>::ProofInvalid);
		// State-dependent checks do run at inclusion.
		let good = active_pki_device(2, None);
		assert_eq!(
			<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&good.call()),
			Err(custom(Error::<Test>::AlreadyRegistered))
		);
		next_epoch();
		let stale = Call::<Test>::authenticate { device: good.device, epoch: 0, proof: [0; 64] };
		assert_eq!(
			<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&stale),
			Err(custom(Error::<Test>::ChallengeExpired))
		);
	});
}

#[test]
fn other_calls_are_not_unsigned() {
	test(|| {
		let call = Call::<Test>::revoke_device { device: [1; 32] };
		assert_eq!(validate(&call), Err(InvalidTransaction::Call.into()));
		assert_eq!(
			<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&call),
			Err(InvalidTransaction::Call.into())
		);
	});
}

#[test]
fn oversized_fields_do_not_decode() {
	test(|| {
		let registration = active_pki_device(1, None);
		next_epoch();
		let call = Call::<Test>::authenticate {
			device: registration.device,
			epoch: 1,
			proof: testing_utils::authenticate_proof::<Test>(&registration.keypair),
		};
		let encoded = RuntimeCall::DeviceIdentity(call).encode();
		assert!(RuntimeCall::decode(&mut &encoded[..]).is_ok());
		// One byte more in the proof: the call has trailing bytes and is rejected as a whole.
		let mut oversized = encoded.clone();
		oversized.push(0);
		assert!(<RuntimeCall as codec::DecodeAll>::decode_all(&mut &oversized[..]).is_err());
		// A truncated proof does not decode either.
		let truncated = &encoded[..encoded.len() - 1];
		assert!(<RuntimeCall as codec::DecodeAll>::decode_all(&mut &truncated[..]).is_err());
	});
}

#[test]
fn error_codes_are_the_metadata_indices() {
	assert_eq!(DeviceIdentity::error_code(&Error::<Test>::AuthorityKeyMalformed), 0);
	assert_eq!(DeviceIdentity::error_code(&Error::<Test>::AuthorityKeyInUse), 1);
	let codes: Vec<u8> = [
		Error::<Test>::ProofInvalid,
		Error::<Test>::ProofMalformed,
		Error::<Test>::ProofReplayed,
		Error::<Test>::ChallengeExpired,
	]
	.iter()
	.map(DeviceIdentity::error_code)
	.collect();
	assert!(codes.windows(2).all(|w| w[0] != w[1]));
}
