//! # endo-trust
//!
//! The trust maths of Endochain, `no_std`, deterministic and float-free (floats appear only in
//! the `std`-gated [`mod@reference`] module and in tests). Pallets (`proof-of-trust`, `uiv-sharing`,
//! `immune-memory`) hold the glue; the maths lives here, testable in seconds.
//!
//! ## What is here, and where it comes from
//!
//! | module | what | source |
//! |---|---|---|
//! | [`reputation`] | beta expectation `(s+1)/(s+f+2)`; penalised trust `(s+1)/(s+lambda f+2)`; evidence decay `retention^n`; identity + behaviour combination `w I + (1-w) B`; levels 0..=4; rules R1-R3 | UIV-TSP (paper 002) sec. 3.5.1-3.5.2, 4.2; Proof of Trust (paper 000) sec. 3 |
//! | [`model`] | fixed-point inference of a small feed-forward network (11 features -> trust), the bounded SCALE weight blob | UIV-TSP sec. 3.5.1, Fig. 6, Table 1 |
//! | [`consensus`] | trust -> BABE/GRANDPA weight, trust-ranked validator selection with probation and a live-majority guard, secondary-slot attribution, BABE's primary threshold (std, bit-exact) | paper 000 sec. 3 (Proof of Trust); BABE (`sc-consensus-babe` 0.60) |
//! | [`clonal`] | affinity, distance / diversity, Eq. (1) Cauchy mutation, Eq. (2) eta, ranking | paper 000 sec. 4, Algorithm 1 |
//! | [`fixed`] | [`Q32`] (Q32.32) arithmetic, `exp`, sigmoid, tanh, sine / cosine, integer square root | - |
//!
//! Formulas lost in the papers' text extraction, and the standard forms used instead:
//! UIV-TSP Eq. (6) (beta expectation: the standard `(s+1)/(s+f+2)`), Eqs. (7)-(8) (penalty
//! factor: weighted failures `lambda f`), the symbols of R1-R3 (thresholds from sec. 4.2), and
//! Table 1 (only three of the eleven features are named in the text). Paper 000's Eqs. (1) and
//! (2) survived intact. Details, proofs of the properties and measured errors:
//! `docs/TRUST-MODEL.md`.
//!
//! ## Number formats
//!
//! * Trust values are [`Perbill`](sp_arithmetic::Perbill) (`[0, 1]` in billionths), the penalty
//!   factor a [`FixedU64`](sp_arithmetic::FixedU64), evidence counts `u64` millionths of an event.
//! * Network weights, inputs and activations, and the clonal-selection vectors, are [`Q32`]:
//!   `i64` with 32 fraction bits, `i128` accumulators, one rounding per neuron, saturating.
//!
//! ## Errors
//!
//! One public [`Error`]; pallets map it into their own errors. Nothing in this crate panics on
//! any input (malformed blobs, saturated counters, decoded but unvalidated parameters).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

pub mod clonal;
pub mod consensus;
mod error;
pub mod fixed;
pub mod model;
#[cfg(feature = "std")]
pub mod reference;
pub mod reputation;

pub use error::Error;
pub use fixed::Q32;
pub use model::{Activation, InputNorm, Layer, Outputs, TrustModel};
pub use reputation::{
	conspirator_verdict, AccessDecision, Classification, Evidence, Thresholds, TrustLevel,
	TrustParams,
};

/// The number of inputs of the UIV-TSP trust network (sec. 3.5.1: "The input layer of FNN
/// consists of 11 input nodes").
pub const FEATURE_COUNT: usize = 11;

/// The input index of each UIV-TSP trust feature: the order the FNN is trained in (`endo-ml`'s
/// `features::FEATURES` describes each) and evaluated in on chain (`endo-uiv`'s `access`).
pub mod feature_index {
	/// Other SWs who requested the same uiv in the same cycle.
	pub const COLLABORATORS: usize = 0;
	/// Mean beta trust of those collaborators.
	pub const COLLABORATOR_TRUST: usize = 1;
	/// Distinct conspirators (unlicensed hosts) linked to the SW so far.
	pub const CONSPIRATORS: usize = 2;
	/// The SW's own penalised beta trust.
	pub const BETA_TRUST: usize = 3;
	/// Leak-guard alarms attributed to the SW so far.
	pub const ALARMS: usize = 4;
	/// Accesses granted to the SW so far.
	pub const ACCESSES: usize = 5;
	/// Requests of the SW in the current cycle.
	pub const REQUESTS_THIS_CYCLE: usize = 6;
	/// Share of the SW's last 10 requests made off working hours.
	pub const OFF_HOURS_SHARE: usize = 7;
	/// Mean length of the SW's last 10 sessions, minutes.
	pub const SESSION_MINUTES: usize = 8;
	/// Smoothed share of accesses followed by a patch contribution.
	pub const CONTRIBUTION_RATIO: usize = 9;
	/// Share of collaborators who were also collaborators on the SW's last 5 uivs.
	pub const REPEAT_PARTNERS: usize = 10;
}
