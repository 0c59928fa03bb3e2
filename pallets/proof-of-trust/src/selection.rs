//! Validator selection: liveness (a block authored within the liveness window, sized by the set)
//! and the trust-ranked choice of the set to announce, with the eligibility rules of the crate
//! docs (*Validator selection and weights*); the arithmetic is
//! `endo_trust::consensus::select_authorities`.

use crate::{
	types::{
		AdmissionMode, CandidateInfo, KeptReason, LedgerEpoch, Membership, TrustRecord, Validator,
	},
	Admission, BalanceOf, Candidates, Config, Ledger, Pallet, Validators, ValidatorsOf,
};
use alloc::vec::Vec;
use endo_traits::DeviceIdentityInspect;
use endo_trust::consensus;
use frame_support::{traits::Get, BoundedVec};
use sp_runtime::{traits::Zero, Perbill, SaturatedConversion};

impl<T: Config> Pallet<T> {
	/// The liveness window for the current set (see [`Config::LivenessWindow`]), at most
	/// [`Config::RecentAdmissionEpochs`] (a candidate silent for longer is no veteran of
	/// liveness either).
	pub fn liveness_window() -> u32 {
		let n = Validators::<T>::decode_len().unwrap_or(0) as u32;
		let c = pallet_babe::EpochConfig::<T>::get()
			.map(|config| config.c)
			.unwrap_or(sp_consensus_babe::BabeEpochConfiguration::default().c);
		consensus::liveness_window(
			n.max(1),
			<T as pallet_babe::Config>::EpochDuration::get(),
			c,
			T::LivenessWindow::get().max(1),
			T::RecentAdmissionEpochs::get().max(T::LivenessWindow::get()),
		)
	}

	/// The missed slots per epoch a validator of a set of `n` is not blamed for
	/// (`endo_trust::consensus::orphan_allowance`: twice what an attacker that orphans blocks
	/// by winning fork races inflicts on one validator on average).
	pub fn orphan_allowance(n: u32) -> u32 {
		let c = pallet_babe::EpochConfig::<T>::get()
			.map(|config| config.c)
			.unwrap_or(sp_consensus_babe::BabeEpochConfiguration::default().c);
		consensus::orphan_allowance(n, <T as pallet_babe::Config>::EpochDuration::get(), c)
	}

	/// Whether `account` authored a block within the liveness window `window`, as of ledger
	/// epoch `now`, or does so in the epoch ending (`authored_now`).
	fn is_live(
		info: &CandidateInfo<BalanceOf<T>>,
		now: LedgerEpoch,
		window: u32,
		authored_now: bool,
	) -> bool {
		authored_now
			|| info.last_authored.is_some_and(|e| e.saturating_add(u64::from(window)) >= now)
	}

	/// Selects the set to announce at ledger epoch `now` (see the crate docs).
	pub(crate) fn select_validators(
		now: LedgerEpoch,
		authored_now: impl Fn(&T::AccountId) -> bool,
	) -> Result<ValidatorsOf<T>, KeptReason> {
		let params = T::TrustParams::get();
		let min_level = T::MinAuthorityLevel::get();
		let require_identity = T::RequireAuthenticatedIdentity::get();
		let mode = Admission::<T>::get();
		let window = T::RecentAdmissionEpochs::get();
		let liveness = Self::liveness_window();
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
				// Founding validators are the chain spec's; every other candidate proves an
				// endogenous identity of its own: a device it controls, authenticated now.
				let identity_ok = !require_identity
					|| info.founding
					|| T::Identity::device_of(account)
						.is_some_and(|d| T::Identity::is_authenticated(&d));
				let admitted = match mode {
					AdmissionMode::Permissioned => info.admitted,
					AdmissionMode::Staked => true,
				};
				consensus::Candidate {
					trust,
					eligible: !record.sanctioned
						&& params.level(trust) >= min_level
						&& identity_ok && admitted,
					live: Self::is_live(info, now, liveness, authored_now(account)),
					stake: Self::stake_factor(mode, info),
					standing: info.membership.standing(now, window),
				}
			})
			.collect();
		let limits = consensus::SelectionLimits {
			max: T::MaxValidators::get(),
			min: T::MinValidators::get(),
			max_newcomers: T::MaxNewcomersPerEpoch::get(),
			recent_share: T::MaxRecentWeightShare::get(),
		};
		let selected = consensus::select_authorities(&scores, limits).map_err(KeptReason::from)?;
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

	/// The fraction of the full weight a candidate's stake earns: 1 with permissioned
	/// admission, `min(bond / FullWeightBond, 1)` with staked admission.
	fn stake_factor(mode: AdmissionMode, info: &CandidateInfo<BalanceOf<T>>) -> Perbill {
		match mode {
			AdmissionMode::Permissioned => Perbill::one(),
			AdmissionMode::Staked => {
				let full = T::FullWeightBond::get();
				if full.is_zero() || info.bond >= full {
					Perbill::one()
				} else {
					Perbill::from_rational(
						info.bond.saturated_into::<u128>(),
						full.saturated_into::<u128>(),
					)
				}
			}
		}
	}

	/// After a selection at ledger epoch `now`: candidates in the announced set `next` that
	/// were out joined now; those of the previous announced set `previous` that are not in
	/// `next` left now.
	pub(crate) fn update_membership(
		previous: &[Validator<T::AccountId>],
		next: &[Validator<T::AccountId>],
		now: LedgerEpoch,
	) {
		for validator in previous {
			if !next.iter().any(|v| v.account == validator.account) {
				Candidates::<T>::mutate(&validator.account, |info| {
					if let Some(info) = info {
						info.membership = Membership::Left(now);
					}
				});
			}
		}
		for validator in next {
			Candidates::<T>::mutate(&validator.account, |info| {
				if let Some(info) = info {
					if matches!(info.membership, Membership::Out | Membership::Left(_)) {
						info.membership = Membership::Since(now);
					}
				}
			});
		}
	}
}
