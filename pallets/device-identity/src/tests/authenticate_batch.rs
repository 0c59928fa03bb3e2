//! `authenticate_batch`: a gateway submits its devices' proofs in one transaction.

use super::*;
use codec::{Decode, Encode};
use endo_traits::IdentityEvidence;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// `count` active PKI devices (seeds `1..=count`) at the start of epoch 1.
fn devices(count: u32) -> Vec<Registration> {
	let registrations = (1..=count)
		.map(|seed| {
			if seed > 1 && (seed - 1) % 3 == 0 {
				// The registration rate limit: three per block.
				run_to_block(System::block_number() + 1);
			}
			active_pki_device(seed, None)
		})
		.collect();
	next_epoch();
	take_evidence();
	registrations
}

fn batch(
	entries: Vec<(DeviceId, [u8; PROOF_BYTES])>,
) -> BoundedVec<(DeviceId, [u8; PROOF_BYTES]), <Test as Config>::MaxBatchSize> {
	entries.try_into().unwrap()
}

/// The devices' proofs, in increasing order of device ID (a batch's order).
fn proofs(registrations: &[Registration]) -> Vec<(DeviceId, [u8; PROOF_BYTES])> {
	let mut entries: Vec<_> = registrations
		.iter()
		.map(|r| (r.device, testing_utils::authenticate_proof::<Test>(&r.keypair)))
		.collect();
	entries.sort();
	entries
}

fn submit(entries: Vec<(DeviceId, [u8; PROOF_BYTES])>) -> DispatchResult {
	DeviceIdentity::authenticate_batch(
		RuntimeOrigin::none(),
		testing_utils::epoch::<Test>(),
		batch(entries),
	)
}

#[test]
fn authenticates_every_device_of_the_batch() {
	test(|| {
		let registrations = devices(5);
		assert_ok!(submit(proofs(&registrations)));
		let epoch = testing_utils::epoch::<Test>();
		for r in &registrations {
			assert!(emitted(Event::DeviceAuthenticated { device: r.device, epoch }));
			assert_eq!(info(r.device).last_proof.unwrap().epoch, epoch);
			assert!(DeviceIdentity::is_authenticated(&r.device));
		}
		// A proof writes only its own record; the evidence follows with the epoch's sweep.
		assert!(take_evidence().is_empty());
		next_epoch();
		let reported = take_evidence();
		assert_eq!(reported.len(), registrations.len());
		for r in &registrations {
			assert!(reported.contains(&(r.device, None, IdentityEvidence::Authenticated)));
		}
	});
}

#[test]
fn one_bad_entry_rejects_the_whole_batch() {
	test(|| {
		let registrations = devices(4);
		let mut entries = proofs(&registrations);
		entries[2].1[40] ^= 1;
		assert_noop!(submit(entries.clone()), Error::<Test>::ProofInvalid);
		entries[2].1 = testing_utils::authenticate_proof::<Test>(&registrations[2].keypair);
		entries[3].1[32..].fill(0xff);
		assert_noop!(submit(entries.clone()), Error::<Test>::ProofMalformed);
		entries[3].0 = [0xff; 32];
		assert_noop!(submit(entries), Error::<Test>::DeviceUnknown);
	});
}

#[test]
fn a_device_once_per_batch_and_per_epoch() {
	test(|| {
		let registrations = devices(3);
		let mut entries = proofs(&registrations);
		entries.insert(1, entries[0]);
		assert_noop!(submit(entries), Error::<Test>::ProofReplayed);

		let entries = proofs(&registrations);
		let middle = registrations.iter().find(|r| r.device == entries[1].0).unwrap();
		assert_ok!(authenticate(&middle.keypair));
		assert_noop!(submit(entries.clone()), Error::<Test>::ProofReplayed);
		assert_ok!(submit(vec![entries[0], entries[2]]));
	});
}

#[test]
fn empty_batches_stale_epochs_and_signed_origins_are_refused() {
	test(|| {
		let registrations = devices(2);
		assert_noop!(submit(vec![]), Error::<Test>::EmptyBatch);
		let entries = batch(proofs(&registrations));
		assert_noop!(
			DeviceIdentity::authenticate_batch(RuntimeOrigin::signed(1), 1, entries.clone()),
			DispatchError::BadOrigin
		);
		next_epoch();
		assert_noop!(
			DeviceIdentity::authenticate_batch(RuntimeOrigin::none(), 1, entries),
			Error::<Test>::ChallengeExpired
		);
	});
}

#[test]
fn pool_tags_conflict_with_single_authentications() {
	test(|| {
		let registrations = devices(2);
		let epoch = testing_utils::epoch::<Test>();
		let entries = proofs(&registrations);
		let call = Call::<Test>::authenticate_batch { epoch, proofs: batch(entries.clone()) };
		let valid = validate(&call).unwrap();
		let single =
			Call::<Test>::authenticate { device: entries[0].0, epoch, proof: entries[0].1 };
		let single_valid = validate(&single).unwrap();
		// The single call's tag is one of the batch's: the pool keeps only one of them.
		assert_eq!(valid.provides.len(), 2);
		assert!(valid.provides.contains(&single_valid.provides[0]));
		// A bad entry makes the whole batch invalid in the pool.
		let mut bad = entries;
		bad[1].1[40] ^= 1;
		let call = Call::<Test>::authenticate_batch { epoch, proofs: batch(bad) };
		assert_eq!(validate(&call), Err(custom(Error::<Test>::ProofInvalid)));
		// ... but passes the cheap inclusion checks; the call then refuses it.
		assert_ok!(<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&call));
	});
}

