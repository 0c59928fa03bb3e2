//! The proxy node's off-chain worker (`offchain.rs`) in offchain test externalities: what it
//! submits, when it does not, and the authorization of its votes.

use super::*;
use crate::offchain::{LOCK_BLOCKS, LOCK_KEY, LOCK_MILLIS, RESUBMIT_AFTER};
use codec::Decode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::DispatchResultWithPostInfo,
	pallet_prelude::{Authorize, TransactionSource},
	traits::{Hooks, UnfilteredDispatchable},
};
use sp_runtime::{
	offchain::{
		storage_lock::{BlockAndTime, StorageLock},
		Duration,
	},
	testing::{TestSignature, UintAuthorityId},
	RuntimeAppPublic,
};

type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

/// The worker of the current block.
fn run_worker() {
	<DeviceIdentity as Hooks<u64>>::offchain_worker(System::block_number());
}

/// The call of a pooled transaction.
fn call_of(transaction: &[u8]) -> Call<Test> {
	let extrinsic = Extrinsic::decode(&mut &transaction[..]).unwrap();
	match extrinsic.function {
		RuntimeCall::DeviceIdentity(call) => call,
		other => panic!("the worker submitted {other:?}"),
	}
}

/// The votes of the pooled transactions, in submission order.
fn votes(transactions: &[Vec<u8>]) -> Vec<ProxyVote<UintAuthorityId>> {
	transactions
		.iter()
		.map(|transaction| match call_of(transaction) {
			Call::submit_attestation { vote, .. } => vote,
			other => panic!("the worker submitted {other:?}"),
		})
		.collect()
}

/// Includes `call` as a block would: its authorization (`AuthorizeCall`), then the call with
/// the `Authorized` origin.
fn apply(call: Call<Test>) -> DispatchResultWithPostInfo {
	if let Err(error) =
		call.authorize(TransactionSource::InBlock).expect("submit_attestation authorizes itself")
	{
		panic!("the block refuses the vote: {error:?}");
	}
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
}

/// Dispatches `call` with the `Authorized` origin without its authorization: what the call
/// checks by itself.
fn apply_unchecked(call: Call<Test>) -> DispatchResult {
	call.dispatch_bypass_filter(frame_system::RawOrigin::Authorized.into())
		.map(|_| ())
		.map_err(|e| e.error)
}

/// An IBE device under a fresh KGC, registered with a credential of that KGC (`forged`:
/// of another KGC), pending.
fn pending_ibe_device(seed: u32, forged: bool) -> DeviceId {
	let kgc_of_domain = kgc(u64::from(seed));
	let authority = ibe_authority(&kgc_of_domain);
	let keypair = testing_utils::device(seed);
	let signer = if forged { kgc(1_000 + u64::from(seed)) } else { kgc_of_domain };
	let registration =
		Registration::ibe(keypair, authority, sm9_credential(&signer, &keypair_of(seed)), None);
	registration.submit().unwrap();
	assert_eq!(info(registration.device).status, DeviceStatus::Pending);
	registration.device
}

fn keypair_of(seed: u32) -> endo_crypto::DeviceKeypair {
	testing_utils::device(seed)
}

/// A vote of `key` signed by `signer` for this chain.
fn signed_vote(
	key: u64,
	signer: u64,
	device: DeviceId,
	attestation: Attestation,
	epoch: AuthEpoch,
) -> Call<Test> {
	let subject = DeviceIdentity::vote_subject(&device, attestation).unwrap_or_default();
	let vote = ProxyVote { proxy: UintAuthorityId(key), device, attestation, epoch, subject };
	let message = messages::proxy_vote_message(&DeviceIdentity::genesis_hash(), &vote);
	let signature = UintAuthorityId(signer).sign(&message).unwrap();
	Call::submit_attestation { vote, signature }
}

