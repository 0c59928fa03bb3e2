//! The pallet's storage types. The rules they follow (state machines, deadlines, trust, logs)
//! are `endo-uiv`'s. Cases and their participants, SWs' accesses and their token commitments,
//! and the leak guard's records (UIV-TSP sec. 3.4-3.5, Algorithm 3): a [`Trace`] per delivered
//! package, whether it is a trap ([`TrapFlag`]), the [`LeakSighting`]s reported of it, and the
//! [`DepartedRecord`] of an SW that left before its leak was found.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use endo_uiv::{
	access::{Assessment, SwProfile},
	log::Hash,
	token::TokenHistory,
	Consent, EmbargoClock, EmbargoState, Moment, ProductId, ProductStatus, ReportState, Severity,
	VersionRange,
};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

pub use endo_uiv::CaseId;

/// The most products (of one or more vendors) a case names.
pub const MAX_PRODUCTS_PER_CASE: u32 = 8;
/// The most affected version ranges per product of a case.
pub const MAX_RANGES_PER_PRODUCT: u32 = 8;
/// The longest name of a vendor or product, in bytes.
pub const MAX_NAME_LEN: u32 = 64;
/// The longest URI (a TA's endpoint, a disclosed report's location), in bytes.
pub const MAX_URI_LEN: u32 = 256;

/// A name (UTF-8, not checked: it is only shown).
pub type Name = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;
/// A URI (ASCII, not checked: it is only shown and fetched by clients).
pub type Uri = BoundedVec<u8, ConstU32<MAX_URI_LEN>>;
/// The affected ranges of a product.
pub type Ranges = BoundedVec<VersionRange, ConstU32<MAX_RANGES_PER_PRODUCT>>;

/// A trusted authority (TA, UIV-TSP sec. 3.2): it keeps the encrypted reports, decides nothing
/// itself (the chain applies R1-R3), and seals and delivers packages to granted SWs.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Authority {
	/// The TA's public key for reports (Ristretto255, as an sr25519 public key): vendors
	/// encrypt their reports to it.
	pub report_key: [u8; 32],
	/// Where its node serves reports and packages (an RPC endpoint).
	pub endpoint: Uri,
}

/// A registered vendor.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Vendor<Balance> {
	/// Its name.
	pub name: Name,
	/// The deposit held for the registration and its products.
	pub deposit: Balance,
	/// Products registered.
	pub products: u32,
}

/// A registered security worker (SW).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Worker<Balance> {
	/// The deposit held for the registration.
	pub deposit: Balance,
	/// What the chain knows of its behaviour: the inputs of its trust.
	pub profile: SwProfile,
}

/// A product named by a case, with its vendor's status for it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AffectedProduct<AccountId> {
	/// The product's vendor.
	pub vendor: AccountId,
	/// The product.
	pub product: ProductId,
	/// The affected versions.
	pub ranges: Ranges,
	/// The vendor's status (CSAF `product_status`).
	pub status: ProductStatus,
}

/// A case's public disclosure.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Disclosure {
	/// When.
	pub at: Moment,
	/// SHA-256 of the plaintext report now public.
	pub report_hash: Hash,
	/// Where it is published.
	pub uri: Uri,
}

/// A case's continuous log: its length and the head of its hash chain.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct LogHead {
	/// Entries so far (the next entry's `seq`).
	pub len: u32,
	/// The last entry's link (the case genesis before any entry).
	pub head: Hash,
}

/// This cycle's requests of a case: the collaborators' count and trust (UIV-TSP Table 1).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct CycleRequests {
	/// The cycle counted.
	pub cycle: u32,
	/// Distinct SWs that asked in it.
	pub requesters: u32,
	/// The sum of their beta trust when they asked, in parts per billion.
	pub trust_sum: u64,
}

