//! The coordinated-disclosure state machines of a vulnerability case, and the disclosure policy
//! that sets embargo deadlines.
//!
//! As in CERT/CC's Vultron protocol, the report's validity ([`ReportState`], Vultron's RM
//! model), the embargo ([`EmbargoState`], the EM model) and each participant's agreement
//! ([`Consent`]) are separate machines; a vendor's [`ProductStatus`] follows the CSAF 2.0
//! product-status groups (`under_investigation`, `known_affected`, `known_not_affected`,
//! `fixed`). The one rule that ties them: a case does not close while its embargo is live
//! ([`can_close`]).
//!
//! In UIV-TSP (paper 002, sec. 3.1) a case is the life of one undisclosed vulnerability from
//! submission to the release of its patch; the embargo is the period in which SWs may access it
//! only through the TA's dynamic tokens.
//!
//! # Policy
//!
//! [`DisclosurePolicy::default`] holds the runtime's defaults, taken from published practice:
//! Google Project Zero's 90-day deadline with a 30-day extension once a patch ships, and its
//! 7 days for vulnerabilities exploited in the wild; CERT/CC's shorter 45-day default
//! fits within the same rules (set `embargo_ms` to 45 days). The cap (`max_embargo_ms`, 120 days
//! by default, 90 + 30) bounds every extension and revision.

