//! The pallet's events and errors, a section of the `#[frame_support::pallet]` module in
//! `mod.rs` (imported there with `#[import_section]`).

use frame_support::pallet_macros::pallet_section;

/// Events and errors.
#[pallet_section]
mod events {
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
		/// A conspirator verdict barred an SW for good (one that left: it cannot register
		/// again, [`DepartedRecords`]).
		WorkerBarred { worker: T::AccountId },
		/// The TA delivered a sealed package and committed to its access token (the same event
		/// for a granted SW's real package and a deferred SW's package, real or trap).
		PackageDelivered { case: CaseId, worker: T::AccountId, token_commitment: Hash },
		/// The TA revealed whether a deferred SW's package was a trap (`trap`) or the real
		/// report.
		TrapRevealed { case: CaseId, worker: T::AccountId, trap: bool },
		/// `reporter` showed the tracing token of `worker`'s package of case `case`, found at
		/// `source`: a leak traced to the SW.
		LeakReported {
			case: CaseId,
			worker: T::AccountId,
			reporter: T::AccountId,
			source: LeakSource,
		},
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
		/// accesses, requesters, traces and leak sightings.
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
		/// The embargo's deadline has not passed (and the caller may not end it early: only the
		/// case's TA or a vendor may, once a real package of the case leaked, [`LeakedCases`]).
		DeadlineNotReached,
		/// A state machine move its current state does not allow.
		InvalidTransition,
		/// The revised deadline lies in the past or past the policy's cap.
		DeadlineOutOfRange,
		/// The patch extension was already used.
		AlreadyExtended,
		/// The runtime's disclosure policy is invalid.
		InvalidPolicy,
		/// The case is already disclosed (for a leak report: the leaked package is the real
		/// report, public now).
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
		/// The SW is barred for good: its record and deposit stay, so the bar does; an SW barred
		/// after it left cannot register again ([`DepartedRecords`]).
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
		/// The SW's access is not deferred (R3), or its delivery was not: only a deferred
		/// access gets a deferred delivery, and only that has a trap commitment to reveal.
		NotDeferred,
		/// The deferred delivery's trap commitment was already revealed.
		AlreadyRevealed,
		/// The flag and salt do not open the delivery's trap commitment.
		BadTrapReveal,
		/// No package of the case carries this tracing token: a false report (it pays its
		/// fee).
		UntracedToken,
		/// This sighting (the same host's feedback, or a copy) of the package was already
		/// reported.
		LeakAlreadyReported,
		/// The package has [`Config::MaxLeaksPerTrace`] leak reports.
		TooManyLeakReports,
		/// A feedback names the copy's source key ([`COPY_SOURCE`]) as its host.
		BadLeakSource,
		/// Another package of the case has this tracing commitment: each delivery needs its
		/// own tracing token.
		DuplicateTracing,
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
}
