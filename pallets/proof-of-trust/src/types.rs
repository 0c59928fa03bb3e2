//! The pallet's types: ledger records (with their rules), candidates, validators, per-epoch
//! authorship statistics, evidence kinds and weights, and the reports of the runtime API.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use endo_traits::{BehaviourEvidence, IdentityEvidence, TrustLevel};
use endo_trust::{reputation::EVIDENCE_UNIT, Evidence, TrustParams};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

pub use endo_traits::DeviceId;
pub use pallet_babe::AuthorityId as BabeId;
pub use sp_consensus_grandpa::AuthorityId as GrandpaId;

/// The ledger's epoch counter: incremented at every BABE epoch change the pallet handles.
/// Evidence decays by `TrustParams::retention` per ledger epoch.
pub type LedgerEpoch = u64;

/// One subject's evidence: identity (continuous authentication) and behaviour (what it did).
///
/// Decay is lazy: the counts are as of ledger epoch `epoch`; [`TrustRecord::at`] lets the
/// epochs since then act on them. Reads and writes both go through it, so a record never has
/// to be visited just to age it.
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
pub struct TrustRecord {
	/// Identity-trust evidence: proofs accepted (good) vs missed or failed (bad).
	pub identity: Evidence,
	/// Behaviour-trust evidence: blocks authored, cooperation (good) vs missed slots,
	/// equivocations, offences, leaks, rejected models, failed verifications (bad).
	pub behaviour: Evidence,
	/// The ledger epoch the counts refer to.
	pub epoch: LedgerEpoch,
	/// Set by the conspirator verdict (UIV-TSP sec. 3.5.2): trust 0 for good.
	pub sanctioned: bool,
}

impl TrustRecord {
	/// A record with no evidence (the prior: identity and behaviour trust 1/2) at `epoch`.
	pub fn new(epoch: LedgerEpoch) -> TrustRecord {
		TrustRecord {
			identity: Evidence::new(),
			behaviour: Evidence::new(),
			epoch,
			sanctioned: false,
		}
	}

	/// A record with `good` whole good events of each kind (genesis).
	pub fn with_good_events(good: u32, epoch: LedgerEpoch) -> TrustRecord {
		let evidence = Evidence::from_events(u64::from(good), 0);
		TrustRecord { identity: evidence, behaviour: evidence, epoch, sanctioned: false }
	}

	/// The record as of `now`: the epochs since `self.epoch` have decayed the evidence.
	/// A record from the future (cannot happen) is returned unchanged.
	pub fn at(&self, params: &TrustParams, now: LedgerEpoch) -> TrustRecord {
		let mut out = *self;
		let elapsed = now.saturating_sub(self.epoch);
		if elapsed > 0 {
			let elapsed = u32::try_from(elapsed).unwrap_or(u32::MAX);
			params.decay(&mut out.identity, elapsed);
			params.decay(&mut out.behaviour, elapsed);
			out.epoch = now;
		}
		out
	}

	/// Identity trust `I` (penalised beta expectation of the identity evidence).
	pub fn identity_trust(&self, params: &TrustParams) -> Perbill {
		params.evidence_trust(&self.identity)
	}

	/// Behaviour trust `B`.
	pub fn behaviour_trust(&self, params: &TrustParams) -> Perbill {
		params.evidence_trust(&self.behaviour)
	}

	/// The final trust `T = w I + (1 - w) B`, or 0 if sanctioned. Call on a record brought to
	/// the current epoch with [`TrustRecord::at`].
	pub fn trust(&self, params: &TrustParams) -> Perbill {
		if self.sanctioned {
			Perbill::zero()
		} else {
			params.trust(&self.identity, &self.behaviour)
		}
	}

	/// The runtime API's report of this record: trust, level, identity and behaviour trust.
	/// Call on a record brought to the current epoch with [`TrustRecord::at`].
	pub fn trust_report(&self, params: &TrustParams) -> TrustReport {
		let trust = self.trust(params);
		TrustReport {
			trust,
			level: params.level(trust),
			identity: self.identity_trust(params),
			behaviour: self.behaviour_trust(params),
			sanctioned: self.sanctioned,
		}
	}

	/// Whether the record holds nothing but (what decay left of) a candidacy's
	/// [`EvidenceWeights::unproven_candidate`]: removing it loses nothing, since registering
	/// again starts from that debt.
	pub fn is_only_candidacy(&self, weights: &EvidenceWeights) -> bool {
		!self.sanctioned
			&& self.identity == Evidence::new()
			&& self.behaviour.good_units() == 0
			&& self.behaviour.bad_units() <= u64::from(weights.unproven_candidate)
	}