use crate::Error;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The validity of a report (Vultron's report-management model, without its `Deferred` state).
///
/// Legal moves:
///
/// | from | to |
/// |---|---|
/// | `Received` | `Valid`, `Invalid` |
/// | `Valid` | `Accepted`, `Invalid` |
/// | `Invalid` | `Valid` (re-validated on new information, as in Vultron), `Closed` |
/// | `Accepted` | `Closed` |
/// | `Closed` | none (terminal) |
///
/// `Received -> Closed` is refused: a report is first judged `Invalid`, so the case log always
/// records why a report closed unaccepted (a defence against report spam that leaves no trace).
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
pub enum ReportState {
	/// Submitted, not yet assessed.
	#[codec(index = 0)]
	Received,
	/// Assessed as a real vulnerability in scope.
	#[codec(index = 1)]
	Valid,
	/// Assessed as not a vulnerability, a duplicate or out of scope.
	#[codec(index = 2)]
	Invalid,
	/// The vendor works on it.
	#[codec(index = 3)]
	Accepted,
	/// Finished (disclosed, or invalid and closed).
	#[codec(index = 4)]
	Closed,
}

impl ReportState {
	/// All states, for exhaustive checks.
	pub const ALL: [ReportState; 5] = [
		ReportState::Received,
		ReportState::Valid,
		ReportState::Invalid,
		ReportState::Accepted,
		ReportState::Closed,
	];

	/// Whether `self -> to` is a legal move.
	pub fn can_transition(self, to: ReportState) -> bool {
		use ReportState::*;
		matches!(
			(self, to),
			(Received, Valid)
				| (Received, Invalid)
				| (Valid, Accepted)
				| (Valid, Invalid)
				| (Invalid, Valid)
				| (Invalid, Closed)
				| (Accepted, Closed)
		)
	}

	/// The state after the move `self -> to`, or [`Error::InvalidTransition`].
	pub fn transition(self, to: ReportState) -> Result<ReportState, Error> {
		if self.can_transition(to) {
			Ok(to)
		} else {
			Err(Error::InvalidTransition)
		}
	}

	/// Whether no move leaves this state.
	pub fn is_terminal(self) -> bool {
		self == ReportState::Closed
	}
}

/// Why an embargo ended.
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
pub enum ExitReason {
	/// The deadline passed.
	#[codec(index = 0)]
	DeadlineReached,
	/// The participants published (a patch and its advisory) before the deadline.
	#[codec(index = 1)]
	Disclosed,
	/// Details became public or attacks were seen: keeping the embargo protects no one.
	#[codec(index = 2)]
	ExploitedInTheWild,
	/// The report was found invalid: there is nothing to embargo.
	#[codec(index = 3)]
	ReportInvalid,
	/// The undisclosed details left a licensed host (a leak of the real report was traced,
	/// UIV-TSP sec. 3.4-3.5): the public may be aware, so keeping the embargo protects no one.
	#[codec(index = 4)]
	Leaked,
}

/// The embargo of a case (Vultron's embargo-management model; its `Revise` state is the
/// [`EmbargoState::revise`] move, which keeps the embargo `Active`).
///
/// Moves: [`propose`](Self::propose) `None -> Proposed`; [`reject`](Self::reject)
/// `Proposed -> None`; [`accept`](Self::accept) `Proposed -> Active` once every participant
/// accepted; [`revise`](Self::revise) `Active -> Active`; [`exit`](Self::exit)
/// `Proposed | Active -> Exited`. `Exited` is terminal: a case has at most one embargo.
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
pub enum EmbargoState {
	/// No embargo proposed.
	#[codec(index = 0)]
	None,
	/// Proposed, waiting for every participant's consent.
	#[codec(index = 1)]
	Proposed,
	/// In force: nothing is disclosed before its deadline.
	#[codec(index = 2)]
	Active,
	/// Ended; the case may be disclosed.
	#[codec(index = 3)]
	Exited,
}

impl EmbargoState {
	/// All states, for exhaustive checks.
	pub const ALL: [EmbargoState; 4] =
		[EmbargoState::None, EmbargoState::Proposed, EmbargoState::Active, EmbargoState::Exited];

	/// Whether the embargo binds the participants: `Proposed` or `Active` (Vultron treats a
	/// proposed embargo as binding until it is rejected).
	pub fn is_live(self) -> bool {
		matches!(self, EmbargoState::Proposed | EmbargoState::Active)
	}

	/// `None -> Proposed`.
	pub fn propose(self) -> Result<EmbargoState, Error> {
		match self {
			EmbargoState::None => Ok(EmbargoState::Proposed),
			_ => Err(Error::InvalidTransition),
		}
	}

	/// `Proposed -> None`: a participant refused the proposal.
	pub fn reject(self) -> Result<EmbargoState, Error> {
		match self {
			EmbargoState::Proposed => Ok(EmbargoState::None),
			_ => Err(Error::InvalidTransition),
		}
	}

	/// `Proposed -> Active`, once `consents` is non-empty and every one is
	/// [`Consent::Accepted`] (else [`Error::ConsentMissing`]).
	pub fn accept(self, consents: &[Consent]) -> Result<EmbargoState, Error> {
		if self != EmbargoState::Proposed {
			return Err(Error::InvalidTransition);
		}
		if !Consent::all_accepted(consents) {
			return Err(Error::ConsentMissing);
		}
		Ok(EmbargoState::Active)
	}

	/// `Active -> Active`: the terms (the deadline, see [`EmbargoClock::revise_to`]) change while
	/// the embargo stays in force.
	pub fn revise(self) -> Result<EmbargoState, Error> {
		match self {
			EmbargoState::Active => Ok(EmbargoState::Active),
			_ => Err(Error::InvalidTransition),
		}
	}

	/// `Proposed | Active -> Exited`, for any [`ExitReason`].
	pub fn exit(self, _reason: ExitReason) -> Result<EmbargoState, Error> {
		if self.is_live() {
			Ok(EmbargoState::Exited)
		} else {
			Err(Error::InvalidTransition)
		}
	}
}

/// One participant's answer to an embargo proposal.
///
/// Moves: `Pending -> Accepted | Declined`, and `Accepted <-> Declined` (a participant may
/// withdraw or reconsider); nothing returns to `Pending`.
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
pub enum Consent {
	/// Not answered yet.
	#[default]
	#[codec(index = 0)]
	Pending,
	/// Agrees to the embargo.
	#[codec(index = 1)]
	Accepted,
	/// Refuses the embargo.
	#[codec(index = 2)]
	Declined,
}

impl Consent {
	/// All answers, for exhaustive checks.
	pub const ALL: [Consent; 3] = [Consent::Pending, Consent::Accepted, Consent::Declined];

	/// Whether `self -> to` is a legal move.
	pub fn can_transition(self, to: Consent) -> bool {
		use Consent::*;
		matches!(
			(self, to),
			(Pending, Accepted) | (Pending, Declined) | (Accepted, Declined) | (Declined, Accepted)
		)
	}

	/// The answer after the move `self -> to`, or [`Error::InvalidTransition`].
	pub fn transition(self, to: Consent) -> Result<Consent, Error> {
		if self.can_transition(to) {
			Ok(to)
		} else {
			Err(Error::InvalidTransition)
		}
	}

	/// Whether `consents` is non-empty and all [`Consent::Accepted`].
	pub fn all_accepted(consents: &[Consent]) -> bool {
		!consents.is_empty() && consents.iter().all(|c| *c == Consent::Accepted)
	}
}

/// The status of one vendor product in a case (CSAF 2.0 product-status groups).
///
/// Moves:
///
/// | from | to |
/// |---|---|
/// | `UnderInvestigation` | `Affected`, `NotAffected` |
/// | `Affected` | `Fixed`, `NotAffected` (re-assessed) |
/// | `NotAffected` | `Affected` (re-assessed) |
/// | `Fixed` | `Affected` (the fix was incomplete) |
///
/// `Fixed` is reachable only from `Affected`; nothing returns to `UnderInvestigation`.
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
pub enum ProductStatus {
	/// Not yet assessed.
	#[default]
	#[codec(index = 0)]
	UnderInvestigation,
	/// Vulnerable, no fix released.
	#[codec(index = 1)]
	Affected,
	/// Not vulnerable.
	#[codec(index = 2)]
	NotAffected,
	/// A fixed version is released.
	#[codec(index = 3)]
	Fixed,
}

impl ProductStatus {
	/// All statuses, for exhaustive checks.
	pub const ALL: [ProductStatus; 4] = [
		ProductStatus::UnderInvestigation,
		ProductStatus::Affected,
		ProductStatus::NotAffected,
		ProductStatus::Fixed,
	];

	/// Whether `self -> to` is a legal move.
	pub fn can_transition(self, to: ProductStatus) -> bool {
		use ProductStatus::*;
		matches!(
			(self, to),
			(UnderInvestigation, Affected)
				| (UnderInvestigation, NotAffected)
				| (Affected, Fixed)
				| (Affected, NotAffected)
				| (NotAffected, Affected)
				| (Fixed, Affected)
		)
	}

	/// The status after the move `self -> to`, or [`Error::InvalidTransition`].
	pub fn transition(self, to: ProductStatus) -> Result<ProductStatus, Error> {
		if self.can_transition(to) {
			Ok(to)
		} else {
			Err(Error::InvalidTransition)
		}
	}
}

/// Whether a case in `report` state under `embargo` may move to [`ReportState::Closed`]: the
/// report move must be legal and the embargo not live.
pub fn can_close(report: ReportState, embargo: EmbargoState) -> bool {
	!embargo.is_live() && report.can_transition(ReportState::Closed)
}

/// Closes a case: [`Error::EmbargoLive`] under a live embargo, else the report's move to
/// `Closed`.
pub fn close(report: ReportState, embargo: EmbargoState) -> Result<ReportState, Error> {
	if embargo.is_live() {
		return Err(Error::EmbargoLive);
	}
	report.transition(ReportState::Closed)
}

/// A point in chain time: a block number and the UTC time of that block (`pallet_timestamp`,
/// milliseconds since the Unix epoch).
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
pub struct Moment {
	/// Block number.
	pub block: u32,
	/// UTC milliseconds since the Unix epoch.
	pub utc_ms: u64,
}

/// An embargo deadline: the UTC time, and the block expected at that time (from the block time),
/// by which a pallet can schedule the exit.
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
pub struct Deadline {
	/// The block expected at `utc_ms`.
	pub block: u32,
	/// UTC milliseconds since the Unix epoch.
	pub utc_ms: u64,
}

impl Deadline {
	/// `ms` after `now`: `utc_ms = now.utc_ms + ms`, `block = now.block + ceil(ms / block_time_ms)`
	/// (both saturating). [`Error::InvalidPolicy`] for a zero block time.
	pub fn after(now: Moment, ms: u64, block_time_ms: u64) -> Result<Deadline, Error> {
		if block_time_ms == 0 {
			return Err(Error::InvalidPolicy);
		}
		let blocks = ms.div_ceil(block_time_ms);
		let blocks = u32::try_from(blocks).unwrap_or(u32::MAX);
		Ok(Deadline {
			block: now.block.saturating_add(blocks),
			utc_ms: now.utc_ms.saturating_add(ms),
		})
	}

	/// This deadline moved `ms` later (block estimate moved by `ceil(ms / block_time_ms)`).
	pub fn later_by(self, ms: u64, block_time_ms: u64) -> Result<Deadline, Error> {
		Deadline::after(Moment { block: self.block, utc_ms: self.utc_ms }, ms, block_time_ms)
	}

	/// The earlier of the two, field by field.
	pub fn min(self, other: Deadline) -> Deadline {
		Deadline { block: self.block.min(other.block), utc_ms: self.utc_ms.min(other.utc_ms) }
	}

	/// Whether `self` is no later than `other` in both fields.
	pub fn not_after(self, other: Deadline) -> bool {
		self.block <= other.block && self.utc_ms <= other.utc_ms
	}

	/// Whether the deadline has passed at `now`: whichever of the block and the time comes first.
	pub fn is_reached(self, now: Moment) -> bool {
		now.block >= self.block || now.utc_ms >= self.utc_ms
	}
}

/// The durations of the disclosure policy, in milliseconds. See the module docs for their
/// sources; the runtime's defaults are [`DisclosurePolicy::default`].
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
pub struct DisclosurePolicy {
	/// The embargo's initial length (default 90 days).
	pub embargo_ms: u64,
	/// Added once, when a patch is released before the deadline (default 30 days).
	pub patch_extension_ms: u64,
	/// The longest an embargo lasts once exploitation in the wild is known (default 7 days).
	pub exploited_ms: u64,
	/// No deadline lies further than this from the embargo's start (default 120 days).
	pub max_embargo_ms: u64,
}

impl Default for DisclosurePolicy {
	fn default() -> Self {
		DisclosurePolicy {
			embargo_ms: 90 * DAY_MS,
			patch_extension_ms: 30 * DAY_MS,
			exploited_ms: 7 * DAY_MS,
			max_embargo_ms: 120 * DAY_MS,
		}
	}
}

impl DisclosurePolicy {
	/// [`Error::InvalidPolicy`] unless `0 < embargo_ms <= max_embargo_ms` and
	/// `0 < exploited_ms <= max_embargo_ms`.
	pub fn validate(&self) -> Result<(), Error> {
		let ok = self.embargo_ms > 0
			&& self.exploited_ms > 0
			&& self.embargo_ms <= self.max_embargo_ms
			&& self.exploited_ms <= self.max_embargo_ms;
		if ok {
			Ok(())
		} else {
			Err(Error::InvalidPolicy)
		}
	}

	/// Starts an embargo at `now`: deadline `now + embargo_ms`, cap `now + max_embargo_ms`.
	pub fn start(&self, now: Moment, block_time_ms: u64) -> Result<EmbargoClock, Error> {
		self.validate()?;
		let cap = Deadline::after(now, self.max_embargo_ms, block_time_ms)?;
		let deadline = Deadline::after(now, self.embargo_ms, block_time_ms)?.min(cap);
		Ok(EmbargoClock { started: now, deadline, cap, patch_extended: false })
	}
}

/// The deadline of one embargo and what has moved it. Every method keeps
/// `deadline.not_after(cap)`.
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
pub struct EmbargoClock {
	/// When the embargo started.
	pub started: Moment,
	/// When it ends.
	pub deadline: Deadline,
	/// The latest the deadline may be: `started + max_embargo_ms`.
	pub cap: Deadline,
	/// Whether the patch extension was used.
	pub patch_extended: bool,
}

impl EmbargoClock {
	/// A patch was released: the deadline moves `patch_extension_ms` later, once, never past the
	/// cap ([`Error::AlreadyExtended`] the second time).
	pub fn patch_released(
		self,
		policy: &DisclosurePolicy,
		block_time_ms: u64,
	) -> Result<EmbargoClock, Error> {
		if self.patch_extended {
			return Err(Error::AlreadyExtended);
		}
		let deadline =
			self.deadline.later_by(policy.patch_extension_ms, block_time_ms)?.min(self.cap);
		Ok(EmbargoClock { deadline, patch_extended: true, ..self })
	}

	/// Exploitation in the wild became known at `now`: the deadline becomes
	/// `min(deadline, now + exploited_ms)`.
	pub fn exploited(
		self,
		policy: &DisclosurePolicy,
		now: Moment,
		block_time_ms: u64,
	) -> Result<EmbargoClock, Error> {
		let soon = Deadline::after(now, policy.exploited_ms, block_time_ms)?;
		Ok(EmbargoClock { deadline: self.deadline.min(soon).min(self.cap), ..self })
	}

	/// The participants revised the deadline at `now` to `utc_ms` (earlier or later):
	/// [`Error::DeadlineOutOfRange`] when it lies before `now` or past the cap.
	pub fn revise_to(
		self,
		now: Moment,
		utc_ms: u64,
		block_time_ms: u64,
	) -> Result<EmbargoClock, Error> {
		let ms = utc_ms.checked_sub(now.utc_ms).ok_or(Error::DeadlineOutOfRange)?;
		let deadline = Deadline::after(now, ms, block_time_ms)?;
		if !deadline.not_after(self.cap) {
			return Err(Error::DeadlineOutOfRange);
		}
		Ok(EmbargoClock { deadline, ..self })
	}

	/// Whether the embargo's deadline has passed at `now`.
	pub fn is_reached(&self, now: Moment) -> bool {
		self.deadline.is_reached(now)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const BLOCK_MS: u64 = 6_000;

	#[test]
	fn report_moves_are_exactly_the_documented_ones() {
		use ReportState::*;
		let legal = [
			(Received, Valid),
			(Received, Invalid),
			(Valid, Accepted),
			(Valid, Invalid),
			(Invalid, Valid),
			(Invalid, Closed),
			(Accepted, Closed),
		];
		for from in ReportState::ALL {
			for to in ReportState::ALL {
				let expected = legal.contains(&(from, to));
				assert_eq!(from.transition(to).is_ok(), expected, "{from:?} -> {to:?}");
			}
		}
		assert!(Closed.is_terminal());
	}

	#[test]
	fn embargo_lifecycle() {
		let e = EmbargoState::None.propose().unwrap();
		assert!(e.is_live());
		assert_eq!(e.accept(&[]), Err(Error::ConsentMissing));
		assert_eq!(e.accept(&[Consent::Accepted, Consent::Pending]), Err(Error::ConsentMissing));
		let e = e.accept(&[Consent::Accepted, Consent::Accepted]).unwrap();
		assert_eq!(e, EmbargoState::Active);
		assert_eq!(e.revise(), Ok(EmbargoState::Active));
		let e = e.exit(ExitReason::Disclosed).unwrap();
		assert!(!e.is_live());
		assert_eq!(e.propose(), Err(Error::InvalidTransition));
		assert_eq!(EmbargoState::Proposed.reject(), Ok(EmbargoState::None));
	}

	#[test]
	fn close_waits_for_the_embargo() {
		assert!(!can_close(ReportState::Accepted, EmbargoState::Active));
		assert!(!can_close(ReportState::Accepted, EmbargoState::Proposed));
		assert_eq!(close(ReportState::Accepted, EmbargoState::Active), Err(Error::EmbargoLive));
		assert!(can_close(ReportState::Accepted, EmbargoState::Exited));
		assert!(can_close(ReportState::Invalid, EmbargoState::None));
		assert!(!can_close(ReportState::Received, EmbargoState::None));
		assert_eq!(close(ReportState::Accepted, EmbargoState::Exited), Ok(ReportState::Closed));
	}

	#[test]
	fn default_policy_deadlines() {
		let policy = DisclosurePolicy::default();
		let now = Moment { block: 100, utc_ms: 1_700_000_000_000 };
		let clock = policy.start(now, BLOCK_MS).unwrap();
		assert_eq!(clock.deadline.utc_ms, now.utc_ms + 90 * DAY_MS);
		assert_eq!(clock.deadline.block, 100 + 90 * 14_400);
		let patched = clock.patch_released(&policy, BLOCK_MS).unwrap();
		assert_eq!(patched.deadline.utc_ms, now.utc_ms + 120 * DAY_MS);
		assert_eq!(patched.patch_released(&policy, BLOCK_MS), Err(Error::AlreadyExtended));
		let later = Moment { block: 200, utc_ms: now.utc_ms + DAY_MS };
		let hot = patched.exploited(&policy, later, BLOCK_MS).unwrap();
		assert_eq!(hot.deadline.utc_ms, later.utc_ms + 7 * DAY_MS);
		assert!(!hot.is_reached(later));
		assert!(hot.is_reached(Moment { block: 200, utc_ms: later.utc_ms + 7 * DAY_MS }));
	}

	#[test]
	fn block_estimate_rounds_up_and_zero_block_time_is_refused() {
		let now = Moment { block: 0, utc_ms: 0 };
		assert_eq!(Deadline::after(now, 6_001, 6_000).unwrap().block, 2);
		assert_eq!(Deadline::after(now, 6_000, 6_000).unwrap().block, 1);
		assert_eq!(Deadline::after(now, 1, 0), Err(Error::InvalidPolicy));
	}
}
