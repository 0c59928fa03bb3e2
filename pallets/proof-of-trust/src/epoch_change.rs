//! The epoch change: BABE's epoch-change trigger driven by trust, and the pallet's side of it.
//!
//! BABE gives an authority a primary-slot probability that grows with its weight
//! (`1 - (1 - c)^(w_i / sum w)`), so weighting the authorities is how Proof of Trust turns trust
//! into a share of block authorship. pallet-session's BABE handler hard-codes weight 1, so BABE
//! is driven without pallet-session: [`TrustWeightedEpochChange`] is pallet-babe's
//! `EpochChangeTrigger` (the runtime sets it, and this pallet's mock runs the same one). At each
//! epoch change it enacts the set announced one epoch earlier and announces the next one, taken
//! from a [`NextEpochAuthorities`] source: this pallet, whose
//! [`Pallet::next_epoch_authorities`] closes the ending epoch (its authorship becomes behaviour
//! evidence), makes the announced set current, schedules it in GRANDPA and selects the set to
//! announce.
//!
//! Whatever the source proposes is made safe by [`sanitize_authorities`] first:
//! - a weight of 0 would make the node's primary-slot threshold computation panic, so every
//!   weight is clamped to at least 1 (untrusted validators are removed, not zero-weighted);
//! - duplicate keys are dropped (the first entry wins) and the set is cut at `MaxAuthorities`;
//! - an empty proposal keeps the set already announced: the authority set never becomes empty.

use crate::{
	types::{AuthorshipStats, LedgerEpoch, Validator},
	weights::WeightInfo,
	Candidates, Config, CurrentEpoch, EpochAuthorship, Event, Ledger, NextValidators, Pallet,
	ReportedEquivocations, Validators, LOG_TARGET,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{dispatch::DispatchClass, traits::Get, BoundedVec, WeakBoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_babe::AuthorityId as BabeId;
use sp_consensus_babe::BabeAuthorityWeight;

/// Where the BABE authorities of the epoch after next, and their weights, come from.
pub trait NextEpochAuthorities {
	/// Given the set that was announced for the epoch now starting, propose the set to announce
	/// for the epoch after it. The proposal is sanitized by the caller.
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)>;
}

/// The Proof-of-Trust ledger as the source: at each epoch change it folds the ending epoch's
/// authorship into the ledger, schedules the GRANDPA set that BABE now enacts, and returns the
/// most trusted candidates weighted by trust (crate docs).
impl<T: Config> NextEpochAuthorities for Pallet<T> {
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		Pallet::<T>::next_epoch_authorities(announced)
	}
}

/// Keeps the announced authorities and gives each the same weight, 1 (a reference source for
/// tests and for runtimes without a trust ledger).
pub struct EqualWeights;

impl NextEpochAuthorities for EqualWeights {
	fn next_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		announced.iter().map(|(id, _)| (id.clone(), 1)).collect()
	}
}

/// Makes a proposed authority set safe to hand to BABE.
///
/// Weights are clamped to at least 1, duplicate keys dropped (the first one wins) and the set
/// truncated to `max` entries. Returns `None` if nothing is left, so that the caller keeps the
/// previous set.
pub fn sanitize_authorities(
	proposed: Vec<(BabeId, BabeAuthorityWeight)>,
	max: u32,
) -> Option<Vec<(BabeId, BabeAuthorityWeight)>> {
	let mut out: Vec<(BabeId, BabeAuthorityWeight)> = Vec::with_capacity(proposed.len());
	for (id, weight) in proposed {
		if out.len() >= max as usize {
			break;
		}
		if out.iter().any(|(known, _)| *known == id) {
			continue;
		}
		out.push((id, weight.max(1)));
	}
	(!out.is_empty()).then_some(out)
}

/// pallet-babe's epoch-change trigger with the authorities of source `S` (see the module docs):
/// the runtime's `pallet_babe::Config::EpochChangeTrigger` is
/// `TrustWeightedEpochChange<ProofOfTrust>`.
pub struct TrustWeightedEpochChange<S>(PhantomData<S>);

impl<S: NextEpochAuthorities> pallet_babe::EpochChangeTrigger for TrustWeightedEpochChange<S> {
	fn trigger<T: pallet_babe::Config>(now: BlockNumberFor<T>) {
		if !pallet_babe::Pallet::<T>::should_epoch_change(now) {
			return;
		}
		// The set announced one epoch ago becomes current: the node already knows it from the
		// previous epoch's `NextEpochData` digest and checks the new epoch's blocks against it.
		let announced = pallet_babe::NextAuthorities::<T>::get();
		let max = T::MaxAuthorities::get();
		let next = match sanitize_authorities(S::next_authorities(&announced), max) {
			Some(next) => WeakBoundedVec::force_from(next, Some("TrustWeightedEpochChange")),
			None => {
				log::warn!(
					target: LOG_TARGET,
					"no eligible authority proposed for the next epoch; keeping the current set"
				);
				announced.clone()
			}
		};
		pallet_babe::Pallet::<T>::enact_epoch_change(announced, next, None);
	}
}