	/// Adds identity evidence (in [`EVIDENCE_UNIT`]s).
	pub fn add_identity(&mut self, good_units: u64, bad_units: u64) {
		self.identity.record_good_units(good_units);
		self.identity.record_bad_units(bad_units);
	}

	/// Adds behaviour evidence (in [`EVIDENCE_UNIT`]s).
	pub fn add_behaviour(&mut self, good_units: u64, bad_units: u64) {
		self.behaviour.record_good_units(good_units);
		self.behaviour.record_bad_units(bad_units);
	}
}

/// A registered validator candidate.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct CandidateInfo<Balance> {
	/// Its BABE (block authorship) key.
	pub babe: BabeId,
	/// Its GRANDPA (finality) key.
	pub grandpa: GrandpaId,
	/// The bond held while it is a candidate, and after it while it unbonds (less slashes).
	pub bond: Balance,
	/// The last ledger epoch in which it authored a block, if any.
	pub last_authored: Option<LedgerEpoch>,
	/// A founding validator of the chain spec: admitted, and exempt from the own-identity rule.
	pub founding: bool,
	/// Admitted by `AdminOrigin` (required with [`AdmissionMode::Permissioned`]).
	pub admitted: bool,
	/// Its place in the announced set.
	pub membership: Membership,
}

/// A candidate's place in the announced validator set (`NextValidators`), which decides its
/// [`Standing`](endo_trust::consensus::Standing) at the next selection.
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
pub enum Membership {
	/// Not in the announced set, and never was (or left before this state was recorded).
	Out,
	/// In every announced set since this ledger epoch.
	Since(LedgerEpoch),
	/// In every announced set since genesis, as a founding validator.
	Founding,
	/// Not in the announced set since this ledger epoch, after having been in it. It may be
	/// in the current set, and its equivocations there can still be reported, for two epochs
	/// and [`Config::UnbondingEpochs`](crate::Config::UnbondingEpochs) more: until then it
	/// cannot be displaced ([`Pallet::register_candidate`](crate::Pallet::register_candidate)).
	Left(LedgerEpoch),
}

impl Membership {
	/// The standing at ledger epoch `now`, with a recent-admission window of `window` epochs.
	pub fn standing(&self, now: LedgerEpoch, window: u32) -> endo_trust::consensus::Standing {
		use endo_trust::consensus::Standing;
		match self {
			Membership::Out | Membership::Left(_) => Standing::Newcomer,
			Membership::Founding => Standing::Veteran,
			Membership::Since(since) if now >= since.saturating_add(u64::from(window)) => {
				Standing::Veteran
			}
			Membership::Since(_) => Standing::Recent,
		}
	}
}

/// How candidates are admitted and weighted (the genesis preset chooses; `AdminOrigin` may
/// change it).
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
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub enum AdmissionMode {
	/// A permissioned consortium: a candidate is selected only once `AdminOrigin` has admitted
	/// it; weight follows trust. The bond is still held and slashed on equivocation.
	#[default]
	Permissioned,
	/// Open admission with stake at risk: any bonded candidate may be selected; weight follows
	/// trust times `min(bond / FullWeightBond, 1)`.
	Staked,
}

/// A former candidate's bond, held until it has left the validator sets and the unbonding
/// period (which covers the equivocation-report window) has passed.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct UnbondingInfo<Balance> {
	/// Its BABE key (still reserved, and still the key equivocations are proven against).
	pub babe: BabeId,
	/// Its GRANDPA key (likewise).
	pub grandpa: GrandpaId,
	/// The bond still held (less slashes).
	pub bond: Balance,
	/// The first ledger epoch at which the bond may be withdrawn.
	pub unlock_at: LedgerEpoch,
}

/// A member of a BABE / GRANDPA authority set, as the pallet enacted it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Validator<AccountId> {
	/// The candidate's account (its trust is this account's trust).
	pub account: AccountId,
	/// BABE key.
	pub babe: BabeId,
	/// GRANDPA key.
	pub grandpa: GrandpaId,
	/// BABE and GRANDPA weight (`>= 1`).
	pub weight: u64,
}

/// What one validator did in the current epoch, aligned with the current set.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
)]
pub struct AuthorshipStats {
	/// Blocks it authored in primary slots.
	pub primary: u32,
	/// Blocks it authored in secondary slots.
	pub secondary: u32,
	/// Its secondary slots that stayed empty.
	pub missed: u32,
}

