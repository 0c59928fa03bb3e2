//! Validator selection: liveness (a block authored within [`Config::LivenessWindow`] epochs)
//! and the trust-ranked choice of the set to announce, with the eligibility rules of the crate
//! docs (*Validator selection and weights*); the arithmetic is
//! `endo_trust::consensus::select_authorities`.

use crate::{
	types::{CandidateInfo, KeptReason, LedgerEpoch, TrustRecord, Validator},
	BalanceOf, Candidates, Config, Ledger, Pallet, ValidatorsOf,
};
use alloc::vec::Vec;
use endo_traits::DeviceIdentityInspect;
use endo_trust::consensus;
use frame_support::{traits::Get, BoundedVec};

impl<T: Config> Pallet<T> {
	/// Whether `account` authored a block within the liveness window, as of ledger epoch
	/// `now`, or does so in the epoch ending (`authored_now`).
	fn is_live(info: &CandidateInfo<BalanceOf<T>>, now: LedgerEpoch, authored_now: bool) -> bool {
		authored_now
			|| info
				.last_authored
				.is_some_and(|e| e.saturating_add(u64::from(T::LivenessWindow::get())) >= now)
	}

	/// Selects the set to announce at ledger epoch `now` (see the crate docs).
	pub(crate) fn select_validators(
		now: LedgerEpoch,
		authored_now: impl Fn(&T::AccountId) -> bool,
	) -> Result<ValidatorsOf<T>, KeptReason> {
		let params = T::TrustParams::get();
		let min_level = T::MinAuthorityLevel::get();
		let require_identity = T::RequireAuthenticatedIdentity::get();
		let mut candidates: Vec<(T::AccountId, CandidateInfo<BalanceOf<T>>)> =
			Candidates::<T>::iter().collect();
		// Deterministic tie-break for equal trust: the BABE key.
		candidates.sort_by(|a, b| a.1.babe.cmp(&b.1.babe));
		let scores: Vec<consensus::Candidate> = candidates
			.iter()
			.map(|(account, info)| {
				let record =
					Ledger::<T>::get(account).map(|r| r.at(&params, now)).unwrap_or_else(|| {
						let mut r = TrustRecord::new(now);
						r.sanctioned = true;
						r
					});
				let trust = record.trust(&params);
				let identity_ok = !require_identity
					|| T::Identity::device_of(account)
						.is_some_and(|d| T::Identity::is_authenticated(&d));
				consensus::Candidate {
					trust,
					eligible: !record.sanctioned && params.level(trust) >= min_level && identity_ok,
					live: Self::is_live(info, now, authored_now(account)),
				}
			})
			.collect();
		let selected = consensus::select_authorities(
			&scores,
			T::MaxValidators::get(),
			T::MinValidators::get(),
		)
		.map_err(KeptReason::from)?;
		let set: Vec<Validator<T::AccountId>> = selected
			.into_iter()
			.filter_map(|(i, weight)| {
				candidates.get(i).map(|(account, info)| Validator {
					account: account.clone(),
					babe: info.babe.clone(),
					grandpa: info.grandpa.clone(),
					weight,
				})
			})
			.collect();
		// At most MaxValidators by construction of the selection.
		Ok(BoundedVec::truncate_from(set))
	}
}