/// A vulnerability case (UIV-TSP sec. 3.1; report, embargo and product states after CERT/CC's
/// Vultron protocol).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Case<AccountId, Balance> {
	/// Who opened it: the vendor, or a researcher reporting to it.
	pub opener: AccountId,
	/// The vendor it is reported to (the first product's vendor).
	pub vendor: AccountId,
	/// The TA that keeps the report and delivers packages.
	pub ta: AccountId,
	/// The products and versions affected.
	pub products: BoundedVec<AffectedProduct<AccountId>, ConstU32<MAX_PRODUCTS_PER_CASE>>,
	/// CVSS 3.1 base vector or SSVC decision points.
	pub severity: Severity,
	/// SHA-256 of the encrypted report the TA keeps (its key there).
	pub report_hash: Hash,
	/// The paper's vulmeta hash: SHA-256 over the case's identity, vendor, products, severity
	/// and report hash, fixed at opening ([`crate::Pallet::vul_meta_hash`]).
	pub vul_meta_hash: Hash,
	/// The report's state.
	pub report: ReportState,
	/// The embargo's state.
	pub embargo: EmbargoState,
	/// The embargo's start, deadline and cap.
	pub clock: EmbargoClock,
	/// Exploited in the wild (the embargo was cut short).
	pub exploited: bool,
	/// The opener's deposit (held until the case closes; burnt if the report is invalid).
	pub deposit: Balance,
	/// When it was opened.
	pub opened: Moment,
	/// Its disclosure, once public.
	pub disclosed: Option<Disclosure>,
	/// Participants with a say in the embargo.
	pub participants: u32,
	/// SWs its vendors invited.
	pub invited: u32,
	/// Distinct SWs that ever asked for it.
	pub requesters: u32,
	/// This cycle's requests.
	pub this_cycle: CycleRequests,
	/// Its continuous log.
	pub log: LogHead,
}

/// A participant's role in a case.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Role {
	/// The vendor of a product of the case.
	#[codec(index = 0)]
	Vendor,
	/// The researcher who opened it.
	#[codec(index = 1)]
	Reporter,
	/// The case's TA (the coordinator).
	#[codec(index = 2)]
	Coordinator,
	/// An SW granted access.
	#[codec(index = 3)]
	Worker,
}

/// A participant: its role and its consent to the embargo.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Participant {
	/// Its role.
	pub role: Role,
	/// Its consent to the embargo.
	pub consent: Consent,
}

/// Where an SW's access to a case stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum AccessState {
	/// R2 (or barred): refused; it may ask again in a later cycle.
	#[codec(index = 0)]
	Refused,
	/// R3: neither granted nor refused; the trap of the leak guard decides (it may ask again
	/// in a later cycle meanwhile): the TA may deliver it a package, real or a trap
	/// (`deliver_deferred`), which makes it `Delivered`.
	#[codec(index = 1)]
	Deferred,
	/// R1: granted; the TA seals and delivers the package.
	#[codec(index = 2)]
	Granted,
	/// The TA delivered the package and committed to its access token.
	#[codec(index = 3)]
	Delivered,
	/// The access ended; the TA renewed (revoked) the token.
	#[codec(index = 4)]
	Ended,
}

/// An SW's access to a case.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Access {
	/// Where it stands.
	pub state: AccessState,
	/// The last request's trust and decision.
	pub assessment: Assessment,
	/// The cycle of the last request.
	pub cycle: u32,
	/// When it last asked.
	pub requested: Moment,
	/// When the package was delivered.
	pub delivered: Option<Moment>,
	/// Commitments to its access tokens: the original and every renewal.
	pub tokens: Option<TokenHistory>,
	/// Commitment to the tracing token embedded in the delivered package (its [`Trace`]'s
	/// key).
	pub tracing_commitment: Option<Hash>,
	/// It contributed a patch or mitigation to the case.
	pub contributed: bool,
}