#[test]
fn pending_then_attested_by_the_workers_then_active() {
	worker_test(|pool| {
		let device = pending_ibe_device(1, false);
		UintAuthorityId::set_all_keys([PROXY_A, PROXY_B]);
		run_worker();
		let transactions = pool();
		let votes = votes(&transactions);
		assert_eq!(votes.len(), 2);
		for (vote, key) in votes.iter().zip([PROXY_A, PROXY_B]) {
			assert_eq!(vote.proxy, UintAuthorityId(key));
			assert_eq!((vote.device, vote.attestation), (device, Attestation::CredentialValid));
		}
		for transaction in &transactions {
			assert_ok!(apply(call_of(transaction)));
		}
		assert_eq!(info(device).status, DeviceStatus::Active);
		assert!(emitted(Event::RegistrationConfirmed { device }));
		assert!(!PendingCredentials::<Test>::contains_key(device));
		// Nothing left to do.
		run_to_block(System::block_number() + RESUBMIT_AFTER as u64);
		run_worker();
		assert_eq!(pool().len(), 2);
	});
}

#[test]
fn a_forged_credential_is_voted_invalid_and_rejected() {
	worker_test(|pool| {
		let device = pending_ibe_device(2, true);
		UintAuthorityId::set_all_keys([PROXY_A, PROXY_B]);
		run_worker();
		let transactions = pool();
		assert!(votes(&transactions)
			.iter()
			.all(|vote| vote.attestation == Attestation::CredentialInvalid));
		for transaction in &transactions {
			assert_ok!(apply(call_of(transaction)));
		}
		assert!(emitted(Event::RegistrationRejected { device }));
		assert_ne!(Devices::<Test>::get(device).map(|i| i.status), Some(DeviceStatus::Active));
	});
}

#[test]
fn re_runs_never_submit_twice_and_a_lost_vote_is_submitted_again() {
	worker_test(|pool| {
		let lost = pending_ibe_device(3, false);
		let counted = pending_ibe_device(10, false);
		UintAuthorityId::set_all_keys([PROXY_A]);
		run_worker();
		run_worker();
		let transactions = pool();
		assert_eq!(transactions.len(), 2);
		// One vote makes it into a block; the other is lost (dropped from the pool, or its
		// block re-organised away).
		let (first, second) = (call_of(&transactions[0]), call_of(&transactions[1]));
		let (counted_vote, lost_vote) = if votes(&transactions)[0].device == counted {
			(first, second)
		} else {
			(second, first)
		};
		assert_ok!(apply(counted_vote));
		// The next blocks: nothing new.
		run_to_block(System::block_number() + 1);
		run_worker();
		assert_eq!(pool().len(), 2);
		// RESUBMIT_AFTER blocks after the submission: the lost vote is submitted again, the
		// counted one never.
		run_to_block(1 + RESUBMIT_AFTER as u64);
		run_worker();
		let transactions = pool();
		assert_eq!(transactions.len(), 3);
		assert_eq!(votes(&transactions)[2].device, lost);
		assert_eq!(call_of(&transactions[2]), lost_vote);
		// One copy counts; the other is refused by its authorization, before any fee or state
		// change.
		assert_ok!(apply(lost_vote.clone()));
		assert_eq!(
			call_of(&transactions[2]).authorize(TransactionSource::External).unwrap(),
			Err(custom(Error::<Test>::AlreadyAttested))
		);
		run_worker();
		assert_eq!(pool().len(), 3);
	});
}

#[test]
fn a_node_without_a_proxy_key_never_submits() {
	worker_test(|pool| {
		pending_ibe_device(4, false);
		let registration = active_pki_device(5, Some(8));
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		assert_ok!(DeviceIdentity::request_cross_domain(
			RuntimeOrigin::signed(8),
			registration.device,
			target
		));
		// No key; the key of an account below the proxy level; a proxy that cannot hold the
		// deposit its vote needs (the chain would refuse the vote).
		for keys in [vec![], vec![NOT_PROXY], vec![POOR_PROXY]] {
			UintAuthorityId::set_all_keys(keys);
			run_worker();
			assert!(pool().is_empty());
		}
	});
}

