//! # Proof-of-Trust pallet
//!
//! Proof of Trust (paper 000: Chen, Han, Zhang 2023, "Endogenous Security Formal Definition,
//! Innovation Mechanisms, and Experiment Research in Industrial Internet", §3): "PoT dynamically
//! forms the final trust level through the identity trust level and behavior trust level", and
//! a node's trust raises its chance to win the right to author blocks. This pallet keeps the
//! trust ledger, turns trust into BABE and GRANDPA authority weights, selects the validators of
//! every epoch, and lets other pallets gate access by trust. The maths is in `endo-trust`
//! (`docs/TRUST-MODEL.md`); the pallet is glue.
//!
//! | paper | here |
//! |---|---|
//! | §3: identity trust "obtained by continuous verification under zero-trust mechanism" | [`IdentityTrustSink`] evidence from `pallet-device-identity` (authenticated / missed / failed) into [`Ledger`] and [`DeviceLedger`] |
//! | §3: behaviour trust | blocks authored vs secondary slots left empty (measured here every block), BABE equivocations proven on chain ([`Pallet::report_equivocation`]), offences, failed verifications, leak reports, rejected models ([`BehaviourTrustSink`], [`Pallet::report_behaviour`]) |
//! | §3: final trust level from both | `T = w I + (1 - w) B` with penalised beta reputation and decay (`endo_trust::TrustParams`), levels 0..=4 |
//! | §3: trust raises the chance to author | BABE weight `max(1, floor(T * 10^6))`: primary-slot probability `1 - (1 - c)^(w_i / sum w)` |
//! | §3 / Table 4: "PoT node, as a proxy node"; UIV-TSP R1-R3 | [`endo_traits::TrustProvider`] and the origin [`EnsureTrustLevel`] |
//! | UIV-TSP §3.5.2: conspirators' "trust value will be set to 0 ... barred from rejoining" | [`BehaviourEvidence::Conspiracy`]: sanctioned for good |
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! | call | origin | what |
//! |---|---|---|
//! | [`register_candidate`](Pallet::register_candidate) (0) | signed | register BABE and GRANDPA keys as a validator candidate; holds [`Config::CandidateBond`] |
//! | [`deregister_candidate`](Pallet::deregister_candidate) (1) | signed (a candidate) | stop being a candidate; releases the bond; leaves the set at the next selection |
//! | [`report_behaviour`](Pallet::report_behaviour) (2) | [`Config::EvidenceOrigin`] for the evidence's [`EvidenceKind`] | behaviour evidence about a ledger subject |
//! | [`report_identity`](Pallet::report_identity) (3) | [`Config::EvidenceOrigin`] for [`EvidenceKind::Identity`] | identity evidence about a ledger subject |
//! | [`report_equivocation`](Pallet::report_equivocation) (4) | signed (anyone; free if valid) | a BABE equivocation proof against a current validator, checked on chain |
//!
//! ### Hooks and the epoch change
//!
//! * `on_finalize`: reads the block's BABE pre-digest, counts the author's primary or secondary
//!   block, and blames every empty slot since the previous block on that slot's secondary
//!   author (at most [`Config::MaxMissedSlotsPerBlock`] slots; a longer gap is a chain-wide
//!   stall and blames nobody). Its weight is charged in `on_initialize`.
//! * `on_initialize`: retries a deferred GRANDPA change ([`PendingFinalityChange`]), and after
//!   `pallet_grandpa::note_stalled` (root) schedules the forced change that restarts a stalled
//!   finality with the current set (pallet-grandpa leaves that to pallet-session, which this
//!   runtime does not use).
//! * [`Pallet::next_epoch_authorities`]: the epoch change, called by the runtime's BABE
//!   `EpochChangeTrigger` (see *Runtime integration*). It (1) turns the ending epoch's
//!   authorship into behaviour evidence, (2) makes the announced set current and schedules it
//!   in GRANDPA, (3) selects and returns the set to announce for the epoch after next. It
//!   registers its own weight ([`WeightInfo::epoch_change`]) as mandatory block weight,
//!   because pallet-babe calls the trigger from its own `on_initialize`.
//! * `try_state` checks the storage invariants (with `try-runtime`, and after every unit test).
//!
//! ### Runtime API (`pallet-proof-of-trust-runtime-api`)
//!
//! `ProofOfTrustApi`: `trust(account)` and `device_trust(device)` → [`TrustReport`] (value,
//! level, identity and behaviour trust); `current_authorities()`, `next_authorities()` (the
//! weighted set the next epoch change enacts) and `projected_authorities()` (the set the next
//! epoch change would announce if it happened now) → [`AuthorityReport`]s.
//!
//! ### Other pallets
//!
//! Implements [`endo_traits::TrustProvider`] (levels; unknown accounts are `Untrusted`),
//! [`endo_traits::IdentityTrustSink`] (from `pallet-device-identity`) and
//! [`endo_traits::BehaviourTrustSink`] (leak reports, rejected models, failed verifications,
//! conspirator verdicts; unknown accounts are refused: enrol them first). Uses
//! [`endo_traits::DeviceIdentityInspect`] when [`Config::RequireAuthenticatedIdentity`] is set:
//! then only candidates whose own endogenous identity is authenticated are selected.
//!
//! ## The ledger
//!
//! Each subject (an account in [`Ledger`], a device without a controller account in
//! [`DeviceLedger`]) has identity evidence and behaviour evidence, good and bad, in millionths
//! of an event ([`EvidenceWeights`] says how much each kind counts). Trust is
//! `T = w I + (1 - w) B` with `I`, `B` the penalised beta expectations
//! `(s + 1) / (s + lambda f + 2)`; all evidence decays by `retention` per ledger epoch (one
//! BABE epoch), lazily: a record stores the epoch its counts refer to, and every read or
//! write ages it first, so no hook ever walks the ledger. A new subject starts at the prior
//! (`I = B = 1/2`, `T = 1/2`, level `Moderate` with the default thresholds); an account that is
//! not in the ledger is `Untrusted`. Only this pallet writes the ledger: evidence comes in
//! through the traits (wired by the runtime) or through [`Config::EvidenceOrigin`].
//!
//! Accounts enter the ledger by registering as a candidate, by controlling a device that gets
//! identity evidence, or by [`BehaviourTrustSink::enrol`] from another pallet. A record that
//! never received evidence is removed again when its candidate deregisters, so registering and
//! deregistering leaves nothing behind. Records with evidence stay (trust history is not reset
//! by leaving and coming back).
//!
//! ## Validator selection and weights
//!
//! At every epoch change the candidates are ranked by trust (ties by BABE key). Eligible are
//! candidates with level ≥ [`Config::MinAuthorityLevel`], not sanctioned and (optionally) with an
//! authenticated identity; the top [`Config::MaxValidators`] are taken
//! (`endo_trust::consensus::select_authorities`):
//!
//! * a candidate that authored a block in the last [`Config::LivenessWindow`] epochs is *proven
//!   live* and gets weight `max(1, floor(T * 10^6))`, proportional to trust;
//! * any other (a newcomer, a silent incumbent) is *on probation* with weight 1: BABE gives it
//!   secondary slots (assigned uniformly, so it can prove itself) but practically no primary
//!   slots, and GRANDPA counts it negligibly;
//! * proven-live members must hold more than 2/3 of the weight, else probationers are dropped
//!   from the bottom;
//! * if fewer than [`Config::MinValidators`] remain, or none is proven live, the last good set
//!   is kept ([`Event::AuthoritySetKept`]).
//!
//! A validator whose trust falls below the minimum is not selected and leaves one epoch later
//! (BABE announces every set one epoch ahead). The same members and weights become the GRANDPA
//! set when BABE enacts them (`pallet_grandpa::Pallet::schedule_change` with
//! [`Config::FinalityChangeDelay`]).
//!
//! ### No input can empty the set or halt finality
//!
//! * The pallet never returns an empty set while it has one; selections are never empty.
//! * Weights are ≥ 1 (a weight of 0 panics the node's threshold computation).
//! * Keys are unique among candidates, so a set never holds a key twice.
//! * No registration, key choice or evidence can put nodes that never authored a block in
//!   control of GRANDPA: they enter on probation, and proven-live members always hold > 2/3
//!   of the weight of a new set, so the members that finalized so far can finalize the change
//!   and the next set can keep finalizing.
//! * An empty GRANDPA set is never scheduled. If pallet-grandpa refuses a change
//!   (`ChangePending`: another change, e.g. a forced one, is still in its delay; `TooSoon`: a
//!   forced change too soon after the last), the set is kept in [`PendingFinalityChange`],
//!   reported by [`Event::FinalityChangeDeferred`], retried every block until pallet-grandpa
//!   accepts it ([`Event::FinalityChangeScheduled`]), and replaced by the next epoch's set if
//!   that comes first.
//!
//! What no runtime rule can prevent: if validators holding a third of the GRANDPA weight stop
//! (a fault, not an input), finality stalls until they return or root calls
//! `pallet_grandpa::note_stalled(delay, median_finalized)`. The pallet then schedules a forced
//! change to the current set in the next block (pallet-grandpa leaves that to pallet-session,
//! which this runtime does not use), and the trust-selected set, without the silent
//! validators once their missed slots have pushed them out, at the following epoch changes.
//! Trust weighting makes the most trusted validators count more: with four validators whose
//! trust ranges over `[0.5, 1]`, the most trusted one alone can hold up to 40 % of the weight.
//!
//! ### Behaviour evidence from authorship
//!
//! BABE assigns every slot a secondary author, `blake2_256(SCALE(epoch randomness, slot)) mod n`
//! (`endo_trust::consensus::secondary_slot_index`), and every authority proposes in its
//! secondary slots (with `PrimaryAndSecondary*` slots). So a slot without a block names exactly
//! one validator that did not author: a *missed slot*. Each block authored counts
//! [`EvidenceWeights::authored_block`] of good evidence, each missed slot
//! [`EvidenceWeights::missed_slot`] of bad evidence, folded into the ledger at the epoch
//! change. Expected primary slots are not used: with 40 slots per epoch and four validators an
//! honest validator expects under 3 primary blocks and has no primary block at all in about
//! 6 % of epochs, whereas missed secondary slots are certain. Slots before the current epoch's
//! first slot (at an epoch boundary) are not attributed.
//!
//! ## Access control
//!
//! [`EnsureTrustLevel<T, L>`] admits a signed origin whose account has level ≥ `L::get()`
//! ([`levels`] has `Get`s for each level); its `Success` is the account.
//! `try_successful_origin` (benchmarks) builds an account at that level.
//!
//! ## Runtime integration
//!
//! ```ignore
//! // configs/mod.rs
//! parameter_types! {
//!     pub const CandidateBond: Balance = 100 * UNIT;
//!     pub const MinAuthorityLevel: TrustLevel = TrustLevel::Moderate;
//!     pub PotTrustParams: pallet_proof_of_trust::TrustParams = Default::default();
//!     pub const PotEvidenceWeights: pallet_proof_of_trust::EvidenceWeights =
//!         pallet_proof_of_trust::EvidenceWeights::DEFAULT;
//! }
//! impl pallet_proof_of_trust::Config for Runtime {
//!     type Currency = Balances;
//!     type RuntimeHoldReason = RuntimeHoldReason;
//!     type CandidateBond = CandidateBond;
//!     type EvidenceOrigin = frame_support::traits::AsEnsureOriginWithArg<EnsureRoot<AccountId>>;
//!     type Identity = DeviceIdentity; // or () without pallet-device-identity
//!     type RequireAuthenticatedIdentity = ConstBool<false>;
//!     type TrustParams = PotTrustParams;
//!     type EvidenceWeights = PotEvidenceWeights;
//!     type MinAuthorityLevel = MinAuthorityLevel;
//!     type MaxCandidates = ConstU32<{ 4 * MAX_AUTHORITIES }>;
//!     type MaxValidators = ConstU32<MAX_AUTHORITIES>;
//!     type MinValidators = ConstU32<1>;
//!     type MaxSubjects = ConstU32<100_000>;
//!     type MaxDevices = ConstU32<100_000>;
//!     type LivenessWindow = ConstU32<1>; // 4 validators, 40-slot epochs (see its docs)
//!     type MaxMissedSlotsPerBlock = ConstU32<64>;
//!     type FinalityChangeDelay = ConstU32<0>;
//!     type WeightInfo = pallet_proof_of_trust::weights::SubstrateWeight<Runtime>;
//! }
//! // BABE's trigger (configs/consensus.rs) takes its sets from the pallet:
//! impl consensus::NextEpochAuthorities for ProofOfTrust {
//!     fn next_authorities(announced: &[(BabeId, BabeAuthorityWeight)])
//!         -> Vec<(BabeId, BabeAuthorityWeight)> {
//!         ProofOfTrust::next_epoch_authorities(announced)
//!     }
//! }
//! // impl pallet_babe::Config: type EpochChangeTrigger =
//! //     consensus::TrustWeightedEpochChange<ProofOfTrust>;
//! // impl pallet_device_identity::Config: type Trust = ProofOfTrust;
//! //     type IdentityTrust = ProofOfTrust;
//! ```
//!
//! The genesis preset lists the same validators, in the same order, in `babe.authorities`,
//! `grandpa.authorities` (weight 1 each) and `proofOfTrust.candidates`
//! (`(account, babe, grandpa, initial good events)`), e.g. in `testnet_genesis`:
//!
//! ```ignore
//! proof_of_trust: ProofOfTrustConfig {
//!     // (AccountId, BabeId, GrandpaId): Alice..Dave's sr25519 accounts and their keys.
//!     candidates: initial_authorities
//!         .iter()
//!         .map(|(account, babe, grandpa)| (account.clone(), babe.clone(), grandpa.clone(), 10))
//!         .collect::<Vec<_>>(),
//! },
//! ```
//!
//! Ten good events give `T = 11/12` (`High`, so the genesis validators can also act as
//! `pallet-device-identity` proxy nodes). For a run with unequal trust give them different
//! counts (e.g. 40, 8, 2, 0: trust 0.98, 0.90, 0.75, 0.50) or report evidence with sudo.
//! The pallet may sit at any index of `construct_runtime`; add `[pallet_proof_of_trust,
//! ProofOfTrust]` to the runtime's benchmark list.
//!
//! ## Storage and limits
//!
//! Every map is bounded: [`Config::MaxCandidates`] candidates (and as many keys in each key
//! map), [`Config::MaxSubjects`] accounts and [`Config::MaxDevices`] devices in the ledger,
//! [`Config::MaxValidators`] validators per set. Per-block work is bounded by
//! [`Config::MaxMissedSlotsPerBlock`], per-epoch work by `MaxCandidates + MaxValidators`.
//! Accounts and keys are chosen by users, hence `Blake2_128Concat`.
//!
//! ## Bad input
//!
//! Every rejected input has its own error and changes nothing: registering twice
//! ([`Error::AlreadyCandidate`]), keys of another candidate ([`Error::BabeKeyInUse`],
//! [`Error::GrandpaKeyInUse`]), a full candidate list or ledger ([`Error::TooManyCandidates`],
//! [`Error::LedgerFull`]), a sanctioned account ([`Error::Sanctioned`]), a bond that cannot be
//! held ([`Error::InsufficientBond`]), deregistering a non-candidate ([`Error::NotCandidate`]),
//! evidence about an account not in the ledger ([`Error::UnknownSubject`]), evidence of each
//! kind from an origin not allowed to report it (one error per kind, e.g.
//! [`Error::LeakReportNotAllowed`]), and equivocation reports that do not verify
//! ([`Error::EquivocationProofInvalid`]), are outside the current epoch
//! ([`Error::EquivocationOutsideEpoch`]), name a non-validator ([`Error::OffenderNotValidator`])
//! or repeat one ([`Error::EquivocationAlreadyReported`]).
//!
//! # Security
//!
//! Keys are registered without a proof of possession (as `pallet-session::set_keys` did before
//! it took ownership proofs): someone can register another operator's public keys first and
//! make that operator's registration fail with [`Error::BabeKeyInUse`]. The squatter cannot
//! author or vote with those keys, enters on probation, and is removed after missing its slots;
//! the bond makes it cost something. Proofs of possession are future work.
//!
//! Log target: `runtime::proof-of-trust`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