/// Whether a delivered package is the real report or a trap (UIV-TSP Algorithm 3): the leak
/// guard's answer to a semi-honest (R3, deferred) SW.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum TrapFlag {
	/// A granted (R1) delivery: always the real report.
	#[codec(index = 0)]
	Real,
	/// A deferred (R3) delivery: the TA's hidden commitment to real or trap
	/// (`endo_uiv::token::trap_commitment`), so that neither the chain nor the SW can tell
	/// them apart until the TA reveals it.
	#[codec(index = 1)]
	Committed(Hash),
	/// A deferred delivery, revealed by the TA: `true` if the package was a trap (a false
	/// uiv), `false` if it was the real report.
	#[codec(index = 2)]
	Revealed(bool),
}

impl TrapFlag {
	/// Whether a leak of the package leaked the real report: a granted delivery, or a
	/// deferred one revealed real. `None` while the deferred one is not revealed.
	pub fn is_real(&self) -> Option<bool> {
		match self {
			TrapFlag::Real => Some(true),
			TrapFlag::Committed(_) => None,
			TrapFlag::Revealed(trap) => Some(!*trap),
		}
	}
}

/// A delivered package, found by the commitment to its tracing token (UIV-TSP sec. 3.2.2): who
/// it was delivered to, when, whether it is a trap, and how many leaks of it were reported.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Trace<AccountId> {
	/// The SW the package was delivered to.
	pub worker: AccountId,
	/// When it was delivered.
	pub delivered_at: Moment,
	/// Real report or trap.
	pub trap: TrapFlag,
	/// Leak sightings reported (at most [`crate::Config::MaxLeaksPerTrace`]).
	pub leaks: u32,
	/// A sighting from the SW's own key: the feedback of the package's self-check, signed by
	/// the SW (only its key opens the package's header), from a host of its own that is not
	/// the licensed one. A slip, not a conspirator.
	pub own_leak: bool,
	/// A sighting from anyone else, or of a leaked copy: the package's content left the SW.
	pub external_leak: bool,
}

/// Where a leaked tracing token was found (UIV-TSP sec. 3.4).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum LeakSource {
	/// The package's self-check ran on a host it was not delivered to and reported home.
	#[codec(index = 0)]
	Feedback {
		/// The `host_id` of the unlicensed host that ran the self-check
		/// (`endo_uiv::package`); never [`COPY_SOURCE`].
		host: Hash,
		/// When the self-check ran, as it reports (unix ms; not checked).
		at: u64,
	},
	/// A leaked plaintext copy of the report whose watermark carried the token: its holder
	/// is an unlicensed host.
	#[codec(index = 1)]
	Copy,
}

/// The source key of every [`LeakSource::Copy`] sighting: one copy sighting per trace. A
/// `host_id` is a SHA-256 output, all zeros only with negligible probability; a feedback
/// naming it is refused.
pub const COPY_SOURCE: Hash = [0u8; 32];

impl LeakSource {
	/// The key a sighting is deduplicated by: the host for a feedback, [`COPY_SOURCE`] for a
	/// copy.
	pub fn key(&self) -> Hash {
		match self {
			LeakSource::Feedback { host, .. } => *host,
			LeakSource::Copy => COPY_SOURCE,
		}
	}
}

/// A reported leak of a traced package.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct LeakSighting<AccountId> {
	/// Who reported it (and showed the tracing token).
	pub reporter: AccountId,
	/// The block it was reported in.
	pub at_block: u32,
	/// Where the token was found.
	pub source: LeakSource,
}

/// What the leak guard holds against an SW that left ([`crate::Pallet::deregister_worker`])
/// before a leak of its package was found or its trap revealed: the alarms and conspirators a
/// profile would have counted, and the conspirator verdict. Registering again starts from it
/// (or is refused, once barred): leaving does not escape the verdict.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct DepartedRecord {
	/// Leaks traced to the SW after it left (one per trace).
	pub alarms: u32,
	/// Distinct conspirators those leaks named.
	pub conspirators: u32,
	/// A trap of its leaked: barred for good, it cannot register again.
	pub barred: bool,
}
