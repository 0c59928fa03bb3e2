//! Equivocation reports, BABE and GRANDPA: the checks shared by the signed calls (anyone
//! reports), the authorized calls the node itself submits (its BABE import queue and its
//! GRANDPA voter report the equivocations they see through the runtime API, see
//! [`Pallet::submit_babe_report`] and [`Pallet::submit_finality_report`]) and their validation
//! in the transaction pool; and what a proven equivocation does (crate docs, *Bonds and
//! slashing*). Key ownership is the pallet's own: the current BABE set ([`Validators`]) and
//! [`CandidateOfGrandpa`], which keeps a leaving validator's keys while it unbonds.

use crate::{
	types::GrandpaId, CandidateOfGrandpa, Config, Error, Event, Ledger, Pallet,
	ReportedEquivocations, ReportedFinalityEquivocations, Validators,
};
use alloc::boxed::Box;
use endo_traits::BehaviourEvidence;
use frame_support::{
	pallet_prelude::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
		TransactionValidityWithRefund, ValidTransaction,
	},
	traits::Get,
	weights::Weight,
};
use frame_system::pallet_prelude::{BlockNumberFor, HeaderFor};
use sp_runtime::transaction_validity::TransactionPriority;

/// A BABE equivocation proof of runtime `T`.
pub type BabeProof<T> = sp_consensus_babe::EquivocationProof<HeaderFor<T>>;
/// A GRANDPA equivocation proof of runtime `T`.
pub type GrandpaProof<T> =
	sp_consensus_grandpa::EquivocationProof<<T as frame_system::Config>::Hash, BlockNumberFor<T>>;

/// How long a node's own report stays in the pool (blocks).
const REPORT_LONGEVITY: u64 = 64;
/// Reports go ahead of ordinary transactions.
const REPORT_PRIORITY: TransactionPriority = TransactionPriority::MAX / 2;

/// A checked BABE report: the offender's index in the current set, its account and the slot.
pub(crate) struct BabeOffence<AccountId> {
	index: u32,
	offender: AccountId,
	slot: u64,
}

/// A checked GRANDPA report: the offender's key and account, the set and the round.
pub(crate) struct FinalityOffence<AccountId> {
	key: GrandpaId,
	offender: AccountId,
	set_id: u64,
	round: u64,
}

impl<T: Config> Pallet<T> {
	/// Everything a BABE report must satisfy, cheap checks first, the two signature
	/// verifications last. Writes nothing.
	pub(crate) fn check_babe_report(
		proof: &BabeProof<T>,
	) -> Result<BabeOffence<T::AccountId>, Error<T>> {
		let slot = proof.slot;
		if slot < pallet_babe::Pallet::<T>::current_epoch_start()
			|| slot > pallet_babe::CurrentSlot::<T>::get()
		{
			return Err(Error::<T>::EquivocationOutsideEpoch);
		}
		let validators = Validators::<T>::get();
		let index = validators
			.iter()
			.position(|v| v.babe == proof.offender)
			.ok_or(Error::<T>::OffenderNotValidator)?;
		let offender = validators
			.get(index)
			.map(|v| v.account.clone())
			.ok_or(Error::<T>::OffenderNotValidator)?;
		let index = index as u32;
		if ReportedEquivocations::<T>::get().contains(&index) {
			return Err(Error::<T>::EquivocationAlreadyReported);
		}
		if !Ledger::<T>::contains_key(&offender) {
			return Err(Error::<T>::UnknownSubject);
		}
		if !sp_consensus_babe::check_equivocation_proof(proof.clone()) {
			return Err(Error::<T>::EquivocationProofInvalid);
		}
		Ok(BabeOffence { index, offender, slot: u64::from(slot) })
	}