impl AuthorshipStats {
	/// Blocks authored, primary and secondary.
	pub fn authored(&self) -> u32 {
		self.primary.saturating_add(self.secondary)
	}
}

/// The kinds of evidence the ledger takes from [`crate::Config::EvidenceOrigin`]; the argument of
/// its origin check. Each kind from a disallowed origin fails with its own error.
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
pub enum EvidenceKind {
	/// Identity evidence ([`IdentityEvidence`]) about an account.
	Identity,
	/// [`BehaviourEvidence::Cooperated`].
	Cooperation,
	/// [`BehaviourEvidence::VerificationFailed`].
	VerificationFailure,
	/// [`BehaviourEvidence::LeakReported`].
	Leak,
	/// [`BehaviourEvidence::ModelRejected`].
	ModelRejection,
	/// [`BehaviourEvidence::Equivocation`].
	Equivocation,
	/// [`BehaviourEvidence::Offence`].
	Offence,
	/// [`BehaviourEvidence::Conspiracy`].
	Conspiracy,
}

impl From<BehaviourEvidence> for EvidenceKind {
	fn from(evidence: BehaviourEvidence) -> EvidenceKind {
		match evidence {
			BehaviourEvidence::Cooperated => EvidenceKind::Cooperation,
			BehaviourEvidence::VerificationFailed => EvidenceKind::VerificationFailure,
			BehaviourEvidence::LeakReported => EvidenceKind::Leak,
			BehaviourEvidence::ModelRejected => EvidenceKind::ModelRejection,
			BehaviourEvidence::Equivocation => EvidenceKind::Equivocation,
			BehaviourEvidence::Offence => EvidenceKind::Offence,
			BehaviourEvidence::Conspiracy => EvidenceKind::Conspiracy,
		}
	}
}

/// How much each piece of evidence counts, in [`EVIDENCE_UNIT`]s (millionths of an event).
///
/// The defaults ([`EvidenceWeights::DEFAULT`]) make a block a tenth of an event, so that a
/// validator's behaviour trust moves by about one event per epoch of honest authorship, while a
/// missed slot is a whole bad event (times the penalty `lambda`) and an equivocation twenty.
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
pub struct EvidenceWeights {
	/// Good behaviour per block authored.
	pub authored_block: u32,
	/// Bad behaviour per secondary slot the validator left empty.
	pub missed_slot: u32,
	/// Good identity per accepted authentication.
	pub authenticated: u32,
	/// Bad identity per missed authentication window.
	pub authentication_missed: u32,
	/// Bad identity per failed authentication (proxies agreed).
	pub authentication_failed: u32,
	/// Good behaviour per [`BehaviourEvidence::Cooperated`].
	pub cooperated: u32,
	/// Bad behaviour per [`BehaviourEvidence::VerificationFailed`].
	pub verification_failed: u32,
	/// Bad behaviour per [`BehaviourEvidence::LeakReported`].
	pub leak_reported: u32,
	/// Bad behaviour per [`BehaviourEvidence::ModelRejected`].
	pub model_rejected: u32,
	/// Bad behaviour per [`BehaviourEvidence::Equivocation`].
	pub equivocation: u32,
	/// Bad behaviour per [`BehaviourEvidence::Offence`].
	pub offence: u32,
	/// Bad behaviour recorded when an account registers as a candidate: an unproven claim to
	/// validate. With the defaults a fresh account starts at trust 0.375 (`Doubtful`), below
	/// the authority level, and needs verified work (its device's authentications, its
	/// blocks) to qualify.
	pub unproven_candidate: u32,
}

const UNIT: u32 = EVIDENCE_UNIT as u32;

impl EvidenceWeights {
	/// The recommended weights (see the type's docs).
	pub const DEFAULT: EvidenceWeights = EvidenceWeights {
		authored_block: UNIT / 10,
		missed_slot: UNIT,
		authenticated: UNIT,
		authentication_missed: UNIT,
		authentication_failed: 3 * UNIT,
		cooperated: UNIT,
		verification_failed: UNIT,
		leak_reported: 5 * UNIT,
		model_rejected: UNIT,
		equivocation: 20 * UNIT,
		offence: 5 * UNIT,
		unproven_candidate: UNIT,
	};

	/// `(good, bad)` units of identity evidence.
	pub fn identity(&self, evidence: IdentityEvidence) -> (u64, u64) {
		match evidence {
			IdentityEvidence::Authenticated => (self.authenticated.into(), 0),
			IdentityEvidence::Missed => (0, self.authentication_missed.into()),
			IdentityEvidence::Failed => (0, self.authentication_failed.into()),
		}
	}

