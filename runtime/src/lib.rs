//! # Endochain runtime
//!
//! The state-transition function of Endochain, an industrial-IoT chain with endogenous security.
//! This crate composes the pallets; their configuration lives in [`configs`], the runtime APIs
//! in `apis.rs`, the genesis presets in [`genesis_config_presets`] and the benchmark list in
//! `benchmarks.rs`.
//!
//! Consensus is BABE (block authorship) + GRANDPA (finality), without pallet-session. BABE's
//! epoch changes go through [`configs::consensus::TrustWeightedEpochChange`], Proof of Trust's
//! trigger (`pallet_proof_of_trust::epoch_change`), so that the authorities of every epoch and
//! their weights come from one place: the Proof-of-Trust ledger selects the most trusted
//! candidates, weights them by trust for BABE, and schedules the same set and weights in
//! GRANDPA.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion and requires us to increase the limit.
#![recursion_limit = "256"]
// The workspace lints ask for docs on public items; `#[frame_support::runtime]`,
// `parameter_types!`, `impl_runtime_apis!` and the wasm builder's `wasm_binary.rs` generate
// public items without them. The runtime's own items are documented.
#![allow(missing_docs)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types. These are used by the CLI to instantiate machinery that don't need to know
/// the specifics of the runtime. They can then be made to be agnostic over specific formats
/// of data like extrinsics, allowing for them to continue syncing the network through upgrades
/// to even the core data structures.
pub mod opaque {
	use super::*;
	use sp_runtime::{generic, traits::Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;

	impl_opaque_keys! {
		/// The keys a validator holds: BABE for authorship, GRANDPA for finality.
		pub struct SessionKeys {
			/// BABE block-authorship key (sr25519).
			pub babe: Babe,
			/// GRANDPA finality-voting key (ed25519).
			pub grandpa: Grandpa,
		}
	}
}

/// The version of the runtime. `spec_version` must be bumped on every change of behaviour.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("endochain"),
	impl_name: alloc::borrow::Cow::Borrowed("endochain"),
	authoring_version: 1,
	spec_version: 115,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// Block time, consensus timing and the BABE parameters.
mod block_times {
	/// Target block time. Three seconds keeps device-authentication latency low for plant
	/// networks; GRANDPA finalizes within a few blocks.
	///
	/// NOTE: Currently it is not possible to change the slot duration after the chain has
	/// started. Attempting to do so will brick block production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 3000;

	/// The slot duration BABE works with; equal to the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Time is measured by number of blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// An hour in blocks.
pub const HOURS: BlockNumber = MINUTES * 60;
/// A day in blocks.
pub const DAYS: BlockNumber = HOURS * 24;

/// Length of a BABE epoch in slots: two minutes. Each epoch re-reads the trust-weighted
/// authority set, so a short epoch lets trust changes take effect quickly.
///
/// NOTE: Currently it is not possible to change the epoch duration after the chain has started.
/// Attempting to do so will brick block production.
pub const EPOCH_DURATION_IN_SLOTS: u64 = 2 * (MINUTES as u64);

/// 1 in 4 slots (on average, not counting collisions) will have a primary block author; the
/// others are filled by secondary (VRF) slots. Primary-slot shares follow the authority weights.
pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);

/// The BABE epoch configuration at genesis.
pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
	sp_consensus_babe::BabeEpochConfiguration {
		c: PRIMARY_PROBABILITY,
		allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
	};

/// The smallest unit of the token: 1 ENDO = 10^12 units.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a unit.
pub const MICRO_UNIT: Balance = 1_000_000;

/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain. We intentionally make it equivalent
/// to the public key of our transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account.
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// An index to a block.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A Block signed with a Justification
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The `TransactionExtension` to the basic transaction logic.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// All migrations of the runtime, aside from the ones declared in the pallets.
///
/// This can be a tuple of types, each implementing `OnRuntimeUpgrade`.
type Migrations = (
	// Attestation tallies keyed by epoch (storage version 1).
	pallet_device_identity::migrations::MigrateV0ToV1<Runtime>,
	// Attestation deposits recorded in tallies and proxy counters (storage version 2).
	pallet_device_identity::migrations::MigrateV1ToV2<Runtime>,
	// Candidates' founding, admission and membership (storage version 1).
	pallet_proof_of_trust::migrations::MigrateV0ToV1<Runtime>,
	// Open-case and live-access counters, closing blocks (storage version 1).
	pallet_uiv_sharing::migrations::MigrateV0ToV1<Runtime>,
	// The leak guard's trace index, filled from the delivered accesses (storage version 2).
	pallet_uiv_sharing::migrations::MigrateV1ToV2<Runtime>,
);

/// Executive: handles dispatch to the various modules.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// Create the runtime by composing the FRAME pallets that were previously configured.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	// Endogenous security.
	#[runtime::pallet_index(10)]
	pub type DeviceIdentity = pallet_device_identity;

	#[runtime::pallet_index(11)]
	pub type ProofOfTrust = pallet_proof_of_trust;

	#[runtime::pallet_index(12)]
	pub type UivSharing = pallet_uiv_sharing;
}
