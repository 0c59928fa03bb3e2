//! The runtime API's queries (`pallet-proof-of-trust-runtime-api`): trust reports of accounts
//! and devices, and the current, announced and projected authority sets with their trust.

use crate::{
	types::{AuthorityReport, DeviceId, TrustReport, Validator},
	Config, CurrentEpoch, DeviceLedger, EpochAuthorship, NextValidators, Pallet, Validators,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	/// The runtime API's trust report of an account.
	pub fn trust_report(who: &T::AccountId) -> Option<TrustReport> {
		Self::current_record(who).map(|r| r.trust_report(&T::TrustParams::get()))
	}

	/// The runtime API's trust report of a device (identity evidence only).
	pub fn device_trust_report(device: &DeviceId) -> Option<TrustReport> {
		let now = CurrentEpoch::<T>::get();
		let params = T::TrustParams::get();
		DeviceLedger::<T>::get(device).map(|r| r.at(&params, now).trust_report(&params))
	}

	/// The runtime API's view of a validator set: each member with its trust now.
	fn authority_reports(set: &[Validator<T::AccountId>]) -> Vec<AuthorityReport<T::AccountId>> {
		set.iter()
			.map(|v| AuthorityReport {
				account: v.account.clone(),
				babe: v.babe.clone(),
				grandpa: v.grandpa.clone(),
				weight: v.weight,
				trust: Self::trust_of(&v.account).unwrap_or_else(Perbill::zero),
			})
			.collect()
	}

	/// The runtime API's current set.
	pub fn current_authorities() -> Vec<AuthorityReport<T::AccountId>> {
		Self::authority_reports(&Validators::<T>::get())
	}

	/// The runtime API's announced set: what the next epoch change enacts.
	pub fn next_authorities() -> Vec<AuthorityReport<T::AccountId>> {
		Self::authority_reports(&NextValidators::<T>::get())
	}

	/// The set the next epoch change would announce if it happened now (the current epoch's
	/// authorship counts for liveness, not yet for trust); `None` if it would keep the last
	/// good set.
	pub fn projected_authorities() -> Option<Vec<AuthorityReport<T::AccountId>>> {
		let now = CurrentEpoch::<T>::get();
		let validators = Validators::<T>::get();
		let stats = EpochAuthorship::<T>::get();
		let authored_now: Vec<&T::AccountId> = validators
			.iter()
			.zip(stats.iter())
			.filter(|(_, s)| s.authored() > 0)
			.map(|(v, _)| &v.account)
			.collect();
		Self::select_validators(now.saturating_add(1), |who| authored_now.contains(&who))
			.ok()
			.map(|set| Self::authority_reports(&set))
	}
}
