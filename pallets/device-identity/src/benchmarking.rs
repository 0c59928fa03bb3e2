//! Benchmarks (frame-benchmarking v2) of every call and every part of `on_initialize`, each in
//! its most expensive case. The unsigned calls are measured together with their
//! `ValidateUnsigned::pre_dispatch`, which runs at block inclusion.
//!
//! CA keys come from the keystore (ECDSA: recovering the key is the most expensive of the three
//! certificate schemes). Registrations bind a controller, so they include the verification of
//! its consent signature; controller keys come from [`Config::BenchmarkHelper`] (the
//! runtime's: an sr25519 key in the keystore, as `MultiSignature`). Proxy nodes are made with `TrustProvider::set_trust_level`; a runtime
//! whose trust provider cannot do that cannot benchmark `attest` (the benchmarks say so).
//! Proxies and voters are funded with [`Config::Currency`]'s `Mutate`; the votes of the tallies
//! the benchmarks build hold real deposits, so that settling and pruning release them.

#![allow(deprecated)] // `ValidateUnsigned`: see the crate docs.

use super::*;
use crate::testing_utils;
use alloc::vec::Vec;
use codec::Encode;
use endo_traits::TrustProvider;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		EnsureOrigin, Get, UnfilteredDispatchable,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, Saturating, ValidateUnsigned, Zero},
	transaction_validity::TransactionSource,
};

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

/// `count` accounts with the proxy trust level.
fn proxies<T: Config>(count: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	let mut out = Vec::new();
	for i in 0..count {
		let proxy: T::AccountId = account("proxy", i, 0);
		T::Trust::set_trust_level(&proxy, T::MinProxyTrust::get());
		if !T::Trust::is_at_least(&proxy, T::MinProxyTrust::get()) {
			return Err(BenchmarkError::Stop(
				"the runtime's TrustProvider::set_trust_level cannot make proxy nodes",
			));
		}
		fund::<T>(&proxy);
		out.push(proxy);
	}
	Ok(out)
}

/// Gives `who` enough for a few attestation deposits.
fn fund<T: Config>(who: &T::AccountId) {
	let deposit = T::AttestationDeposit::get();
	let amount = T::Currency::minimum_balance()
		.saturating_add(deposit.saturating_mul(10u32.into()))
		.saturating_add(1u32.into());
	T::Currency::set_balance(who, amount);
}

/// `voters` of `epoch` who voted once each and hold the deposit for it, as in a tally.
fn voters_with_deposits<T: Config>(
	epoch: AuthEpoch,
	voters: Vec<T::AccountId>,
) -> Result<VotersOf<T>, BenchmarkError> {
	let deposit = T::AttestationDeposit::get();
	let mut out = Vec::new();
	for voter in voters {
		fund::<T>(&voter);
		T::Currency::hold(&HoldReason::AttestationDeposit.into(), &voter, deposit)
			.map_err(|_| BenchmarkError::Stop("cannot hold an attestation deposit"))?;
		AttestationsBy::<T>::insert(epoch, &voter, (1, deposit));
		out.push((voter, deposit));
	}
	out.try_into().map_err(|_| BenchmarkError::Stop("tally bound"))
}

/// The largest open tally for `attestation` before it settles: `MaxAttestationVoters - 1`
/// votes (an open tally holds more than the threshold when the validator set shrank), each
/// with a deposit to release, and the proxy that casts the deciding vote.
fn tally_before_last_vote<T: Config>(
	device: DeviceId,
	attestation: Attestation,
) -> Result<T::AccountId, BenchmarkError> {
	let last = proxies::<T>(1)?.pop().ok_or(BenchmarkError::Stop("no proxy"))?;
	tally_before_vote_of::<T>(device, attestation, &last)?;
	Ok(last)
}

/// [`tally_before_last_vote`] for a given proxy `last`.
fn tally_before_vote_of<T: Config>(
	device: DeviceId,
	attestation: Attestation,
	last: &T::AccountId,
) -> Result<(), BenchmarkError> {
	let epoch = testing_utils::epoch::<T>();
	let others = (1..T::MaxAttestationVoters::get()).map(|i| account("voter", i, 0)).collect();
	let voters = voters_with_deposits::<T>(epoch, others)?;
	if !voters.is_empty() {
		Tallies::<T>::insert((epoch, device, attestation), (voters, false));
	}
	nearly_exhausted_quota::<T>(last);
	Ok(())
}

