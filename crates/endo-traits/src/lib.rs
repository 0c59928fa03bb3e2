//! # endo-traits
//!
//! The interfaces between Endochain's pallets, kept in one small `no_std` crate so that a pallet
//! can use another pallet's service without depending on it (the KILT pattern: access policy is
//! a trait the runtime plugs in).
//!
//! | trait | implemented by | used by |
//! |---|---|---|
//! | [`TrustProvider`] | `pallet-proof-of-trust` (issue #6) | `pallet-device-identity` (who is a proxy node), `uiv-sharing`, `immune-memory` |
//! | [`IdentityTrustSink`] | `pallet-proof-of-trust` | `pallet-device-identity` (continuous-authentication outcomes) |
//! | [`DeviceIdentityInspect`] | `pallet-device-identity` | `pallet-proof-of-trust` (is a node's endogenous identity authenticated; quarantine) |
//! | [`BehaviourTrustSink`] | `pallet-proof-of-trust` | `uiv-sharing` (leak reports, conspirator verdicts), `immune-memory` (rejected models), any pallet that verifies what an account submitted |
//!
//! Every trait has a `()` implementation that does nothing and trusts nobody, for runtimes
//! that do not (yet) have the implementing pallet.
//!
//! ## Where the words come from
//!
//! Paper 000 (Chen, Han, Zhang 2023), section 3, Proof of Trust: "PoT dynamically forms the
//! final trust level through the identity trust level and behavior trust level. The identity
//! trust level is obtained by continuous verification under zero-trust mechanism." The
//! evidence of [`IdentityTrustSink`] is that continuous verification; the levels of
//! [`TrustProvider`] are the five levels of `endo_trust::TrustLevel` (thresholds of UIV-TSP
//! sec. 4.2; `docs/TRUST-MODEL.md` §3), re-exported here as [`TrustLevel`].
//!
//! ## Weights
//!
//! The traits return no weight. A pallet that calls them benchmarks its calls and hooks with
//! the runtime's implementation plugged in, so the implementation's cost is part of the caller's
//! generated weights (as with `pallet-staking`'s `OnStakingUpdate`). An implementation must
//! therefore do bounded work per call: a fixed number of storage reads and writes.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

pub use endo_trust::TrustLevel;

/// A device's 32-byte endogenous ID: `SHA-256(endochain/identity/device-id/v1, public_key)`
/// (`endo_crypto::DeviceId` as bytes; `docs/ENDOGENOUS-IDENTITY.md` §4).
pub type DeviceId = [u8; 32];

/// One piece of identity-trust evidence from continuous authentication (paper 000 sec. 3 and
/// Table 4, "perform continuous authentication").
///
/// `pallet-device-identity` reports it once per device and authentication window (epoch), when
/// the sweep of the finished epoch visits the device: `Authenticated` if it proved itself in
/// that epoch, `Missed` if it did not.
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
pub enum IdentityEvidence {
	/// The device proved its identity with a fresh zero-knowledge proof bound to the window's
	/// challenge (or registered with one). Good evidence.
	#[codec(index = 0)]
	Authenticated,
	/// The device did not prove its identity in a window it was expected to. Bad evidence.
	#[codec(index = 1)]
	Missed,
	/// Proxy nodes agreed (at the attestation threshold) that the device failed an
	/// authentication. Bad evidence, and stronger than a miss: an implementation may weigh it
	/// more.
	#[codec(index = 2)]
	Failed,
}

impl IdentityEvidence {
	/// `true` for [`IdentityEvidence::Authenticated`].
	pub const fn is_good(self) -> bool {
		matches!(self, IdentityEvidence::Authenticated)
	}
}

/// Receives identity-trust evidence (paper 000 sec. 3: identity trust "obtained by continuous
/// verification").
///
/// The subject is the device; `controller` is the account bound to the device at registration,
/// if any (a validator or gateway binds its node account to its own endogenous identity, so
/// that the Proof-of-Trust ledger can turn the device's evidence into that account's identity
/// trust). Evidence for devices without a controller may be kept per device or ignored.
///
/// # Security
///
/// Callers report only evidence they verified: `Authenticated` after a proof verified on chain,
/// `Missed` when the window closed without one, `Failed` only after proxy nodes reached the
/// attestation threshold. A proof that does not verify is never reported as `Failed`, because
/// anyone can submit a bad proof for any device.
pub trait IdentityTrustSink<AccountId> {
	/// Records one piece of evidence about `device`. Must not fail and must do bounded work.
	fn note_identity_evidence(
		device: &DeviceId,
		controller: Option<&AccountId>,
		evidence: IdentityEvidence,
	);
}

