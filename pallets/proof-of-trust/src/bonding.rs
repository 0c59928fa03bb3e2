//! Bonds at risk: a candidate's bond is held while it is registered and, after it deregisters,
//! until it has left both validator sets and [`Config::UnbondingEpochs`] have passed (the window
//! in which its equivocations can still be proven); a proven equivocation burns
//! [`Config::EquivocationSlash`] of it (crate docs, *Bonds and slashing*).

use crate::{
	types::{LedgerEpoch, Validator},
	BalanceOf, Candidates, Config, CurrentEpoch, Event, HoldReason, NextValidators, Pallet,
	Unbonding, Validators,
};
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
