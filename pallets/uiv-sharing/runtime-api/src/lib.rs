//! # Vulnerability-sharing runtime API
//!
//! The read side of `pallet-uiv-sharing` for the CLI (`endochain-uiv`), the trusted
//! authority's node and dashboards: cases, a case's continuous log, and an entry's inclusion
//! proof in its block's Merkle tree, which `endochain-uiv verify-log` checks against that
//! block's header (the root is in a `DigestItem::Other` starting with `uivl`).
//!
//! The runtime implements it by calling the pallet:
//!
//! ```ignore
//! impl pallet_uiv_sharing_runtime_api::UivSharingApi<Block, AccountId, Balance> for Runtime {
//!     fn case(case: CaseId) -> Option<Case<AccountId, Balance>> {
//!         pallet_uiv_sharing::Cases::<Runtime>::get(case)
//!     }
//!     fn case_log(case: CaseId, from: u32, max: u32) -> Vec<LogEntry> {
//!         UivSharing::case_log(case, from, max)
//!     }
//!     fn block_log(block: u32) -> Vec<LogEntry> {
//!         UivSharing::block_entries(block)
//!     }
//!     fn log_proof(case: CaseId, seq: u32) -> Option<(LogEntry, u32, Proof)> {
//!         UivSharing::log_proof(case, seq)
//!     }
//!     fn log_root(block: u32) -> Option<Hash> {
//!         pallet_uiv_sharing::LogRoots::<Runtime>::get(block)
//!     }
//!     fn access(case: CaseId, worker: AccountId) -> Option<Access> {
//!         pallet_uiv_sharing::Accesses::<Runtime>::get(case, worker)
//!     }
//!     fn trace(case: CaseId, tracing_commitment: Hash) -> Option<Trace<AccountId>> {
//!         pallet_uiv_sharing::Traces::<Runtime>::get(case, tracing_commitment)
//!     }
//! }
//! ```
//!
//! From polkadot.js: `api.call.uivSharingApi.logProof(case, seq)`, and so on.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
pub use pallet_uiv_sharing::endo_uiv::log::{Hash, LogEntry, Proof};
pub use pallet_uiv_sharing::types::{
	Access, AccessState, Case, CaseId, LeakSource, Trace, TrapFlag,
};

sp_api::decl_runtime_apis! {
	/// Cases and their continuous logs, accesses and traced packages.
	#[api_version(3)]
	pub trait UivSharingApi<AccountId, Balance>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
	{
		/// A case, `None` if it does not exist.
		fn case(case: CaseId) -> Option<Case<AccountId, Balance>>;

		/// Case `case`'s log entries from `from`, at most `max`, in order.
		fn case_log(case: CaseId, from: u32, max: u32) -> Vec<LogEntry>;

		/// The log entries recorded in block `block`, in leaf order.
		fn block_log(block: u32) -> Vec<LogEntry>;

		/// Case `case`'s entry `seq`, the block that recorded it, and its inclusion proof in
		/// that block's tree. `None` for an unknown entry.
		fn log_proof(case: CaseId, seq: u32) -> Option<(LogEntry, u32, Proof)>;

		/// The Merkle root of block `block`'s log entries, `None` if it recorded none.
		fn log_root(block: u32) -> Option<Hash>;

		/// SW `worker`'s access to case `case` (state, assessment, token commitments), `None`
		/// if it never asked. The TA's node reads it before it seals and delivers a package.
		/// Since version 2.
		fn access(case: CaseId, worker: AccountId) -> Option<Access>;

		/// The package of case `case` whose tracing token commits to `tracing_commitment`
		/// (`endo_uiv::token::commitment`): the SW it was delivered to, when, whether it is a
		/// trap, and its leak reports. `None` if no package of the case has it. The CLI checks
		/// a found token here before it reports a leak. Since version 3.
		#[api_version(3)]
		fn trace(case: CaseId, tracing_commitment: Hash) -> Option<Trace<AccountId>>;
	}
}