/// Discards all evidence.
impl<AccountId> IdentityTrustSink<AccountId> for () {
	fn note_identity_evidence(_: &DeviceId, _: Option<&AccountId>, _: IdentityEvidence) {}
}

/// Reports to two sinks, first `A` then `B`.
impl<AccountId, A: IdentityTrustSink<AccountId>, B: IdentityTrustSink<AccountId>>
	IdentityTrustSink<AccountId> for (A, B)
{
	fn note_identity_evidence(
		device: &DeviceId,
		controller: Option<&AccountId>,
		evidence: IdentityEvidence,
	) {
		A::note_identity_evidence(device, controller, evidence);
		B::note_identity_evidence(device, controller, evidence);
	}
}

/// One piece of behaviour-trust evidence about an account (paper 000 sec. 3: "behavior trust
/// level"; UIV-TSP sec. 3.5.1-3.5.2 for leaks and conspirators).
///
/// The ledger weighs each kind (how many good or bad events it counts) and may refuse a kind
/// from a reporter that is not allowed to report it. Consensus evidence the ledger measures
/// itself (blocks authored, slots missed) is not reported through this type.
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
pub enum BehaviourEvidence {
	/// The account did what it was trusted with (kept a secret it was given, contributed an
	/// accepted model, served as a proxy correctly). Good evidence.
	#[codec(index = 0)]
	Cooperated,
	/// Something the account submitted failed a verification (a proof, a model, a report that
	/// turned out false). Bad evidence.
	#[codec(index = 1)]
	VerificationFailed,
	/// A leak of a vulnerability the account had access to was traced to it (UIV-TSP sec. 3.5).
	/// Bad evidence.
	#[codec(index = 2)]
	LeakReported,
	/// A model (antibody) the account contributed was rejected (paper 000 sec. 4). Bad evidence.
	#[codec(index = 3)]
	ModelRejected,
	/// The account's validator equivocated (two blocks in one slot, two votes in one round).
	/// Bad evidence, severe.
	#[codec(index = 4)]
	Equivocation,
	/// Any other offence a trusted reporter established. Bad evidence.
	#[codec(index = 5)]
	Offence,
	/// The conspirator verdict of UIV-TSP sec. 3.5.2: "the trust value of SW will be set to
	/// 0 ... barred from rejoining". The account's trust becomes 0 for good.
	#[codec(index = 6)]
	Conspiracy,
}

impl BehaviourEvidence {
	/// `true` for [`BehaviourEvidence::Cooperated`].
	pub const fn is_good(self) -> bool {
		matches!(self, BehaviourEvidence::Cooperated)
	}
}

/// Why a trust ledger refused evidence.
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
pub enum EvidenceError {
	/// The account is not in the ledger: [`BehaviourTrustSink::enrol`] it first.
	UnknownSubject,
	/// The ledger is full: the account cannot be enrolled.
	LedgerFull,
}

/// Receives behaviour-trust evidence about accounts from other pallets (leak reports, rejected
/// models, failed verifications, conspirator verdicts).
///
/// # Security
///
/// Only the runtime decides which pallets get to call this (by wiring them to the ledger), so
/// callers must report only what they established on chain. Evidence about an account that is
/// not in the ledger is refused ([`EvidenceError::UnknownSubject`]): a pallet that wants trust
/// for its participants enrols them first, so that nobody gets a ledger entry (and the prior
/// trust of 1/2) by being reported.
pub trait BehaviourTrustSink<AccountId> {
	/// Records one piece of evidence about `who`. Bounded work; changes nothing on `Err`.
	fn note_behaviour(who: &AccountId, evidence: BehaviourEvidence) -> Result<(), EvidenceError>;

