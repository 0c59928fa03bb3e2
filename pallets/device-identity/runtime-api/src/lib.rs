//! # Device identity runtime API
//!
//! The read side of `pallet-device-identity` for devices, gateways and dashboards: the paper's
//! *match* step (Chen, Han, Zhang 2023, Fig. 7 steps 4-5: "the blockchain performs the
//! comparative search of the hash and ID ... to verify whether the user's identity is
//! legitimate") and what a device needs to build its next proof.
//!
//! The runtime implements it by calling the pallet:
//!
//! ```ignore
//! impl pallet_device_identity_runtime_api::DeviceIdentityApi<Block, AccountId, BlockNumber>
//!     for Runtime
//! {
//!     fn device_status(device: DeviceId) -> Option<DeviceReport<AccountId, BlockNumber>> {
//!         DeviceIdentity::device_report(&device)
//!     }
//!     fn challenge() -> Option<ChallengeReport<BlockNumber>> {
//!         DeviceIdentity::challenge_report()
//!     }
//! }
//! ```
//!
//! From polkadot.js (the metadata carries the API): `api.call.deviceIdentityApi.deviceStatus(id)`
//! and `api.call.deviceIdentityApi.challenge()`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

pub use pallet_device_identity::{
	AuthEpoch, ChallengeReport, DeviceId, DeviceReport, DeviceStatus, DomainKind, DomainMembership,
};

sp_api::decl_runtime_apis! {
	/// Status of endogenous device identities.
	#[api_version(1)]
	pub trait DeviceIdentityApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Is `device` authenticated, since when, in which domains (its home domain and every
		/// unexpired cross-domain whitelist entry)? `None` for an unknown ID.
		fn device_status(device: DeviceId) -> Option<DeviceReport<AccountId, BlockNumber>>;

		/// The current epoch, its challenge and the genesis hash: the inputs of the next
		/// identity proof. `None` before the first block.
		fn challenge() -> Option<ChallengeReport<BlockNumber>>;
	}
}
