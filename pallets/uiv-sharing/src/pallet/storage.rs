//! The pallet's storage and genesis, a section of the `#[frame_support::pallet]` module in
//! `mod.rs` (imported there with `#[import_section]`).

use frame_support::pallet_macros::pallet_section;

/// Storage items and the genesis configuration.
#[pallet_section]
mod storage {
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
	/// (no entry: none). Raised when `request_access` grants and when `deliver_deferred`
	/// delivers to a deferred SW, lowered by `end_access` and by
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

	/// Every delivered package of a case, by the commitment to its tracing token
	/// (`endo_uiv::token::commitment`): the SW it went to, when, whether it is a trap, and how
	/// many leaks of it were reported. Written by `deliver_package` (real) and
	/// `deliver_deferred` (the TA's hidden trap commitment); a leak report finds the SW here
	/// from the token it shows. Removed with the case.
	///
	/// # Security
	///
	/// The commitment is a hash whose preimage (the tracing token) only the TA and the
	/// package hold, but the chain cannot check that the 32 bytes the TA sends are one: the
	/// key is chosen by a caller, so it is hashed (`Blake2_128Concat`), which costs 16 bytes a
	/// trace and keeps the trie balanced whatever the TA's node sends.
	///
	/// Once a token is reported it is public, so anyone can report more sightings of it with
	/// made-up hosts. Only a trace's first sighting (`leaks` 0 -> 1) touches its SW (an alarm,
	/// a conspirator, `LeakReported` evidence, the verdict of a revealed trap) or marks its
	/// case leaked ([`LeakedCases`]), and only it is free: later sightings are recorded (the
	/// leak's path) but change no profile and pay their fee.
	#[pallet::storage]
	pub type Traces<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CaseId,
		Blake2_128Concat,
		Hash,
		Trace<T::AccountId>,
		OptionQuery,
	>;

	/// Leak sightings: (case, tracing commitment, source key) -> who reported it, when and
	/// where. The source key is the unlicensed host's `host_id` for a self-check's feedback
	/// and [`COPY_SOURCE`] for a leaked copy ([`LeakSource::key`]): one report per host, and
	/// one copy, per trace; at most [`Config::MaxLeaksPerTrace`] per trace. Removed with the
	/// case.
	///
	/// # Security
	///
	/// Reporters choose the host keys (`Blake2_128Concat`); a report needs the package's
	/// tracing token, and once one is on chain the token is public: anyone may then add
	/// sightings with made-up hosts. So only the first sighting of a trace changes its SW's
	/// record or is free ([`Traces`]); the others pay their fee and are bounded by
	/// [`Config::MaxLeaksPerTrace`] per trace (log entries and storage).
	#[pallet::storage]
	pub type LeakSightings<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, CaseId>,
			NMapKey<Blake2_128Concat, Hash>,
			NMapKey<Blake2_128Concat, Hash>,
		),
		LeakSighting<T::AccountId>,
		OptionQuery,
	>;

	/// The cases with a verified leak of a real package: a trace of the real report (a
	/// granted delivery, or a deferred one revealed real) got its first sighting, or the
	/// reveal of a leaked deferred delivery showed it real. The value is the block it was
	/// found in (the first time). The case's TA and vendors may then end its live embargo
	/// before the deadline ([`Pallet::exit_embargo`], `ExitReason::Leaked`). A trap's leak
	/// never marks a case: its content is false. Removed with the case.
	///
	/// # Security
	///
	/// A leak report does not end the embargo itself: the SW knows its own package's tracing
	/// token and could otherwise end any embargo for free by reporting it. The mark only lets
	/// the case's TA and vendors, who lose by a leak and gain nothing by an early end, decide.
	#[pallet::storage]
	pub type LeakedCases<T: Config> =
		StorageMap<_, Twox64Concat, CaseId, BlockNumberFor<T>, OptionQuery>;

	/// What the leak guard found against SWs that left ([`Pallet::deregister_worker`]): the
	/// alarms and conspirators of leaks traced to them after they left, and the conspirator
	/// verdict of a leaked trap. [`Pallet::register_worker`] refuses a barred account and
	/// starts any other from its record, which it then removes.
	///
	/// # Security
	///
	/// Without it an SW could leave (its record clean: leaving is refused with alarms) before
	/// a leak of its package is found, and come back with a fresh profile. Bounded: at most
	/// one entry per account that ever had a trace, and a trace needs a delivery by a TA to a
	/// registered SW (which held a deposit); the key is hashed (`Blake2_128Concat`).
	#[pallet::storage]
	pub type DepartedRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DepartedRecord, OptionQuery>;

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
		StorageValue<_, BoundedVec<u8, ConstU32<{ MAX_MODEL_BLOB }>>, OptionQuery>;

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
}
