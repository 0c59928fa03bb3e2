//! # Proof-of-Trust runtime API
//!
//! The read side of `pallet-proof-of-trust` for validators, devices, dashboards and the
//! zombienet tests: trust values and levels (paper 000 §3; UIV-TSP R1-R3), and the weighted
//! authority sets (who authors and finalizes, with which weight).
//!
//! The runtime implements it by calling the pallet:
//!
//! ```ignore
//! impl pallet_proof_of_trust_runtime_api::ProofOfTrustApi<Block, AccountId> for Runtime {
//!     fn trust(who: AccountId) -> Option<TrustReport> {
//!         ProofOfTrust::trust_report(&who)
//!     }
//!     fn device_trust(device: DeviceId) -> Option<TrustReport> {
//!         ProofOfTrust::device_trust_report(&device)
//!     }
//!     fn current_authorities() -> Vec<AuthorityReport<AccountId>> {
//!         ProofOfTrust::current_authorities()
//!     }
//!     fn next_authorities() -> Vec<AuthorityReport<AccountId>> {
//!         ProofOfTrust::next_authorities()
//!     }
//!     fn projected_authorities() -> Option<Vec<AuthorityReport<AccountId>>> {
//!         ProofOfTrust::projected_authorities()
//!     }
//! }
//! ```
//!
//! From polkadot.js (the metadata carries the API): `api.call.proofOfTrustApi.trust(account)`,
//! `api.call.proofOfTrustApi.nextAuthorities()`, and so on.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
pub use pallet_proof_of_trust::{AuthorityReport, DeviceId, TrustReport};

sp_api::decl_runtime_apis! {
	/// Trust values and trust-weighted authority sets.
	#[api_version(1)]
	pub trait ProofOfTrustApi<AccountId>
	where
		AccountId: codec::Codec,
	{
		/// The trust of an account: value, level, identity and behaviour trust, sanction.
		/// `None` if the account is not in the ledger (it is then `Untrusted`).
		fn trust(who: AccountId) -> Option<TrustReport>;

		/// The trust of a device from its identity evidence. `None` for unknown devices.
		fn device_trust(device: DeviceId) -> Option<TrustReport>;

		/// The BABE / GRANDPA set of the current epoch, with weights and current trust.
		fn current_authorities() -> Vec<AuthorityReport<AccountId>>;

		/// The weighted set announced for the next epoch: what the next epoch change enacts.
		fn next_authorities() -> Vec<AuthorityReport<AccountId>>;

		/// The set the next epoch change would announce if it happened now; `None` if it
		/// would keep the last good set.
		fn projected_authorities() -> Option<Vec<AuthorityReport<AccountId>>>;
	}
}