#[test]
fn an_oversized_batch_does_not_decode() {
	test(|| {
		let registrations = devices(1);
		let entry = proofs(&registrations)[0];
		let epoch = testing_utils::epoch::<Test>();
		// Encode a batch of MaxBatchSize + 1 entries by hand (a Vec has the same encoding).
		let mut encoded = RuntimeCall::DeviceIdentity(Call::authenticate_batch {
			epoch,
			proofs: batch(vec![entry]),
		})
		.encode();
		let header = encoded.len() - (1 + 96);
		encoded.truncate(header);
		let nine: Vec<(DeviceId, [u8; PROOF_BYTES])> = vec![entry; 9];
		nine.encode_to(&mut encoded);
		assert!(RuntimeCall::decode(&mut &encoded[..]).is_err());
		// Eight decode.
		encoded.truncate(header);
		vec![entry; 8].encode_to(&mut encoded);
		assert!(RuntimeCall::decode(&mut &encoded[..]).is_ok());
	});
}

/// Pool amplification (`docs/SECURITY.md`): a gossiped batch reordered is a new transaction
/// with the same proofs. It is refused before any storage read or proof, in the pool and at
/// dispatch, before and after the original is included, and changes nothing.
#[test]
fn a_reordered_copy_of_an_accepted_batch_is_refused_unread() {
	test(|| {
		let registrations = devices(4);
		let epoch = testing_utils::epoch::<Test>();
		let entries = proofs(&registrations);
		let original = Call::<Test>::authenticate_batch { epoch, proofs: batch(entries.clone()) };
		assert_ok!(validate(&original));
		let mut reordered = entries.clone();
		reordered.swap(0, 3);
		let copy = Call::<Test>::authenticate_batch { epoch, proofs: batch(reordered.clone()) };
		assert_eq!(validate(&copy), Err(custom(Error::<Test>::BatchUnsorted)));
		assert_eq!(
			<DeviceIdentity as ValidateUnsigned>::pre_dispatch(&copy),
			Err(custom(Error::<Test>::BatchUnsorted))
		);
		assert_noop!(submit(reordered.clone()), Error::<Test>::BatchUnsorted);

		assert_ok!(submit(entries.clone()));
		assert_eq!(validate(&copy), Err(custom(Error::<Test>::BatchUnsorted)));
		assert_noop!(submit(reordered), Error::<Test>::BatchUnsorted);
		// The original itself, replayed: its first device has answered already.
		assert_eq!(validate(&original), Err(custom(Error::<Test>::ProofReplayed)));
		assert_noop!(submit(entries), Error::<Test>::ProofReplayed);
	});
}

/// A batch with one device that answered this epoch already is refused by the cheap checks,
/// whatever the other entries hold: no proof of the batch is looked at (here they are all
/// junk, and the error is still the replay).
#[test]
fn a_batch_with_one_already_authenticated_device_is_refused_before_any_proof() {
	test(|| {
		let registrations = devices(4);
		let epoch = testing_utils::epoch::<Test>();
		let mut entries = proofs(&registrations);
		let last = registrations.iter().find(|r| r.device == entries[3].0).unwrap();
		assert_ok!(authenticate(&last.keypair));
		for (_, proof) in entries.iter_mut().take(3) {
			proof[40] ^= 1;
		}
		let call = Call::<Test>::authenticate_batch { epoch, proofs: batch(entries.clone()) };
		assert_eq!(validate(&call), Err(custom(Error::<Test>::ProofReplayed)));
		assert_noop!(submit(entries), Error::<Test>::ProofReplayed);
	});
}

/// A batch whose last proof is bad costs one batch check, not one check per proof, and fails
/// as a whole with `ProofInvalid`; nothing changes. The gateway resubmits without the bad
/// device.
#[test]
fn a_batch_with_one_bad_proof_last_fails_as_a_whole() {
	test(|| {
		let registrations = devices(5);
		let epoch = testing_utils::epoch::<Test>();
		let mut entries = proofs(&registrations);
		entries[4].1[40] ^= 1;
		let call = Call::<Test>::authenticate_batch { epoch, proofs: batch(entries.clone()) };
		assert_eq!(validate(&call), Err(custom(Error::<Test>::ProofInvalid)));
		assert_noop!(submit(entries.clone()), Error::<Test>::ProofInvalid);
		for r in &registrations {
			assert!(!info(r.device).answered(epoch));
		}
		entries.pop();
		assert_ok!(submit(entries.clone()));
		for (device, _) in &entries {
			assert!(emitted(Event::DeviceAuthenticated { device: *device, epoch }));
		}
	});
}
