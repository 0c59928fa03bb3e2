//! Storage migrations, one module per storage version. The runtime lists them in its
//! `Migrations` (`runtime/src/lib.rs`).

use crate::pallet::pallet::*;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	storage::{unhashed, StoragePrefixedMap},
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 0 to 1: [`v1::ClearUnepochedTallies`], run once by `VersionedMigration`.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	v1::ClearUnepochedTallies<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Version 1 to 2: [`v2::RecordDeposits`], run once by `VersionedMigration`.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	v2::RecordDeposits<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Storage version 1: attestation tallies keyed by epoch.
pub mod v1 {
	use super::*;

	/// The most version-0 tallies removed (more cannot be decoded as version 1 and are only
	/// skipped by iteration; a log line says how many remain).
	pub const MAX_REMOVED: u32 = 10_000;

	/// Removes the tallies of storage version 0 (keyed by device and statement, no epoch),
	/// which the version-1 layout cannot decode. They were open votes; the proxies vote again.
	pub struct ClearUnepochedTallies<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for ClearUnepochedTallies<T> {
		fn on_runtime_upgrade() -> Weight {
			let result =
				unhashed::clear_prefix(&Tallies::<T>::final_prefix(), Some(MAX_REMOVED), None);
			if result.maybe_cursor.is_some() {
				log::warn!(
					target: crate::LOG_TARGET,
					"more than {MAX_REMOVED} version-0 tallies: the rest stay undecodable"
				);
			}
			T::DbWeight::get().writes(u64::from(result.loops).saturating_add(1))
		}
	}
}

/// Storage version 2: tallies record each voter's deposit, and the per-epoch counters the
/// deposits their proxy still holds ([`Config::AttestationDeposit`]).
pub mod v2 {
	use super::*;
	use crate::{BalanceOf, VotersOf};
	use frame_support::BoundedVec;
	use sp_runtime::traits::Zero;

	/// The version-1 value of a tally: `(voters, concluded)`.
	pub type OldTally<T> = (
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxAttestationVoters>,
		bool,
	);

	/// Rewrites the version-1 tallies and counters with a zero deposit: their votes were made
	/// when attestations held nothing (they paid the fee), so nothing is to be released. Both
	/// maps hold at most the attestations of the current and the previous epoch (the hook
	/// prunes finished epochs), `2 * MaxAttestationsPerEpoch` entries each.
	pub struct RecordDeposits<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			Tallies::<T>::translate_values::<OldTally<T>, _>(|(voters, concluded)| {
				entries = entries.saturating_add(1);
				let voters: VotersOf<T> = BoundedVec::truncate_from(
					voters.into_iter().map(|voter| (voter, BalanceOf::<T>::zero())).collect(),
				);
				Some((voters, concluded))
			});
			AttestationsBy::<T>::translate_values::<u32, _>(|count| {
				entries = entries.saturating_add(1);
				Some((count, BalanceOf::<T>::zero()))
			});
			T::DbWeight::get().reads_writes(entries, entries)
		}
	}
}