	/// `(good, bad)` units of behaviour evidence. [`BehaviourEvidence::Conspiracy`] counts
	/// nothing: it sanctions instead.
	pub fn behaviour(&self, evidence: BehaviourEvidence) -> (u64, u64) {
		match evidence {
			BehaviourEvidence::Cooperated => (self.cooperated.into(), 0),
			BehaviourEvidence::VerificationFailed => (0, self.verification_failed.into()),
			BehaviourEvidence::LeakReported => (0, self.leak_reported.into()),
			BehaviourEvidence::ModelRejected => (0, self.model_rejected.into()),
			BehaviourEvidence::Equivocation => (0, self.equivocation.into()),
			BehaviourEvidence::Offence => (0, self.offence.into()),
			BehaviourEvidence::Conspiracy => (0, 0),
		}
	}
}

impl Default for EvidenceWeights {
	fn default() -> EvidenceWeights {
		EvidenceWeights::DEFAULT
	}
}

/// Why the pallet kept the last good authority set instead of announcing a new selection.
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
pub enum KeptReason {
	/// Fewer than [`crate::Config::MinValidators`] candidates qualify.
	TooFewEligible,
	/// No qualifying candidate authored a block recently: a set of unproven nodes could stall
	/// finality.
	NoneLive,
}

impl From<endo_trust::consensus::NoSelection> for KeptReason {
	fn from(reason: endo_trust::consensus::NoSelection) -> KeptReason {
		match reason {
			endo_trust::consensus::NoSelection::TooFewEligible => KeptReason::TooFewEligible,
			endo_trust::consensus::NoSelection::NoneLive => KeptReason::NoneLive,
		}
	}
}

/// An account's or a device's trust, as the runtime API reports it.
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
pub struct TrustReport {
	/// The final trust value `T` (0 if sanctioned).
	pub trust: Perbill,
	/// Its level (0..=4).
	pub level: TrustLevel,
	/// Identity trust `I`.
	pub identity: Perbill,
	/// Behaviour trust `B` (1/2, the prior, for devices: they have identity evidence only).
	pub behaviour: Perbill,
	/// Whether the conspirator sanction applies.
	pub sanctioned: bool,
}

/// One member of a weighted authority set, as the runtime API reports it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AuthorityReport<AccountId> {
	/// The candidate's account.
	pub account: AccountId,
	/// BABE key.
	pub babe: BabeId,
	/// GRANDPA key.
	pub grandpa: GrandpaId,
	/// BABE and GRANDPA weight.
	pub weight: u64,
	/// Its trust now.
	pub trust: Perbill,
}

/// Origin helper of [`crate::EnsureTrustLevel`]: a `Get<TrustLevel>` for each level, for
/// runtimes that do not want a `parameter_types!` per level.
pub mod levels {
	use super::TrustLevel;
	use frame_support::traits::Get;

	macro_rules! level {
		($name:ident, $level:ident) => {
			#[doc = concat!("`TrustLevel::", stringify!($level), "`.")]
			pub struct $name;
			impl Get<TrustLevel> for $name {
				fn get() -> TrustLevel {
					TrustLevel::$level
				}
			}
		};
	}
	level!(AtLeastLow, Low);
	level!(AtLeastDoubtful, Doubtful);
	level!(AtLeastModerate, Moderate);
	level!(AtLeastHigh, High);
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn record_decays_lazily_and_sanction_zeroes() {
		let params = TrustParams::default();
		let mut r = TrustRecord::with_good_events(10, 0);
		assert_eq!(r.trust(&params), Perbill::from_rational(11u32, 12u32));
		let later = r.at(&params, 5);
		assert_eq!(later.epoch, 5);
		assert!(later.trust(&params) < r.trust(&params));
		assert_eq!(r.at(&params, 0), r);
		r.sanctioned = true;
		assert_eq!(r.trust(&params), Perbill::zero());
	}

	#[test]
	fn weights_map_every_kind() {
		let w = EvidenceWeights::DEFAULT;
		assert_eq!(w.identity(IdentityEvidence::Authenticated), (1_000_000, 0));
		assert_eq!(w.identity(IdentityEvidence::Failed), (0, 3_000_000));
		assert_eq!(w.behaviour(BehaviourEvidence::Equivocation), (0, 20_000_000));
		assert_eq!(w.behaviour(BehaviourEvidence::Conspiracy), (0, 0));
		assert_eq!(EvidenceKind::from(BehaviourEvidence::Offence), EvidenceKind::Offence);
	}
}