impl<T: Config> Pallet<T> {
	/// The epoch change: the source of BABE's next authorities (see the crate docs).
	///
	/// `announced` is the set BABE announced one epoch ago and enacts now. Returns the set to
	/// announce for the epoch after the one starting: trust-weighted, never empty while the
	/// pallet has a set, weights ≥ 1, keys unique, at most [`Config::MaxValidators`]. Also
	/// schedules the GRANDPA change to the set starting now and turns the ending epoch's
	/// authorship into evidence.
	pub fn next_epoch_authorities(
		announced: &[(BabeId, BabeAuthorityWeight)],
	) -> Vec<(BabeId, BabeAuthorityWeight)> {
		let closing = CurrentEpoch::<T>::get();
		let previous = Validators::<T>::get();
		let closed = Self::close_epoch(closing, &previous);
		let now = closing.saturating_add(1);
		CurrentEpoch::<T>::put(now);

		// The announced set becomes current.
		let current = NextValidators::<T>::get();
		let matches = current.len() == announced.len()
			&& current.iter().zip(announced.iter()).all(|(v, (key, _))| v.babe == *key);
		if !matches {
			log::warn!(
				target: LOG_TARGET,
				"BABE enacts a set the pallet did not announce; using the pallet's set"
			);
			Self::deposit_event(Event::AuthoritySetMismatch { epoch: now });
		}
		Validators::<T>::put(&current);
		ReportedEquivocations::<T>::kill();
		EpochAuthorship::<T>::put(BoundedVec::truncate_from(alloc::vec![
			AuthorshipStats::default();
			current.len()
		]));
		Self::schedule_finality(&current);

		// Select the set to announce.
		let next = match Self::select_validators(now, |_| false) {
			Ok(next) => {
				let total_weight = next.iter().fold(0u64, |sum, v| sum.saturating_add(v.weight));
				Self::deposit_event(Event::AuthoritiesSelected {
					epoch: now,
					count: next.len() as u32,
					total_weight,
				});
				next
			}
			Err(reason) => {
				log::warn!(
					target: LOG_TARGET,
					"no new authority set qualifies ({reason:?}); keeping the last good set"
				);
				Self::deposit_event(Event::AuthoritySetKept { epoch: now, reason });
				current.clone()
			}
		};
		Self::update_membership(&current, &next, now);
		Self::extend_unbonding(&next);
		NextValidators::<T>::put(&next);
		frame_system::Pallet::<T>::register_extra_weight_unchecked(
			<T as Config>::WeightInfo::epoch_change(Candidates::<T>::count(), closed),
			DispatchClass::Mandatory,
		);
		next.iter().map(|v| (v.babe.clone(), v.weight)).collect()
	}

	/// Folds the ending epoch's authorship into the ledger. Returns the validators visited.
	fn close_epoch(epoch: LedgerEpoch, validators: &[Validator<T::AccountId>]) -> u32 {
		let params = T::TrustParams::get();
		let weights = T::EvidenceWeights::get();
		let stats = EpochAuthorship::<T>::get();
		let allowance = Self::orphan_allowance(validators.len() as u32);
		let mut visited = 0u32;
		for (validator, stat) in validators.iter().zip(stats.iter()) {
			visited = visited.saturating_add(1);
			let who = &validator.account;
			if let Some(record) = Ledger::<T>::get(who) {
				let mut record = record.at(&params, epoch);
				// Missed slots within the allowance may be blocks an attacker orphaned.
				let blamed = stat.missed.saturating_sub(allowance);
				record.add_behaviour(
					u64::from(stat.authored()).saturating_mul(weights.authored_block.into()),
					u64::from(blamed).saturating_mul(weights.missed_slot.into()),
				);
				Ledger::<T>::insert(who, record);
			}
			if stat.authored() > 0 {
				Candidates::<T>::mutate(who, |info| {
					if let Some(info) = info {
						info.last_authored = Some(epoch);
					}
				});
			}
			Self::deposit_event(Event::AuthorshipRecorded {
				who: who.clone(),
				epoch,
				primary: stat.primary,
				secondary: stat.secondary,
				missed: stat.missed,
			});
		}
		visited
	}
}
