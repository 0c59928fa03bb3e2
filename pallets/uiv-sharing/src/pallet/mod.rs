//! The `#[frame_support::pallet]` module: configuration, storage, events, errors, genesis,
//! hooks and calls. The rules the calls apply live in the topic files (`cases.rs`,
//! `access.rs`, `logs.rs`) and in `endo-uiv`, so that this file reads as the interface.

use crate::{types::*, weights::WeightInfo, BalanceOf};
use alloc::vec::Vec;
use endo_traits::BehaviourTrustSink;
use endo_uiv::{
	access::AccessConfig, log::Hash, Consent, DisclosurePolicy, EmbargoState, ProductId,
	ProductStatus, ReportState, Severity,
};
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision},
		UnixTime,
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::Saturating;

/// The pallet: see the crate docs.
#[frame_support::pallet]
#[allow(clippy::module_inception)] // `pallet/mod.rs` holds `mod pallet`, as in staking-async
pub mod pallet {
	use super::*;

	/// The in-code storage version: 1 added the counters [`ProductCases`] and
	/// [`LiveAccesses`] and the closing blocks [`ClosedAt`] (`crate::migrations::v1`).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Holds deposits (`Mutate` for benchmarks, which fund accounts).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The runtime's hold reasons (this pallet adds [`HoldReason`]).
		type RuntimeHoldReason: From<HoldReason>;

		/// UTC time (`pallet_timestamp`): embargo deadlines, off-hours requests, sessions.
		type Time: UnixTime;

		/// The trust ledger (Proof of Trust): SWs are enrolled there, and their accesses,
		/// contributions and verdicts are behaviour evidence.
		type Evidence: BehaviourTrustSink<Self::AccountId>;

		/// Manages the trusted authorities and the trust model.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May open a case for another account's product (a researcher reporting to a vendor);
		/// a vendor opening a case about its own product needs only to sign. `Success` is the
		/// account (in the runtime: a signed account of at least `Moderate` trust,
		/// `pallet_proof_of_trust::EnsureTrustLevel`).
		type ReporterOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// Held from a vendor at registration.
		#[pallet::constant]
		type VendorDeposit: Get<BalanceOf<Self>>;

		/// Held from a vendor per product it registers.
		#[pallet::constant]
		type ProductDeposit: Get<BalanceOf<Self>>;

		/// Held from an SW at registration.
		#[pallet::constant]
		type WorkerDeposit: Get<BalanceOf<Self>>;

		/// Held from a case's opener until the case closes; burnt if the report is invalid.
		/// It also pays for the case's log ([`Config::MaxLogEntriesPerCase`] entries).
		#[pallet::constant]
		type CaseDeposit: Get<BalanceOf<Self>>;

		/// The coordinated-disclosure policy: 90 days, +30 after a patch, 7 days when exploited
		/// in the wild, and the cap.
		#[pallet::constant]
		type Policy: Get<DisclosurePolicy>;

		/// How trust decides an access (R1-R3 thresholds, beta weight, smoothing, penalty).
		#[pallet::constant]
		type AccessConfig: Get<AccessConfig>;

		/// The expected block time in milliseconds (deadlines' block estimates).
		#[pallet::constant]
		type ExpectedBlockTime: Get<u64>;

		/// A trust cycle, in blocks: evidence decays and request counts restart per cycle.
		#[pallet::constant]
		type CycleLength: Get<u32>;

		/// Working hours `[start, end)` in UTC hours; requests outside count as off-hours.
		#[pallet::constant]
		type WorkingHours: Get<(u8, u8)>;

		/// The most trusted authorities.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// The most products one vendor registers.
		#[pallet::constant]
		type MaxProductsPerVendor: Get<u32>;

		/// The most participants (vendors, reporter, TA, granted SWs) of a case.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;

		/// The most SWs invited to one case (and so the most that can ask for it).
		#[pallet::constant]
		type MaxRequestersPerCase: Get<u32>;

		/// The most requests of one SW per cycle.
		#[pallet::constant]
		type MaxRequestsPerCycle: Get<u32>;

		/// The most log entries of one case.
		#[pallet::constant]
		type MaxLogEntriesPerCase: Get<u32>;

		/// The most log entries (Merkle leaves) per block.
		#[pallet::constant]
		type MaxLogEntriesPerBlock: Get<u32>;

		/// How long, in blocks, a closed case and a block's log stay in storage: a closed case
		/// can be purged ([`Pallet::purge_case`]) once it has been closed this long, and the
		/// hooks prune [`BlockLog`] and [`LogRoots`] of blocks this old (their roots stay in
		/// the headers' `uivl` digests). Inclusion proofs must be exported before.
		#[pallet::constant]
		type CaseRetention: Get<BlockNumberFor<Self>>;