	/// Adds `who` to the ledger with no evidence (the prior), if not there yet. Idempotent.
	fn enrol(who: &AccountId) -> Result<(), EvidenceError>;
}

/// Discards all evidence and enrols nobody (successfully).
impl<AccountId> BehaviourTrustSink<AccountId> for () {
	fn note_behaviour(_: &AccountId, _: BehaviourEvidence) -> Result<(), EvidenceError> {
		Ok(())
	}

	fn enrol(_: &AccountId) -> Result<(), EvidenceError> {
		Ok(())
	}
}

/// Reads an account's current trust level (the final PoT level, identity and behaviour trust
/// combined: `docs/TRUST-MODEL.md` §2-§3).
///
/// Used to decide who may act as a proxy node for cross-domain authentication (paper 000,
/// Fig. 5: "PoT node, as a proxy node for cross-domain authentication"), who may access a
/// vulnerability, and so on: `T::Trust::is_at_least(&who, T::MinProxyTrust::get())`.
pub trait TrustProvider<AccountId> {
	/// The trust level of `who`; [`TrustLevel::Untrusted`] for unknown accounts.
	fn trust_level(who: &AccountId) -> TrustLevel;

	/// Whether `who` has at least trust level `min`.
	fn is_at_least(who: &AccountId, min: TrustLevel) -> bool {
		Self::trust_level(who) >= min
	}

	/// Whether `who` is in the current validator (consensus authority) set. The default: no
	/// validators.
	///
	/// With [`TrustProvider::validator_count`], this lets a consumer define its proxy set from
	/// the consensus set, which cannot empty itself while the chain runs, instead of from a
	/// trust level alone, which every account may lose (`docs/SECURITY.md`, "the proxy set can
	/// empty itself").
	fn is_validator(who: &AccountId) -> bool {
		let _ = who;
		false
	}

	/// The number of current validators (one storage read). The default: 0.
	fn validator_count() -> u32 {
		0
	}

	/// Benchmarks only: make `who` hold at least `level`, so that benchmarks of the consuming
	/// pallets can create proxy nodes. The default does nothing (benchmarks that need a
	/// trusted account then report that they cannot run).
	#[cfg(feature = "runtime-benchmarks")]
	fn set_trust_level(who: &AccountId, level: TrustLevel) {
		let _ = (who, level);
	}
}

/// Trusts nobody: every account is [`TrustLevel::Untrusted`]. With it, no account qualifies as a
/// proxy node, so nothing that needs proxies (IBE registrations, cross-domain whitelisting)
/// can complete: the safe default until the Proof-of-Trust pallet exists.
impl<AccountId> TrustProvider<AccountId> for () {
	fn trust_level(_: &AccountId) -> TrustLevel {
		TrustLevel::Untrusted
	}
}

/// Read access to the device registry, and the one sanction other pallets may apply.
///
/// Implemented by `pallet-device-identity`; the Proof-of-Trust pallet uses it to check that a
/// validator's own endogenous identity is authenticated and to quarantine a device whose
/// behaviour trust collapsed.
pub trait DeviceIdentityInspect<AccountId> {
	/// Whether `device` is active and has proved itself in the current authentication window
	/// (or the previous one, whose successor window is still open).
	fn is_authenticated(device: &DeviceId) -> bool;

	/// The device bound to `controller` at registration, if any.
	fn device_of(controller: &AccountId) -> Option<DeviceId>;

	/// Quarantines `device`: it can no longer authenticate until a privileged origin restores
	/// it. `Err(())` if the device is unknown, not active or already quarantined.
	#[allow(clippy::result_unit_err)]
	fn quarantine(device: &DeviceId) -> Result<(), ()>;
}

/// No registry: no device is authenticated, no account has a device, nothing can be
/// quarantined.
impl<AccountId> DeviceIdentityInspect<AccountId> for () {
	fn is_authenticated(_: &DeviceId) -> bool {
		false
	}

	fn device_of(_: &AccountId) -> Option<DeviceId> {
		None
	}