/// The device's open cross-domain request for `target`.
fn open_request<T: Config>(device: DeviceId, target: AuthorityId) {
	let requested_at = frame_system::Pallet::<T>::block_number();
	CrossDomainRequests::<T>::insert(
		device,
		CrossDomainRequest { target, requested_at, admitted: false },
	);
}

/// An active PKI device (`seed`) that proved itself in the current epoch, with a controller,
/// and an IBE domain to enter. Returns `(device, controller, target)`.
fn device_to_admit<T: Config>(seed: u32) -> (DeviceId, T::AccountId, AuthorityId) {
	let (home, _) = testing_utils::add_pki_authority::<T>(seed);
	let target = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
	let controller: T::AccountId = account("controller", seed, 0);
	let epoch = testing_utils::epoch::<T>();
	let device = testing_utils::insert_device::<T>(
		seed,
		home,
		DeviceStatus::Active,
		0,
		Some(epoch),
		Some(controller.clone()),
	);
	(device, controller, target)
}

/// `proxy`'s quota and the epoch's one attestation short of their limits (the counters are
/// read and written either way; this makes the benchmark touch the largest values).
fn nearly_exhausted_quota<T: Config>(proxy: &T::AccountId) {
	let epoch = testing_utils::epoch::<T>();
	let count = T::MaxAttestationsPerProxy::get().saturating_sub(1);
	AttestationsBy::<T>::insert(epoch, proxy, (count, BalanceOf::<T>::zero()));
	AttestationsInEpoch::<T>::put((epoch, T::MaxAttestationsPerEpoch::get().saturating_sub(1)));
}

/// A full whitelist (`MaxWhitelistPerDevice - 1` unexpired entries, so that one more fits)
/// towards new IBE authorities.
fn nearly_full_whitelist<T: Config>(device: DeviceId) {
	let expires_at = BlockNumberFor::<T>::max_value();
	let entries: Vec<_> = (1..T::MaxWhitelistPerDevice::get())
		.map(|i| WhitelistEntry {
			target: testing_utils::add_ibe_authority::<T>(testing_utils::sm9_master_key(i as u16)),
			expires_at,
		})
		.collect();
	let entries: BoundedVec<_, T::MaxWhitelistPerDevice> =
		entries.try_into().expect("fewer than MaxWhitelistPerDevice entries; qed");
	Whitelist::<T>::insert(device, entries);
}

/// What is wrong with the last entry of a [`junk_batch`].
enum JunkBatch {
	/// Its device answered this epoch already.
	LastAnswered,
	/// Its proof does not verify.
	LastProofBad,
}

