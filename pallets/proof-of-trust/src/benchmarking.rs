//! Benchmarks (frame-benchmarking v2) of every call, the identity sink, the `on_finalize`
//! authorship hook, the epoch change and the deferred-GRANDPA retry, each in its most
//! expensive case.

use super::*;
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use endo_traits::{BehaviourEvidence, IdentityEvidence, IdentityTrustSink};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Mutate, MutateHold},
	EnsureOrigin, EnsureOriginWithArg, Get,
};
use frame_system::{pallet_prelude::HeaderFor, RawOrigin};
use sp_consensus_babe::{
	digests::{PreDigest, SecondaryPlainPreDigest},
	AllowedSlots, BabeAuthorityWeight, BabeEpochConfiguration, Slot, BABE_ENGINE_ID,
};
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	DigestItem, WeakBoundedVec,
};

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

/// Distinct keys from an index (not real key pairs: the pallet never verifies with them).
fn keys(i: u32) -> (BabeId, GrandpaId) {
	let mut raw = [0u8; 32];
	raw[..4].copy_from_slice(&i.to_le_bytes());
	raw[31] = 0xb0;
	let babe = BabeId::from(sp_core::sr25519::Public::from_raw(raw));
	raw[31] = 0x90;
	let grandpa = GrandpaId::from(sp_core::ed25519::Public::from_raw(raw));
	(babe, grandpa)
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let amount = BalanceOf::<T>::max_value() / 4u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

/// Candidates until there are `count`, each trusted (10 good events) and live.
fn fill_candidates<T: Config>(count: u32) -> Vec<Validator<T::AccountId>> {
	let epoch = CurrentEpoch::<T>::get();
	let mut i = 0u32;
	while Candidates::<T>::count() < count {
		let who: T::AccountId = account("candidate", i, 0);
		let (babe, grandpa) = keys(i);
		i += 1;
		if Candidates::<T>::contains_key(&who) || CandidateOfBabe::<T>::contains_key(&babe) {
			continue;
		}
		Ledger::<T>::insert(&who, TrustRecord::with_good_events(10, epoch));
		Candidates::<T>::insert(
			&who,
			CandidateInfo {
				babe: babe.clone(),
				grandpa: grandpa.clone(),
				bond: Zero::zero(),
				last_authored: Some(epoch),
				founding: true,
				admitted: true,
				membership: Membership::Founding,
			},
		);
		CandidateOfBabe::<T>::insert(&babe, &who);
		CandidateOfGrandpa::<T>::insert(&grandpa, &who);
	}
	let mut all: Vec<Validator<T::AccountId>> = Candidates::<T>::iter()
		.map(|(account, info)| Validator {
			account,
			babe: info.babe,
			grandpa: info.grandpa,
			weight: 1,
		})
		.collect();
	all.sort_by(|a, b| a.babe.cmp(&b.babe));
	all
}

/// A funded, trusted candidate with keys `babe` and `grandpa` and the least bond held: the
/// offender of the equivocation benchmarks (slashing burns part of its bond).
fn bonded_offender<T: Config>(
	babe: &BabeId,
	grandpa: &GrandpaId,
) -> Result<T::AccountId, BenchmarkError> {
	let offender = funded::<T>("offender", 0);
	let bond = T::CandidateBond::get();
	T::Currency::hold(&HoldReason::CandidacyBond.into(), &offender, bond)
		.map_err(|_| BenchmarkError::Stop("cannot hold the bond"))?;
	Candidates::<T>::insert(
		&offender,
		CandidateInfo {
			babe: babe.clone(),
			grandpa: grandpa.clone(),
			bond,
			last_authored: None,
			founding: true,
			admitted: true,
			membership: Membership::Founding,
		},
	);
	CandidateOfBabe::<T>::insert(babe, &offender);
	CandidateOfGrandpa::<T>::insert(grandpa, &offender);
	Ledger::<T>::insert(&offender, TrustRecord::with_good_events(10, 0));
	Ok(offender)
}

/// A funded account registered as a candidate with the least bond.
fn registered<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("caller", 0);
	let (babe, grandpa) = keys(u32::MAX);
	Pallet::<T>::register_candidate(
		RawOrigin::Signed(who.clone()).into(),
		babe,
		grandpa,
		T::CandidateBond::get(),
	)
	.map_err(|_| BenchmarkError::Stop("cannot register"))?;
	Ok(who)
}

