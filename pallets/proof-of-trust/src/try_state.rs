//! The storage invariants, checked by the `try_state` hook (with `try-runtime`) and after every
//! unit test (`mock::test`).

use crate::types::Membership;
use crate::{
	CandidateOfBabe, CandidateOfGrandpa, Candidates, Config, DeviceLedger, EpochAuthorship,
	HoldReason, Ledger, NextValidators, Pallet, PendingFinalityChange, ReportedEquivocations,
	Unbonding, Validators,
};
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Checks the storage invariants (run by `try_state` and after every unit test).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError;
		let candidates = Candidates::<T>::count();
		let unbonding = Unbonding::<T>::count();
		ensure!(
			candidates.saturating_add(unbonding) <= T::MaxCandidates::get(),
			"more candidates and unbonding accounts than MaxCandidates"
		);
		ensure!(
			Unbonding::<T>::iter().count() as u32 == unbonding,
			"unbonding counter out of sync"
		);
		let held = |who: &T::AccountId| {
			<T::Currency as frame_support::traits::fungible::InspectHold<T::AccountId>>::balance_on_hold(
				&HoldReason::CandidacyBond.into(),
				who,
			)
		};
		for (who, info) in Unbonding::<T>::iter() {
			ensure!(!Candidates::<T>::contains_key(&who), "an account is candidate and unbonding");
			ensure!(
				CandidateOfBabe::<T>::get(&info.babe).as_ref() == Some(&who)
					&& CandidateOfGrandpa::<T>::get(&info.grandpa).as_ref() == Some(&who),
				"an unbonding account's keys do not map back to it"
			);
			ensure!(held(&who) >= info.bond, "an unbonding bond is not held");
		}
		let announced = NextValidators::<T>::get();
		ensure!(
			Candidates::<T>::iter().count() as u32 == candidates,
			"candidate counter out of sync"
		);
		ensure!(Ledger::<T>::count() <= T::MaxSubjects::get(), "ledger over MaxSubjects");
		ensure!(
			DeviceLedger::<T>::count() <= T::MaxDevices::get(),
			"device ledger over MaxDevices"
		);
		for (who, info) in Candidates::<T>::iter() {
			ensure!(
				CandidateOfBabe::<T>::get(&info.babe).as_ref() == Some(&who),
				"a candidate's BABE key does not map back to it"
			);
			ensure!(
				CandidateOfGrandpa::<T>::get(&info.grandpa).as_ref() == Some(&who),
				"a candidate's GRANDPA key does not map back to it"
			);
			ensure!(Ledger::<T>::contains_key(&who), "a candidate is not in the ledger");
			ensure!(held(&who) >= info.bond, "a candidate's bond is not held");
			ensure!(
				matches!(info.membership, Membership::Out | Membership::Left(_))
					|| announced.iter().any(|v| v.account == who),
				"a candidate counted as a member is not in the announced set"
			);
			ensure!(
				info.founding || info.membership != Membership::Founding,
				"only founding validators have founding membership"
			);
		}
		let keys = candidates.saturating_add(unbonding);
		ensure!(
			CandidateOfBabe::<T>::iter().count() as u32 == keys
				&& CandidateOfGrandpa::<T>::iter().count() as u32 == keys,
			"key maps hold keys of neither candidates nor unbonding accounts"
		);
		for set in [Validators::<T>::get(), NextValidators::<T>::get()] {
			ensure!(set.iter().all(|v| v.weight >= 1), "a validator has weight 0");
			for (i, v) in set.iter().enumerate() {
				ensure!(
					set.iter().skip(i + 1).all(|w| w.babe != v.babe && w.grandpa != v.grandpa),
					"a key appears twice in a set"
				);
			}
		}
		let validators = Validators::<T>::get();
		ensure!(
			EpochAuthorship::<T>::decode_len().unwrap_or(0) == validators.len(),
			"authorship stats not aligned with the validators"
		);
		if !validators.is_empty() {
			let babe = pallet_babe::Authorities::<T>::get();
			ensure!(
				babe.len() == validators.len()
					&& babe.iter().zip(validators.iter()).all(|((k, _), v)| *k == v.babe),
				TryRuntimeError::Other("the pallet's current set is not BABE's")
			);
			ensure!(!NextValidators::<T>::get().is_empty(), "announced set is empty");
		}
		ensure!(
			ReportedEquivocations::<T>::get().iter().all(|i| (*i as usize) < validators.len()),
			"a reported equivocation names no current validator"
		);
		// GRANDPA follows the current set, with its weights: the deferred change holds it, or
		// the set in force (after the pending change, if any) is it. After a stall the forced
		// change is still to come.
		let view: alloc::vec::Vec<_> =
			validators.iter().map(|v| (v.grandpa.clone(), v.weight)).collect();
		if let Some(pending) = PendingFinalityChange::<T>::get() {
			ensure!(!pending.is_empty(), "an empty GRANDPA set is pending");
			ensure!(pending.to_vec() == view, "the deferred GRANDPA set is not the validators'");
		} else if !validators.is_empty() && !pallet_grandpa::Stalled::<T>::exists() {
			let effective = match pallet_grandpa::PendingChange::<T>::get() {
				Some(change) => change.next_authorities.to_vec(),
				None => pallet_grandpa::Pallet::<T>::grandpa_authorities(),
			};
			ensure!(effective == view, "GRANDPA's set is not the validators' keys and weights");
		}
		Ok(())
	}
}
