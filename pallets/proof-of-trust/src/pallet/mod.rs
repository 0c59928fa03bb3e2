//! The `#[frame_support::pallet]` module: configuration, storage, events, errors, genesis,
//! hooks and calls. The rules that calls and hooks apply are `impl Pallet<T>` blocks in the
//! crate's topic files (`ledger.rs`, `authorship.rs`, `selection.rs`, `epoch_change.rs`,
//! `finality.rs`; see the crate docs' module map), so that this file reads as the pallet's
//! interface.

use crate::{
	types::*, weights::WeightInfo, BalanceOf, FoundingValidator, TrustParams, ValidatorsOf,
};
use alloc::{boxed::Box, vec::Vec};
use endo_traits::{
	BehaviourEvidence, DeviceIdentityInspect, EvidenceError, IdentityEvidence, TrustLevel,
};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, EnsureOriginWithArg},
};
use frame_system::pallet_prelude::*;
use sp_consensus_babe::Slot;
use sp_runtime::{traits::Zero, Perbill};

/// The pallet: see the crate docs.
#[frame_support::pallet]
#[allow(clippy::module_inception)] // `pallet/mod.rs` holds `mod pallet`, as in staking-async
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	///
	/// The pallet drives BABE and GRANDPA, so the runtime's `pallet_babe::Config` and
	/// `pallet_grandpa::Config` are supertraits. (Both also have a `WeightInfo` and a
	/// `MaxAuthorities`: inside the pallet they are always written `<T as Config>::WeightInfo`
	/// and `<T as pallet_babe::Config>::MaxAuthorities`.)
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_babe::Config
		+ pallet_grandpa::Config
		+ frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// Holds candidates' bonds (`Mutate` for benchmarks, which fund accounts).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;

		/// The runtime's hold reasons (this pallet adds [`HoldReason::CandidacyBond`]).
		type RuntimeHoldReason: From<HoldReason>;

		/// The least bond a candidate holds (while registered, then while it unbonds).
		#[pallet::constant]
		type CandidateBond: Get<BalanceOf<Self>>;

		/// With [`AdmissionMode::Staked`], the bond that earns the full trust weight; a smaller
		/// bond earns `bond / FullWeightBond` of it. At least `CandidateBond`.
		#[pallet::constant]
		type FullWeightBond: Get<BalanceOf<Self>>;

		/// Admits candidates ([`AdmissionMode::Permissioned`]) and sets the admission mode.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A validator counts as recently admitted for this many ledger epochs after it joined
		/// the announced set (at least 1).
		#[pallet::constant]
		type RecentAdmissionEpochs: Get<u32>;

		/// Recently admitted validators together hold less than this share of the BABE and
		/// GRANDPA weight, however many there are (default 1/10).
		#[pallet::constant]
		type MaxRecentWeightShare: Get<Perbill>;

		/// The most candidates one selection admits into the set.
		#[pallet::constant]
		type MaxNewcomersPerEpoch: Get<u32>;

		/// Ledger epochs a former validator's bond stays held after it has left both sets
		/// (covers the window in which its equivocations can still be reported).
		#[pallet::constant]
		type UnbondingEpochs: Get<u32>;

		/// The part of the bond burnt for a proven equivocation.
		#[pallet::constant]
		type EquivocationSlash: Get<Perbill>;

		/// Who may report evidence of each [`EvidenceKind`] through [`Pallet::report_behaviour`]
		/// and [`Pallet::report_identity`] (e.g. `AsEnsureOriginWithArg<EnsureRoot<_>>`).
		type EvidenceOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, EvidenceKind>;

		/// The device registry: is a candidate's own endogenous identity authenticated.
		type Identity: DeviceIdentityInspect<Self::AccountId>;

		/// Whether a candidate must control an authenticated device to be selected.
		#[pallet::constant]
		type RequireAuthenticatedIdentity: Get<bool>;

		/// Penalty, retention per epoch, identity weight and level thresholds.
		#[pallet::constant]
		type TrustParams: Get<TrustParams>;

		/// How much each piece of evidence counts.
		#[pallet::constant]
		type EvidenceWeights: Get<EvidenceWeights>;

		/// The lowest trust level a candidate may have to be selected.
		#[pallet::constant]
		type MinAuthorityLevel: Get<TrustLevel>;

		/// The most registered candidates.
		#[pallet::constant]
		type MaxCandidates: Get<u32>;

		/// The most validators in a set; at most BABE's and GRANDPA's `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators a new set may have; with fewer qualifying, the last good set is
		/// kept (at least 1).
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The most accounts in the ledger (at least `MaxCandidates`).
		#[pallet::constant]
		type MaxSubjects: Get<u32>;

		/// The most devices (without a controller account) in the ledger.
		#[pallet::constant]
		type MaxDevices: Get<u32>;

		/// The least liveness window (at least 1): a candidate that authored a block in the
		/// last `W` epochs is proven live, where `W` is the larger of this and
		/// `ceil(8 n / (E (1 - c)))` for the `n` validators of the current set, BABE's epoch of
		/// `E` slots and its `c` (`endo_trust::consensus::liveness_window`: an online
		/// validator goes `W` epochs without a block with probability below `exp(-8)`; 2 for 4
		/// validators and 40-slot epochs with `c = 1/4`, 27 for 100).
		#[pallet::constant]
		type LivenessWindow: Get<u32>;

		/// Empty slots attributed per block at most; a longer gap is a chain-wide stall and
		/// blames nobody.
		#[pallet::constant]
		type MaxMissedSlotsPerBlock: Get<u32>;

		/// `in_blocks` of the GRANDPA changes the pallet schedules (0: the change is signalled
		/// and enacted in the epoch's first block).
		#[pallet::constant]
		type FinalityChangeDelay: Get<BlockNumberFor<Self>>;

		/// Ledger records (accounts that are neither candidates nor unbonding nor sanctioned, and
		/// devices) untouched for [`Config::LedgerRetentionEpochs`] whose evidence, good and bad
		/// together, has decayed below this many evidence units are removed in `on_idle` (e.g.
		/// `EVIDENCE_UNIT / 100`: a hundredth of an event).
		#[pallet::constant]
		type PruneBelowUnits: Get<u64>;

		/// Ledger epochs without any write after which a decayed record may be removed.
		#[pallet::constant]
		type LedgerRetentionEpochs: Get<u32>;

		/// The most ledger records `on_idle` visits per block.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// Weights of this pallet's calls, hooks and epoch change.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The bond of a validator candidate.
		CandidacyBond,
	}

	/// The trust ledger of accounts: identity and behaviour evidence.
	///
	/// # Security
	///
	/// Written only by this pallet. Accounts are chosen by users, hence `Blake2_128Concat`;
	/// growth is bounded by [`Config::MaxSubjects`], and only bonded registration, device
	/// controllers and pallets the runtime wires to [`BehaviourTrustSink`] add accounts.
	#[pallet::storage]
	pub type Ledger<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, TrustRecord, OptionQuery>;

	/// The trust ledger of devices without a controller account: identity evidence only.
	#[pallet::storage]
	pub type DeviceLedger<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, DeviceId, TrustRecord, OptionQuery>;

	/// How candidates are admitted and weighted.
	#[pallet::storage]
	pub type Admission<T: Config> = StorageValue<_, AdmissionMode, ValueQuery>;

	/// Former candidates whose bond is still held. Their keys stay in [`CandidateOfBabe`] and
	/// [`CandidateOfGrandpa`] until they withdraw. Counted with [`Candidates`] against
	/// [`Config::MaxCandidates`].
	#[pallet::storage]
	pub type Unbonding<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		UnbondingInfo<BalanceOf<T>>,
		OptionQuery,
	>;

	/// Registered validator candidates.
	#[pallet::storage]
	pub type Candidates<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		CandidateInfo<BalanceOf<T>>,
		OptionQuery,
	>;

	/// The candidate (or unbonding former candidate) holding a BABE key.
	#[pallet::storage]
	pub type CandidateOfBabe<T: Config> =
		StorageMap<_, Blake2_128Concat, BabeId, T::AccountId, OptionQuery>;

	/// The candidate (or unbonding former candidate) holding a GRANDPA key.
	#[pallet::storage]
	pub type CandidateOfGrandpa<T: Config> =
		StorageMap<_, Blake2_128Concat, GrandpaId, T::AccountId, OptionQuery>;

	/// The current BABE set as the pallet enacted it, aligned with `pallet_babe::Authorities`
	/// (same keys, same order).
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, ValidatorsOf<T>, ValueQuery>;

	/// The set announced to BABE for the next epoch (`pallet_babe::NextAuthorities`).
	#[pallet::storage]
	pub type NextValidators<T: Config> = StorageValue<_, ValidatorsOf<T>, ValueQuery>;

	/// Authorship in the current epoch, aligned with [`Validators`].
	#[pallet::storage]
	pub type EpochAuthorship<T: Config> =
		StorageValue<_, BoundedVec<AuthorshipStats, T::MaxValidators>, ValueQuery>;

	/// The slot of the last block seen (0 before the first).
	#[pallet::storage]
	pub type LastSlot<T: Config> = StorageValue<_, Slot, ValueQuery>;

	/// The ledger epoch: the number of epoch changes handled. Evidence decays per ledger epoch.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, LedgerEpoch, ValueQuery>;

	/// Validators (indices into [`Validators`]) whose BABE equivocation was reported in the
	/// current epoch: one report per offender and epoch counts.
	#[pallet::storage]
	pub type ReportedEquivocations<T: Config> =
		StorageValue<_, BoundedVec<u32, T::MaxValidators>, ValueQuery>;

	/// GRANDPA keys whose equivocation was reported in GRANDPA set `.0` (cleared by the first
	/// report in a newer set): one report per offender and set counts.
	#[pallet::storage]
	pub type ReportedFinalityEquivocations<T: Config> =
		StorageValue<_, (u64, BoundedVec<GrandpaId, T::MaxValidators>), ValueQuery>;

	/// Where `on_idle`'s walk over the ledgers for decayed records is.
	#[pallet::storage]
	pub type PruneCursor<T: Config> = StorageValue<_, crate::pruning::PruneState, ValueQuery>;

	/// A GRANDPA set that could not be scheduled yet because another change was pending.
	#[pallet::storage]
	pub type PendingFinalityChange<T: Config> =
		StorageValue<_, BoundedVec<(GrandpaId, u64), T::MaxValidators>, OptionQuery>;

	/// Events. Every state change emits one.
	#[pallet::event]
	#[pallet::generate_deposit(pub(crate) fn deposit_event)]
	#[allow(missing_docs)]
	pub enum Event<T: Config> {
		/// An account registered as a validator candidate.
		CandidateRegistered { who: T::AccountId, babe: BabeId, grandpa: GrandpaId },
		/// A candidate was displaced from the full candidate list by `by`'s registration with
		/// a bigger bond; its `bond` was released.
		CandidateDisplaced { who: T::AccountId, by: T::AccountId, bond: BalanceOf<T> },
		/// A candidate deregistered; its bond stays held until `unlock_at`.
		CandidateDeregistered { who: T::AccountId, unlock_at: LedgerEpoch },
		/// A former candidate withdrew its bond; its keys are free again.
		BondWithdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// `AdminOrigin` removed a candidate; its bond stays held until `unlock_at`.
		CandidateRemoved { who: T::AccountId, unlock_at: LedgerEpoch },
		/// `AdminOrigin` admitted a candidate.
		CandidateAdmitted { who: T::AccountId },
		/// `AdminOrigin` set the admission mode.
		AdmissionModeSet { mode: AdmissionMode },
		/// Part of a bond was burnt for a proven equivocation.
		BondSlashed { who: T::AccountId, amount: BalanceOf<T> },
		/// An account entered the ledger (at the prior trust).
		SubjectEnrolled { who: T::AccountId },
		/// An account's ledger record was removed: it held no evidence beyond its candidacy's
		/// when the former candidate withdrew, or its evidence had decayed away.
		SubjectRemoved { who: T::AccountId },
		/// A device's ledger record was removed: its evidence had decayed away.
		DeviceRecordRemoved { device: DeviceId },
		/// Behaviour evidence about an account was recorded.
		BehaviourRecorded { who: T::AccountId, evidence: BehaviourEvidence },
		/// Identity evidence was recorded, for the device and / or its controller account.
		IdentityRecorded {
			device: Option<DeviceId>,
			account: Option<T::AccountId>,
			evidence: IdentityEvidence,
		},
		/// Identity evidence could not be recorded for the device and / or account named: its
		/// ledger is full.
		EvidenceDropped { device: Option<DeviceId>, account: Option<T::AccountId> },
		/// An account was sanctioned (trust 0 for good).
		Sanctioned { who: T::AccountId },
		/// A BABE equivocation (two blocks signed for one slot) was proven by `reporter` (`None`:
		/// by a node's own report).
		EquivocationReported { offender: T::AccountId, slot: u64, reporter: Option<T::AccountId> },
		/// A GRANDPA equivocation (two votes of one round for different blocks) was proven by
		/// `reporter`.
		FinalityEquivocationReported {
			offender: T::AccountId,
			set_id: u64,
			round: u64,
			reporter: Option<T::AccountId>,
		},
		/// A validator's authorship in the ended `epoch` became behaviour evidence.
		AuthorshipRecorded {
			who: T::AccountId,
			epoch: LedgerEpoch,
			primary: u32,
			secondary: u32,
			missed: u32,
		},
		/// Empty slots `from..to` were not attributed (a gap longer than
		/// [`Config::MaxMissedSlotsPerBlock`]).
		SlotsUnattributed { from: u64, to: u64 },
		/// A new set was selected and announced to BABE for the epoch after next.
		AuthoritiesSelected { epoch: LedgerEpoch, count: u32, total_weight: u64 },
		/// No new set qualified: the last good set was announced again.
		AuthoritySetKept { epoch: LedgerEpoch, reason: KeptReason },
		/// BABE's announced set differed from the one the pallet announced (defensive: e.g. the
		/// runtime's trigger changed the proposal); the pallet's own set was used.
		AuthoritySetMismatch { epoch: LedgerEpoch },
		/// A GRANDPA set change was scheduled (`forced`: after `pallet_grandpa::note_stalled`,
		/// a forced change that the node applies without finality).
		FinalityChangeScheduled { authorities: u32, forced: bool },
		/// A GRANDPA set change could not be scheduled (another change is pending); it is
		/// retried every block.
		FinalityChangeDeferred { authorities: u32 },
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a candidate.
		AlreadyCandidate,
		/// The account is not a candidate.
		NotCandidate,
		/// Another candidate holds this BABE key.
		BabeKeyInUse,
		/// Another candidate holds this GRANDPA key.
		GrandpaKeyInUse,
		/// [`Config::MaxCandidates`] candidates are registered (or unbonding) and none of them
		/// can be displaced.
		TooManyCandidates,
		/// The ledger holds [`Config::MaxSubjects`] accounts.
		LedgerFull,
		/// The account is not in the ledger.
		UnknownSubject,
		/// The account was sanctioned: barred from candidacy for good.
		Sanctioned,
		/// The bond cannot be held (balance too low).
		InsufficientBond,
		/// The bond offered is below [`Config::CandidateBond`].
		BondBelowMinimum,
		/// The account is still unbonding from an earlier candidacy: withdraw first.
		StillUnbonding,
		/// The account has no bond to withdraw.
		NotUnbonding,
		/// The bond is still locked (the unbonding period has not passed, or the account is
		/// still in a validator set).
		BondLocked,
		/// The candidate is already admitted.
		AlreadyAdmitted,
		/// The equivocation proof does not verify (headers equal, slots differ, authors differ,
		/// or a seal is not the offender's signature).
		EquivocationProofInvalid,
		/// The equivocation's slot is not in the current epoch (or is in the future).
		EquivocationOutsideEpoch,
		/// The equivocation's offender is not in the current validator set.
		OffenderNotValidator,
		/// The offender's equivocation was already reported in this epoch (BABE) or set
		/// (GRANDPA).
		EquivocationAlreadyReported,
		/// The GRANDPA equivocation is not from the current GRANDPA set.
		EquivocationOutsideSet,
		/// The origin may not report identity evidence.
		IdentityReportNotAllowed,
		/// The origin may not report cooperation.
		CooperationReportNotAllowed,
		/// The origin may not report failed verifications.
		VerificationReportNotAllowed,
		/// The origin may not report leaks.
		LeakReportNotAllowed,
		/// The origin may not report rejected models.
		ModelRejectionNotAllowed,
		/// The origin may not report equivocations.
		EquivocationReportNotAllowed,
		/// The origin may not report offences.
		OffenceReportNotAllowed,
		/// The origin may not report conspiracies.
		ConspiracyReportNotAllowed,
		/// The candidate list is full and the bond offered is not bigger than the smallest
		/// bond of a displaceable candidate.
		BondTooSmallToDisplace,
	}

	impl<T> From<EvidenceError> for Error<T> {
		fn from(error: EvidenceError) -> Self {
			match error {
				EvidenceError::UnknownSubject => Error::UnknownSubject,
				EvidenceError::LedgerFull => Error::LedgerFull,
			}
		}
	}

	/// Validators known at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(account, BABE key, GRANDPA key, initial good events, bond)`: the founding
		/// validators, in the order of pallet-babe's and pallet-grandpa's genesis authorities.
		/// The good events are credited to both identity and behaviour evidence (e.g. 10:
		/// `T = 11/12`); the bond is held from the account's genesis balance.
		pub candidates: Vec<FoundingValidator<T>>,
		/// How further candidates are admitted and weighted.
		pub admission: AdmissionMode,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Admission::<T>::put(self.admission);
			let mut validators = Vec::new();
			for (account, babe, grandpa, good, bond) in &self.candidates {
				assert!(
					!Candidates::<T>::contains_key(account),
					"genesis: a candidate account is listed twice"
				);
				assert!(
					!CandidateOfBabe::<T>::contains_key(babe),
					"genesis: a BABE key is listed twice"
				);
				assert!(
					!CandidateOfGrandpa::<T>::contains_key(grandpa),
					"genesis: a GRANDPA key is listed twice"
				);
				if !bond.is_zero() {
					T::Currency::hold(&HoldReason::CandidacyBond.into(), account, *bond)
						.expect("genesis: a founding validator cannot hold its bond");
				}
				Ledger::<T>::insert(account, TrustRecord::with_good_events(*good, 0));
				Candidates::<T>::insert(
					account,
					CandidateInfo {
						babe: babe.clone(),
						grandpa: grandpa.clone(),
						bond: *bond,
						last_authored: None,
						founding: true,
						admitted: true,
						membership: Membership::Founding,
					},
				);
				CandidateOfBabe::<T>::insert(babe, account);
				CandidateOfGrandpa::<T>::insert(grandpa, account);
				validators.push(Validator {
					account: account.clone(),
					babe: babe.clone(),
					grandpa: grandpa.clone(),
					// As pallet-babe's and pallet-grandpa's genesis sets.
					weight: 1,
				});
			}
			let stats = alloc::vec![AuthorshipStats::default(); validators.len()];
			let validators: ValidatorsOf<T> =
				validators.try_into().expect("genesis: more validators than MaxValidators");
			Validators::<T>::put(&validators);
			NextValidators::<T>::put(&validators);
			EpochAuthorship::<T>::put(
				BoundedVec::try_from(stats).expect("as many entries as validators; qed"),
			);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_now: BlockNumberFor<T>) -> Weight {
			// `on_finalize` records the author and blames empty slots: charge its worst case.
			<T as Config>::WeightInfo::note_author(T::MaxMissedSlotsPerBlock::get())
				.saturating_add(Self::retry_finality_change())
		}

		fn on_finalize(_now: BlockNumberFor<T>) {
			Self::note_author();
		}

		fn on_idle(_now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_step(remaining)
		}

		fn integrity_test() {
			let max = T::MaxValidators::get();
			assert!(max >= 1, "MaxValidators must be >= 1");
			assert!(
				max <= <T as pallet_babe::Config>::MaxAuthorities::get()
					&& max <= <T as pallet_grandpa::Config>::MaxAuthorities::get(),
				"MaxValidators must be <= BABE's and GRANDPA's MaxAuthorities"
			);
			let min = T::MinValidators::get();
			assert!(min >= 1 && min <= max, "MinValidators must be in 1..=MaxValidators");
			assert!(
				T::MaxCandidates::get() <= T::MaxSubjects::get(),
				"MaxCandidates must be <= MaxSubjects"
			);
			assert!(T::LivenessWindow::get() >= 1, "LivenessWindow must be >= 1");
			assert!(T::RecentAdmissionEpochs::get() >= 1, "RecentAdmissionEpochs must be >= 1");
			assert!(
				T::FullWeightBond::get() >= T::CandidateBond::get(),
				"FullWeightBond must be >= CandidateBond"
			);
			assert!(T::TrustParams::get().validate().is_ok(), "TrustParams must be valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signer as a validator candidate with its BABE and GRANDPA keys and
		/// holds `bond` (at least [`Config::CandidateBond`]; with [`AdmissionMode::Staked`] a
		/// bigger bond earns more weight, up to [`Config::FullWeightBond`]). The account enters
		/// the ledger if it is not there, and its behaviour evidence gets
		/// [`EvidenceWeights::unproven_candidate`]: a new candidate starts below the authority
		/// level and qualifies by verified work (its own device's authentications, then its
		/// blocks on probation). With [`AdmissionMode::Permissioned`] it also waits for
		/// [`Pallet::admit_candidate`].
		///
		/// When [`Config::MaxCandidates`] accounts are candidates or unbonding, a bigger bond
		/// displaces the candidate with the smallest bond among those that were neither founded
		/// nor admitted, hold no place in a validator set, and have no report window open
		/// ([`Pallet::displacement_victim`]); that candidate's bond is released. So places
		/// cannot be squatted with minimum bonds.
		///
		/// Emits [`Event::CandidateRegistered`] (and [`Event::SubjectEnrolled`],
		/// [`Event::CandidateDisplaced`]).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_candidate_displacing())]
		pub fn register_candidate(
			origin: OriginFor<T>,
			babe: BabeId,
			grandpa: GrandpaId,
			bond: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!Candidates::<T>::contains_key(&who), Error::<T>::AlreadyCandidate);
			ensure!(!Unbonding::<T>::contains_key(&who), Error::<T>::StillUnbonding);
			ensure!(bond >= T::CandidateBond::get(), Error::<T>::BondBelowMinimum);
			ensure!(!CandidateOfBabe::<T>::contains_key(&babe), Error::<T>::BabeKeyInUse);
			ensure!(!CandidateOfGrandpa::<T>::contains_key(&grandpa), Error::<T>::GrandpaKeyInUse);
			let full = Candidates::<T>::count().saturating_add(Unbonding::<T>::count())
				>= T::MaxCandidates::get();
			let victim = if full {
				let (victim, info) =
					Self::displacement_victim().ok_or(Error::<T>::TooManyCandidates)?;
				ensure!(bond > info.bond, Error::<T>::BondTooSmallToDisplace);
				Some((victim, info))
			} else {
				None
			};
			let record = match Self::current_record(&who) {
				Some(record) => {
					ensure!(!record.sanctioned, Error::<T>::Sanctioned);
					record
				}
				None => {
					ensure!(Ledger::<T>::count() < T::MaxSubjects::get(), Error::<T>::LedgerFull);
					TrustRecord::new(CurrentEpoch::<T>::get())
				}
			};
			let enrolled = !Ledger::<T>::contains_key(&who);
			// The first write: nothing was changed if it fails.
			T::Currency::hold(&HoldReason::CandidacyBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBond)?;
			let mut record = record;
			record.add_behaviour(0, T::EvidenceWeights::get().unproven_candidate.into());
			Ledger::<T>::insert(&who, record);
			if enrolled {
				Self::deposit_event(Event::SubjectEnrolled { who: who.clone() });
			}
			Candidates::<T>::insert(
				&who,
				CandidateInfo {
					babe: babe.clone(),
					grandpa: grandpa.clone(),
					bond,
					last_authored: None,
					founding: false,
					admitted: false,
					membership: Membership::Out,
				},
			);
			CandidateOfBabe::<T>::insert(&babe, &who);
			CandidateOfGrandpa::<T>::insert(&grandpa, &who);
			let displaced = victim.is_some();
			if let Some((victim, info)) = victim {
				Self::displace(victim, info, who.clone());
			}
			Self::deposit_event(Event::CandidateRegistered { who, babe, grandpa });
			Ok((!displaced).then(<T as Config>::WeightInfo::register_candidate).into())
		}

		/// Stops being a candidate: it is not selected again, and leaves the sets at the next
		/// selection (BABE and GRANDPA still use it for up to two epochs, as announced). The
		/// bond stays held, and the keys reserved, until [`Config::UnbondingEpochs`] after it
		/// has left both sets: its equivocations there can still be reported and slashed.
		/// Then [`Pallet::withdraw_bond`] releases them.
		///
		/// Emits [`Event::CandidateDeregistered`].
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::deregister_candidate())]
		pub fn deregister_candidate(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Candidates::<T>::take(&who).ok_or(Error::<T>::NotCandidate)?;
			let unlock_at = Self::unlock_epoch();
			Unbonding::<T>::insert(
				&who,
				UnbondingInfo {
					babe: info.babe,
					grandpa: info.grandpa,
					bond: info.bond,
					unlock_at,
				},
			);
			Self::deposit_event(Event::CandidateDeregistered { who, unlock_at });
			Ok(())
		}

		/// Records behaviour evidence about `who`, an account in the ledger.
		///
		/// Origin: [`Config::EvidenceOrigin`] for the evidence's [`EvidenceKind`]; each kind
		/// refused has its own error. Emits [`Event::BehaviourRecorded`] (and
		/// [`Event::Sanctioned`] for a conspiracy).
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::report_behaviour())]
		pub fn report_behaviour(
			origin: OriginFor<T>,
			who: T::AccountId,
			evidence: BehaviourEvidence,
		) -> DispatchResult {
			let kind = EvidenceKind::from(evidence);
			T::EvidenceOrigin::ensure_origin(origin, &kind)
				.map_err(|_| Self::not_allowed_error(kind))?;
			Self::do_note_behaviour(&who, evidence).map_err(Error::<T>::from)?;
			Ok(())
		}

		/// Records identity evidence about `who`, an account in the ledger (for identity
		/// checks made outside `pallet-device-identity`).
		///
		/// Origin: [`Config::EvidenceOrigin`] for [`EvidenceKind::Identity`]. Emits
		/// [`Event::IdentityRecorded`].
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::report_identity())]
		pub fn report_identity(
			origin: OriginFor<T>,
			who: T::AccountId,
			evidence: IdentityEvidence,
		) -> DispatchResult {
			T::EvidenceOrigin::ensure_origin(origin, &EvidenceKind::Identity)
				.map_err(|_| Error::<T>::IdentityReportNotAllowed)?;
			let mut record = Self::current_record(&who).ok_or(Error::<T>::UnknownSubject)?;
			let (good, bad) = T::EvidenceWeights::get().identity(evidence);
			record.add_identity(good, bad);
			Ledger::<T>::insert(&who, record);
			Self::deposit_event(Event::IdentityRecorded {
				device: None,
				account: Some(who),
				evidence,
			});
			Ok(())
		}

		/// Proves that a current validator equivocated in BABE: two different headers for the
		/// same slot, both sealed with its key (`sp_consensus_babe::check_equivocation_proof`).
		/// Anyone may report, once per offender and epoch, for a slot of the current epoch; the
		/// offender gets [`EvidenceWeights::equivocation`] of bad behaviour evidence. Valid
		/// reports are free.
		///
		/// Origin: signed. Emits [`Event::EquivocationReported`] and
		/// [`Event::BehaviourRecorded`].
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			proof: Box<sp_consensus_babe::EquivocationProof<HeaderFor<T>>>,
		) -> DispatchResultWithPostInfo {
			let reporter = ensure_signed(origin)?;
			let offence = Self::check_babe_report(&proof)?;
			Self::apply_babe_offence(offence, Some(reporter))?;
			Ok(Pays::No.into())
		}

		/// Proves that a member of the GRANDPA set in force equivocated: two prevotes or two
		/// precommits of one round for different blocks, both signed with its key
		/// (`sp_consensus_grandpa::check_equivocation_proof`). The key's owner is found through
		/// the pallet's own key map ([`CandidateOfGrandpa`], which keeps a leaving validator's
		/// keys until it withdraws). Anyone may report, once per offender and set; the offender
		/// gets [`EvidenceWeights::equivocation`] of bad behaviour evidence and loses
		/// [`Config::EquivocationSlash`] of its bond. Valid reports are free.
		///
		/// Origin: signed. Emits [`Event::FinalityEquivocationReported`],
		/// [`Event::BehaviourRecorded`] and [`Event::BondSlashed`].
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::report_finality_equivocation())]
		pub fn report_finality_equivocation(
			origin: OriginFor<T>,
			proof: Box<sp_consensus_grandpa::EquivocationProof<T::Hash, BlockNumberFor<T>>>,
		) -> DispatchResultWithPostInfo {
			let reporter = ensure_signed(origin)?;
			let offence = Self::check_finality_report(&proof)?;
			Self::apply_finality_offence(offence, Some(reporter))?;
			Ok(Pays::No.into())
		}

		/// A node's own report of a BABE equivocation it saw (its import queue submits it through
		/// the runtime API as an authorized transaction, validated in the pool by the same checks
		/// as [`Pallet::report_equivocation`]). Same effect, with no reporter.
		///
		/// Origin: authorized (`frame_system::AuthorizeCall`).
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::report_equivocation())]
		#[pallet::authorize(Pallet::<T>::authorize_babe_report)]
		#[pallet::weight_of_authorize(crate::equivocation::authorize_weight::<T>(
			<T as Config>::WeightInfo::report_equivocation()
		))]
		pub fn report_equivocation_unsigned(
			origin: OriginFor<T>,
			proof: Box<crate::BabeProof<T>>,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			let offence = Self::check_babe_report(&proof)?;
			Self::apply_babe_offence(offence, None)?;
			Ok(Pays::No.into())
		}

		/// A node's own report of a GRANDPA equivocation it saw (its voter submits it through the
		/// runtime API as an authorized transaction, validated in the pool by the same checks as
		/// [`Pallet::report_finality_equivocation`]). Same effect, with no reporter.
		///
		/// Origin: authorized (`frame_system::AuthorizeCall`).
		#[pallet::call_index(10)]
		#[pallet::weight(<T as Config>::WeightInfo::report_finality_equivocation())]
		#[pallet::authorize(Pallet::<T>::authorize_finality_report)]
		#[pallet::weight_of_authorize(crate::equivocation::authorize_weight::<T>(
			<T as Config>::WeightInfo::report_finality_equivocation()
		))]
		pub fn report_finality_equivocation_unsigned(
			origin: OriginFor<T>,
			proof: Box<crate::GrandpaProof<T>>,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			let offence = Self::check_finality_report(&proof)?;
			Self::apply_finality_offence(offence, None)?;
			Ok(Pays::No.into())
		}

		/// Releases the bond of a former candidate once it is unlocked (see
		/// [`Pallet::deregister_candidate`]) and frees its keys. A ledger record without any
		/// evidence beyond the candidacy's own is removed.
		///
		/// Origin: signed (the former candidate). Emits [`Event::BondWithdrawn`] (and
		/// [`Event::SubjectRemoved`]).
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::withdraw_bond())]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Unbonding::<T>::get(&who).ok_or(Error::<T>::NotUnbonding)?;
			ensure!(
				CurrentEpoch::<T>::get() >= info.unlock_at && !Self::in_a_set(&who),
				Error::<T>::BondLocked
			);
			// Best effort never fails; it releases what is held (all of it, unless something
			// else took it).
			let amount = T::Currency::release(
				&HoldReason::CandidacyBond.into(),
				&who,
				info.bond,
				Precision::BestEffort,
			)
			.unwrap_or_else(|_| Zero::zero());
			Unbonding::<T>::remove(&who);
			CandidateOfBabe::<T>::remove(&info.babe);
			CandidateOfGrandpa::<T>::remove(&info.grandpa);
			if Self::current_record(&who)
				.is_some_and(|r| r.is_only_candidacy(&T::EvidenceWeights::get()))
			{
				Ledger::<T>::remove(&who);
				Self::deposit_event(Event::SubjectRemoved { who: who.clone() });
			}
			Self::deposit_event(Event::BondWithdrawn { who, amount });
			Ok(())
		}

		/// Admits a candidate ([`AdmissionMode::Permissioned`]: only admitted candidates are
		/// selected; an admitted candidate still needs the trust level, its own authenticated
		/// identity, and counts as recently admitted for [`Config::RecentAdmissionEpochs`]).
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::CandidateAdmitted`].
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::admit_candidate())]
		pub fn admit_candidate(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Candidates::<T>::try_mutate(&who, |info| -> DispatchResult {
				let info = info.as_mut().ok_or(Error::<T>::NotCandidate)?;
				ensure!(!info.admitted, Error::<T>::AlreadyAdmitted);
				info.admitted = true;
				Ok(())
			})?;
			Self::deposit_event(Event::CandidateAdmitted { who });
			Ok(())
		}

		/// Removes a candidate as if it had deregistered: it is not selected again, and its bond
		/// unbonds (it stays held, and the keys reserved, until out of both sets plus
		/// [`Config::UnbondingEpochs`]). For the admin to clear squatters off the candidate
		/// list ([`Config::MaxCandidates`]) or to remove a validator it no longer trusts.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::CandidateRemoved`].
		#[pallet::call_index(11)]
		#[pallet::weight(<T as Config>::WeightInfo::deregister_candidate())]
		pub fn remove_candidate(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let info = Candidates::<T>::take(&who).ok_or(Error::<T>::NotCandidate)?;
			let unlock_at = Self::unlock_epoch();
			Unbonding::<T>::insert(
				&who,
				UnbondingInfo {
					babe: info.babe,
					grandpa: info.grandpa,
					bond: info.bond,
					unlock_at,
				},
			);
			Self::deposit_event(Event::CandidateRemoved { who, unlock_at });
			Ok(())
		}

		/// Sets how candidates are admitted and weighted; takes effect at the next selection.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::AdmissionModeSet`].
		#[pallet::call_index(7)]
		#[pallet::weight(<T as Config>::WeightInfo::set_admission_mode())]
		pub fn set_admission_mode(origin: OriginFor<T>, mode: AdmissionMode) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Admission::<T>::put(mode);
			Self::deposit_event(Event::AdmissionModeSet { mode });
			Ok(())
		}
	}
}