/// Makes `set` the current and announced set, in the pallet and in BABE.
fn install_set<T: Config>(set: Vec<Validator<T::AccountId>>) -> Vec<(BabeId, BabeAuthorityWeight)> {
	let babe: Vec<(BabeId, BabeAuthorityWeight)> =
		set.iter().map(|v| (v.babe.clone(), v.weight)).collect();
	let bounded: ValidatorsOf<T> = BoundedVec::truncate_from(set);
	EpochAuthorship::<T>::put(BoundedVec::truncate_from(vec![
		AuthorshipStats {
			primary: 1,
			secondary: 1,
			missed: 1
		};
		bounded.len()
	]));
	Validators::<T>::put(&bounded);
	NextValidators::<T>::put(&bounded);
	pallet_babe::Authorities::<T>::put(WeakBoundedVec::force_from(babe.clone(), None));
	pallet_babe::NextAuthorities::<T>::put(WeakBoundedVec::force_from(babe.clone(), None));
	babe
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_candidate() {
		let who = funded::<T>("caller", 0);
		let (babe, grandpa) = keys(u32::MAX);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), babe.clone(), grandpa.clone(), T::CandidateBond::get());

		assert_last_event::<T>(Event::CandidateRegistered { who, babe, grandpa });
	}

	/// The worst case: the list is full of [`Config::MaxCandidates`] displaceable candidates,
	/// every one read, and the registration displaces the one with the least bond.
	#[benchmark]
	fn register_candidate_displacing() -> Result<(), BenchmarkError> {
		let least = T::CandidateBond::get();
		let more = least.saturating_add(least);
		let mut victim = None;
		let mut i = 0;
		while Candidates::<T>::count().saturating_add(Unbonding::<T>::count())
			< T::MaxCandidates::get()
		{
			i += 1;
			// Funded with a little more than the bond: many accounts funded with `funded`'s
			// amount would overflow the total issuance.
			let squatter: T::AccountId = account("squatter", i, 0);
			T::Currency::set_balance(&squatter, more.saturating_add(more));
			let (babe, grandpa) = keys(0x4000_0000 + i);
			let bond = if victim.is_none() { least } else { more };
			Pallet::<T>::register_candidate(
				RawOrigin::Signed(squatter.clone()).into(),
				babe,
				grandpa,
				bond,
			)
			.map_err(|_| BenchmarkError::Stop("cannot fill the candidate list"))?;
			victim.get_or_insert(squatter);
		}
		let victim = victim.ok_or(BenchmarkError::Stop("MaxCandidates is 0"))?;
		let who = funded::<T>("caller", 0);
		let (babe, grandpa) = keys(u32::MAX);

		#[extrinsic_call]
		register_candidate(RawOrigin::Signed(who.clone()), babe.clone(), grandpa.clone(), more);

		assert!(!Candidates::<T>::contains_key(&victim));
		assert_last_event::<T>(Event::CandidateRegistered { who, babe, grandpa });
		Ok(())
	}

	#[benchmark]
	fn deregister_candidate() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_last_event::<T>(Event::CandidateDeregistered {
			who,
			unlock_at: Pallet::<T>::unlock_epoch(),
		});
		Ok(())
	}

	/// The worst case: the ledger record is removed with the bond.
	#[benchmark]
	fn withdraw_bond() -> Result<(), BenchmarkError> {
		let who = registered::<T>()?;
		Pallet::<T>::deregister_candidate(RawOrigin::Signed(who.clone()).into())
			.map_err(|_| BenchmarkError::Stop("cannot deregister"))?;
		CurrentEpoch::<T>::put(Pallet::<T>::unlock_epoch());

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_last_event::<T>(Event::BondWithdrawn {
			who: who.clone(),
			amount: T::CandidateBond::get(),
		});
		assert!(!Ledger::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn admit_candidate() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = registered::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_last_event::<T>(Event::CandidateAdmitted { who });
		Ok(())
	}

	#[benchmark]
	fn set_admission_mode() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mode = AdmissionMode::Staked;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, mode);

		assert_last_event::<T>(Event::AdmissionModeSet { mode });
		Ok(())
	}

	#[benchmark]
	fn report_behaviour() -> Result<(), BenchmarkError> {
		let evidence = BehaviourEvidence::Equivocation;
		let origin = T::EvidenceOrigin::try_successful_origin(&EvidenceKind::from(evidence))
			.map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("subject", 0, 0);
		Ledger::<T>::insert(&who, TrustRecord::with_good_events(10, 0));
		CurrentEpoch::<T>::put(5);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), evidence);

		assert_last_event::<T>(Event::BehaviourRecorded { who, evidence });
		Ok(())
	}

	#[benchmark]
	fn report_identity() -> Result<(), BenchmarkError> {
		let origin = T::EvidenceOrigin::try_successful_origin(&EvidenceKind::Identity)
			.map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("subject", 0, 0);
		Ledger::<T>::insert(&who, TrustRecord::with_good_events(10, 0));
		CurrentEpoch::<T>::put(5);
		let evidence = IdentityEvidence::Failed;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), evidence);

		assert_last_event::<T>(Event::IdentityRecorded {
			device: None,
			account: Some(who),
			evidence,
		});
		Ok(())
	}

	/// A valid proof: two headers sealed with a keystore key of a current validator.
	#[benchmark]
	fn report_equivocation() -> Result<(), BenchmarkError> {
		use sp_consensus_babe::digests::CompatibleDigestItem;
		use sp_runtime::{traits::Header as _, RuntimeAppPublic};
		let babe = <BabeId as RuntimeAppPublic>::generate_pair(None);
		let (_, grandpa) = keys(0);
		let offender = bonded_offender::<T>(&babe, &grandpa)?;
		install_set::<T>(vec![Validator {
			account: offender.clone(),
			babe: babe.clone(),
			grandpa,
			weight: 1,
		}]);
		pallet_babe::GenesisSlot::<T>::put(Slot::from(1));
		pallet_babe::EpochIndex::<T>::put(0);
		pallet_babe::CurrentSlot::<T>::put(Slot::from(10));
		let slot = Slot::from(5);
		let header = |number: u32| -> Result<HeaderFor<T>, BenchmarkError> {
			let pre_digest =
				PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index: 0, slot });
			let mut header = HeaderFor::<T>::new(
				number.into(),
				Default::default(),
				Default::default(),
				Default::default(),
				sp_runtime::Digest {
					logs: vec![DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())],
				},
			);
			let seal = babe
				.sign(&header.hash().as_ref())
				.ok_or(BenchmarkError::Stop("no keystore to sign with"))?;
			header.digest_mut().push(<DigestItem as CompatibleDigestItem>::babe_seal(seal));
			Ok(header)
		};
		let proof = sp_consensus_babe::EquivocationProof {
			offender: babe.clone(),
			slot,
			first_header: header(1)?,
			second_header: header(2)?,
		};
		let reporter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter.clone()), Box::new(proof));

		assert_last_event::<T>(Event::EquivocationReported {
			offender,
			slot: 5,
			reporter: Some(reporter),
		});
		Ok(())
	}

	/// A valid GRANDPA prevote equivocation by a bonded member of the set in force, signed with
	/// a keystore key.
	#[benchmark]
	fn report_finality_equivocation() -> Result<(), BenchmarkError> {
		use sp_runtime::RuntimeAppPublic;
		let key = <GrandpaId as RuntimeAppPublic>::generate_pair(None);
		let (babe, _) = keys(0);
		let offender = bonded_offender::<T>(&babe, &key)?;
		// The set in force holds MaxValidators members, the offender last (the longest search).
		let mut set: Vec<(GrandpaId, u64)> =
			(1..T::MaxValidators::get()).map(|i| (keys(i).1, 1)).collect();
		set.push((key.clone(), 1));
		pallet_grandpa::Authorities::<T>::put(WeakBoundedVec::force_from(set, None));
		let set_id = pallet_grandpa::CurrentSetId::<T>::get();
		let round = 3u64;
		let vote = |n: u32| -> Result<_, BenchmarkError> {
			let prevote = finality_grandpa::Prevote {
				target_hash: T::Hash::default(),
				target_number: frame_system::pallet_prelude::BlockNumberFor::<T>::from(n),
			};
			let payload = sp_consensus_grandpa::localized_payload(
				round,
				set_id,
				&finality_grandpa::Message::Prevote(prevote.clone()),
			);
			let signature =
				key.sign(&payload).ok_or(BenchmarkError::Stop("no keystore to sign with"))?;
			Ok((prevote, signature))
		};
		let proof = sp_consensus_grandpa::EquivocationProof::new(
			set_id,
			sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
				round_number: round,
				identity: key.clone(),
				first: vote(1)?,
				second: vote(2)?,
			}),
		);
		let reporter: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter.clone()), Box::new(proof));

		assert_last_event::<T>(Event::FinalityEquivocationReported {
			offender,
			set_id,
			round,
			reporter: Some(reporter),
		});
		Ok(())
	}

	/// The identity sink (what `pallet-device-identity` pays per evidence): a new device and a
	/// new controller account.
	#[benchmark]
	fn note_identity_evidence() {
		let who: T::AccountId = account("controller", 0, 0);
		let device = [7u8; 32];

		#[block]
		{
			<Pallet<T> as IdentityTrustSink<T::AccountId>>::note_identity_evidence(
				&device,
				Some(&who),
				IdentityEvidence::Authenticated,
			);
		}

		assert!(Ledger::<T>::contains_key(&who));
		assert!(DeviceLedger::<T>::contains_key(device));
	}

	/// `on_finalize` with `m` empty slots to attribute.
	#[benchmark]
	fn note_author(m: Linear<0, { T::MaxMissedSlotsPerBlock::get() }>) {
		let set = fill_candidates::<T>(T::MaxValidators::get().min(T::MaxCandidates::get()));
		let set: Vec<_> = set.into_iter().take(T::MaxValidators::get() as usize).collect();
		install_set::<T>(set);
		pallet_babe::EpochConfig::<T>::put(BabeEpochConfiguration {
			c: (1, 4),
			allowed_slots: AllowedSlots::PrimaryAndSecondaryVRFSlots,
		});
		pallet_babe::EpochIndex::<T>::put(0);
		pallet_babe::GenesisSlot::<T>::put(Slot::from(1));
		let last = 2u64;
		let slot = last + u64::from(m) + 1;
		LastSlot::<T>::put(Slot::from(last));
		pallet_babe::CurrentSlot::<T>::put(Slot::from(slot));
		let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
			authority_index: 0,
			slot: slot.into(),
		});
		frame_system::Pallet::<T>::deposit_log(DigestItem::PreRuntime(
			BABE_ENGINE_ID,
			pre_digest.encode(),
		));

		let missed = || EpochAuthorship::<T>::get().iter().map(|s| s.missed).sum::<u32>();
		let before = missed();

		#[block]
		{
			Pallet::<T>::note_author();
		}

		assert_eq!(LastSlot::<T>::get(), Slot::from(slot));
		assert_eq!(missed(), before + m);
	}

	/// The epoch change with `c` candidates and `v` validators in the ending epoch; the new set
	/// differs from GRANDPA's, so a change is scheduled.
	#[benchmark]
	fn epoch_change(
		c: Linear<1, { T::MaxCandidates::get() }>,
		v: Linear<1, { T::MaxValidators::get() }>,
	) {
		let all = fill_candidates::<T>(c.max(v));
		let set: Vec<_> = all.into_iter().take(v as usize).collect();
		let announced = install_set::<T>(set);

		#[block]
		{
			let next = Pallet::<T>::next_epoch_authorities(&announced);
			assert!(!next.is_empty());
		}

		assert_eq!(CurrentEpoch::<T>::get(), 1);
	}

	/// `on_idle`'s pruning, visiting `n` account records that have all decayed away (each
	/// is removed: the worst case).
	#[benchmark]
	fn prune_ledger(n: Linear<0, { T::MaxPrunePerBlock::get() }>) {
		for i in 0..n {
			let who: T::AccountId = account("departed", i, 0);
			Ledger::<T>::insert(&who, TrustRecord::with_good_events(1, 0));
		}
		// Long enough for one event to decay below any sensible threshold.
		CurrentEpoch::<T>::put(10_000);
		PruneCursor::<T>::put(crate::pruning::PruneState::Accounts(None));

		#[block]
		{
			Pallet::<T>::prune(n);
		}

		assert!(
			n == 0
				|| Ledger::<T>::count() <= Candidates::<T>::count() + Unbonding::<T>::count() + 64
		);
	}

	#[benchmark]
	fn retry_finality_change() {
		let set: Vec<(GrandpaId, u64)> =
			(0..T::MaxValidators::get()).map(|i| (keys(i).1, 7)).collect();
		PendingFinalityChange::<T>::put(BoundedVec::truncate_from(set));

		#[block]
		{
			Pallet::<T>::retry_finality_change();
		}

		assert!(PendingFinalityChange::<T>::get().is_none());
		assert!(pallet_grandpa::PendingChange::<T>::exists());
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::new_test_ext(&crate::mock::GENESIS),
		crate::mock::Test
	);
}