		/// The most storage entries one [`Pallet::purge_case`] call removes.
		#[pallet::constant]
		type MaxPurgePerCall: Get<u32>;

		/// Weights.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A vendor's registration and products.
		VendorDeposit,
		/// An SW's registration.
		WorkerDeposit,
		/// A case's deposit.
		CaseDeposit,
	}

	/// The trusted authorities (TAs).
	#[pallet::storage]
	pub type Authorities<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, Authority, OptionQuery>;

	/// Registered vendors.
	#[pallet::storage]
	pub type Vendors<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Vendor<BalanceOf<T>>, OptionQuery>;

	/// Vendors' products: (vendor, product) -> name.
	#[pallet::storage]
	pub type Products<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		ProductId,
		Name,
		OptionQuery,
	>;

	/// Registered security workers and their profiles.
	#[pallet::storage]
	pub type Workers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Worker<BalanceOf<T>>, OptionQuery>;

	/// The number of cases not closed that name each product: (vendor, product) -> count
	/// (no entry: none). Raised by `open_case`, lowered by `close_case` (the only way a case
	/// ends: an invalid report can become valid again until its case is closed).
	///
	/// # Security
	///
	/// [`Pallet::deregister_product`] reads it: a vendor cannot withdraw a product (and its
	/// deposit) from under a case in progress, so a case's product list always names
	/// registered products until it closes.
	#[pallet::storage]
	pub type ProductCases<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		ProductId,
		u32,
		ValueQuery,
	>;

	/// The number of each SW's live accesses (`Granted` or `Delivered`) to cases not closed
	/// (no entry: none). Raised when `request_access` grants, lowered by `end_access` and by
	/// `close_case` for the accesses still live when their case closes (delivery keeps an
	/// access live).
	///
	/// # Security
	///
	/// [`Pallet::deregister_worker`] reads it: an SW holding a package of a case in progress
	/// cannot take its deposit and leave before the TA ends its access.
	#[pallet::storage]
	pub type LiveAccesses<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The block each closed case was closed in: [`Pallet::purge_case`] may remove the case
	/// [`Config::CaseRetention`] blocks later. Removed with the case.
	#[pallet::storage]
	pub type ClosedAt<T: Config> =
		StorageMap<_, Twox64Concat, CaseId, BlockNumberFor<T>, OptionQuery>;

	/// The oldest block whose [`BlockLog`] and [`LogRoots`] may still be stored: the hooks
	/// prune from it on, [`crate::logs::MAX_PRUNE_PER_BLOCK`] blocks per block at most, once
	/// a block is [`Config::CaseRetention`] blocks old.
	#[pallet::storage]
	pub type LogPruneCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The next case's ID.
	#[pallet::storage]
	pub type NextCaseId<T: Config> = StorageValue<_, CaseId, ValueQuery>;

	/// Cases. IDs are sequential: `Twox64Concat`.
	#[pallet::storage]
	pub type Cases<T: Config> =
		StorageMap<_, Twox64Concat, CaseId, Case<T::AccountId, BalanceOf<T>>, OptionQuery>;

	/// Participants of a case with a say in its embargo.
	#[pallet::storage]
	pub type Participants<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CaseId,
		Blake2_128Concat,
		T::AccountId,
		Participant,
		OptionQuery,
	>;

	/// The SWs a case's vendors invited to ask for it (UIV-TSP sec. 5: "he can select several
	/// SWs"; only they can ask).
	#[pallet::storage]
	pub type Invited<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CaseId, Blake2_128Concat, T::AccountId, (), OptionQuery>;

	/// SWs' accesses to cases.
	#[pallet::storage]
	pub type Accesses<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CaseId,
		Blake2_128Concat,
		T::AccountId,
		Access,
		OptionQuery,
	>;

	/// The SWs that asked for a case, with the cycle of their last request (the collaborators
	/// of UIV-TSP Table 1).
	#[pallet::storage]
	pub type Requesters<T: Config> = StorageMap<
		_,
		Twox64Concat,
		CaseId,
		BoundedVec<(T::AccountId, u32), T::MaxRequestersPerCase>,
		ValueQuery,
	>;

	/// The continuous log: (case, seq) -> entry.
	#[pallet::storage]
	pub type CaseLog<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CaseId,
		Twox64Concat,
		u32,
		endo_uiv::LogEntry,
		OptionQuery,
	>;

	/// The log entries each block recorded, in leaf order, with their leaf hashes: the block's
	/// Merkle tree is built from them at the end of the block, and an inclusion proof from
	/// them alone, without reading the entries ([`Pallet::log_proof`]). Pruned
	/// [`Config::CaseRetention`] blocks later ([`LogPruneCursor`]): no proof after that.
	#[pallet::storage]
	pub type BlockLog<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<(CaseId, u32, Hash), T::MaxLogEntriesPerBlock>,
		ValueQuery,
	>;

	/// The Merkle root of each block's log entries (also in the block's header digest, which
	/// is where it stays once the hooks prune it, [`Config::CaseRetention`] blocks later).
	#[pallet::storage]
	pub type LogRoots<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, Hash, OptionQuery>;

	/// The SCALE blob of the UIV-TSP trust network (`endo_trust::TrustModel`), set by
	/// [`Config::AdminOrigin`].
	#[pallet::storage]
	pub type TrustModelBlob<T: Config> =
		StorageValue<_, BoundedVec<u8, ConstU32<{ crate::MAX_MODEL_BLOB }>>, OptionQuery>;

	/// The trust model's version: 1 for the first one set, +1 per change.
	#[pallet::storage]
	pub type TrustModelVersion<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Genesis: the trusted authorities and the trust model.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(account, report key, endpoint)` of each TA.
		pub authorities: Vec<(T::AccountId, [u8; 32], Vec<u8>)>,
		/// The trust model's blob (empty: none until the admin sets one).
		pub trust_model: Vec<u8>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.authorities.len() as u32 <= T::MaxAuthorities::get(),
				"more genesis authorities than MaxAuthorities"
			);
			for (who, report_key, endpoint) in &self.authorities {
				let endpoint = Uri::try_from(endpoint.clone()).expect("genesis endpoint too long");
				Authorities::<T>::insert(who, Authority { report_key: *report_key, endpoint });
			}
			if !self.trust_model.is_empty() {
				Pallet::<T>::checked_model(&self.trust_model)
					.expect("the genesis trust model is an 11 -> 1 network");
				TrustModelBlob::<T>::put(
					BoundedVec::try_from(self.trust_model.clone()).expect("checked length; qed"),
				);
				TrustModelVersion::<T>::put(1);
			}
		}
	}

	/// Events. Fields are named for what they hold (`case`: the case ID; `worker`: the SW).
	#[pallet::event]
	#[allow(missing_docs)]
	#[pallet::generate_deposit(pub(crate) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A trusted authority was added.
		AuthorityAdded { who: T::AccountId },
		/// A trusted authority was removed.
		AuthorityRemoved { who: T::AccountId },
		/// A vendor registered.
		VendorRegistered { vendor: T::AccountId },
		/// A vendor registered a product.
		ProductRegistered { vendor: T::AccountId, product: ProductId },
		/// An SW registered.
		WorkerRegistered { worker: T::AccountId },
		/// A case was opened.
		CaseOpened { case: CaseId, opener: T::AccountId, vendor: T::AccountId, ta: T::AccountId },
		/// A case's report moved.
		ReportStateChanged { case: CaseId, state: ReportState },
		/// A case's embargo moved, or its deadline.
		EmbargoChanged {
			case: CaseId,
			state: EmbargoState,
			deadline_block: u32,
			deadline_utc_ms: u64,
		},
		/// A participant answered the embargo proposal.
		ConsentGiven { case: CaseId, who: T::AccountId, consent: Consent },
		/// A vendor's status for a product of a case moved.
		ProductStatusChanged { case: CaseId, product: u32, status: ProductStatus },
		/// A vendor of a case invited an SW to ask for it.
		WorkerInvited { case: CaseId, worker: T::AccountId },
		/// A product's vendor set its affected ranges in a case.
		ProductRangesSet { case: CaseId, product: u32 },
		/// The admin moved a case to another TA.
		CaseReassigned { case: CaseId, ta: T::AccountId },
		/// An SW asked for a case and the chain decided (R1-R3).
		AccessDecided {
			case: CaseId,
			worker: T::AccountId,
			state: AccessState,
			trust: sp_runtime::Perbill,
		},
		/// A conspirator verdict barred an SW for good.
		WorkerBarred { worker: T::AccountId },
		/// The TA delivered a sealed package and committed to its access token.
		PackageDelivered { case: CaseId, worker: T::AccountId, token_commitment: Hash },
		/// An access ended and the TA renewed (revoked) its token.
		AccessEnded { case: CaseId, worker: T::AccountId, token_commitment: Hash },
		/// A vendor accepted an SW's contribution.
		ContributionAccepted { case: CaseId, worker: T::AccountId },
		/// A case was disclosed.
		CaseDisclosed { case: CaseId, report_hash: Hash },
		/// A case was closed; `refunded` is the deposit returned.
		CaseClosed { case: CaseId, refunded: BalanceOf<T> },
		/// A log entry was recorded: `leaf` is its Merkle leaf hash.
		Logged { case: CaseId, seq: u32, leaf: Hash },
		/// The trust model changed.
		TrustModelSet { version: u32 },
		/// A vendor withdrew a product; its deposit was returned.
		ProductDeregistered { vendor: T::AccountId, product: ProductId, refunded: BalanceOf<T> },
		/// A vendor left; its deposit was returned.
		VendorDeregistered { vendor: T::AccountId, refunded: BalanceOf<T> },
		/// An SW left; its deposit was returned.
		WorkerDeregistered { worker: T::AccountId, refunded: BalanceOf<T> },
		/// Part of a closed case's storage was removed (`removed` entries); call again.
		CasePartlyPurged { case: CaseId, removed: u32 },
		/// A closed case's storage is gone: its record, log, participants, invitations,
		/// accesses and requesters.
		CasePurged { case: CaseId },
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// No such case.
		UnknownCase,
		/// The account is not a trusted authority.
		NotAuthority,
		/// The account is already a trusted authority.
		AlreadyAuthority,
		/// [`Config::MaxAuthorities`] authorities exist.
		TooManyAuthorities,
		/// The account is not the case's trusted authority.
		NotCaseAuthority,
		/// The account is not a registered vendor.
		NotVendor,
		/// The account is already a registered vendor.
		AlreadyVendor,
		/// The vendor has [`Config::MaxProductsPerVendor`] products.
		TooManyProducts,
		/// The vendor already registered this product.
		ProductExists,
		/// The vendor has no such product.
		UnknownProduct,
		/// The account is not the vendor of the product (or of the case).
		NotProductVendor,
		/// The account is not a registered SW.
		NotWorker,
		/// The account is already a registered SW.
		AlreadyWorker,
		/// A case names no product, or more than its bound.
		BadProductList,
		/// A product is named twice in a case.
		DuplicateProduct,
		/// A product index past the case's list.
		UnknownCaseProduct,
		/// The account is not a participant of the case.
		NotParticipant,
		/// The case has [`Config::MaxParticipants`] participants.
		TooManyParticipants,
		/// The case's report is not in a state that allows this.
		WrongReportState,
		/// The embargo is not in a state that allows this.
		WrongEmbargoState,
		/// The embargo is live (proposed or active) and its deadline has not passed.
		EmbargoLive,
		/// The embargo's deadline has not passed.
		DeadlineNotReached,
		/// A state machine move its current state does not allow.
		InvalidTransition,
		/// The revised deadline lies in the past or past the policy's cap.
		DeadlineOutOfRange,
		/// The patch extension was already used.
		AlreadyExtended,
		/// The runtime's disclosure policy is invalid.
		InvalidPolicy,
		/// The case is already disclosed.
		AlreadyDisclosed,
		/// The case is closed.
		CaseClosed,
		/// The SW already has a live access to the case.
		AlreadyGranted,
		/// The SW's request was already decided in this cycle: ask again in the next one.
		AlreadyDecided,
		/// The SW's access to the case ended.
		AccessUsed,
		/// The SW has made [`Config::MaxRequestsPerCycle`] requests in this cycle.
		TooManyRequests,
		/// [`Config::MaxRequestersPerCase`] SWs are invited to the case.
		TooManyInvitations,
		/// The SW is already invited to the case.
		AlreadyInvited,
		/// The SW is not invited to the case: its vendors select who may ask.
		NotInvited,
		/// An SW consents to the embargo by asking for the case; it cannot withdraw it.
		WorkerConsents,
		/// The trust ledger holds no more accounts.
		LedgerFull,
		/// The case already has this TA.
		SameAuthority,
		/// A product is fixed only once each of its affected ranges names its fixed version
		/// (`set_product_ranges`): an advisory cannot say "fixed" and "affected from 2.0 on".
		RangeOpen,
		/// The SW has no access to the case in the state this needs.
		NoAccess,
		/// The contribution was already accepted.
		AlreadyContributed,
		/// No trust model is set.
		NoTrustModel,
		/// The trust model blob does not decode, or is not an 11 -> 1 network.
		BadTrustModel,
		/// The case's log holds [`Config::MaxLogEntriesPerCase`] entries (calls other than those
		/// that end the case leave the last `logs::END_RESERVE` free).
		CaseLogFull,
		/// This block's log holds [`Config::MaxLogEntriesPerBlock`] entries: try the next one.
		BlockLogFull,
		/// The deposit cannot be held (balance too low).
		InsufficientBalance,
		/// A product identifier, version or range is malformed.
		Malformed,
		/// A case that is not closed names the product.
		ProductInCase,
		/// The vendor still has products: deregister them first.
		VendorHasProducts,
		/// The SW has a granted or delivered access to a case that is not closed.
		AccessLive,
		/// The SW is barred for good: its record and deposit stay, so the bar does.
		Barred,
		/// The SW's record is worse than a fresh one's (alarms, conspirators, or beta trust
		/// below the prior): leaving and registering again would clean it.
		AdverseRecord,
		/// The SW asked for a case in this trust cycle: leaving and registering again would
		/// restart its request count. Leave in a later cycle.
		RequestedThisCycle,
		/// The case is not closed.
		NotClosed,
		/// The case was closed less than [`Config::CaseRetention`] blocks ago.
		RetentionNotOver,
	}

	impl<T> From<endo_uiv::Error> for Error<T> {
		fn from(error: endo_uiv::Error) -> Self {
			use endo_uiv::Error as E;
			match error {
				E::InvalidTransition | E::ConsentMissing => Error::InvalidTransition,
				E::EmbargoLive => Error::EmbargoLive,
				E::AlreadyExtended => Error::AlreadyExtended,
				E::DeadlineOutOfRange => Error::DeadlineOutOfRange,
				E::InvalidPolicy => Error::InvalidPolicy,
				E::TrustModel | E::InvalidAccessConfig => Error::BadTrustModel,
				_ => Error::Malformed,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Reserves the weight of the block's Merkle root (computed in `on_finalize`).
		fn on_initialize(_now: BlockNumberFor<T>) -> Weight {
			T::WeightInfo::on_finalize(T::MaxLogEntriesPerBlock::get())
		}

		/// Puts the Merkle root of the block's log entries in storage and in the header digest.
		fn on_finalize(now: BlockNumberFor<T>) {
			Self::seal_block_log(now);
		}

		/// Prunes the [`BlockLog`] and [`LogRoots`] of blocks [`Config::CaseRetention`] blocks
		/// old, at most [`crate::logs::MAX_PRUNE_PER_BLOCK`] blocks, within the weight left.
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_block_logs(now, remaining)
		}

		fn integrity_test() {
			assert!(T::Policy::get().validate().is_ok(), "the disclosure policy must be valid");
			assert!(T::AccessConfig::get().validate().is_ok(), "AccessConfig must be valid");
			assert!(T::ExpectedBlockTime::get() > 0, "ExpectedBlockTime must be > 0");
			assert!(T::CycleLength::get() > 0, "CycleLength must be > 0");
			let (start, end) = T::WorkingHours::get();
			assert!(start < end && end <= 24, "WorkingHours must be [start, end) within 0..=24");
			assert!(
				T::MaxLogEntriesPerBlock::get() <= 1 << endo_uiv::log::MAX_DEPTH.min(24),
				"MaxLogEntriesPerBlock must fit a proof's depth"
			);
			assert!(T::MaxParticipants::get() >= 3, "a case has at least 3 participants");
			assert!(
				T::CaseRetention::get() >= 1u32.into(),
				"CaseRetention must be at least one block"
			);
			assert!(T::MaxPurgePerCall::get() >= 1, "MaxPurgePerCall must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signer as a vendor named `name`; holds [`Config::VendorDeposit`].
		///
		/// Emits [`Event::VendorRegistered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_vendor())]
		pub fn register_vendor(origin: OriginFor<T>, name: Name) -> DispatchResult {
			let vendor = ensure_signed(origin)?;
			ensure!(!Vendors::<T>::contains_key(&vendor), Error::<T>::AlreadyVendor);
			let deposit = T::VendorDeposit::get();
			Self::hold(HoldReason::VendorDeposit, &vendor, deposit)?;
			Vendors::<T>::insert(&vendor, Vendor { name, deposit, products: 0 });
			Self::deposit_event(Event::VendorRegistered { vendor });
			Ok(())
		}

		/// Registers a product of the signing vendor (a package URL, validated); holds
		/// [`Config::ProductDeposit`] more.
		///
		/// Emits [`Event::ProductRegistered`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::register_product())]
		pub fn register_product(
			origin: OriginFor<T>,
			product: ProductId,
			name: Name,
		) -> DispatchResult {
			let vendor = ensure_signed(origin)?;
			let mut info = Vendors::<T>::get(&vendor).ok_or(Error::<T>::NotVendor)?;
			ensure!(info.products < T::MaxProductsPerVendor::get(), Error::<T>::TooManyProducts);
			ensure!(!Products::<T>::contains_key(&vendor, &product), Error::<T>::ProductExists);
			let deposit = T::ProductDeposit::get();
			Self::hold(HoldReason::VendorDeposit, &vendor, deposit)?;
			info.products = info.products.saturating_add(1);
			info.deposit = info.deposit.saturating_add(deposit);
			Vendors::<T>::insert(&vendor, info);
			Products::<T>::insert(&vendor, &product, name);
			Self::deposit_event(Event::ProductRegistered { vendor, product });
			Ok(())
		}

		/// Registers the signer as a security worker; holds [`Config::WorkerDeposit`] and
		/// enrols it in the trust ledger.
		///
		/// Emits [`Event::WorkerRegistered`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_worker())]
		pub fn register_worker(origin: OriginFor<T>) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			ensure!(!Workers::<T>::contains_key(&worker), Error::<T>::AlreadyWorker);
			let deposit = T::WorkerDeposit::get();
			// Either can fail; the call is transactional, so nothing stays.
			T::Evidence::enrol(&worker).map_err(|_| Error::<T>::LedgerFull)?;
			Self::hold(HoldReason::WorkerDeposit, &worker, deposit)?;
			Workers::<T>::insert(&worker, Worker { deposit, profile: Default::default() });
			Self::deposit_event(Event::WorkerRegistered { worker });
			Ok(())
		}

		/// Opens a case about `products` (each a registered product of its vendor, with the
		/// affected versions) with the TA `ta`, `severity`, and the SHA-256 of the report
		/// encrypted to the TA (`report_hash`). The first product's vendor is the case's vendor.
		/// A vendor opening a case about its own product only signs; anyone else needs
		/// [`Config::ReporterOrigin`]. Holds [`Config::CaseDeposit`]; the report is
		/// `Received` and an embargo of the policy's length is proposed (active at once if
		/// every participant already agrees: a vendor's own case).
		///
		/// Emits [`Event::CaseOpened`], [`Event::Logged`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::open_case())]
		pub fn open_case(
			origin: OriginFor<T>,
			ta: T::AccountId,
			products: BoundedVec<
				(T::AccountId, ProductId, Ranges),
				ConstU32<MAX_PRODUCTS_PER_CASE>,
			>,
			severity: Severity,
			report_hash: Hash,
		) -> DispatchResult {
			let opener = ensure_signed(origin.clone())?;
			let vendor = products.first().map(|p| p.0.clone()).ok_or(Error::<T>::BadProductList)?;
			if opener != vendor {
				T::ReporterOrigin::ensure_origin(origin)?;
			}
			Self::do_open_case(opener, ta, products, severity, report_hash)
		}

		/// The case's TA assesses the report: `Received -> Valid`, or `Invalid` (the embargo
		/// ends, the opener's deposit is burnt).
		///
		/// Emits [`Event::ReportStateChanged`], [`Event::Logged`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::assess_case())]
		pub fn assess_case(origin: OriginFor<T>, case: CaseId, valid: bool) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_assess_case(who, case, valid)
		}

		/// The case's vendor accepts the report (`Valid -> Accepted`) and the embargo: SWs may
		/// now ask for it.
		///
		/// Emits [`Event::ReportStateChanged`], [`Event::Logged`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::accept_case())]
		pub fn accept_case(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_case(who, case)
		}

		/// A participant accepts or declines the proposed embargo (and may change its mind).
		/// Once every participant accepted, the embargo is active; a decline while it is only
		/// proposed withdraws the proposal.
		///
		/// Emits [`Event::ConsentGiven`] (and [`Event::EmbargoChanged`], [`Event::Logged`]).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::consent_embargo())]
		pub fn consent_embargo(origin: OriginFor<T>, case: CaseId, accept: bool) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_consent_embargo(who, case, accept)
		}

		/// The case's TA moves a live embargo's deadline to `deadline_utc_ms` (not in the past,
		/// not past the policy's cap).
		///
		/// Emits [`Event::EmbargoChanged`], [`Event::Logged`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revise_embargo())]
		pub fn revise_embargo(
			origin: OriginFor<T>,
			case: CaseId,
			deadline_utc_ms: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revise_embargo(who, case, deadline_utc_ms)
		}

		/// A product's vendor sets its status for the case (`UnderInvestigation`, `Affected`,
		/// `NotAffected`, `Fixed`). `Fixed` under a live embargo extends the deadline once by
		/// the policy's patch extension.
		///
		/// Emits [`Event::ProductStatusChanged`] (and [`Event::EmbargoChanged`]),
		/// [`Event::Logged`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_product_status())]
		pub fn set_product_status(
			origin: OriginFor<T>,
			case: CaseId,
			product: u32,
			status: ProductStatus,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_product_status(who, case, product, status)
		}

		/// The case's TA or vendor reports exploitation in the wild: a live embargo's deadline
		/// becomes at most the policy's 7 days from now.
		///
		/// Emits [`Event::EmbargoChanged`], [`Event::Logged`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::note_exploited())]
		pub fn note_exploited(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_note_exploited(who, case)
		}

		/// Ends a live embargo whose deadline has passed. Anyone may call it.
		///
		/// Emits [`Event::EmbargoChanged`], [`Event::Logged`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::exit_embargo())]
		pub fn exit_embargo(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_exit_embargo(who, case)
		}

		/// A registered SW asks for an accepted case. The chain computes its trust (beta
		/// reputation and the FNN on its 11 features) and applies R1-R3: granted (the TA then
		/// delivers the package), refused, or deferred (semi-honest, for the leak guard's trap
		/// to decide); a known conspirator is barred for good. Once per case and cycle unless
		/// granted.
		///
		/// Emits [`Event::AccessDecided`] (and [`Event::WorkerBarred`]), [`Event::Logged`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::request_access())]
		pub fn request_access(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_request_access(worker, case)
		}

		/// The case's TA records the delivery of a granted SW's sealed package: the commitment
		/// to its access token (the token stays in the TA's node) and to the tracing token
		/// embedded in the package.
		///
		/// Emits [`Event::PackageDelivered`], [`Event::Logged`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::deliver_package())]
		pub fn deliver_package(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
			token_commitment: Hash,
			tracing_commitment: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deliver_package(who, case, worker, token_commitment, tracing_commitment)
		}

		/// The case's TA ends an SW's access: the token is renewed with a fresh nonce (the old
		/// one revoked) and the chain records the commitment to the new one. The session
		/// counts in the SW's profile and as good behaviour evidence.
		///
		/// Emits [`Event::AccessEnded`], [`Event::Logged`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::end_access())]
		pub fn end_access(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
			token_commitment: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_access(who, case, worker, token_commitment)
		}

		/// The case's vendor accepts a delivered SW's patch or mitigation: a contribution in the
		/// SW's profile and good behaviour evidence.
		///
		/// Emits [`Event::ContributionAccepted`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::accept_contribution())]
		pub fn accept_contribution(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_contribution(who, case, worker)
		}

		/// The case's TA discloses an accepted case: the plaintext report's SHA-256 and where
		/// it is published. A live embargo must have reached its deadline, or every product be
		/// fixed or not affected; it then ends.
		///
		/// Emits [`Event::CaseDisclosed`] (and [`Event::EmbargoChanged`]), [`Event::Logged`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::disclose())]
		pub fn disclose(
			origin: OriginFor<T>,
			case: CaseId,
			report_hash: Hash,
			uri: Uri,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_disclose(who, case, report_hash, uri)
		}

		/// The case's TA or vendor closes a disclosed or invalid case (never under a live
		/// embargo); the opener's deposit is returned unless the report was invalid. Accesses
		/// still live stop counting as live ([`LiveAccesses`]); its products are free to be
		/// deregistered if no other open case names them ([`ProductCases`]). It may be purged
		/// [`Config::CaseRetention`] blocks later.
		///
		/// Emits [`Event::CaseClosed`], [`Event::Logged`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::close_case(T::MaxRequestersPerCase::get()))]
		pub fn close_case(origin: OriginFor<T>, case: CaseId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_close_case(who, case)
		}

		/// Adds a trusted authority.
		///
		/// Emits [`Event::AuthorityAdded`].
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::add_authority())]
		pub fn add_authority(
			origin: OriginFor<T>,
			who: T::AccountId,
			report_key: [u8; 32],
			endpoint: Uri,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(!Authorities::<T>::contains_key(&who), Error::<T>::AlreadyAuthority);
			ensure!(
				Authorities::<T>::count() < T::MaxAuthorities::get(),
				Error::<T>::TooManyAuthorities
			);
			Authorities::<T>::insert(&who, Authority { report_key, endpoint });
			Self::deposit_event(Event::AuthorityAdded { who });
			Ok(())
		}

		/// Removes a trusted authority; it can no longer act on its cases.
		///
		/// Emits [`Event::AuthorityRemoved`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::remove_authority())]
		pub fn remove_authority(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Authorities::<T>::take(&who).ok_or(Error::<T>::NotAuthority)?;
			Self::deposit_event(Event::AuthorityRemoved { who });
			Ok(())
		}

		/// Sets the UIV-TSP trust network (an `endo_trust::TrustModel` blob, as `endo-ml`
		/// exports it; validated, an 11 -> 1 network). Its version increases by one.
		///
		/// Emits [`Event::TrustModelSet`].
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::set_trust_model())]
		pub fn set_trust_model(
			origin: OriginFor<T>,
			blob: BoundedVec<u8, ConstU32<{ crate::MAX_MODEL_BLOB }>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::checked_model(&blob)?;
			let version = TrustModelVersion::<T>::get().saturating_add(1);
			TrustModelBlob::<T>::put(blob);
			TrustModelVersion::<T>::put(version);
			Self::deposit_event(Event::TrustModelSet { version });
			Ok(())
		}

		/// A vendor of the case invites a registered SW to ask for it (at most
		/// [`Config::MaxRequestersPerCase`] per case). Only invited SWs can ask; trust still
		/// decides.
		///
		/// Emits [`Event::WorkerInvited`], [`Event::Logged`].
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::invite_worker())]
		pub fn invite_worker(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_invite_worker(who, case, worker)
		}

		/// A product's vendor sets the product's affected version ranges in the case (each
		/// validated), typically to name the fixed version once it exists.
		///
		/// Emits [`Event::ProductRangesSet`], [`Event::Logged`].
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::set_product_ranges())]
		pub fn set_product_ranges(
			origin: OriginFor<T>,
			case: CaseId,
			product: u32,
			ranges: Ranges,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_product_ranges(who, case, product, ranges)
		}

		/// Moves a case to another TA (when its TA stopped acting or was removed); the new TA
		/// becomes a participant in the old one's place.
		///
		/// Emits [`Event::CaseReassigned`], [`Event::Logged`].
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::reassign_case())]
		pub fn reassign_case(
			origin: OriginFor<T>,
			case: CaseId,
			ta: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_reassign_case(case, ta)
		}

		/// The signing vendor withdraws its product `product`, which no case that is not
		/// closed names; [`Config::ProductDeposit`] is returned. Closed cases keep naming it.
		///
		/// Emits [`Event::ProductDeregistered`].
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::deregister_product())]
		pub fn deregister_product(origin: OriginFor<T>, product: ProductId) -> DispatchResult {
			let vendor = ensure_signed(origin)?;
			Self::do_deregister_product(vendor, product)
		}

		/// The signing vendor, with no products left, leaves; its deposit is returned.
		///
		/// Emits [`Event::VendorDeregistered`].
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::deregister_vendor())]
		pub fn deregister_vendor(origin: OriginFor<T>) -> DispatchResult {
			let vendor = ensure_signed(origin)?;
			Self::do_deregister_vendor(vendor)
		}

		/// The signing SW leaves and its deposit is returned: not while it holds a live access
		/// to a case not closed, never once barred, and not while leaving and registering again
		/// would improve its record (see `deregister.rs`).
		///
		/// Emits [`Event::WorkerDeregistered`].
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::deregister_worker())]
		pub fn deregister_worker(origin: OriginFor<T>) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_deregister_worker(worker)
		}

		/// Removes up to `limit` (at most [`Config::MaxPurgePerCall`]) storage entries of a case
		/// closed at least [`Config::CaseRetention`] blocks ago: its accesses, invitations,
		/// participants and log entries, then its requesters and record. Anyone may call it;
		/// free when it removes a full batch ([`Config::MaxPurgePerCall`] entries) or finishes
		/// the case, charged for the work done otherwise.
		///
		/// Emits [`Event::CasePartlyPurged`] or [`Event::CasePurged`].
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::purge_case(
			(*limit).min(T::MaxPurgePerCall::get())
		))]
		pub fn purge_case(
			origin: OriginFor<T>,
			case: CaseId,
			limit: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_purge_case(case, limit)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Holds `amount` of `who` for `reason`.
		pub(crate) fn hold(
			reason: HoldReason,
			who: &T::AccountId,
			amount: BalanceOf<T>,
		) -> Result<(), Error<T>> {
			T::Currency::hold(&reason.into(), who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)
		}

		/// Releases up to `amount` of `who` held for `reason`; returns what was released.
		pub(crate) fn release(
			reason: HoldReason,
			who: &T::AccountId,
			amount: BalanceOf<T>,
		) -> BalanceOf<T> {
			T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)
				.unwrap_or_default()
		}

		/// Burns up to `amount` of `who` held for `reason`; returns what was burnt.
		pub(crate) fn burn(
			reason: HoldReason,
			who: &T::AccountId,
			amount: BalanceOf<T>,
		) -> BalanceOf<T> {
			T::Currency::burn_held(
				&reason.into(),
				who,
				amount,
				Precision::BestEffort,
				Fortitude::Force,
			)
			.unwrap_or_default()
		}

		/// The balance type's zero, for events.
		pub(crate) fn zero() -> BalanceOf<T> {
			<T::Currency as Inspect<T::AccountId>>::Balance::default()
		}
	}
}