#[test]
fn the_workers_vouch_for_a_requested_admission_but_not_for_a_struck_device() {
	worker_test(|pool| {
		let registration = active_pki_device(6, Some(8));
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		UintAuthorityId::set_all_keys([PROXY_A, PROXY_B]);
		// Nobody asked: nothing to vouch for.
		run_worker();
		assert!(pool().is_empty());
		assert_ok!(DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target));
		run_worker();
		let transactions = pool();
		assert_eq!(
			votes(&transactions).iter().map(|v| v.attestation).collect::<Vec<_>>(),
			vec![Attestation::CrossDomain { target }; 2]
		);
		for transaction in &transactions {
			assert_ok!(apply(call_of(transaction)));
		}
		assert_eq!(Whitelist::<Test>::get(device).len(), 1);

		// A device whose authentication the proxies reported failed is not authenticated: its
		// open request gets no vote (the chain would refuse it).
		let other = active_pki_device(7, Some(9));
		assert_ok!(DeviceIdentity::request_cross_domain(
			RuntimeOrigin::signed(9),
			other.device,
			target
		));
		for proxy in [PROXY_A, PROXY_B] {
			assert_ok!(attest(proxy, other.device, Attestation::AuthenticationFailed));
		}
		assert!(!DeviceIdentity::is_authenticated(&other.device));
		let before = pool().len();
		run_worker();
		assert_eq!(pool().len(), before);
	});
}

#[test]
fn a_held_lock_keeps_an_overlapping_run_idle() {
	worker_test(|pool| {
		pending_ibe_device(8, false);
		UintAuthorityId::set_all_keys([PROXY_A]);
		let mut lock = StorageLock::<BlockAndTime<System>>::with_block_and_time_deadline(
			LOCK_KEY,
			LOCK_BLOCKS,
			Duration::from_millis(LOCK_MILLIS),
		);
		let guard = lock.try_lock().unwrap();
		run_worker();
		assert!(pool().is_empty());
		drop(guard);
		run_worker();
		assert_eq!(pool().len(), 1);
	});
}

#[test]
fn forged_stale_or_unentitled_votes_are_not_authorized() {
	worker_test(|_| {
		let device = pending_ibe_device(9, false);
		let epoch = testing_utils::epoch::<Test>();
		let valid = Attestation::CredentialValid;
		let refused = |call: Call<Test>, error: Error<Test>| {
			assert_eq!(call.authorize(TransactionSource::External).unwrap(), Err(custom(error)));
		};
		// Signed by another key than the one it names.
		refused(signed_vote(PROXY_A, PROXY_B, device, valid, epoch), Error::VoteSignatureInvalid);
		// A signature over another vote.
		let Call::submit_attestation { vote, .. } =
			signed_vote(PROXY_A, PROXY_A, device, valid, epoch)
		else {
			unreachable!()
		};
		let other = signed_vote(PROXY_A, PROXY_A, [1; 32], valid, epoch);
		let Call::submit_attestation { signature, .. } = other else { unreachable!() };
		refused(Call::submit_attestation { vote, signature }, Error::VoteSignatureInvalid);
		// Of another epoch.
		refused(signed_vote(PROXY_A, PROXY_A, device, valid, epoch + 1), Error::StaleVote);
		// By an account that is no proxy node.
		refused(signed_vote(NOT_PROXY, NOT_PROXY, device, valid, epoch), Error::NotProxy);
		// Well signed by a proxy: authorized, and the call counts it.
		let good = signed_vote(PROXY_A, PROXY_A, device, valid, epoch);
		assert!(good.authorize(TransactionSource::External).unwrap().is_ok());
		assert_ok!(apply(good.clone()));
		refused(good, Error::AlreadyAttested);
		// A forged signature never reaches the call, which checks it again all the same.
		let Call::submit_attestation { vote, .. } =
			signed_vote(PROXY_B, PROXY_B, device, valid, epoch)
		else {
			unreachable!()
		};
		let bad = TestSignature(PROXY_A, vec![]);
		assert_eq!(
			DeviceIdentity::submit_attestation(
				frame_system::RawOrigin::Authorized.into(),
				vote,
				bad
			)
			.map_err(|e| e.error),
			Err(Error::<Test>::VoteSignatureInvalid.into())
		);
		assert_eq!(info(device).status, DeviceStatus::Pending);
	});
}