	/// Records a checked BABE offence: evidence, the slash, the event.
	pub(crate) fn apply_babe_offence(
		offence: BabeOffence<T::AccountId>,
		reporter: Option<T::AccountId>,
	) -> Result<(), Error<T>> {
		let mut reported = ReportedEquivocations::<T>::get();
		// At most one entry per validator: the bound is the set's.
		reported.try_push(offence.index).map_err(|_| Error::<T>::EquivocationAlreadyReported)?;
		Self::do_note_behaviour(&offence.offender, BehaviourEvidence::Equivocation)
			.map_err(Error::<T>::from)?;
		ReportedEquivocations::<T>::put(reported);
		Self::slash_bond(&offence.offender);
		Self::deposit_event(Event::EquivocationReported {
			offender: offence.offender,
			slot: offence.slot,
			reporter,
		});
		Ok(())
	}

	/// Everything a GRANDPA report must satisfy, cheap checks first, the two signature
	/// verifications last. Writes nothing.
	pub(crate) fn check_finality_report(
		proof: &GrandpaProof<T>,
	) -> Result<FinalityOffence<T::AccountId>, Error<T>> {
		let set_id = proof.set_id();
		if set_id != pallet_grandpa::CurrentSetId::<T>::get() {
			return Err(Error::<T>::EquivocationOutsideSet);
		}
		let key = proof.offender().clone();
		if !pallet_grandpa::Pallet::<T>::grandpa_authorities().iter().any(|(k, _)| *k == key) {
			return Err(Error::<T>::OffenderNotValidator);
		}
		let offender =
			CandidateOfGrandpa::<T>::get(&key).ok_or(Error::<T>::OffenderNotValidator)?;
		let (reported_set, reported) = ReportedFinalityEquivocations::<T>::get();
		if reported_set == set_id && reported.contains(&key) {
			return Err(Error::<T>::EquivocationAlreadyReported);
		}
		if !Ledger::<T>::contains_key(&offender) {
			return Err(Error::<T>::UnknownSubject);
		}
		let round = proof.round();
		if !sp_consensus_grandpa::check_equivocation_proof(proof.clone()) {
			return Err(Error::<T>::EquivocationProofInvalid);
		}
		Ok(FinalityOffence { key, offender, set_id, round })
	}

	/// Records a checked GRANDPA offence: evidence, the slash, the event.
	pub(crate) fn apply_finality_offence(
		offence: FinalityOffence<T::AccountId>,
		reporter: Option<T::AccountId>,
	) -> Result<(), Error<T>> {
		let (reported_set, mut reported) = ReportedFinalityEquivocations::<T>::get();
		if reported_set != offence.set_id {
			reported = Default::default();
		}
		// At most one entry per member of the set in force: the bound is the set's.
		reported.try_push(offence.key).map_err(|_| Error::<T>::EquivocationAlreadyReported)?;
		Self::do_note_behaviour(&offence.offender, BehaviourEvidence::Equivocation)
			.map_err(Error::<T>::from)?;
		ReportedFinalityEquivocations::<T>::put((offence.set_id, reported));
		Self::slash_bond(&offence.offender);
		Self::deposit_event(Event::FinalityEquivocationReported {
			offender: offence.offender,
			set_id: offence.set_id,
			round: offence.round,
			reporter,
		});
		Ok(())
	}

