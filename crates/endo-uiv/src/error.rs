//! The crate's one public error type.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Everything that can go wrong in `endo-uiv`.
///
/// Pallets turn it into their own `Error<T>` with a `From` impl (see `STYLE.md`, KILT).
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
pub enum Error {
	/// A state machine move that its current state does not allow.
	InvalidTransition,
	/// An embargo cannot become active before every participant has accepted it.
	ConsentMissing,
	/// A case cannot close while its embargo is proposed or active.
	EmbargoLive,
	/// The patch extension of an embargo was already used.
	AlreadyExtended,
	/// A requested embargo deadline lies past the policy's cap or before now.
	DeadlineOutOfRange,
	/// A disclosure policy whose durations are zero or exceed its cap, or a zero block time.
	InvalidPolicy,
	/// A CVSS vector that is not `CVSS:3.1/` followed by `/`-separated `metric:value` pairs.
	MalformedVector,
	/// A CVSS vector of another version than 3.1.
	UnsupportedVersion,
	/// A CVSS metric or value that the specification does not define.
	UnknownMetric,
	/// A CVSS temporal or environmental metric: only base vectors are accepted.
	UnsupportedMetric,
	/// A CVSS metric given twice.
	DuplicateMetric,
	/// A CVSS base metric missing from the vector.
	MissingMetric,
	/// A product identifier that is not an ASCII `pkg:type/[namespace/]name` package URL.
	MalformedProductId,
	/// A text longer than its bound.
	TooLong,
	/// A version that is not 1 to 4 dot-separated decimal `u32` components.
	MalformedVersion,
	/// A version range whose fixed version is not above its introduced version.
	EmptyRange,
	/// A log entry's `prev_link` differs from the chain's head before it (an entry removed,
	/// reordered, inserted or altered).
	ChainBroken,
	/// A log entry's sequence number is not the next one of its case.
	SequenceGap,
	/// A log entry of another case inside a case's chain.
	WrongCase,
	/// A case chain that does not start with `CaseOpened`, or opens twice.
	NotOpened,
	/// A trust value above one billion parts per billion.
	TrustOutOfRange,
	/// A token history link that is not the hash of its predecessor and commitment.
	HistoryRewritten,
	/// A leaf index at or past the number of leaves.
	IndexOutOfRange,
	/// More leaves than a `u32` counts, or a proof deeper than [`crate::log::MAX_DEPTH`].
	TooManyLeaves,
	/// An advisory that is incomplete or contradicts itself (std export).
	InvalidAdvisory,
	/// A trust model that is not an 11 -> 1 network.
	TrustModel,
	/// Access parameters with an invalid penalty, unordered thresholds or zero smoothing.
	InvalidAccessConfig,
	/// A text with no place for a tracing mark (no plain word followed by a space in its prose,
	/// nor in its comments): deliver it without one (`watermark`).
	NoRoomForMark,
	/// Tracing mark copies outside `1..=watermark::MAX_COPIES`, or a mark payload empty or
	/// longer than `watermark::MAX_PAYLOAD` bytes.
	InvalidMark,
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		let text = match self {
			Error::InvalidTransition => "state transition not allowed from the current state",
			Error::ConsentMissing => "not every participant accepted the embargo",
			Error::EmbargoLive => "the case cannot close under a proposed or active embargo",
			Error::AlreadyExtended => "the embargo's patch extension was already used",
			Error::DeadlineOutOfRange => "embargo deadline past the cap or in the past",
			Error::InvalidPolicy => "disclosure policy durations are zero or exceed the cap",
			Error::MalformedVector => "malformed CVSS vector string",
			Error::UnsupportedVersion => "CVSS version other than 3.1",
			Error::UnknownMetric => "unknown CVSS metric or value",
			Error::UnsupportedMetric => "CVSS temporal or environmental metric not accepted",
			Error::DuplicateMetric => "CVSS metric given twice",
			Error::MissingMetric => "CVSS base metric missing",
			Error::MalformedProductId => "product id is not an ASCII pkg:type/namespace/name URL",
			Error::TooLong => "text longer than its bound",
			Error::MalformedVersion => "version is not 1 to 4 dotted decimal components",
			Error::EmptyRange => "fixed version not above introduced version",
			Error::ChainBroken => "log entry does not link to the chain head before it",
			Error::SequenceGap => "log entry sequence number is not the next one",
			Error::WrongCase => "log entry belongs to another case",
			Error::NotOpened => "case chain does not start with exactly one CaseOpened",
			Error::TrustOutOfRange => "trust value above one billion parts per billion",
			Error::HistoryRewritten => "token history link does not match its predecessor",
			Error::IndexOutOfRange => "leaf index out of range",
			Error::TooManyLeaves => "too many leaves for a proof",
			Error::InvalidAdvisory => "advisory incomplete or inconsistent",
			Error::TrustModel => "trust model is not an 11 -> 1 network",
			Error::InvalidAccessConfig => {
				"invalid access parameters (penalty, thresholds or smoothing)"
			}
			Error::NoRoomForMark => "no place in the text for a tracing mark",
			Error::InvalidMark => "tracing mark copies or payload length out of range",
		};
		f.write_str(text)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