#[test]
fn a_signed_vote_does_not_count_for_a_later_registration_of_the_device() {
	worker_test(|_| {
		// The attack: a proxy's `CredentialValid` vote on a genuine credential is voided (its
		// controller became bound elsewhere); the device registers again, in the same epoch,
		// with a forged credential, and the old signed vote is replayed. The vote names the
		// credential it is about: refused.
		let kgc_of_domain = kgc(11);
		let authority = ibe_authority(&kgc_of_domain);
		let keypair = testing_utils::device(11);
		let genuine = sm9_credential(&kgc_of_domain, &keypair);
		Registration::ibe(keypair.clone(), authority, genuine, None).submit().unwrap();
		let device = testing_utils::id(&keypair);
		let epoch = testing_utils::epoch::<Test>();
		let valid = Attestation::CredentialValid;
		let old = signed_vote(PROXY_A, PROXY_A, device, valid, epoch);
		assert!(old.authorize(TransactionSource::External).unwrap().is_ok());
		// The registration goes (rejected by the proxies' vote in its epoch... here removed as a
		// timed-out one would be), and a forged one of the same device takes its place.
		DeviceIdentity::remove_pending(&device);
		let forged = sm9_credential(&kgc(12), &keypair);
		Registration::ibe(keypair, authority, forged, None).submit().unwrap();
		assert_eq!(
			old.authorize(TransactionSource::External).unwrap(),
			Err(custom(Error::<Test>::StaleVote))
		);
		assert_noop!(apply_unchecked(old.clone()), Error::<Test>::StaleVote);
		// The same genuine signature under another KGC (whose enrolment key co-signed the
		// device): the vote was about the credential under the first KGC. Refused.
		DeviceIdentity::remove_pending(&device);
		let other_authority = ibe_authority(&kgc(13));
		let keypair = testing_utils::device(11);
		Registration::ibe(keypair, other_authority, genuine, None).submit().unwrap();
		assert_noop!(apply_unchecked(old), Error::<Test>::StaleVote);
	});
}

#[test]
fn votes_on_an_ended_request_do_not_count_for_the_next() {
	worker_test(|_| {
		let registration = active_pki_device(12, Some(8));
		let device = registration.device;
		let target = testing_utils::add_ibe_authority::<Test>(testing_utils::ANNEX_A_MASTER_KEY);
		let ask = || DeviceIdentity::request_cross_domain(RuntimeOrigin::signed(8), device, target);
		assert_ok!(ask());
		let epoch = testing_utils::epoch::<Test>();
		let cross = Attestation::CrossDomain { target };
		let first = signed_vote(PROXY_A, PROXY_A, device, cross, epoch);
		assert_ok!(apply(first.clone()));
		assert!(Tallies::<Test>::contains_key((epoch, device, cross)));
		// The request ends (quarantine); the device is restored and asks again at a later block.
		assert_ok!(DeviceIdentity::quarantine_device(RuntimeOrigin::root(), device));
		assert!(!Tallies::<Test>::contains_key((epoch, device, cross)), "its open tally went");
		assert_ok!(DeviceIdentity::restore_device(RuntimeOrigin::root(), device));
		assert_ok!(authenticate(&registration.keypair));
		run_to_block(System::block_number() + 1);
		assert_ok!(ask());
		// The first vote, replayed, names the old request: refused. One new vote settles
		// nothing (threshold 2): the old vote does not count.
		assert_eq!(
			first.authorize(TransactionSource::External).unwrap(),
			Err(custom(Error::<Test>::StaleVote))
		);
		assert_ok!(apply(signed_vote(PROXY_B, PROXY_B, device, cross, epoch)));
		assert!(Whitelist::<Test>::get(device).is_empty());
		assert_ok!(apply(signed_vote(PROXY_A, PROXY_A, device, cross, epoch)));
		assert_eq!(Whitelist::<Test>::get(device).len(), 1);
	});
}

#[test]
fn a_one_validator_chain_settles_with_its_validators_vote_only() {
	worker_test(|_| {
		// One validator: its vote settles; a trusted account that is no validator settles
		// nothing alone (its vote waits for a second one, or for the validator's).
		set_validators([PROXY_A]);
		let device = pending_ibe_device(13, false);
		let epoch = testing_utils::epoch::<Test>();
		let valid = Attestation::CredentialValid;
		assert_ok!(apply(signed_vote(PROXY_B, PROXY_B, device, valid, epoch)));
		assert_eq!(info(device).status, DeviceStatus::Pending);
		assert_ok!(apply(signed_vote(PROXY_A, PROXY_A, device, valid, epoch)));
		assert_eq!(info(device).status, DeviceStatus::Active);
		let other = pending_ibe_device(14, false);
		assert_ok!(apply(signed_vote(PROXY_A, PROXY_A, other, valid, epoch)));
		assert_eq!(info(other).status, DeviceStatus::Active);
	});
}
