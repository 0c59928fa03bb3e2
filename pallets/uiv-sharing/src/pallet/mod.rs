//! The `#[frame_support::pallet]` module: configuration, hooks and calls, with its storage
//! and genesis (`storage.rs`) and its events and errors (`events.rs`) imported as sections.
//! The rules the calls apply live in the topic files (`cases.rs`, `access.rs`, `logs.rs`) and
//! in `endo-uiv`, so that this file reads as the interface.

mod events;
mod storage;

use crate::{types::*, weights::WeightInfo, BalanceOf, MAX_MODEL_BLOB};
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
#[frame_support::pallet_macros::import_section(storage::storage)]
#[frame_support::pallet_macros::import_section(events::events)]
#[frame_support::pallet]
#[allow(clippy::module_inception)] // `pallet/mod.rs` holds `mod pallet`, as in staking-async
pub mod pallet {
	use super::*;

	/// The in-code storage version: 1 added the counters [`ProductCases`] and
	/// [`LiveAccesses`] and the closing blocks [`ClosedAt`] (`crate::migrations::v1`); 2 the
	/// trace index [`Traces`] and the leak sightings [`LeakSightings`]
	/// (`crate::migrations::v2`), with the leak guard's [`LeakedCases`] and [`DepartedRecords`]
	/// (new and empty: nothing to migrate).
	pub(crate) const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

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

		/// The most leak sightings reported of one delivered package ([`Pallet::report_leak`]):
		/// each is a log entry and a stored sighting (only the first is an alarm in its SW's
		/// profile, and free), so they are bounded per package.
		#[pallet::constant]
		type MaxLeaksPerTrace: Get<u32>;

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
			assert!(T::MaxLeaksPerTrace::get() >= 1, "MaxLeaksPerTrace must be at least 1");
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
		/// enrols it in the trust ledger. An SW that left starts from what the leak guard found
		/// against it since ([`DepartedRecords`]: its alarms and conspirators), and one whose
		/// leaked trap barred it is refused ([`Error::Barred`]).
		///
		/// Emits [`Event::WorkerRegistered`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_worker())]
		pub fn register_worker(origin: OriginFor<T>) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_register_worker(worker)
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

		/// Ends a live embargo: anyone may once its deadline passed
		/// ([`endo_uiv::ExitReason::DeadlineReached`]); before it, the case's TA or one of its
		/// vendors may once a real package of the case leaked ([`LeakedCases`], set by
		/// [`Pallet::report_leak`] or [`Pallet::reveal_trap`];
		/// [`endo_uiv::ExitReason::Leaked`]). Anyone else, or without a leak, before the
		/// deadline: [`Error::DeadlineNotReached`].
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
		/// embedded in the package, which indexes the package's trace ([`Traces`], the real
		/// report). Each package of a case has its own tracing token.
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
		/// closed at least [`Config::CaseRetention`] blocks ago: its leak sightings, traces,
		/// accesses, invitations, participants, log entries and leak mark ([`LeakedCases`]),
		/// then its requesters and record. Anyone may call it;
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

		/// The case's TA delivers a sealed package to a deferred (R3, semi-honest) SW: the leak
		/// guard's trap of UIV-TSP Algorithm 3. As a grant and [`Pallet::deliver_package`]
		/// together (the SW joins the case, the access is live and `Delivered`, the same log
		/// entry and event), and `trap_commitment`
		/// (`endo_uiv::token::trap_commitment(tracing_commitment, trap, salt)`) hides whether
		/// the package is the real report or a false one: neither the chain nor the SW can
		/// tell until the TA reveals it ([`Pallet::reveal_trap`]).
		///
		/// Emits [`Event::PackageDelivered`], [`Event::Logged`].
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::deliver_deferred())]
		pub fn deliver_deferred(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
			token_commitment: Hash,
			tracing_commitment: Hash,
			trap_commitment: Hash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deliver_deferred(
				who,
				case,
				worker,
				token_commitment,
				tracing_commitment,
				trap_commitment,
			)
		}

		/// The case's TA opens the trap commitment of its deferred delivery to `worker`:
		/// `trap` (a false uiv, or the real report) and the `salt` it was made with. Once
		/// leaks of the package were reported, a trap's leak is the conspirator verdict (the
		/// SW is barred for good, in its [`DepartedRecords`] entry if it left) and a real
		/// report's leak marks the case leaked ([`LeakedCases`]: its TA or a vendor may end a
		/// live embargo, [`Pallet::exit_embargo`]). Any time before the case closes, after its
		/// disclosure too; it may use the log's end reserve, so a full log does not block it.
		/// Weighed as the verdict, the heavier.
		///
		/// Emits [`Event::TrapRevealed`] (and [`Event::WorkerBarred`]), [`Event::Logged`].
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::reveal_trap())]
		pub fn reveal_trap(
			origin: OriginFor<T>,
			case: CaseId,
			worker: T::AccountId,
			trap: bool,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_trap(who, case, worker, trap, salt)
		}

		/// Anyone reports a leak of a package of case `case` (UIV-TSP sec. 3.4-3.5) by showing
		/// its tracing token `tracing`, found at `source`: a self-check's feedback from an
		/// unlicensed host, or a leaked copy's watermark. The chain finds the SW from the
		/// token's commitment ([`Traces`]) and records the sighting ([`LeakSightings`], a log
		/// entry). The trace's first sighting, only, counts an alarm and a conspirator in the
		/// SW's profile (in its [`DepartedRecords`] entry if it left) and bad evidence in the
		/// trust ledger; a leak of the real report marks the case leaked ([`LeakedCases`]: its
		/// TA or a vendor may then end a live embargo, [`Pallet::exit_embargo`]), a leak of a
		/// revealed trap bars the SW. Once reported the token is public: later sightings are
		/// the leak's path and change no profile. Each host's feedback, and a copy, counts
		/// once per package, at most [`Config::MaxLeaksPerTrace`] times. The first true report
		/// of a package is free; a false, repeated or later one pays its fee. After the
		/// disclosure only leaks of a package that is or may be a trap are taken
		/// ([`Error::AlreadyDisclosed`] for the real report); none once the case is closed.
		/// Weighed as the heavier first sighting (a trap's verdict, or a real leak).
		///
		/// Emits [`Event::LeakReported`] (and [`Event::WorkerBarred`]), [`Event::Logged`].
		#[pallet::call_index(29)]
		#[pallet::weight(T::WeightInfo::report_leak().max(T::WeightInfo::report_leak_real()))]
		pub fn report_leak(
			origin: OriginFor<T>,
			case: CaseId,
			tracing: [u8; 32],
			source: LeakSource,
		) -> DispatchResultWithPostInfo {
			let reporter = ensure_signed(origin)?;
			Self::do_report_leak(reporter, case, tracing, source)
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