	/// The pool's validity of an authorized report: the same checks as the call; one report
	/// per offender and epoch (BABE) or set (GRANDPA) in the pool.
	///
	/// Only the node's own reports (`Local`) and reports already in a block (`InBlock`) are
	/// valid, and they are not gossiped, as in pallet-babe and pallet-grandpa: a feeless call
	/// that costs two signature verifications must not be something any peer can flood every
	/// pool with. A node that is no validator reports through the signed calls.
	fn report_validity(
		source: TransactionSource,
		checked: impl FnOnce() -> Result<(&'static str, u64, alloc::vec::Vec<u8>), u8>,
	) -> TransactionValidityWithRefund {
		if !matches!(source, TransactionSource::Local | TransactionSource::InBlock) {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Call));
		}
		match checked() {
			Ok((kind, period, offender)) => ValidTransaction::with_tag_prefix("ProofOfTrust")
				.priority(REPORT_PRIORITY)
				.and_provides((kind, period, offender))
				.longevity(REPORT_LONGEVITY)
				.propagate(false)
				.build()
				.map(|validity| (validity, Weight::zero())),
			Err(code) => Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code))),
		}
	}

	/// `#[pallet::authorize]` of [`Pallet::report_equivocation_unsigned`].
	#[allow(clippy::borrowed_box)] // `#[pallet::authorize]` passes the call's argument by reference
	pub(crate) fn authorize_babe_report(
		source: TransactionSource,
		proof: &Box<BabeProof<T>>,
	) -> TransactionValidityWithRefund {
		Self::report_validity(source, || {
			Self::check_babe_report(proof)
				.map(|_| {
					let epoch = pallet_babe::EpochIndex::<T>::get();
					("babe", epoch, codec::Encode::encode(&proof.offender))
				})
				.map_err(|e| Self::report_error_code(&e))
		})
	}

	/// `#[pallet::authorize]` of [`Pallet::report_finality_equivocation_unsigned`].
	#[allow(clippy::borrowed_box)] // `#[pallet::authorize]` passes the call's argument by reference
	pub(crate) fn authorize_finality_report(
		source: TransactionSource,
		proof: &Box<GrandpaProof<T>>,
	) -> TransactionValidityWithRefund {
		Self::report_validity(source, || {
			Self::check_finality_report(proof)
				.map(|_| ("grandpa", proof.set_id(), codec::Encode::encode(proof.offender())))
				.map_err(|e| Self::report_error_code(&e))
		})
	}

	/// The pool's `InvalidTransaction::Custom` code of a report error: its index in [`Error`].
	fn report_error_code(error: &Error<T>) -> u8 {
		let encoded = codec::Encode::encode(error);
		encoded.first().copied().unwrap_or(u8::MAX)
	}

	/// Submits the node's own report of a BABE equivocation as an authorized transaction (the
	/// runtime API `BabeApi::submit_report_equivocation_unsigned_extrinsic`). Whether the pool
	/// took it.
	pub fn submit_babe_report(proof: BabeProof<T>) -> bool {
		use frame_system::offchain::SubmitTransaction;
		let call = crate::Call::<T>::report_equivocation_unsigned { proof: Box::new(proof) };
		let xt = T::create_authorized_transaction(call.into());
		SubmitTransaction::<T, crate::Call<T>>::submit_transaction(xt).is_ok()
	}

	/// Submits the node's own report of a GRANDPA equivocation as an authorized transaction (the
	/// runtime API `GrandpaApi::submit_report_equivocation_unsigned_extrinsic`). Whether the
	/// pool took it.
	pub fn submit_finality_report(proof: GrandpaProof<T>) -> bool {
		use frame_system::offchain::SubmitTransaction;
		let call =
			crate::Call::<T>::report_finality_equivocation_unsigned { proof: Box::new(proof) };
		let xt = T::create_authorized_transaction(call.into());
		SubmitTransaction::<T, crate::Call<T>>::submit_transaction(xt).is_ok()
	}

	/// Whether `key` is a GRANDPA key the pallet knows the owner of: the runtime API's key
	/// ownership "proof" (ownership is checked again, on chain, against the pallet's key map).
	pub fn owns_grandpa_key(key: &GrandpaId) -> bool {
		CandidateOfGrandpa::<T>::contains_key(key)
	}

	/// Whether `key` is the BABE key of a current validator (the runtime API's key ownership
	/// "proof", checked again on chain).
	pub fn owns_babe_key(key: &crate::types::BabeId) -> bool {
		Validators::<T>::get().iter().any(|v| v.babe == *key)
	}
}

/// The weight of validating a report in the pool: the checks of the call, without its writes.
pub(crate) fn authorize_weight<T: Config>(call: Weight) -> Weight {
	call.saturating_sub(T::DbWeight::get().writes(4))
}