	fn quarantine(_: &DeviceId) -> Result<(), ()> {
		Err(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use core::cell::RefCell;

	type Seen = (&'static str, DeviceId, Option<u64>, IdentityEvidence);

	std::thread_local! {
		static SEEN: RefCell<Vec<Seen>> = const { RefCell::new(Vec::new()) };
	}

	struct First;
	struct Second;
	impl IdentityTrustSink<u64> for First {
		fn note_identity_evidence(d: &DeviceId, c: Option<&u64>, e: IdentityEvidence) {
			SEEN.with(|s| s.borrow_mut().push(("first", *d, c.copied(), e)));
		}
	}
	impl IdentityTrustSink<u64> for Second {
		fn note_identity_evidence(d: &DeviceId, c: Option<&u64>, e: IdentityEvidence) {
			SEEN.with(|s| s.borrow_mut().push(("second", *d, c.copied(), e)));
		}
	}

	struct Levels;
	impl TrustProvider<u64> for Levels {
		fn trust_level(who: &u64) -> TrustLevel {
			TrustLevel::from_u8((*who % 5) as u8).unwrap_or(TrustLevel::Untrusted)
		}
	}

	#[test]
	fn noop_implementations_trust_nobody() {
		assert_eq!(<() as TrustProvider<u64>>::trust_level(&7), TrustLevel::Untrusted);
		assert!(!<() as TrustProvider<u64>>::is_at_least(&7, TrustLevel::Low));
		assert!(<() as TrustProvider<u64>>::is_at_least(&7, TrustLevel::Untrusted));
		assert!(!<() as DeviceIdentityInspect<u64>>::is_authenticated(&[1; 32]));
		assert_eq!(<() as DeviceIdentityInspect<u64>>::device_of(&1), None);
		assert_eq!(<() as DeviceIdentityInspect<u64>>::quarantine(&[1; 32]), Err(()));
		<() as IdentityTrustSink<u64>>::note_identity_evidence(
			&[0; 32],
			None,
			IdentityEvidence::Failed,
		);
	}

	#[test]
	fn default_provider_has_no_validators() {
		assert!(!Levels::is_validator(&4));
		assert_eq!(Levels::validator_count(), 0);
		assert!(!<() as TrustProvider<u64>>::is_validator(&4));
		assert_eq!(<() as TrustProvider<u64>>::validator_count(), 0);
	}

	#[test]
	fn levels_are_ordered_for_thresholds() {
		assert!(Levels::is_at_least(&4, TrustLevel::High));
		assert!(Levels::is_at_least(&4, TrustLevel::Moderate));
		assert!(!Levels::is_at_least(&3, TrustLevel::High));
		assert!(!Levels::is_at_least(&5, TrustLevel::Low));
	}

	#[test]
	fn pair_of_sinks_reports_to_both_in_order() {
		<(First, Second) as IdentityTrustSink<u64>>::note_identity_evidence(
			&[9; 32],
			Some(&3),
			IdentityEvidence::Missed,
		);
		let seen = SEEN.with(|s| s.borrow().clone());
		assert_eq!(
			seen,
			vec![
				("first", [9; 32], Some(3), IdentityEvidence::Missed),
				("second", [9; 32], Some(3), IdentityEvidence::Missed)
			]
		);
	}

	#[test]
	fn behaviour_evidence_encoding_is_stable() {
		assert_eq!(BehaviourEvidence::Cooperated.encode(), vec![0]);
		assert_eq!(BehaviourEvidence::Conspiracy.encode(), vec![6]);
		assert!(BehaviourEvidence::Cooperated.is_good());
		assert!(!BehaviourEvidence::LeakReported.is_good());
		assert_eq!(<() as BehaviourTrustSink<u64>>::enrol(&1), Ok(()));
		assert_eq!(
			<() as BehaviourTrustSink<u64>>::note_behaviour(&1, BehaviourEvidence::Offence),
			Ok(())
		);
	}

	#[test]
	fn evidence_encoding_is_stable() {
		assert_eq!(IdentityEvidence::Authenticated.encode(), vec![0]);
		assert_eq!(IdentityEvidence::Missed.encode(), vec![1]);
		assert_eq!(IdentityEvidence::Failed.encode(), vec![2]);
		assert!(IdentityEvidence::Authenticated.is_good());
		assert!(!IdentityEvidence::Failed.is_good());
	}
}