pub mod epoch_change;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use endo_traits::{
	BehaviourEvidence, BehaviourTrustSink, DeviceIdentityInspect, EvidenceError, IdentityEvidence,
	IdentityTrustSink, TrustLevel, TrustProvider,
};
use endo_trust::consensus;
/// The trust parameters ([`Config::TrustParams`]), re-exported for runtimes.
pub use endo_trust::TrustParams;
use frame_support::{
	dispatch::DispatchClass,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::Precision,
		EnsureOrigin, EnsureOriginWithArg,
	},
	weights::Weight,
};
use frame_system::{pallet_prelude::*, RawOrigin};
use sp_consensus_babe::{digests::PreDigest, BabeAuthorityWeight, Slot, BABE_ENGINE_ID};
use sp_runtime::{traits::Zero, Perbill};

/// The pallet's log target.
pub const LOG_TARGET: &str = "runtime::proof-of-trust";

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A validator set of runtime `T`.
pub type ValidatorsOf<T> =
	BoundedVec<Validator<<T as frame_system::Config>::AccountId>, <T as Config>::MaxValidators>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

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
	{
		/// Holds candidates' bonds (`Mutate` for benchmarks, which fund accounts).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;

		/// The runtime's hold reasons (this pallet adds [`HoldReason::CandidacyBond`]).
		type RuntimeHoldReason: From<HoldReason>;

		/// Held from a candidate while it is registered.
		#[pallet::constant]
		type CandidateBond: Get<BalanceOf<Self>>;

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

		/// A candidate that authored a block in the last this many epochs is proven live
		/// (at least 1).
		///
		/// An online validator of `n` authors about `E (1 - c) / n` secondary blocks in an
		/// epoch of `E` slots, so it goes a whole window without a block with probability
		/// about `exp(-W E (1 - c) / n)`. Choose `W >= 8 n / (E (1 - c))`: 1 for 4 validators
		/// and 40-slot epochs with `c = 1/4` (`exp(-7.5)`), 27 for 100 validators.
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

	/// Registered validator candidates.
	#[pallet::storage]
	pub type Candidates<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		CandidateInfo<BalanceOf<T>>,
		OptionQuery,
	>;

	/// The candidate holding a BABE key.
	#[pallet::storage]
	pub type CandidateOfBabe<T: Config> =
		StorageMap<_, Blake2_128Concat, BabeId, T::AccountId, OptionQuery>;

	/// The candidate holding a GRANDPA key.
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
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// Validators (indices into [`Validators`]) whose BABE equivocation was reported in the
	/// current epoch: one report per offender and epoch counts.
	#[pallet::storage]
	pub type ReportedEquivocations<T: Config> =
		StorageValue<_, BoundedVec<u32, T::MaxValidators>, ValueQuery>;

	/// A GRANDPA set that could not be scheduled yet because another change was pending.
	#[pallet::storage]
	pub type PendingFinalityChange<T: Config> =
		StorageValue<_, BoundedVec<(GrandpaId, u64), T::MaxValidators>, OptionQuery>;

	/// Events. Every state change emits one.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	#[allow(missing_docs)]
	pub enum Event<T: Config> {
		/// An account registered as a validator candidate.
		CandidateRegistered { who: T::AccountId, babe: BabeId, grandpa: GrandpaId },
		/// A candidate deregistered; its bond was released.
		CandidateDeregistered { who: T::AccountId },
		/// An account entered the ledger (at the prior trust).
		SubjectEnrolled { who: T::AccountId },
		/// A ledger record without evidence was removed (its candidate deregistered).
		SubjectRemoved { who: T::AccountId },
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
		/// A BABE equivocation (two blocks signed for one slot) was proven by `reporter`.
		EquivocationReported { offender: T::AccountId, slot: u64, reporter: T::AccountId },
		/// A validator's authorship in the ended `epoch` became behaviour evidence.
		AuthorshipRecorded {
			who: T::AccountId,
			epoch: EpochIndex,
			primary: u32,
			secondary: u32,
			missed: u32,
		},
		/// Empty slots `from..to` were not attributed (a gap longer than
		/// [`Config::MaxMissedSlotsPerBlock`]).
		SlotsUnattributed { from: u64, to: u64 },
		/// A new set was selected and announced to BABE for the epoch after next.
		AuthoritiesSelected { epoch: EpochIndex, count: u32, total_weight: u64 },
		/// No new set qualified: the last good set was announced again.
		AuthoritySetKept { epoch: EpochIndex, reason: KeptReason },
		/// BABE's announced set differed from the one the pallet announced (defensive: e.g. the
		/// runtime's trigger changed the proposal); the pallet's own set was used.
		AuthoritySetMismatch { epoch: EpochIndex },
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
		/// [`Config::MaxCandidates`] candidates are registered.
		TooManyCandidates,
		/// The ledger holds [`Config::MaxSubjects`] accounts.
		LedgerFull,
		/// The account is not in the ledger.
		UnknownSubject,
		/// The account was sanctioned: barred from candidacy for good.
		Sanctioned,
		/// The bond cannot be held (balance too low).
		InsufficientBond,
		/// The equivocation proof does not verify (headers equal, slots differ, authors differ,
		/// or a seal is not the offender's signature).
		EquivocationProofInvalid,
		/// The equivocation's slot is not in the current epoch (or is in the future).
		EquivocationOutsideEpoch,
		/// The equivocation's offender is not in the current validator set.
		OffenderNotValidator,
		/// The offender's equivocation was already reported in this epoch.
		EquivocationAlreadyReported,
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
		/// `(account, BABE key, GRANDPA key, initial good events)`: the genesis validators, in
		/// the order of pallet-babe's and pallet-grandpa's genesis authorities. The good events
		/// are credited to both identity and behaviour evidence (e.g. 10: `T = 11/12`).
		pub candidates: Vec<(T::AccountId, BabeId, GrandpaId, u32)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut validators = Vec::new();
			for (account, babe, grandpa, good) in &self.candidates {
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
				Ledger::<T>::insert(account, TrustRecord::with_good_events(*good, 0));
				Candidates::<T>::insert(
					account,
					CandidateInfo {
						babe: babe.clone(),
						grandpa: grandpa.clone(),
						bond: Zero::zero(),
						last_authored: None,
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
		/// holds [`Config::CandidateBond`]. The account enters the ledger (at the prior) if it is
		/// not there. It can be selected from the next epoch change on, first on probation.
		///
		/// Emits [`Event::CandidateRegistered`] (and [`Event::SubjectEnrolled`]).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_candidate())]
		pub fn register_candidate(
			origin: OriginFor<T>,
			babe: BabeId,
			grandpa: GrandpaId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Candidates::<T>::contains_key(&who), Error::<T>::AlreadyCandidate);
			ensure!(!CandidateOfBabe::<T>::contains_key(&babe), Error::<T>::BabeKeyInUse);
			ensure!(!CandidateOfGrandpa::<T>::contains_key(&grandpa), Error::<T>::GrandpaKeyInUse);
			ensure!(
				Candidates::<T>::count() < T::MaxCandidates::get(),
				Error::<T>::TooManyCandidates
			);
			let enrolled = match Ledger::<T>::get(&who) {
				Some(record) => {
					ensure!(!record.sanctioned, Error::<T>::Sanctioned);
					false
				}
				None => {
					ensure!(Ledger::<T>::count() < T::MaxSubjects::get(), Error::<T>::LedgerFull);
					true
				}
			};
			let bond = T::CandidateBond::get();
			// The first write: nothing was changed if it fails.
			T::Currency::hold(&HoldReason::CandidacyBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBond)?;
			if enrolled {
				Ledger::<T>::insert(&who, TrustRecord::new(CurrentEpoch::<T>::get()));
				Self::deposit_event(Event::SubjectEnrolled { who: who.clone() });
			}
			Candidates::<T>::insert(
				&who,
				CandidateInfo {
					babe: babe.clone(),
					grandpa: grandpa.clone(),
					bond,
					last_authored: None,
				},
			);
			CandidateOfBabe::<T>::insert(&babe, &who);
			CandidateOfGrandpa::<T>::insert(&grandpa, &who);
			Self::deposit_event(Event::CandidateRegistered { who, babe, grandpa });
			Ok(())
		}

		/// Stops being a candidate: the keys are freed and the bond released. A validator leaves
		/// the sets at the next selection (BABE and GRANDPA still use it for up to two epochs,
		/// as announced). A ledger record without any evidence is removed; one with evidence
		/// stays.
		///
		/// Emits [`Event::CandidateDeregistered`] (and [`Event::SubjectRemoved`]).
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::deregister_candidate())]
		pub fn deregister_candidate(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Candidates::<T>::get(&who).ok_or(Error::<T>::NotCandidate)?;
			// Best effort never fails; it releases what is held (all of it, unless something
			// else took it).
			let _ = T::Currency::release(
				&HoldReason::CandidacyBond.into(),
				&who,
				info.bond,
				Precision::BestEffort,
			);
			Candidates::<T>::remove(&who);
			CandidateOfBabe::<T>::remove(&info.babe);
			CandidateOfGrandpa::<T>::remove(&info.grandpa);
			let pristine = Ledger::<T>::get(&who).is_some_and(|r| {
				r.identity == endo_trust::Evidence::new()
					&& r.behaviour == endo_trust::Evidence::new()
					&& !r.sanctioned
			});
			if pristine {
				Ledger::<T>::remove(&who);
				Self::deposit_event(Event::SubjectRemoved { who: who.clone() });
			}
			Self::deposit_event(Event::CandidateDeregistered { who });
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
			T::EvidenceOrigin::ensure_origin(origin, &kind).map_err(|_| Self::not_allowed(kind))?;
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
			// Cheap checks first, the two signature verifications last.
			let slot = proof.slot;
			ensure!(
				slot >= pallet_babe::Pallet::<T>::current_epoch_start()
					&& slot <= pallet_babe::CurrentSlot::<T>::get(),
				Error::<T>::EquivocationOutsideEpoch
			);
			let validators = Validators::<T>::get();
			let index = validators
				.iter()
				.position(|v| v.babe == proof.offender)
				.ok_or(Error::<T>::OffenderNotValidator)?;
			let offender = validators
				.get(index)
				.map(|v| v.account.clone())
				.ok_or(Error::<T>::OffenderNotValidator)?;
			let mut reported = ReportedEquivocations::<T>::get();
			ensure!(!reported.contains(&(index as u32)), Error::<T>::EquivocationAlreadyReported);
			ensure!(Ledger::<T>::contains_key(&offender), Error::<T>::UnknownSubject);
			ensure!(
				sp_consensus_babe::check_equivocation_proof(*proof),
				Error::<T>::EquivocationProofInvalid
			);
			// At most one entry per validator: the bound is the set's.
			reported.try_push(index as u32).map_err(|_| Error::<T>::EquivocationAlreadyReported)?;
			Self::do_note_behaviour(&offender, BehaviourEvidence::Equivocation)
				.map_err(Error::<T>::from)?;
			ReportedEquivocations::<T>::put(reported);
			Self::deposit_event(Event::EquivocationReported {
				offender,
				slot: u64::from(slot),
				reporter,
			});
			Ok(Pays::No.into())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The error for evidence of `kind` from an origin that may not report it.
	pub fn not_allowed(kind: EvidenceKind) -> Error<T> {
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

	fn report(record: &TrustRecord) -> TrustReport {
		let params = T::TrustParams::get();
		let trust = record.trust(&params);
		TrustReport {
			trust,
			level: params.level(trust),
			identity: record.identity_trust(&params),
			behaviour: record.behaviour_trust(&params),
			sanctioned: record.sanctioned,
		}
	}

	/// The runtime API's trust report of an account.
	pub fn trust_report(who: &T::AccountId) -> Option<TrustReport> {
		Self::current_record(who).map(|r| Self::report(&r))
	}

	/// The runtime API's trust report of a device (identity evidence only).
	pub fn device_trust_report(device: &DeviceId) -> Option<TrustReport> {
		let now = CurrentEpoch::<T>::get();
		DeviceLedger::<T>::get(device).map(|r| Self::report(&r.at(&T::TrustParams::get(), now)))
	}

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
		Self::select(now.saturating_add(1), |who| authored_now.contains(&who))
			.ok()
			.map(|set| Self::authority_reports(&set))
	}

	/// Adds `who` to the ledger if it is not there. `Ok(true)` if it was added.
	fn enrol(who: &T::AccountId) -> Result<bool, EvidenceError> {
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
		let account = controller.filter(|account| Self::enrol(account).is_ok());
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

	/// The BABE pre-digest of the block being built or imported.
	fn pre_digest() -> Option<PreDigest> {
		frame_system::Pallet::<T>::digest()
			.logs
			.iter()
			.filter_map(|item| item.as_pre_runtime())
			.filter_map(
				|(id, mut data)| {
					if id == BABE_ENGINE_ID {
						PreDigest::decode(&mut data).ok()
					} else {
						None
					}
				},
			)
			.next()
	}

	/// `on_finalize`: counts the author's block and blames the empty slots since the last
	/// block on their secondary authors. Returns the number of slots blamed.
	pub(crate) fn note_author() -> u32 {
		let Some(pre_digest) = Self::pre_digest() else { return 0 };
		let slot = pre_digest.slot();
		let validators = Validators::<T>::get();
		let authorities = pallet_babe::Authorities::<T>::get();
		let mut stats = EpochAuthorship::<T>::get();
		// Stats count only where the pallet's set is BABE's (same key at the same index).
		let aligned = |index: usize| {
			validators
				.get(index)
				.zip(authorities.get(index))
				.is_some_and(|(v, (key, _))| v.babe == *key)
		};
		let author = pre_digest.authority_index() as usize;
		if aligned(author) {
			if let Some(entry) = stats.get_mut(author) {
				if pre_digest.is_primary() {
					entry.primary = entry.primary.saturating_add(1);
				} else {
					entry.secondary = entry.secondary.saturating_add(1);
				}
			}
		}
		let mut blamed = 0u32;
		let last = u64::from(LastSlot::<T>::get());
		let now_slot = u64::from(slot);
		let secondary_slots = pallet_babe::EpochConfig::<T>::get().is_some_and(|c| {
			c.allowed_slots.is_secondary_plain_slots_allowed()
				|| c.allowed_slots.is_secondary_vrf_slots_allowed()
		});
		if last > 0 && now_slot > last.saturating_add(1) && secondary_slots {
			let from = last
				.saturating_add(1)
				.max(u64::from(pallet_babe::Pallet::<T>::current_epoch_start()));
			let to = now_slot;
			let gap = to.saturating_sub(from);
			if gap > u64::from(T::MaxMissedSlotsPerBlock::get()) {
				Self::deposit_event(Event::SlotsUnattributed { from, to });
			} else {
				let randomness = pallet_babe::Randomness::<T>::get();
				let n = authorities.len() as u32;
				for empty in from..to {
					let hash =
						(randomness, Slot::from(empty)).using_encoded(sp_io::hashing::blake2_256);
					let Some(index) = consensus::secondary_slot_index(&hash, n) else { break };
					let index = index as usize;
					if aligned(index) {
						if let Some(entry) = stats.get_mut(index) {
							entry.missed = entry.missed.saturating_add(1);
							blamed = blamed.saturating_add(1);
						}
					}
				}
			}
		}
		LastSlot::<T>::put(slot);
		EpochAuthorship::<T>::put(stats);
		blamed
	}

	/// Whether `account` authored a block within the liveness window, as of ledger epoch
	/// `now`, or does so in the epoch ending (`authored_now`).
	fn is_live(info: &CandidateInfo<BalanceOf<T>>, now: EpochIndex, authored_now: bool) -> bool {
		authored_now
			|| info
				.last_authored
				.is_some_and(|e| e.saturating_add(u64::from(T::LivenessWindow::get())) >= now)
	}

	/// Selects the set to announce at ledger epoch `now` (see the crate docs).
	fn select(
		now: EpochIndex,
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
		let next = match Self::select(now, |_| false) {
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
		NextValidators::<T>::put(&next);
		frame_system::Pallet::<T>::register_extra_weight_unchecked(
			<T as Config>::WeightInfo::epoch_change(Candidates::<T>::count(), closed),
			DispatchClass::Mandatory,
		);
		next.iter().map(|v| (v.babe.clone(), v.weight)).collect()
	}

	/// Folds the ending epoch's authorship into the ledger. Returns the validators visited.
	fn close_epoch(epoch: EpochIndex, validators: &[Validator<T::AccountId>]) -> u32 {
		let params = T::TrustParams::get();
		let weights = T::EvidenceWeights::get();
		let stats = EpochAuthorship::<T>::get();
		let mut visited = 0u32;
		for (validator, stat) in validators.iter().zip(stats.iter()) {
			visited = visited.saturating_add(1);
			let who = &validator.account;
			if let Some(record) = Ledger::<T>::get(who) {
				let mut record = record.at(&params, epoch);
				record.add_behaviour(
					u64::from(stat.authored()).saturating_mul(weights.authored_block.into()),
					u64::from(stat.missed).saturating_mul(weights.missed_slot.into()),
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

	/// The GRANDPA set that is, or will be once the pending change is enacted, in force.
	fn effective_finality_set() -> Vec<(GrandpaId, u64)> {
		match pallet_grandpa::PendingChange::<T>::get() {
			Some(pending) => pending.next_authorities.to_vec(),
			None => pallet_grandpa::Pallet::<T>::grandpa_authorities(),
		}
	}

	/// Makes `validators` the GRANDPA set, now or (if a change is pending) later.
	fn schedule_finality(validators: &[Validator<T::AccountId>]) {
		if validators.is_empty() {
			return;
		}
		let set: Vec<(GrandpaId, u64)> =
			validators.iter().map(|v| (v.grandpa.clone(), v.weight)).collect();
		Self::try_schedule_finality(set, true);
	}

	/// Schedules `set` in GRANDPA unless it is already in force (and finality is not stalled);
	/// defers it if pallet-grandpa refuses (another change pending, or a forced change too
	/// soon after the last). Mirrors pallet-grandpa's own session handler: a stall noted with
	/// `pallet_grandpa::note_stalled` turns the change into a forced one, and each scheduled
	/// change bumps `pallet_grandpa::CurrentSetId` (the node bumps its set id when it applies the
	/// change). `announce_deferral`: emit [`Event::FinalityChangeDeferred`] if deferred.
	fn try_schedule_finality(set: Vec<(GrandpaId, u64)>, announce_deferral: bool) {
		let authorities = set.len() as u32;
		let stalled = pallet_grandpa::Stalled::<T>::get();
		if stalled.is_none() && set == Self::effective_finality_set() {
			PendingFinalityChange::<T>::kill();
			return;
		}
		let (delay, forced) = match stalled {
			Some((further_wait, median)) => (further_wait, Some(median)),
			None => (T::FinalityChangeDelay::get(), None),
		};
		match pallet_grandpa::Pallet::<T>::schedule_change(set.clone(), delay, forced) {
			Ok(()) => {
				pallet_grandpa::Stalled::<T>::kill();
				pallet_grandpa::CurrentSetId::<T>::mutate(|id| *id = id.saturating_add(1));
				PendingFinalityChange::<T>::kill();
				Self::deposit_event(Event::FinalityChangeScheduled {
					authorities,
					forced: forced.is_some(),
				});
			}
			Err(error) => {
				log::info!(
					target: LOG_TARGET,
					"GRANDPA change deferred ({error:?}); retrying every block"
				);
				PendingFinalityChange::<T>::put(BoundedVec::truncate_from(set));
				if announce_deferral {
					Self::deposit_event(Event::FinalityChangeDeferred { authorities });
				}
			}
		}
	}

	/// `on_initialize`: schedules a deferred GRANDPA change, or (after
	/// `pallet_grandpa::note_stalled`) a forced change to the current set, once pallet-grandpa
	/// has no change pending.
	fn retry_finality_change() -> Weight {
		let pending = PendingFinalityChange::<T>::get();
		let stalled = pallet_grandpa::Stalled::<T>::exists();
		if pending.is_none() && !stalled {
			return T::DbWeight::get().reads(2);
		}
		if pallet_grandpa::PendingChange::<T>::exists() {
			return T::DbWeight::get().reads(3);
		}
		let set = match pending {
			Some(set) => set.into_inner(),
			None => Validators::<T>::get().iter().map(|v| (v.grandpa.clone(), v.weight)).collect(),
		};
		if !set.is_empty() {
			Self::try_schedule_finality(set, false);
		}
		<T as Config>::WeightInfo::retry_finality_change()
	}

	/// Benchmarks and tests: gives `who` (enrolling it) evidence that puts it at `level` with
	/// the configured thresholds. `Err` if no such evidence was found.
	#[cfg(any(test, feature = "runtime-benchmarks"))]
	#[allow(clippy::result_unit_err)]
	pub fn force_level(who: &T::AccountId, level: TrustLevel) -> Result<(), ()> {
		let params = T::TrustParams::get();
		let now = CurrentEpoch::<T>::get();
		if level == TrustLevel::Untrusted {
			let mut record = TrustRecord::new(now);
			record.sanctioned = true;
			Ledger::<T>::insert(who, record);
			return Ok(());
		}
		let counts = [0u64, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256, 1024, 4096];
		let tries = counts
			.iter()
			.map(|g| endo_trust::Evidence::from_events(*g, 0))
			.chain(counts.iter().map(|b| endo_trust::Evidence::from_events(0, *b)));
		for evidence in tries {
			let record = TrustRecord {
				identity: evidence,
				behaviour: evidence,
				epoch: now,
				sanctioned: false,
			};
			if params.level(record.trust(&params)) == level {
				Ledger::<T>::insert(who, record);
				return Ok(());
			}
		}
		Err(())
	}

	/// Checks the storage invariants (run by `try_state` and after every unit test).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError;
		let candidates = Candidates::<T>::count();
		ensure!(candidates <= T::MaxCandidates::get(), "more candidates than MaxCandidates");
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
			ensure!(
				<T::Currency as frame_support::traits::fungible::InspectHold<T::AccountId>>::balance_on_hold(
					&HoldReason::CandidacyBond.into(),
					&who
				) >= info.bond,
				"a candidate's bond is not held"
			);
		}
		ensure!(
			CandidateOfBabe::<T>::iter().count() as u32 == candidates
				&& CandidateOfGrandpa::<T>::iter().count() as u32 == candidates,
			"key maps hold keys of non-candidates"
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
		if let Some(pending) = PendingFinalityChange::<T>::get() {
			ensure!(!pending.is_empty(), "an empty GRANDPA set is pending");
		}
		Ok(())
	}
}

/// Admits a signed origin whose account has at least trust level `L` (UIV-TSP R1-R3 as access
/// control: e.g. `EnsureTrustLevel<Runtime, levels::AtLeastHigh>`). `Success` is the account.
pub struct EnsureTrustLevel<T, L>(PhantomData<(T, L)>);

impl<T: Config, L: Get<TrustLevel>> EnsureOrigin<T::RuntimeOrigin> for EnsureTrustLevel<T, L> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<T::AccountId, T::RuntimeOrigin> {
		origin.into().and_then(|raw| match raw {
			RawOrigin::Signed(who) if Pallet::<T>::trust_level(&who) >= L::get() => Ok(who),
			other => Err(T::RuntimeOrigin::from(other)),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let who: T::AccountId = frame_benchmarking::account("trusted", 0, 0);
		Pallet::<T>::force_level(&who, L::get())?;
		Ok(RawOrigin::Signed(who).into())
	}
}

impl<T: Config> TrustProvider<T::AccountId> for Pallet<T> {
	fn trust_level(who: &T::AccountId) -> TrustLevel {
		Pallet::<T>::trust_level(who)
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
		Pallet::<T>::enrol(who).map(|_| ())
	}
}
