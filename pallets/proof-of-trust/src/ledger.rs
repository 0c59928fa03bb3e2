//! The trust ledger: records brought to the current [`LedgerEpoch`](crate::LedgerEpoch), trust
//! values and levels, enrolment, behaviour and identity evidence, and the `endo-traits`
//! interfaces through which other pallets read the ledger ([`TrustProvider`]) and feed it
//! ([`IdentityTrustSink`], [`BehaviourTrustSink`]).

use crate::{
	types::{DeviceId, EvidenceKind, TrustRecord},
	Config, CurrentEpoch, DeviceLedger, Error, Event, Ledger, Pallet, LOG_TARGET,
};
use endo_traits::{
	BehaviourEvidence, BehaviourTrustSink, EvidenceError, IdentityEvidence, IdentityTrustSink,
	TrustLevel, TrustProvider,
};
use frame_support::traits::Get;
use sp_runtime::Perbill;

impl<T: Config> Pallet<T> {
	/// The error for evidence of `kind` from an origin that may not report it.
	pub fn not_allowed_error(kind: EvidenceKind) -> Error<T> {
		match kind {
			EvidenceKind::Identity => Error::IdentityReportNotAllowed,
			EvidenceKind::Cooperation => Error::CooperationReportNotAllowed,
			EvidenceKind::VerificationFailure => Error::VerificationReportNotAllowed,
			EvidenceKind::Leak => Error::LeakReportNotAllowed,
			EvidenceKind::ModelRejection => Error::ModelRejectionNotAllowed,
			EvidenceKind::Equivocation => Error::EquivocationReportNotAllowed,
			EvidenceKind::Offence => Error::OffenceReportNotAllowed,
			EvidenceKind::Conspiracy => Error::ConspiracyReportNotAllowed,
		}
	}

	/// `who`'s ledger record, decayed to the current epoch.
	pub fn current_record(who: &T::AccountId) -> Option<TrustRecord> {
		let now = CurrentEpoch::<T>::get();
		Ledger::<T>::get(who).map(|r| r.at(&T::TrustParams::get(), now))
	}

	/// `who`'s trust value now, if it is in the ledger.
	pub fn trust_of(who: &T::AccountId) -> Option<Perbill> {
		Self::current_record(who).map(|r| r.trust(&T::TrustParams::get()))
	}

	/// `who`'s trust level now; `Untrusted` if it is not in the ledger.
	pub fn trust_level(who: &T::AccountId) -> TrustLevel {
		Self::trust_of(who).map(|t| T::TrustParams::get().level(t)).unwrap_or(TrustLevel::Untrusted)
	}

	/// Adds `who` to the ledger if it is not there. `Ok(true)` if it was added.
	fn do_enrol(who: &T::AccountId) -> Result<bool, EvidenceError> {
		if Ledger::<T>::contains_key(who) {
			return Ok(false);
		}
		if Ledger::<T>::count() >= T::MaxSubjects::get() {
			return Err(EvidenceError::LedgerFull);
		}
		Ledger::<T>::insert(who, TrustRecord::new(CurrentEpoch::<T>::get()));
		Self::deposit_event(Event::SubjectEnrolled { who: who.clone() });
		Ok(true)
	}

	/// Records behaviour evidence about an account in the ledger.
	pub fn do_note_behaviour(
		who: &T::AccountId,
		evidence: BehaviourEvidence,
	) -> Result<(), EvidenceError> {
		let mut record = Self::current_record(who).ok_or(EvidenceError::UnknownSubject)?;
		if evidence == BehaviourEvidence::Conspiracy {
			record.sanctioned = true;
		}
		let (good, bad) = T::EvidenceWeights::get().behaviour(evidence);
		record.add_behaviour(good, bad);
		Ledger::<T>::insert(who, record);
		Self::deposit_event(Event::BehaviourRecorded { who: who.clone(), evidence });
		if evidence == BehaviourEvidence::Conspiracy {
			Self::deposit_event(Event::Sanctioned { who: who.clone() });
		}
		Ok(())
	}

	/// Records identity evidence from continuous authentication: for the device (in
	/// [`DeviceLedger`]) and, if it has one, for its controller account (enrolled if needed).
	/// Bounded work: two reads and two writes. Where a ledger is full the evidence is dropped
	/// ([`Event::EvidenceDropped`]).
	fn do_note_identity(
		device: &DeviceId,
		controller: Option<&T::AccountId>,
		evidence: IdentityEvidence,
	) {
		let now = CurrentEpoch::<T>::get();
		let params = T::TrustParams::get();
		let (good, bad) = T::EvidenceWeights::get().identity(evidence);
		let known = DeviceLedger::<T>::get(device);
		let device_recorded = known.is_some() || DeviceLedger::<T>::count() < T::MaxDevices::get();
		if device_recorded {
			let mut record =
				known.map(|r| r.at(&params, now)).unwrap_or_else(|| TrustRecord::new(now));
			record.add_identity(good, bad);
			DeviceLedger::<T>::insert(device, record);
		}
		let account = controller.filter(|account| Self::do_enrol(account).is_ok());
		if let Some(account) = account {
			if let Some(mut record) = Self::current_record(account) {
				record.add_identity(good, bad);
				Ledger::<T>::insert(account, record);
			}
		}
		if device_recorded || account.is_some() {
			Self::deposit_event(Event::IdentityRecorded {
				device: device_recorded.then_some(*device),
				account: account.cloned(),
				evidence,
			});
		}
		if !device_recorded || account.is_none() != controller.is_none() {
			log::debug!(target: LOG_TARGET, "ledger full: identity evidence for {device:?} dropped");
			Self::deposit_event(Event::EvidenceDropped {
				device: (!device_recorded).then_some(*device),
				account: controller.filter(|_| account.is_none()).cloned(),
			});
		}
	}
}

impl<T: Config> TrustProvider<T::AccountId> for Pallet<T> {
	fn trust_level(who: &T::AccountId) -> TrustLevel {
		Pallet::<T>::trust_level(who)
	}

	/// Whether `who` is in the current [`Validators`](crate::Validators) set (one read).
	fn is_validator(who: &T::AccountId) -> bool {
		crate::Validators::<T>::get().iter().any(|validator| &validator.account == who)
	}

	/// The size of the current [`Validators`](crate::Validators) set (one read).
	fn validator_count() -> u32 {
		crate::Validators::<T>::decode_len().unwrap_or(0).try_into().unwrap_or(u32::MAX)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_trust_level(who: &T::AccountId, level: TrustLevel) {
		let _ = Pallet::<T>::force_level(who, level);
	}
}

impl<T: Config> IdentityTrustSink<T::AccountId> for Pallet<T> {
	fn note_identity_evidence(
		device: &DeviceId,
		controller: Option<&T::AccountId>,
		evidence: IdentityEvidence,
	) {
		Pallet::<T>::do_note_identity(device, controller, evidence)
	}
}

impl<T: Config> BehaviourTrustSink<T::AccountId> for Pallet<T> {
	fn note_behaviour(
		who: &T::AccountId,
		evidence: BehaviourEvidence,
	) -> Result<(), EvidenceError> {
		Pallet::<T>::do_note_behaviour(who, evidence)
	}

	fn enrol(who: &T::AccountId) -> Result<(), EvidenceError> {
		Pallet::<T>::do_enrol(who).map(|_| ())
	}
}