/// A full `authenticate_batch` ([`Config::MaxBatchSize`] devices over as many authorities as
/// allowed, in the batch's order) whose entries are all good except the last.
fn junk_batch<T: Config>(junk: JunkBatch) -> Result<Call<T>, BenchmarkError> {
	testing_utils::ensure_epoch::<T>();
	let epoch = testing_utils::epoch::<T>();
	let n = T::MaxBatchSize::get();
	let authorities: Vec<AuthorityId> = (0..n.min(T::MaxAuthorities::get()).max(1))
		.map(|i| testing_utils::add_ibe_authority::<T>(testing_utils::sm9_master_key(i as u16)))
		.collect();
	let mut proofs = Vec::new();
	for i in 0..n {
		let seed = 5000 + i;
		let authority = authorities[(i as usize) % authorities.len()];
		let device = testing_utils::insert_device::<T>(
			seed,
			authority,
			DeviceStatus::Active,
			0,
			epoch.checked_sub(1),
			None,
		);
		proofs.push((device, testing_utils::authenticate_proof::<T>(&testing_utils::device(seed))));
	}
	proofs.sort();
	let (last, proof) = proofs.last_mut().ok_or(BenchmarkError::Stop("empty batch"))?;
	match junk {
		JunkBatch::LastAnswered => {
			let mut info = Devices::<T>::get(*last).ok_or(BenchmarkError::Stop("device"))?;
			info.record_proof(epoch, frame_system::Pallet::<T>::block_number());
			Devices::<T>::insert(*last, info);
		}
		JunkBatch::LastProofBad => proof[40] ^= 1,
	}
	let proofs: BoundedVec<_, T::MaxBatchSize> =
		proofs.try_into().map_err(|_| BenchmarkError::Stop("batch bound"))?;
	Ok(Call::<T>::authenticate_batch { epoch, proofs })
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let authority = NextAuthorityId::<T>::get();
		let key = AuthorityKey::Ibe(testing_utils::sm9_master_key(200));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, key);

		assert_last_event::<T>(Event::AuthorityRegistered { authority, kind: DomainKind::Ibe });
		Ok(())
	}

	#[benchmark]
	fn retire_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let (authority, _) = testing_utils::add_pki_authority::<T>(1);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, authority);

		assert_last_event::<T>(Event::AuthorityRetired { authority });
		Ok(())
	}

	#[benchmark]
	fn set_enrolment_key() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::sm9_master_key(201));
		let key = Some(testing_utils::enrolment_key(authority.saturating_add(1)).0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, authority, key);

		assert_last_event::<T>(Event::EnrolmentKeySet { authority, key });
		Ok(())
	}

	#[benchmark]
	fn register_device_ibe() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let keypair = testing_utils::device(1);
		let device = testing_utils::id(&keypair);
		let consent = testing_utils::controller_consent::<T>(0, &keypair, authority);
		let controller = Some(consent.account.clone());
		// The worst case includes the enrolment co-signature's sr25519 verification.
		let credential = testing_utils::ibe_credential::<T>(
			authority,
			&device,
			testing_utils::ANNEX_A_SIGNATURE,
			BlockNumberFor::<T>::max_value(),
		);
		let call =
			testing_utils::register_call::<T>(&keypair, authority, Some(consent), credential);

		#[block]
		{
			Pallet::<T>::pre_dispatch(&call).map_err(|_| "pre_dispatch")?;
			call.dispatch_bypass_filter(RawOrigin::None.into()).map_err(|e| e.error)?;
		}

		assert_last_event::<T>(Event::RegistrationPending { device, authority, controller });
		Ok(())
	}

	#[benchmark]
	fn register_device_pki() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (authority, ca) = testing_utils::add_pki_authority::<T>(2);
		let keypair = testing_utils::device(2);
		let device = testing_utils::id(&keypair);
		let consent = testing_utils::controller_consent::<T>(0, &keypair, authority);
		let controller = Some(consent.account.clone());
		let certificate =
			testing_utils::certificate::<T>(&ca, device, BlockNumberFor::<T>::max_value());
		let credential = Credential::Pki { certificate };
		let call =
			testing_utils::register_call::<T>(&keypair, authority, Some(consent), credential);

		#[block]
		{
			Pallet::<T>::pre_dispatch(&call).map_err(|_| "pre_dispatch")?;
			call.dispatch_bypass_filter(RawOrigin::None.into()).map_err(|e| e.error)?;
		}

		assert_last_event::<T>(Event::DeviceRegistered { device, authority, controller });
		Ok(())
	}

	#[benchmark]
	fn authenticate() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (authority, _) = testing_utils::add_pki_authority::<T>(3);
		let keypair = testing_utils::device(3);
		let epoch = testing_utils::epoch::<T>();
		let device = testing_utils::insert_device::<T>(
			3,
			authority,
			DeviceStatus::Active,
			0,
			epoch.checked_sub(1),
			Some(account("controller", 0, 0)),
		);
		let proof = testing_utils::authenticate_proof::<T>(&keypair);
		let call = Call::<T>::authenticate { device, epoch, proof };

		#[block]
		{
			Pallet::<T>::pre_dispatch(&call).map_err(|_| "pre_dispatch")?;
			call.dispatch_bypass_filter(RawOrigin::None.into()).map_err(|e| e.error)?;
		}

		assert_last_event::<T>(Event::DeviceAuthenticated { device, epoch });
		Ok(())
	}

	/// `n` proofs of devices spread over as many authorities as allowed (each authority is
	/// read once).
	#[benchmark]
	fn authenticate_batch(n: Linear<1, { T::MaxBatchSize::get() }>) -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let epoch = testing_utils::epoch::<T>();
		let authorities: Vec<AuthorityId> = (0..n.min(T::MaxAuthorities::get()).max(1))
			.map(|i| testing_utils::add_ibe_authority::<T>(testing_utils::sm9_master_key(i as u16)))
			.collect();
		let mut proofs = Vec::new();
		for i in 0..n {
			let seed = 3000 + i;
			let authority = authorities[(i as usize) % authorities.len()];
			let device = testing_utils::insert_device::<T>(
				seed,
				authority,
				DeviceStatus::Active,
				0,
				epoch.checked_sub(1),
				None,
			);
			proofs.push((
				device,
				testing_utils::authenticate_proof::<T>(&testing_utils::device(seed)),
			));
		}
		proofs.sort();
		let last = proofs.last().map(|(device, _)| *device);
		let proofs: BoundedVec<_, T::MaxBatchSize> =
			proofs.try_into().map_err(|_| BenchmarkError::Stop("batch bound"))?;
		let call = Call::<T>::authenticate_batch { epoch, proofs };

		#[block]
		{
			Pallet::<T>::pre_dispatch(&call).map_err(|_| "pre_dispatch")?;
			call.dispatch_bypass_filter(RawOrigin::None.into()).map_err(|e| e.error)?;
		}

		let device = last.ok_or(BenchmarkError::Stop("empty batch"))?;
		assert_last_event::<T>(Event::DeviceAuthenticated { device, epoch });
		Ok(())
	}

	/// Pool cost of a junk batch that the cheap checks refuse: a full batch
	/// ([`Config::MaxBatchSize`]) whose entries all pass them except the last, a device that
	/// answered this epoch already (the most reads a refused batch can cost). Not a call's
	/// weight: `docs/PERFORMANCE.md` records it.
	#[benchmark]
	fn validate_batch_refused_by_cheap_checks() -> Result<(), BenchmarkError> {
		let call = junk_batch::<T>(JunkBatch::LastAnswered)?;
		#[block]
		{
			let refused = Pallet::<T>::validate_unsigned(TransactionSource::External, &call);
			frame_support::ensure!(
				refused == Err(Pallet::<T>::pool_rejection(Error::<T>::ProofReplayed)),
				"refused as a replay"
			);
		}
		Ok(())
	}

	/// Pool cost of a junk batch that passes the cheap checks and fails the batch
	/// verification: a full batch of active devices whose last proof is bad (one multiscalar
	/// check of every proof). Not a call's weight: `docs/PERFORMANCE.md` records it.
	#[benchmark]
	fn validate_batch_refused_by_proof() -> Result<(), BenchmarkError> {
		let call = junk_batch::<T>(JunkBatch::LastProofBad)?;
		#[block]
		{
			let refused = Pallet::<T>::validate_unsigned(TransactionSource::External, &call);
			frame_support::ensure!(
				refused == Err(Pallet::<T>::pool_rejection(Error::<T>::ProofInvalid)),
				"refused as an invalid proof"
			);
		}
		Ok(())
	}

	#[benchmark]
	fn attest_vote() -> Result<(), BenchmarkError> {
		let threshold = Pallet::<T>::attestation_threshold();
		if threshold < 2 {
			// Every attestation decides: this path does not exist.
			return Err(BenchmarkError::Weightless);
		}
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let device = testing_utils::insert_device::<T>(
			4,
			authority,
			DeviceStatus::Pending,
			0,
			Some(0),
			None,
		);
		// The largest open tally: threshold - 2 votes so far, this one makes threshold - 1.
		let mut all = proxies::<T>(threshold - 1)?;
		let proxy = all.pop().ok_or(BenchmarkError::Stop("no proxy"))?;
		if !all.is_empty() {
			let voters = voters_with_deposits::<T>(testing_utils::epoch::<T>(), all)?;
			Tallies::<T>::insert(
				(testing_utils::epoch::<T>(), device, Attestation::CredentialValid),
				(voters, false),
			);
		}
		nearly_exhausted_quota::<T>(&proxy);

		#[extrinsic_call]
		attest(RawOrigin::Signed(proxy.clone()), device, Attestation::CredentialValid);

		let reason = HoldReason::AttestationDeposit.into();
		assert_eq!(T::Currency::balance_on_hold(&reason, &proxy), T::AttestationDeposit::get());
		assert_last_event::<T>(Event::Attested {
			device,
			proxy,
			attestation: Attestation::CredentialValid,
			votes: threshold - 1,
		});
		Ok(())
	}

	/// The controller is free: the confirmation binds it (the voided path, a controller
	/// bound meanwhile, writes less).
	#[benchmark]
	fn attest_confirm_credential() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let controller = Some(account("controller", 0, 0));
		let device = testing_utils::insert_device::<T>(
			5,
			authority,
			DeviceStatus::Pending,
			0,
			Some(0),
			controller,
		);
		let proxy = tally_before_last_vote::<T>(device, Attestation::CredentialValid)?;

		#[extrinsic_call]
		attest(RawOrigin::Signed(proxy), device, Attestation::CredentialValid);

		assert_eq!(Devices::<T>::get(device).map(|i| i.status), Some(DeviceStatus::Active));
		let controller: T::AccountId = account("controller", 0, 0);
		assert_eq!(ControllerDevice::<T>::get(controller), Some(device));
		Ok(())
	}

	/// Rejected in the epoch of its registration proof: the record becomes a marker (a write,
	/// like the removal of the later-epoch path).
	#[benchmark]
	fn attest_reject_credential() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let controller = Some(account("controller", 0, 0));
		let device = testing_utils::insert_device::<T>(
			6,
			authority,
			DeviceStatus::Pending,
			0,
			Some(0),
			controller,
		);
		let proxy = tally_before_last_vote::<T>(device, Attestation::CredentialInvalid)?;

		#[extrinsic_call]
		attest(RawOrigin::Signed(proxy), device, Attestation::CredentialInvalid);

		assert_eq!(Devices::<T>::get(device).map(|i| i.status), Some(DeviceStatus::Rejected));
		assert!(!PendingCredentials::<T>::contains_key(device));
		Ok(())
	}

	#[benchmark]
	fn attest_cross_domain() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(7);
		let target = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let epoch = testing_utils::epoch::<T>();
		let device =
			testing_utils::insert_device::<T>(7, home, DeviceStatus::Active, 0, Some(epoch), None);
		nearly_full_whitelist::<T>(device);
		open_request::<T>(device, target);
		let attestation = Attestation::CrossDomain { target };
		let proxy = tally_before_last_vote::<T>(device, attestation)?;

		#[extrinsic_call]
		attest(RawOrigin::Signed(proxy), device, attestation);

		assert_eq!(Whitelist::<T>::get(device).len() as u32, T::MaxWhitelistPerDevice::get());
		Ok(())
	}

	#[benchmark]
	fn attest_authentication_failed() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(8);
		let epoch = testing_utils::epoch::<T>();
		let controller = Some(account("controller", 0, 0));
		let device = testing_utils::insert_device::<T>(
			8,
			home,
			DeviceStatus::Active,
			0,
			Some(epoch),
			controller,
		);
		Devices::<T>::mutate(device, |info| {
			if let Some(info) = info {
				info.strikes = T::MaxStrikes::get().saturating_sub(1);
			}
		});
		nearly_full_whitelist::<T>(device);
		let proxy = tally_before_last_vote::<T>(device, Attestation::AuthenticationFailed)?;

		#[extrinsic_call]
		attest(RawOrigin::Signed(proxy), device, Attestation::AuthenticationFailed);

		assert_eq!(Devices::<T>::get(device).map(|i| i.status), Some(DeviceStatus::Quarantined));
		Ok(())
	}

	#[benchmark]
	fn quarantine_device() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(9);
		let device =
			testing_utils::insert_device::<T>(9, home, DeviceStatus::Active, 0, Some(0), None);
		nearly_full_whitelist::<T>(device);
		open_request::<T>(device, home.saturating_add(1));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, device);

		assert_last_event::<T>(Event::DeviceQuarantined {
			device,
			reason: QuarantineReason::Admin,
		});
		Ok(())
	}

	#[benchmark]
	fn restore_device() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(10);
		let device =
			testing_utils::insert_device::<T>(10, home, DeviceStatus::Quarantined, 0, None, None);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, device);

		assert_last_event::<T>(Event::DeviceRestored { device });
		Ok(())
	}

	/// A pending device (the most to remove) with `t` open tallies.
	#[benchmark]
	fn revoke_device(
		t: Linear<0, { Pallet::<T>::max_tallies_per_device() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let controller = Some(account("controller", 0, 0));
		let device = testing_utils::insert_device::<T>(
			11,
			authority,
			DeviceStatus::Pending,
			0,
			Some(0),
			controller,
		);
		Whitelist::<T>::insert(
			device,
			BoundedVec::<_, T::MaxWhitelistPerDevice>::try_from(alloc::vec![WhitelistEntry {
				target: authority.saturating_add(1),
				expires_at: BlockNumberFor::<T>::max_value(),
			}])
			.map_err(|_| BenchmarkError::Stop("whitelist bound"))?,
		);
		open_request::<T>(device, authority.saturating_add(1));
		let voter: VotersOf<T> = alloc::vec![(account("proxy", 0, 0), BalanceOf::<T>::zero())]
			.try_into()
			.map_err(|_| BenchmarkError::Stop("tally bound"))?;
		let epoch = testing_utils::epoch::<T>();
		let mut statements = alloc::vec![
			Attestation::CredentialValid,
			Attestation::CredentialInvalid,
			Attestation::AuthenticationFailed
		];
		statements.extend(
			(0..T::MaxAuthorities::get()).map(|target| Attestation::CrossDomain { target }),
		);
		for statement in statements.into_iter().take(t as usize) {
			Tallies::<T>::insert((epoch, device, statement), (voter.clone(), false));
		}

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, device);

		assert_eq!(Tallies::<T>::iter_prefix((epoch, device)).count(), 0);
		assert_last_event::<T>(Event::DeviceRevoked { device });
		Ok(())
	}

	#[benchmark]
	fn new_epoch() {
		testing_utils::ensure_epoch::<T>();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(T::EpochLength::get());
		frame_system::Pallet::<T>::set_block_number(now);
		// An unfinished sweep (the warning path reads it).
		Sweep::<T>::put(SweepState { epoch: 0, cursor: None });
		let before = testing_utils::epoch::<T>();

		#[block]
		{
			Pallet::<T>::roll_epoch(now);
		}

		assert_eq!(testing_utils::epoch::<T>(), before + 1);
	}

	/// `n` quarantined devices: visited, unchanged.
	#[benchmark]
	fn sweep_idle(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(13);
		for i in 0..n {
			testing_utils::insert_device::<T>(
				4000 + i,
				home,
				DeviceStatus::Quarantined,
				0,
				Some(0),
				None,
			);
		}
		Sweep::<T>::put(SweepState { epoch: 1, cursor: None });
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::sweep_step(now);
		}

		assert!(Devices::<T>::iter_values().all(|i| i.strikes == 0));
	}

	/// `n` active devices with a controller that proved themselves in the finished epoch:
	/// `Authenticated` evidence for each (to the device and its controller account).
	#[benchmark]
	fn sweep_proved(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(14);
		for i in 0..n {
			testing_utils::insert_device::<T>(
				5000 + i,
				home,
				DeviceStatus::Active,
				0,
				Some(1),
				Some(account("controller", i, 0)),
			);
		}
		Sweep::<T>::put(SweepState { epoch: 1, cursor: None });
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::sweep_step(now);
		}

		assert!(Devices::<T>::iter_values().all(|i| i.strikes == 0));
	}

	/// `n` active devices that missed the finished epoch, each reaching `MaxStrikes` (the
	/// quarantine path) and with a controller (reported to the trust sink).
	#[benchmark]
	fn sweep_missed(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(12);
		let strikes = T::MaxStrikes::get().saturating_sub(1);
		for i in 0..n {
			let device = testing_utils::insert_device::<T>(
				1000 + i,
				home,
				DeviceStatus::Active,
				0,
				None,
				Some(account("controller", i, 0)),
			);
			Devices::<T>::mutate(device, |info| {
				if let Some(info) = info {
					info.strikes = strikes;
				}
			});
		}
		Sweep::<T>::put(SweepState { epoch: 1, cursor: None });
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::sweep_step(now);
		}

		let quarantined =
			Devices::<T>::iter_values().filter(|i| i.status == DeviceStatus::Quarantined).count();
		assert_eq!(quarantined as u32, n);
	}

	/// `n` pending registrations that timed out, each with a controller and both credential
	/// tallies open.
	#[benchmark]
	fn sweep_expired(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		let voter: VotersOf<T> = alloc::vec![(account("proxy", 0, 0), BalanceOf::<T>::zero())]
			.try_into()
			.expect("MaxAttestationVoters >= 1; qed");
		let epoch = testing_utils::epoch::<T>();
		for i in 0..n {
			let device = testing_utils::insert_device::<T>(
				2000 + i,
				authority,
				DeviceStatus::Pending,
				0,
				Some(0),
				Some(account("controller", i, 0)),
			);
			Tallies::<T>::insert(
				(epoch, device, Attestation::CredentialValid),
				(voter.clone(), false),
			);
			Tallies::<T>::insert(
				(epoch, device, Attestation::CredentialInvalid),
				(voter.clone(), false),
			);
		}
		Sweep::<T>::put(SweepState { epoch: 1, cursor: None });
		let now =
			frame_system::Pallet::<T>::block_number().saturating_add(T::RegistrationTimeout::get());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::sweep_step(now);
		}

		assert_eq!(Devices::<T>::count(), 0);
	}

	/// `n` expired queue entries, each removing one entry from a full whitelist.
	#[benchmark]
	fn prune_whitelist(n: Linear<0, { T::MaxPrunePerBlock::get() }>) {
		let max = T::MaxWhitelistPerDevice::get();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(2u32.into());
		let expired = now.saturating_sub(1u32.into());
		for i in 0..n {
			let device = sp_io::hashing::blake2_256(&(b"prune", i).encode());
			let entries: Vec<_> = (0..max)
				.map(|target| WhitelistEntry {
					target,
					expires_at: if target == 0 {
						expired
					} else {
						BlockNumberFor::<T>::max_value()
					},
				})
				.collect();
			Whitelist::<T>::insert(
				device,
				BoundedVec::<_, T::MaxWhitelistPerDevice>::try_from(entries)
					.expect("MaxWhitelistPerDevice entries; qed"),
			);
			ExpiryQueue::<T>::insert(u64::from(i), (device, 0, expired));
		}
		ExpiryQueueRange::<T>::put((0, u64::from(n)));

		#[block]
		{
			Pallet::<T>::prune_whitelist(now);
		}

		assert_eq!(ExpiryQueueRange::<T>::get(), (u64::from(n), u64::from(n)));
	}

	/// `n` entries of a finished epoch: full tallies (the largest values) first, then
	/// counters, each with a deposit to release, as the hook removes them.
	#[benchmark]
	fn prune_attestations(
		n: Linear<0, { T::MaxPrunePerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let finished = testing_utils::epoch::<T>();
		let voters: VotersOf<T> = (0..T::MaxAttestationVoters::get())
			.map(|i| (account("proxy", i, 0), T::AttestationDeposit::get()))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("tally bound"))?;
		let tallies = n / 2;
		for i in 0..tallies {
			let device = sp_io::hashing::blake2_256(&(b"tally", i).encode());
			Tallies::<T>::insert(
				(finished, device, Attestation::AuthenticationFailed),
				(voters.clone(), true),
			);
		}
		// Counters can outnumber a tally's voters: set them up one by one, not as a tally.
		for i in tallies..n {
			voters_with_deposits::<T>(finished, alloc::vec![account("counter", i, 0)])?;
		}
		AttestationsPrunedTo::<T>::put(finished);
		let now = frame_system::Pallet::<T>::block_number().saturating_add(T::EpochLength::get());
		frame_system::Pallet::<T>::set_block_number(now);
		Pallet::<T>::roll_epoch(now);

		#[block]
		{
			Pallet::<T>::prune_attestations();
		}

		assert_eq!(Tallies::<T>::iter_prefix((finished,)).count(), 0);
		assert_eq!(AttestationsBy::<T>::iter_prefix(finished).count(), 0);
		if n > tallies {
			let counter: T::AccountId = account("counter", tallies, 0);
			let reason = HoldReason::AttestationDeposit.into();
			assert!(T::Currency::balance_on_hold(&reason, &counter).is_zero());
		}
		Ok(())
	}

	/// `n` active devices of an authority retired long ago, each holding its controller's
	/// binding and a full whitelist: every record and what hangs on it is removed.
	#[benchmark]
	fn sweep_reclaimed(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		testing_utils::ensure_epoch::<T>();
		let (home, _) = testing_utils::add_pki_authority::<T>(14);
		for i in 0..n {
			let device = testing_utils::insert_device::<T>(
				5000 + i,
				home,
				DeviceStatus::Active,
				0,
				Some(0),
				Some(account("controller", i, 0)),
			);
			let entries: Vec<_> = (0..T::MaxWhitelistPerDevice::get())
				.map(|target| WhitelistEntry {
					target: target.saturating_add(home).saturating_add(1),
					expires_at: BlockNumberFor::<T>::max_value(),
				})
				.collect();
			Whitelist::<T>::insert(
				device,
				BoundedVec::<_, T::MaxWhitelistPerDevice>::try_from(entries)
					.expect("MaxWhitelistPerDevice entries; qed"),
			);
		}
		if let Some(mut info) = Authorities::<T>::get(home) {
			let _ = info.retire();
			Authorities::<T>::insert(home, info);
		}
		RetiredAt::<T>::insert(home, 0);
		let finished = T::TombstoneRetention::get();
		Sweep::<T>::put(SweepState { epoch: finished, cursor: None });
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::sweep_step(now);
		}

		assert_eq!(Devices::<T>::count(), 0);
	}

	#[benchmark]
	fn remove_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		testing_utils::ensure_epoch::<T>();
		let authority = testing_utils::add_ibe_authority::<T>(testing_utils::ANNEX_A_MASTER_KEY);
		Pallet::<T>::retire_authority(origin.clone(), authority)
			.map_err(|_| BenchmarkError::Stop("retire"))?;
		// The first epoch at which it can go.
		let epochs = T::TombstoneRetention::get().saturating_add(2);
		for _ in 0..epochs {
			let next =
				frame_system::Pallet::<T>::block_number().saturating_add(T::EpochLength::get());
			frame_system::Pallet::<T>::set_block_number(next);
			Pallet::<T>::roll_epoch(next);
		}
		Sweep::<T>::kill();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, authority);

		assert_last_event::<T>(Event::AuthorityRemoved { authority });
		Ok(())
	}

	/// The pool's and the block's authorization of a worker's vote (`submit_attestation`): the
	/// proxy key's signature, then every check of the vote, in the most expensive case (a
	/// cross-domain admission that settles a full tally).
	#[benchmark]
	fn authorize_submit_attestation() -> Result<(), BenchmarkError> {
		use frame_support::pallet_prelude::Authorize;
		use sp_runtime::RuntimeAppPublic;
		testing_utils::ensure_epoch::<T>();
		let (device, _, target) = device_to_admit::<T>(14);
		nearly_full_whitelist::<T>(device);
		open_request::<T>(device, target);
		let key = T::ProxyKey::generate_pair(None);
		let proxy: T::AccountId = account("proxy-key", 0, 0);
		ProxyKeyOwner::<T>::insert(&key, &proxy);
		T::Trust::set_trust_level(&proxy, T::MinProxyTrust::get());
		fund::<T>(&proxy);
		let attestation = Attestation::CrossDomain { target };
		tally_before_vote_of::<T>(device, attestation, &proxy)?;
		let subject = Pallet::<T>::vote_subject(&device, attestation).ok_or("a subject")?;
		let epoch = testing_utils::epoch::<T>();
		let vote = ProxyVote { proxy: key.clone(), device, attestation, epoch, subject };
		let message = messages::proxy_vote_message(&Pallet::<T>::genesis_hash(), &vote);
		let signature =
			key.sign(&message).ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;
		let call = Call::<T>::submit_attestation { vote, signature };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("submit_attestation authorizes itself")?
				.map_err(|_| "the vote is refused")?;
		}

		Ok(())
	}

	#[benchmark]
	fn request_cross_domain() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (device, controller, target) = device_to_admit::<T>(15);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), device, target);

		assert_last_event::<T>(Event::CrossDomainRequested { device, target, by_device: false });
		Ok(())
	}

	/// A proxy node replaces its key (the old one's entry is removed).
	#[benchmark]
	fn set_proxy_key() -> Result<(), BenchmarkError> {
		use sp_runtime::RuntimeAppPublic;
		let who = proxies::<T>(1)?.pop().ok_or(BenchmarkError::Stop("no proxy"))?;
		let old = T::ProxyKey::generate_pair(None);
		ProxyKeyOwner::<T>::insert(&old, &who);
		ProxyKeyOf::<T>::insert(&who, &old);
		let key = T::ProxyKey::generate_pair(None);
		let message = messages::proxy_key_message(&Pallet::<T>::genesis_hash(), &who);
		let proof = key.sign(&message).ok_or(BenchmarkError::Stop("the keystore cannot sign"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key.clone(), proof);

		assert_last_event::<T>(Event::ProxyKeySet { account: who, key });
		Ok(())
	}

	#[benchmark]
	fn remove_proxy_key() -> Result<(), BenchmarkError> {
		use sp_runtime::RuntimeAppPublic;
		let who: T::AccountId = account("proxy-key", 1, 0);
		let key = T::ProxyKey::generate_pair(None);
		ProxyKeyOwner::<T>::insert(&key, &who);
		ProxyKeyOf::<T>::insert(&who, &key);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_last_event::<T>(Event::ProxyKeyRemoved { account: who, key });
		Ok(())
	}

	/// With its `pre_dispatch` (block inclusion), as the other unsigned calls.
	#[benchmark]
	fn request_cross_domain_unsigned() -> Result<(), BenchmarkError> {
		testing_utils::ensure_epoch::<T>();
		let (device, _, target) = device_to_admit::<T>(16);
		let epoch = testing_utils::epoch::<T>();
		let proof = testing_utils::proof_for::<T>(
			&testing_utils::device(16),
			&messages::cross_domain_purpose(target),
		);
		let call = Call::<T>::request_cross_domain_unsigned { device, target, epoch, proof };

		#[block]
		{
			Pallet::<T>::pre_dispatch(&call).map_err(|_| "pre_dispatch")?;
			call.dispatch_bypass_filter(RawOrigin::None.into()).map_err(|e| e.error)?;
		}

		assert_last_event::<T>(Event::CrossDomainRequested { device, target, by_device: true });
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
