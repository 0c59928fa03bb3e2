//! Bonds at risk: a candidate's bond is held while it is registered and, after it deregisters,
//! until it has left both validator sets and [`Config::UnbondingEpochs`] have passed (the window
//! in which its equivocations can still be proven); a proven equivocation burns
//! [`Config::EquivocationSlash`] of it (crate docs, *Bonds and slashing*).
//!
//! A full candidate list cannot be squatted: a registration with a bigger bond displaces the
//! candidate with the smallest bond among those that hold no place and have no report window
//! open ([`Pallet::displacement_victim`]); the displaced candidate gets its bond back at once.

use crate::{
	types::{CandidateInfo, LedgerEpoch, Membership, Validator},
	BalanceOf, CandidateOfBabe, CandidateOfGrandpa, Candidates, Config, CurrentEpoch, Event,
	HoldReason, NextValidators, Pallet, Unbonding, Validators,
};
use alloc::collections::BTreeSet;
use frame_support::traits::{
	fungible::MutateHold,
	tokens::{Fortitude, Precision},
	Get,
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The first ledger epoch at which a validator that leaves now may withdraw: the set
	/// announced now is current during the next epoch, so it is out of both sets two epochs
	/// from now; then [`Config::UnbondingEpochs`] more.
	pub(crate) fn unlock_epoch() -> LedgerEpoch {
		CurrentEpoch::<T>::get()
			.saturating_add(2)
			.saturating_add(u64::from(T::UnbondingEpochs::get()))
	}

	/// Whether `who` is in the current or the announced validator set.
	pub(crate) fn in_a_set(who: &T::AccountId) -> bool {
		Validators::<T>::get().iter().any(|v| v.account == *who)
			|| NextValidators::<T>::get().iter().any(|v| v.account == *who)
	}

	/// Whether candidate `who` (`info`) may be displaced by a registration with a bigger bond,
	/// given the accounts of the current and announced sets `in_sets`: it was neither founded
	/// nor admitted by `AdminOrigin`, holds no place in a set, and was never in one or left
	/// long enough ago that no report window is open (the rule of `Pallet::unlock_epoch`).
	pub(crate) fn displaceable(
		who: &T::AccountId,
		info: &CandidateInfo<BalanceOf<T>>,
		now: LedgerEpoch,
		in_sets: &BTreeSet<T::AccountId>,
	) -> bool {
		let window_closed = match info.membership {
			Membership::Out => true,
			Membership::Left(left) => {
				now >= left.saturating_add(2).saturating_add(u64::from(T::UnbondingEpochs::get()))
			}
			Membership::Since(_) | Membership::Founding => false,
		};
		window_closed && !info.founding && !info.admitted && !in_sets.contains(who)
	}

	/// The candidate a registration displaces from a full list: the displaceable one
	/// (`Pallet::displaceable`) with the smallest bond (the smallest account on a tie).
	/// Reads every candidate: at most [`Config::MaxCandidates`].
	pub fn displacement_victim() -> Option<(T::AccountId, CandidateInfo<BalanceOf<T>>)> {
		let now = CurrentEpoch::<T>::get();
		let in_sets: BTreeSet<T::AccountId> = Validators::<T>::get()
			.into_iter()
			.chain(NextValidators::<T>::get())
			.map(|v| v.account)
			.collect();
		Candidates::<T>::iter()
			.filter(|(who, info)| Self::displaceable(who, info, now, &in_sets))
			.min_by(|(a, x), (b, y)| x.bond.cmp(&y.bond).then_with(|| a.cmp(b)))
	}

	/// Removes the displaced candidate `victim` (`info`) and releases its bond and keys.
	pub(crate) fn displace(
		victim: T::AccountId,
		info: CandidateInfo<BalanceOf<T>>,
		by: T::AccountId,
	) {
		Candidates::<T>::remove(&victim);
		CandidateOfBabe::<T>::remove(&info.babe);
		CandidateOfGrandpa::<T>::remove(&info.grandpa);
		let released = T::Currency::release(
			&HoldReason::CandidacyBond.into(),
			&victim,
			info.bond,
			Precision::BestEffort,
		)
		.unwrap_or_else(|_| Zero::zero());
		Self::deposit_event(Event::CandidateDisplaced { who: victim, by, bond: released });
	}

	/// At the epoch change: a former candidate that is still in the announced set `next` (the
	/// last good set can be kept) unbonds from when it leaves.
	pub(crate) fn extend_unbonding(next: &[Validator<T::AccountId>]) {
		let unlock_at = Self::unlock_epoch();
		for validator in next {
			Unbonding::<T>::mutate(&validator.account, |info| {
				if let Some(info) = info {
					info.unlock_at = info.unlock_at.max(unlock_at);
				}
			});
		}
	}

	/// Burns [`Config::EquivocationSlash`] of `who`'s bond, held as a candidate or while
	/// unbonding. Returns the amount burnt.
	pub(crate) fn slash_bond(who: &T::AccountId) -> BalanceOf<T> {
		let fraction = T::EquivocationSlash::get();
		let burn = |bond: &mut BalanceOf<T>| -> BalanceOf<T> {
			let due = fraction * *bond;
			if due.is_zero() {
				return Zero::zero();
			}
			let burnt = T::Currency::burn_held(
				&HoldReason::CandidacyBond.into(),
				who,
				due,
				Precision::BestEffort,
				Fortitude::Force,
			)
			.unwrap_or_else(|_| Zero::zero());
			*bond = bond.saturating_sub(burnt);
			burnt
		};
		let mut burnt = Zero::zero();
		Candidates::<T>::mutate(who, |info| {
			if let Some(info) = info {
				burnt = burn(&mut info.bond);
			}
		});
		if burnt.is_zero() {
			Unbonding::<T>::mutate(who, |info| {
				if let Some(info) = info {
					burnt = burn(&mut info.bond);
				}
			});
		}
		if !burnt.is_zero() {
			Self::deposit_event(Event::BondSlashed { who: who.clone(), amount: burnt });
		}
		burnt
	}
}
