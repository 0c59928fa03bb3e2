//! # endo-uiv
//!
//! The logic of undisclosed-vulnerability (uiv) sharing in Endochain, `no_std` and
//! deterministic. The pallet `uiv-sharing` holds the glue (storage, calls, events, weights); the
//! rules, hashes and formats live here, testable in seconds without a runtime.
//!
//! ## What is here, and where it comes from
//!
//! | module | what | source |
//! |---|---|---|
//! | [`access`] | an SW's profile, the 11 features of an access request, trust (beta reputation + the fixed-point FNN) and R1-R3 with the conspirator verdict | UIV-TSP sec. 3.5.1-3.5.3, Table 1 (`endo-ml`'s feature table) |
//! | [`case`] | report, embargo, consent and product-status state machines; the disclosure policy and embargo deadlines | CERT/CC Vultron protocol (RM, EM, CS models); CERT/CC 45 days, Google Project Zero 90 + 30 days, 7 days in the wild |
//! | [`severity`] | CVSS 3.1 base vectors and scores (integer arithmetic), SSVC decision points and CISA's decision table | FIRST CVSS v3.1 specification sec. 6, 7.1, 7.4, appendix A; CISA SSVC guide (2022) |
//! | [`product`] | product identifiers (package URLs), dotted numeric versions, half-open affected ranges | purl specification; OSV `ranges` |
//! | [`token`] | the TA's dynamic tokens: `access_token`, `tracing_token`, their commitments and per-(case, SW) token history | UIV-TSP (paper 002) sec. 3.2, 3.4.1, 3.5.3 |
//! | [`log`] | continuous-log entries, the per-case hash chain and the per-block Merkle tree with proofs | UIV-TSP sec. 3.3 (block head and body), sec. 3.5 |
//! | [`package`] | the package a TA delivers to a granted SW, host identifiers, and the messages an SW signs to fetch it and end its access | UIV-TSP sec. 3.2.2, 3.4 |
//! | [`watermark`] | tracing marks embedded 1 to 4 times in a report's plaintext as runs of zero-width characters, so a leaked plaintext names its SW | UIV-TSP sec. 3.2.2 (tokentracing "sneaked into the acquired vul information") |
//! | `seal` (feature `seal`, std) | ECIES on Ristretto255 with ChaCha20-Poly1305 to an sr25519 key: reports to the TA, packages to the SW | - |
//! | [`hash`] | the hasher abstraction (SHA-256 from `sha2`, or a host function) and the domain tags | - |
//! | `export` (std) | OSV 1.6 and CSAF 2.0 JSON for a disclosed advisory; RFC 3339 timestamps | OSV schema 1.6; OASIS CSAF 2.0 |
//!
//! ## Hashing
//!
//! Every hash is SHA-256 over a domain-separated preimage `[len(tag)] || tag || fields`, with the
//! tag a constant in [`hash::tags`] (for example `endochain/uiv/access-token/v1`). Functions that
//! hash come in two forms: `f_with::<H>(..)` is generic over a [`hash::Hasher`] (a pallet passes
//! one backed by `sp_io::hashing::sha2_256`), and `f(..)` uses the crate's own [`hash::Sha256`].
//! Both give the same bytes.
//!
//! ## Errors
//!
//! One public [`Error`]; pallets map it into their own errors. Nothing in this crate panics on
//! any input.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod access;
pub mod case;
mod error;
#[cfg(feature = "std")]
pub mod export;
pub mod hash;
pub mod log;
pub mod package;
pub mod product;
#[cfg(feature = "seal")]
pub mod seal;
pub mod severity;
pub mod token;
pub mod watermark;

pub use case::{
	Consent, Deadline, DisclosurePolicy, EmbargoClock, EmbargoState, ExitReason, Moment,
	ProductStatus, ReportState,
};
pub use error::Error;
pub use hash::{Hasher, Sha256};
pub use log::{CaseId, Decision, EntryKind, LogEntry, Proof, TrustSnapshot};
pub use product::{ProductId, Version, VersionRange};
pub use severity::{CvssV31, Rating, Severity, SsvcDecision, SsvcDecisionPoints, Urgency};
pub use token::{AccessToken, TracingToken};
